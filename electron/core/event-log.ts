/**
 * The event log of a run: the single source of truth (DESIGN.md section 2). The
 * coordinator appends every state change here, stamped with the run's clock (virtual
 * ticks in the simulator, wall time divided by `tick_ms` in live mode). Readers
 * subscribe; recordings, the CLI's timeline, the UI and conformance traces all read
 * the same events.
 */
import { LOG_LEVELS, type LogLevel, type TraceEvent, type UnstampedEvent } from '../../shared/trace/events';

const RANK = Object.fromEntries(LOG_LEVELS.map((level, i) => [level, i])) as Record<LogLevel, number>;

export type Listener = (event: TraceEvent) => void;

export class EventLog {
  readonly events: TraceEvent[] = [];
  private listeners: Listener[] = [];
  /** Once closed (process exit), only events marked as epilogue are still taken. */
  private closed = false;
  /** `log` events below this level are not recorded, as RUST_LOG filters the seed's lines. */
  private minRank = RANK.info;

  constructor(
    private clock: () => number,
    private keep = true,
  ) {}

  /** The pageserver logs at `info` by default; `debug` adds the seed's "Starting task" lines. */
  setLogLevel(level: LogLevel): void {
    this.minRank = RANK[level];
  }

  /** Would a `log` event of this level be recorded? (Saves building lines nobody keeps.) */
  wants(level: LogLevel): boolean {
    return RANK[level] >= this.minRank;
  }

  setClock(clock: () => number): void {
    this.clock = clock;
  }

  now(): number {
    return this.clock();
  }

  /** Stamps and appends the event. The object is taken over (stamped in place), not copied. */
  emit(event: UnstampedEvent): TraceEvent {
    const stamped = event as TraceEvent;
    stamped.t = this.clock();
    if (this.closed) return stamped;
    if (stamped.ev === 'log' && RANK[stamped.level] < this.minRank) return stamped;
    if (this.keep) this.events.push(stamped);
    for (const l of this.listeners) l(stamped);
    return stamped;
  }

  /** Events after process exit are not part of the run; a few are still recorded (killed tasks). */
  close(): void {
    this.closed = true;
  }

  /** Appends after close: the tasks that process exit killed. */
  epilogue(event: UnstampedEvent): void {
    const stamped = event as TraceEvent;
    stamped.t = this.clock();
    if (this.keep) this.events.push(stamped);
    for (const l of this.listeners) l(stamped);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
}
