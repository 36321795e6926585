/**
 * The messages between the coordinator and a pool worker process (DESIGN.md
 * sections 1 and 4.2). One worker runs the bodies of the tasks placed on it; the
 * registry and every decision of the seed stay in the coordinator, so a body's
 * `spawn`, `associate_with` and `shutdown_tasks` travel up as requests, and the
 * coordinator's start, signal, fault and "your call returned" travel down.
 *
 * On the wire every message is inside an envelope `{ batch: [...] }`: messages are
 * batched both ways (flushed at the end of the sender's turn, or at a cap), and an
 * unbatched sender simply sends envelopes of one. A channel keeps its order, so a
 * `start` always reaches the worker before the `signal` of the same task.
 *
 * Time: a run has a time zero (`t0` in `load`, epoch ms on the host's clock, which
 * every process shares), and the coordinator's messages that start or wake a task
 * say when their cause happened (`at`, ms after t0: the tick a step was due, or the
 * moment the coordinator acted). A task's sleeps count from that logical time, not
 * from when the message happened to land, so a stalled coordinator or a busy
 * machine delays events but does not shift the scenario's schedule.
 *
 * Task messages carry `run`: the run (one coordinator and its registry) they belong
 * to. A worker can host the tasks of several runs at once (the conformance suite
 * runs its examples side by side on one set of pools), and messages of a run that
 * has ended are dropped. Task ids are the registry's ids and count from 1 per run.
 *
 * Pure TypeScript: the validators are in ./worker-validate.ts.
 */
import type { FaultKind, ShutdownFilter } from '../model/outcome';
import type { RuntimeName } from '../model/runtime';
import type { TaskKind } from '../model/task-kind';
import type { TaskTemplate } from '../scenario/types';
import type { AwaitEvent, CheckEvent, KindEvent, LogEvent, ObserveEvent } from '../trace/events';

export const WORKER_PROTOCOL = 'taskmgr-worker/1';

/** What a task runs (the executor's `BodySpec`). */
export type WireBodySpec = { type: 'template'; template: string } | { type: 'workload'; name: string; args?: unknown };

/**
 * A registered task handed to a worker: what its body can see of it (the executor's
 * `StartRequest` minus what the worker knows or never uses). The runtime is the
 * worker's own; tenant and timeline live in the coordinator's registry (a body
 * changes them with `associate_with`, never reads them); `name` is left out when
 * it equals `label`. Start is the one message every task needs that carries
 * strings, and IPC cost grows with bytes.
 */
export interface WireStartRequest {
  id: number;
  label: string;
  name?: string;
  kind: TaskKind;
  body: WireBodySpec;
}

/** The arguments of `spawn` from inside a body (the executor's `SpawnSpec`). */
export interface WireSpawnSpec {
  runtime: RuntimeName;
  kind: TaskKind;
  tenant: string | null;
  timeline: string | null;
  name: string;
  label?: string;
  shutdownProcessOnError: boolean;
  body: WireBodySpec;
}

/** An event a body emits about itself (the executor's `BodyEvent`). */
export type WireBodyEvent =
  | Omit<ObserveEvent, 't' | 'task'>
  | Omit<CheckEvent, 't' | 'task'>
  | Omit<KindEvent, 't' | 'task'>
  | Omit<AwaitEvent, 't' | 'task'>
  | Omit<LogEvent, 't' | 'task'>;

// ---- coordinator -> worker -------------------------------------------------------

/** Who the worker is, sent once after its `hello`. */
export interface InitMessage {
  t: 'init';
  protocol: typeof WORKER_PROTOCOL;
  runtime: RuntimeName;
  worker: number;
  /** How often the worker reports its statistics (0: never). */
  stats_ms: number;
  batching: boolean;
  batch_cap: number;
}
/** Changes how the worker batches what it sends (the benchmark compares both). */
export interface ConfigMessage {
  t: 'config';
  batching: boolean;
  batch_cap: number;
}
/** A run begins: its tick length and the scenario's templates (bodies are resolved in the worker). */
export interface LoadMessage {
  t: 'load';
  run: number;
  tick_ms: number;
  /** The run's time zero, epoch ms (`performance.timeOrigin + performance.now()`); absent: when it lands. */
  t0?: number;
  templates: Record<string, TaskTemplate>;
  /** A module the worker loads for named workloads (it exports `workloads`), or null. */
  workloads_module: string | null;
}
export interface StartMessage {
  t: 'start';
  run: number;
  task: WireStartRequest;
  /** When the cause happened, ms after the run's t0; absent: when it lands. */
  at?: number;
}
/** The task's shutdown flag was set (level-triggered): wake its watchers. */
export interface SignalMessage {
  t: 'signal';
  run: number;
  id: number;
  /** When the cause happened, ms after the run's t0; absent: when it lands. */
  at?: number;
}
/** End the task at its current (or next) interruptible await with this fault. */
export interface InjectMessage {
  t: 'inject';
  run: number;
  id: number;
  fault: FaultKind;
  message: string;
  /** When the cause happened, ms after the run's t0; absent: when it lands. */
  at?: number;
}
/** The answer of a service call (the executor's `ServiceResult`). */
export type WireServiceResult = { ok: true; value: unknown } | { ok: false; error: string };

