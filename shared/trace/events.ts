/**
 * The event log: every state change of a run is one event, appended in the order
 * the coordinator saw it. The UI, recordings, conformance traces, the Perfetto
 * export and the lints all derive from this log (DESIGN.md section 2).
 *
 * The events are a superset of the conformance trace of FORMAT.md: the fields that
 * format names keep its spelling (snake_case), and every event carries `t`, the time
 * in ticks since the start of the run (virtual ticks in the simulator, `tick_ms`
 * milliseconds of wall time in live mode).
 */
import type { FaultKind, TaskOutcome } from '../model/outcome';
import type { FlushLoopState, TenantState, TimelineState } from '../model/pageserver';
import type { RuntimeName } from '../model/runtime';
import type { TaskKind } from '../model/task-kind';

/** The levels of the seed's `tracing` lines, lowest first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

interface Base {
  t: number;
}

/** First line of a trace: what ran, and how. */
export interface ScenarioEvent extends Base {
  ev: 'scenario';
  name: string;
  tick_ms: number;
  mode?: 'sim' | 'live';
  seed?: number;
  policy?: string;
  workers?: Partial<Record<RuntimeName, number>>;
}
export interface SpawnEvent extends Base {
  ev: 'spawn';
  task: string;
  id: number;
  kind: TaskKind;
  runtime: RuntimeName;
  tenant: string | null;
  timeline: string | null;
  parent: string | null;
  /** The name given to `spawn` (the template id is `task`). */
  name?: string;
  shutdown_process_on_error?: boolean;
}
export interface StartEvent extends Base {
  ev: 'start';
  task: string;
  runtime?: RuntimeName;
  /** Index of the runtime worker the task was placed on; it stays there. */
  worker?: number;
  pid?: number;
}
export interface SignalEvent extends Base {
  ev: 'signal';
  task: string;
  by: string;
}
export interface ObserveEvent extends Base {
  ev: 'observe';
  task: string;
  via: 'watcher' | 'poll';
}
export interface ExitEvent extends Base {
  ev: 'exit';
  task: string;
  outcome: TaskOutcome;
  message: string | null;
}
export interface ShutdownBeginEvent extends Base {
  ev: 'shutdown_begin';
  label: string;
  kind: TaskKind | null;
  tenant: string | null;
  timeline: string | null;
  caller: string | null;
}
export interface ShutdownEndEvent extends Base {
  ev: 'shutdown_end';
  label: string;
  victims: string[];
  waited: string[];
}
/** A call dropped because its calling task ended (FORMAT.md note 5). */
export interface ShutdownAbandonedEvent extends Base {
  ev: 'shutdown_abandoned';
  label: string;
  caller: string | null;
}
/** The wait phase of a call reached a victim: it waits for it now (or finds its handle taken). */
export interface ShutdownWaitEvent extends Base {
  ev: 'shutdown_wait';
  label: string;
  task: string;
  /** false when another call had taken the join handle, or the task had not fully started. */
  took_handle: boolean;
}
export interface AssociateEvent extends Base {
  ev: 'associate';
  task: string;
  tenant: string | null;
  timeline: string | null;
}
export interface KindEvent extends Base {
  ev: 'kind';
  task: string | null;
  kind: TaskKind | null;
}
export interface CheckEvent extends Base {
  ev: 'check';
  task: string | null;
  value: boolean;
}
export interface InjectEvent extends Base {
  ev: 'inject';
  task: string;
  fault: FaultKind;
  applied: boolean;
  message?: string;
}
export interface SnapshotEvent extends Base {
  ev: 'snapshot';
  label: string;
  tasks: string[];
}
export interface ProcessShutdownEvent extends Base {
  ev: 'process_shutdown';
  code: number;
  cause: string | null;
}
export interface ProcessExitEvent extends Base {
  ev: 'process_exit';
  code: number;
}
export interface EndEvent extends Base {
  ev: 'end';
  registry: string[];
  pending: string[];
  /** Present when the run was stopped from the Lab before its end_at (absent at a natural end). */
  stopped?: true;
}
/** What the task is awaiting now (its current op), for the inspector and the stuck view. */
export interface AwaitEvent extends Base {
  ev: 'await';
  task: string;
  what: string;
}
/** A tracing-style log line, as the seed's `debug!`/`info!`/`warn!`/`error!` would print. */
export interface LogEvent extends Base {
  ev: 'log';
  level: LogLevel;
  task: string | null;
  message: string;
}
/** A live worker process died while the simulated pageserver ran: the whole process crashed. */
export interface ProcessCrashEvent extends Base {
  ev: 'process_crash';
  runtime: RuntimeName;
  worker: number;
  pid: number | null;
  exit_code: number | null;
  signal: string | null;
}
/** Per-worker statistics of the live pools (the seed's `top -H` per runtime). */
export interface PoolStatsEvent extends Base {
  ev: 'pool_stats';
  workers: Array<{
    runtime: RuntimeName;
    worker: number;
    pid: number;
    cpu_ms: number;
    loop_delay_ms: number;
    tasks: number;
    placed: number;
  }>;
}
/** Something went wrong in the Lab itself (a malformed worker message, a bad command). */
export interface ErrorEvent extends Base {
  ev: 'error';
  message: string;
  source?: string;
}

