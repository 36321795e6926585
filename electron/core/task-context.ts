/**
 * The task API (DESIGN.md section 4.3): what a body may call, mirroring the seed
 * (`spawn`, `shutdown_tasks`, `associate_with`, `shutdown_watcher`,
 * `is_shutdown_requested`, `current_task_kind`) plus the simulator's `sleep` and
 * `busy`. Each executor gives every running task one `TaskContext`; the free
 * functions of ./task-locals.ts find it through AsyncLocalStorage, as the seed's
 * functions find `CURRENT_TASK` and `SHUTDOWN_RX` through tokio task-locals. Bodies
 * are written once against this interface and run on both executors.
 */
import type { RuntimeName, ShutdownFilter, TaskKind } from '../../shared/model';
import type { BodyEvent, SpawnSpec } from './executor';

export interface TaskContext {
  readonly id: number;
  /** The task's name in the trace. */
  readonly label: string;
  /** The name given to `spawn`. */
  readonly name: string;
  readonly kind: TaskKind;
  readonly runtime: RuntimeName;
  /** The `SHUTDOWN_RX` value: has the task been asked to shut down? */
  isShutdownRequested(): boolean;
  /** Resolves when the task is asked to shut down (at once if it already was). */
  shutdownWatcher(what?: string): Promise<void>;
  /** A plain sleep: a shutdown request is not noticed. */
  sleep(ticks: number, what?: string): Promise<void>;
  /** `select! { shutdown_watcher(), sleep(ticks) }` with shutdown first: true if shutdown won. */
  sleepOrShutdown(ticks: number, what?: string): Promise<boolean>;
  /** Blocking code on a runtime thread: holds the worker for `ticks`; faults wait for the next await. */
  busy(ticks: number, what?: string): Promise<void>;
  /** Awaits something that never completes and ignores shutdown. */
  hang(what?: string): Promise<never>;
  /** `task_mgr::spawn` from inside this task; the body goes on at once. */
  spawn(spec: SpawnSpec): void;
  /** `task_mgr::associate_with`: overwrites both tenant and timeline. */
  associateWith(tenant: string | null, timeline: string | null): void;
  /** `task_mgr::shutdown_tasks` from inside this task, awaited. */
  shutdownTasks(label: string, filter: ShutdownFilter): Promise<void>;
  /**
   * Calls a service of the coordinator (the pageserver model's state lives there, shared
   * by tasks of every pool) and awaits its answer; a failed call throws a `TaskError`.
   */
  service<T = unknown>(name: string, args?: unknown, what?: string): Promise<T>;
  /** Reports an event about this task (observe, check, kind, await, log). */
  emit(event: BodyEvent): void;
}

/** A task body: the future given to `spawn`. Return is `Ok(())`; throw `TaskError` for `Err`; any other throw is a panic. */
export type TaskBody = (ctx: TaskContext) => Promise<void>;
