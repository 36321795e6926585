/**
 * Who runs a piece of pageserver logic. Compaction, GC and checkpoints run in
 * task_mgr tasks (the loops, manual GC) and also inline in HTTP handlers, which are
 * not tasks (`timeline_checkpoint`, `timeline_compact`: S5, S8). The logic is
 * written once against this interface: a task's actor goes through the task API
 * (service calls, sleeps, the task-local shutdown flag); the coordinator's actor
 * calls the model directly, sleeps on the run's clock and, having no task-locals,
 * can never be told to stop (`is_shutdown_requested()` warns and says false).
 */
import type { LogLevel } from '../../shared/trace/events';

export interface Actor {
  /** The task's trace label, or a name for untracked work (`HTTP checkpoint t1/l1`). */
  readonly label: string;
  /** True for a task_mgr task. */
  readonly tracked: boolean;
  call<T>(service: string, args: object, what?: string): Promise<T>;
  /** Uninterruptible work (or a plain sleep) of `ticks`. */
  sleep(ticks: number, what: string): Promise<void>;
  isShutdownRequested(): boolean;
  log(level: LogLevel, message: string): void;
}
