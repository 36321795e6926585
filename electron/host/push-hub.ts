/**
 * Pushes of the Lab to its subscribers (the Electron window, browser tabs): new
 * events in batches, at most `maxRate` times a second, and the status when it
 * changes.
 *
 * Why cursors and not queues: the event log is already the single copy of the run
 * (DESIGN.md section 2), so a subscriber is only a position in it. A slow consumer
 * (its transport says it is not `ready`: an unacknowledged IPC push, a full socket
 * buffer) is skipped, and what it missed is coalesced into its next batch; nothing
 * is buffered per subscriber, however slow it is. A batch holds at most `maxBatch`
 * events, so a flood (a big recording, a storm of spawns) reaches the window as a
 * few large pushes spread over time, never one that freezes it.
 */
import type { LabPush, LabStatus } from '../../shared/protocol/lab';
import type { TraceEvent } from '../../shared/trace/events';

/** One subscriber's transport. */
export interface PushSink {
  send(push: LabPush): void;
  /** False while the transport is still busy with earlier pushes (backpressure). */
  ready(): boolean;
}

/** What the hub reads pushes from: the current log and status. */
export interface PushSource {
  events(): readonly TraceEvent[];
  status(): LabStatus;
}

export interface PushHubOptions {
  /** Pushes per second per subscriber, at most (default 30). */
  maxRate?: number;
  /** Events per push, at most (default 50,000). */
  maxBatch?: number;
  /** Timer functions (tests pass fakes). */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  now?: () => number;
}

interface Subscriber {
  sink: PushSink;
  /** Index of the next event to send. */
  cursor: number;
  /** The next events push starts a new log. */
  reset: boolean;
  statusDirty: boolean;
  /** The latest push of another kind (an exploration's progress) not sent yet: a newer one replaces it. */
  other: LabPush | null;
}

export class PushHub {
  private subs = new Set<Subscriber>();
  private timer: unknown = null;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private readonly interval: number;
  private readonly maxBatch: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly now: () => number;

  constructor(
    private source: PushSource,
    options: PushHubOptions = {},
  ) {
    this.interval = Math.ceil(1000 / (options.maxRate ?? 30));
    this.maxBatch = Math.max(1, options.maxBatch ?? 50_000);
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.now = options.now ?? (() => performance.now());
  }

  /** Adds a subscriber; it first receives the whole current log (reset) and the status. */
  add(sink: PushSink): () => void {
    const sub: Subscriber = { sink, cursor: 0, reset: true, statusDirty: true, other: null };
    this.subs.add(sub);
    this.schedule();
    return () => {
      this.subs.delete(sub);
    };
  }

  get size(): number {
    return this.subs.size;
  }

  /** Events were appended to the log. */
  appended(): void {
    this.schedule();
  }

  /** The log was replaced (a new run, an opened recording): everyone starts over. */
  reset(): void {
    for (const s of this.subs) {
      s.cursor = 0;
      s.reset = true;
      s.statusDirty = true;
    }
    this.schedule();
  }

  /** A push that is not the log nor the status (explore progress): each subscriber gets the latest. */
  broadcast(push: LabPush): void {
    for (const s of this.subs) s.other = push;
    this.schedule();
  }

  statusChanged(): void {
    for (const s of this.subs) s.statusDirty = true;
    this.schedule();
  }

  /** Stops the timer (the Lab is closing). */
  close(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.subs.clear();
  }

  private schedule(): void {
    if (this.timer !== null || this.subs.size === 0) return;
    const wait = Math.max(0, this.lastFlush + this.interval - this.now());
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  private pending(s: Subscriber, length: number): boolean {
    return s.statusDirty || s.reset || s.cursor < length || s.other !== null;
  }

  /** One round: every ready subscriber gets at most one events push and one status push. */
  flush(): void {
    this.lastFlush = this.now();
    const events = this.source.events();
    let behind = false;
    for (const s of this.subs) {
      if (!this.pending(s, events.length)) continue;
      let ready: boolean;
      try {
        ready = s.sink.ready();
      } catch {
        ready = false;
      }
      if (!ready) {
        behind = true;
        continue;
      }
      if (s.cursor > events.length) {
        // The log shrank under this subscriber without a reset: start it over.
        s.cursor = 0;
        s.reset = true;
      }
      if (s.reset || s.cursor < events.length) {
        const from = s.cursor;
        const to = Math.min(events.length, from + this.maxBatch);
        const push: LabPush = { type: 'events', from, events: events.slice(from, to), reset: s.reset };
        s.cursor = to;
        s.reset = false;
        this.send(s, push);
      }
      if (s.statusDirty) {
        s.statusDirty = false;
        this.send(s, { type: 'status', status: this.source.status() });
      }
      if (s.other) {
        const push = s.other;
        s.other = null;
        this.send(s, push);
      }
      if (this.pending(s, events.length)) behind = true;
    }
    if (behind) this.schedule();
  }

  private send(s: Subscriber, push: LabPush): void {
    try {
      s.sink.send(push);
    } catch {
      // A transport that fails is gone; its owner removes it.
    }
  }
}
