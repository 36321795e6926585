/**
 * The event log of a run: the single source of truth (DESIGN.md section 2). The
 * coordinator appends every state change here, stamped with the run's clock (virtual
 * ticks in the simulator, wall time divided by `tick_ms` in live mode). Readers
 * subscribe; recordings, the CLI's timeline, the UI and conformance traces all read
 * the same events.
 */
import type { TraceEvent, UnstampedEvent } from '../../shared/trace/events';

export type Listener = (event: TraceEvent) => void;

export class EventLog {
  readonly events: TraceEvent[] = [];
  private listeners: Listener[] = [];
  /** Once closed (process exit), only events marked as epilogue are still taken. */
  private closed = false;

  constructor(
    private clock: () => number,
    private keep = true,
  ) {}

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
