/**
 * The executor seam (DESIGN.md section 4.1): where task bodies run. The coordinator
 * (TaskManager) talks to an executor only in terms of tasks: start this body, this
 * task's shutdown flag was set, inject this fault, the call this task awaits is done,
 * the process exited. The executor reports back through `TaskHost`: started, exited,
 * and the requests a body makes (spawn, associate_with, shutdown_tasks) plus the
 * events a body emits. `SimExecutor` (electron/sim) and `PoolExecutor`
 * (electron/pools) implement it; nothing else in core knows which one it has.
 */
import type { FaultKind, RuntimeName, ShutdownFilter, TaskKind, TaskOutcome } from '../../shared/model';
import type { WireBodyEvent, WireBodySpec, WireSpawnSpec } from '../../shared/protocol/worker';

// The specs below cross the process boundary to the pool workers, so their one
// definition is the worker protocol's (shared/protocol/worker.ts).

/** What a task runs: a scenario template's ops, or a named workload of the pageserver model. */
export type BodySpec = WireBodySpec;

/**
 * The arguments of the seed's `spawn(runtime, kind, tenant_id, timeline_id, name,
 * shutdown_process_on_error, future)`; `label` is the task's name in the trace (a
 * template id), defaulting to `name`, made unique.
 */
export type SpawnSpec = WireSpawnSpec;

/** A registered task handed to the executor to run. */
export interface StartRequest {
  id: number;
  label: string;
  name: string;
  kind: TaskKind;
  runtime: RuntimeName;
  tenant: string | null;
  timeline: string | null;
  body: BodySpec;
}

/** Where a task was placed: its runtime's worker index (and the worker's pid in live mode). */
export interface Placement {
  worker: number;
  pid?: number;
}

/** Events a body emits about itself; the coordinator adds `t` and `task`. */
export type BodyEvent = WireBodyEvent;

export interface Executor {
  /** Places and starts a registered task. Must not run the body synchronously. */
  start(task: StartRequest): void;
  /** The coordinator set the task's shutdown flag (level-triggered). */
  signal(id: number): void;
  /** Ends the task at its current (or next) await with this fault. */
  inject(id: number, fault: FaultKind, message: string): void;
  /**
   * A request that task `callerId` awaits (its `callId`: a `shutdown_tasks` call or a
   * service call) has returned; service calls carry their result.
   */
  callDone(callerId: number, callId: number, result?: ServiceResult): void;
  /**
   * The simulated process ended (exit or crash): every task of it is gone at once,
   * its pending awaits never return, and no body of it runs any more. This is not
   * the end of the run: a pageserver run may start a new process on the same
   * executor's clock. Ending the run belongs to whoever assembled it (electron/run).
   */
  endProcess(): void;
}

/** The coordinator as executors see it. */
export interface TaskHost {
  started(id: number, placement: Placement): void;
  exited(id: number, outcome: Exclude<TaskOutcome, 'killed'>, message: string | null): void;
  spawnFrom(parentId: number, spec: SpawnSpec): number;
  associate(id: number, tenant: string | null, timeline: string | null): void;
  /** Starts `shutdown_tasks` from inside task `callerId`; `executor.callDone` reports its return. */
  shutdownTasksFrom(callerId: number, callId: number, label: string, filter: ShutdownFilter): void;
  /** A call from task `callerId` to a coordinator service (the pageserver model); `executor.callDone` carries the result. */
  serviceCall(callerId: number, callId: number, service: string, args: unknown): void;
  bodyEvent(id: number, event: BodyEvent): void;
}

/** The answer of a service call: a value, or an error the body sees as `Err`. */
export type ServiceResult = { ok: true; value: unknown } | { ok: false; error: string };