/** The call `call` of task `id` (`shutdown_tasks`, or a service call with its result) has returned. */
export interface CallDoneMessage {
  t: 'call_done';
  run: number;
  id: number;
  call: number;
  result?: WireServiceResult;
  /** When the cause happened, ms after the run's t0; absent: when it lands. */
  at?: number;
}
/** The run is over (process exit, or the end of the scenario): drop its tasks, no body of it runs any more. */
export interface KillMessage {
  t: 'kill';
  run: number;
}
/** Echo this back (the raw IPC benchmark). */
export interface EchoMessage {
  t: 'echo';
  n: number;
  data: string;
}
/** Exit the worker process. */
export interface StopMessage {
  t: 'stop';
}

export type ToWorker =
  | InitMessage
  | ConfigMessage
  | LoadMessage
  | StartMessage
  | SignalMessage
  | InjectMessage
  | CallDoneMessage
  | KillMessage
  | EchoMessage
  | StopMessage;

// ---- worker -> coordinator -------------------------------------------------------

/** The worker is up and listening (its first message). */
export interface HelloMessage {
  t: 'hello';
  protocol: typeof WORKER_PROTOCOL;
  pid: number;
}
/** The task's body began to run on this worker. */
export interface StartedMessage {
  t: 'started';
  run: number;
  id: number;
}
export interface ExitedMessage {
  t: 'exited';
  run: number;
  id: number;
  outcome: 'ok' | 'error' | 'panic';
  /** The error or panic message; absent for ok. */
  message?: string;
}
/** `spawn` from inside task `parent`. */
export interface SpawnRequestMessage {
  t: 'spawn';
  run: number;
  parent: number;
  spec: WireSpawnSpec;
}
export interface AssociateMessage {
  t: 'associate';
  run: number;
  id: number;
  tenant: string | null;
  timeline: string | null;
}
/** `shutdown_tasks` from inside task `id`; the coordinator answers with `call_done` for `call`. */
export interface ShutdownTasksMessage {
  t: 'shutdown_tasks';
  run: number;
  id: number;
  call: number;
  label: string;
  filter: ShutdownFilter;
}
/** A call from task `id` to a coordinator service; answered by `call_done` with a result. */
export interface ServiceCallMessage {
  t: 'service';
  run: number;
  id: number;
  call: number;
  service: string;
  args: unknown;
}
export interface BodyEventMessage {
  t: 'event';
  run: number;
  id: number;
  event: WireBodyEvent;
}
/** The worker's own figures since its start (CPU) and its last report (loop delay). */
export interface StatsMessage {
  t: 'stats';
  cpu_ms: number;
  /** The longest event-loop delay seen since the last report, in ms. */
  loop_delay_ms: number;
  tasks: number;
}
export interface EchoReplyMessage {
  t: 'echo';
  n: number;
  data: string;
}
/** Something the worker could not do (a malformed message from the coordinator, an uncaught error). */
export interface ProblemMessage {
  t: 'problem';
  run: number | null;
  message: string;
}

export type FromWorker =
  | HelloMessage
  | StartedMessage
  | ExitedMessage
  | SpawnRequestMessage
  | AssociateMessage
  | ShutdownTasksMessage
  | ServiceCallMessage
  | BodyEventMessage
  | StatsMessage
  | EchoReplyMessage
  | ProblemMessage;

/**
 * What goes over the channel: a batch of messages, in order. `more` says that the
 * sender's turn goes on: the batch was cut (at the cap, or because batching is off)
 * and more envelopes of the same turn follow; the turn's last envelope has no `more`
 * (it may be empty). A worker holds the bodies a turn starts until the turn is over,
 * so everything the coordinator said about a task in the turn that started it
 * (a signal, a fault) is applied before the body takes its first step, as in the
 * seed, where `spawn` registers a task before it is first polled.
 */
export interface Envelope<M> {
  batch: M[];
  more?: true;
}