// ---- The pageserver model (electron/pageserver); docs/pageserver-model.md --------------

/** A pageserver process began: the first start, or a restart from the same disk. */
export interface ProcessStartEvent extends Base {
  ev: 'process_start';
  /** 1 for the first process of the run, then 2, 3, ... for each restart. */
  process: number;
  /** Appended to every task and call label of this process (empty for the first). */
  label_suffix: string;
}
/** A signal reached the process: SIGINT/SIGTERM/SIGQUIT from outside, SIGKILL for a crash. */
export interface ProcessSignalEvent extends Base {
  ev: 'process_signal';
  signal: 'SIGINT' | 'SIGTERM' | 'SIGQUIT' | 'SIGKILL';
  /** What the seed's handler does with it. */
  effect: 'graceful_shutdown' | 'exit' | 'kill';
  /** Why (a failpoint name for a crash it caused), if not a scenario step. */
  cause?: string | null;
}
export interface TenantStateEvent extends Base {
  ev: 'tenant_state';
  tenant: string;
  /** null when the tenant object was just created. */
  from: TenantState | null;
  state: TenantState;
}
export interface TimelineStateEvent extends Base {
  ev: 'timeline_state';
  tenant: string;
  timeline: string;
  from: TimelineState | null;
  state: TimelineState;
}
export interface FlushLoopEvent extends Base {
  ev: 'flush_loop';
  tenant: string;
  timeline: string;
  state: FlushLoopState;
}
/** A change in a timeline's upload queue (storage_sync2's `UploadQueue`). */
export interface UploadQueueEvent extends Base {
  ev: 'upload_queue';
  tenant: string;
  timeline: string;
  action: 'scheduled' | 'launched' | 'completed' | 'dropped' | 'stopped' | 'barrier_reached';
  /** `UploadLayer l0-0-8`, `UploadMetadata lsn 8`, `Delete l0-0-8`, `Barrier`. */
  op: string;
  /** The RemoteUploadTask that runs it (launched/completed). */
  task?: string | null;
}
/** An HTTP management request and its answer (or the start of one still in flight). */
export interface HttpEvent extends Base {
  ev: 'http';
  /** The scenario's name for the request, e.g. `detach t1`. */
  request: string;
  phase: 'request' | 'response';
  status: number | null;
  body: string;
}
/** A file-level change of the simulated disk or remote storage (for the inspector). */
export interface StorageEvent extends Base {
  ev: 'storage';
  where: 'disk' | 'remote';
  op: string;
  path: string;
}
/** An invariant of neon-semantics.md section 8.4 was violated; one sentence naming the tasks. */
export interface LintEvent extends Base {
  ev: 'lint';
  rule: string;
  message: string;
  tasks: string[];
}
/** A scenario phase begins: its title and a short explanation (shown by the UI and the CLI). */
export interface NarrationEvent extends Base {
  ev: 'narration';
  title: string;
  text: string;
}
/** The result of one of the scenario's expected outcomes. */
export interface AssertionEvent extends Base {
  ev: 'assertion';
  description: string;
  ok: boolean;
  /** What was found instead, when it failed. */
  detail: string | null;
}

export type TraceEvent =
  | ScenarioEvent
  | SpawnEvent
  | StartEvent
  | SignalEvent
  | ObserveEvent
  | ExitEvent
  | ShutdownBeginEvent
  | ShutdownEndEvent
  | ShutdownAbandonedEvent
  | ShutdownWaitEvent
  | AssociateEvent
  | KindEvent
  | CheckEvent
  | InjectEvent
  | SnapshotEvent
  | ProcessShutdownEvent
  | ProcessExitEvent
  | EndEvent
  | AwaitEvent
  | LogEvent
  | ProcessCrashEvent
  | PoolStatsEvent
  | ErrorEvent
  | ProcessStartEvent
  | ProcessSignalEvent
  | TenantStateEvent
  | TimelineStateEvent
  | FlushLoopEvent
  | UploadQueueEvent
  | HttpEvent
  | StorageEvent
  | LintEvent
  | NarrationEvent
  | AssertionEvent;

export type EventName = TraceEvent['ev'];

/**
 * An event as a reader of a log receives it (the renderer, a recording's reader): a
 * known TraceEvent, or one of a type newer than this build, which is kept and shown
 * rather than dropped.
 */
export type AnyEvent = TraceEvent | { ev: string; t: number; [field: string]: unknown };

/** An event before the log stamps its time. */
export type UnstampedEvent = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 't'> : never) : never;
