/**
 * The Task view model: one task as the views show it at a cursor, computing its own
 * figures from its record and the time "now" (the time of the last applied event),
 * as tokio-console's task types compute their own busy and idle time. Views stay thin:
 * they format what this class says.
 *
 * States are the ones the seed's task_mgr actually has (registered before the body
 * runs, running, shutdown requested, exited ok / with error / panicked) plus the Lab's
 * `killed` (still running when the process exited).
 */
import type { TaskRec } from './lab-state';
import { type LintContext, lintTask, type Warning } from './lints';

export type TaskState = 'registered' | 'running' | 'shutdown_requested' | 'ok' | 'error' | 'panic' | 'killed';

export const TASK_STATES: readonly TaskState[] = ['registered', 'running', 'shutdown_requested', 'ok', 'error', 'panic', 'killed'];

export const TASK_STATE_LABELS: Record<TaskState, string> = {
  registered: 'registered',
  running: 'running',
  shutdown_requested: 'shutdown requested',
  ok: 'exited ok',
  error: 'exited with error',
  panic: 'panicked',
  killed: 'killed',
};

/** Order used when sorting by state: alive first, then how it ended. */
const STATE_ORDER: Record<TaskState, number> = { registered: 0, running: 1, shutdown_requested: 2, ok: 3, error: 4, panic: 5, killed: 6 };

export function stateOf(r: TaskRec): TaskState {
  if (r.outcome !== null) return r.outcome;
  if (r.signalT !== null) return 'shutdown_requested';
  if (r.startT !== null) return 'running';
  return 'registered';
}

export class Task {
  readonly state: TaskState;
  private warningsCache: Warning[] | null = null;

  constructor(
    readonly rec: TaskRec,
    /** The time of the cursor, in ticks. */
    readonly now: number,
    readonly ctx: LintContext,
  ) {
    this.state = stateOf(rec);
  }

  get name(): string {
    return this.rec.name;
  }
  get id(): number {
    return this.rec.id;
  }
  get kind(): string {
    return this.rec.kind;
  }
  get runtime(): string {
    return this.rec.runtime;
  }
  get worker(): number | null {
    return this.rec.worker;
  }
  get tenant(): string | null {
    return this.rec.tenant;
  }
  get timeline(): string | null {
    return this.rec.timeline;
  }
  get finished(): boolean {
    return this.rec.outcome !== null;
  }
  get stateOrder(): number {
    return STATE_ORDER[this.state];
  }
  get stateLabel(): string {
    return TASK_STATE_LABELS[this.state];
  }
  /** "compute_request/1"; "compute_request/-" before it is placed on a worker. */
  get placement(): string {
    return `${this.rec.runtime}/${this.rec.worker ?? '-'}`;
  }
  /** Ticks from spawn to exit, or to now while it lives. */
  get age(): number {
    return (this.rec.exitT ?? this.now) - this.rec.spawnT;
  }
  /** Ticks since its first shutdown signal (to its exit if it has exited); null if never signalled. */
  get sinceShutdownRequested(): number | null {
    return this.rec.signalT === null ? null : (this.rec.exitT ?? this.now) - this.rec.signalT;
  }
  /** The message of its error or panic (from its exit event), null otherwise. */
  get exitMessage(): string | null {
    if (this.rec.outcome === null || this.rec.outcome === 'ok' || this.rec.outcome === 'killed') return null;
    return this.ctx.exitMessage?.(this.rec.exitIdx) ?? null;
  }
  /** What it awaits now (its current op), from its last `await` event. */
  get awaitWhat(): string | null {
    return this.rec.awaitIdx < 0 ? null : this.ctx.awaitText(this.rec.awaitIdx);
  }
  /** Ticks it has been awaiting its current op. */
  get awaitingFor(): number | null {
    return this.rec.awaitT === null ? null : this.now - this.rec.awaitT;
  }
  get warnings(): Warning[] {
    if (this.warningsCache === null) this.warningsCache = lintTask(this, this.ctx);
    return this.warningsCache;
  }
}
