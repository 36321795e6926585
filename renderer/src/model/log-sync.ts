/**
 * Keeps the renderer's copy of the Lab's event log in step with the Lab: pushes are
 * appended in order; a gap (a missed push, a reconnect) is filled with an `events`
 * request from the last index held; a status that reports fewer events than held
 * means the Lab started a new log, which is then fetched from 0; a status that
 * reports more is looked at again shortly (the pushes may be on their way) before
 * fetching. While a recording file is open in the page, nothing is applied and the
 * log is marked behind.
 *
 * A plain module: the Lab store gives it the request and the events store as its
 * log, so a test drives it with a fake of each.
 */

/** The renderer's log, as the sync sees it (the events store). */
export interface SyncedLog {
  /** 'lab' while the log shown is the Lab's; anything else (a file) is left alone. */
  readonly source: string;
  readonly length: number;
  /** Replaces the log with these events (a new log). */
  reset(events: readonly unknown[]): void;
  /** Appends events that start at index `from` of the Lab's log; false on a gap. */
  appendFromLab(from: number, events: readonly unknown[]): boolean;
  /** The Lab moved on while a file was shown: catch up when going back to it. */
  markBehind(): void;
}

/** One slice of the Lab's log (the `events` request), null when the request failed. */
export type FetchEvents = (from: number) => Promise<{ from: number; events: readonly unknown[] } | null>;

/** A pushed slice of the Lab's log. */
export interface EventsPush {
  from: number;
  events: readonly unknown[];
  reset?: boolean;
}

/** How long a status that reports more events than held waits for their pushes, ms. */
export const BEHIND_GRACE_MS = 400;

export class LogSync {
  private catchingUp = false;
  private behindTimer: ReturnType<typeof setTimeout> | null = null;
  /** Events the Lab's last status reported. */
  private reported = 0;

  constructor(
    private readonly log: SyncedLog,
    private readonly fetch: FetchEvents,
  ) {}

  /**
   * Fetches the Lab's log from `from` (0 with reset: a new log). The Lab answers in
   * slices (at most 200k events each): ask again until an answer comes back empty.
   */
  async catchUp(from: number, reset: boolean): Promise<void> {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      let next = from;
      let first = true;
      for (;;) {
        const r = await this.fetch(next);
        if (r === null) return;
        if (this.log.source !== 'lab') {
          this.log.markBehind();
          return;
        }
        const batch = r.events;
        if (first && reset) this.log.reset(batch);
        else if (batch.length > 0 && !this.log.appendFromLab(r.from, batch)) return;
        first = false;
        if (batch.length === 0) return;
        next = r.from + batch.length;
      }
    } finally {
      this.catchingUp = false;
    }
  }

  /** The Lab's status says how many events its log holds. */
  onStatus(events: number): void {
    this.reported = events;
    const log = this.log;
    if (log.source !== 'lab') return;
    if (events < log.length) {
      void this.catchUp(0, true);
    } else if (events > log.length && this.behindTimer === null) {
      // Pushes may still be on their way: look again shortly before fetching.
      const held = log.length;
      this.behindTimer = setTimeout(() => {
        this.behindTimer = null;
        if (log.source === 'lab' && log.length === held && this.reported > held) void this.catchUp(held, false);
      }, BEHIND_GRACE_MS);
    }
  }

  /** The Lab pushed a slice of its log. */
  onEvents(push: EventsPush): void {
    if (this.catchingUp) return; // the catch-up answer holds these events
    if (this.log.source !== 'lab') {
      this.log.markBehind();
      return;
    }
    if (push.reset) {
      if (push.from === 0) this.log.reset(push.events);
      else void this.catchUp(0, true);
      return;
    }
    if (!this.log.appendFromLab(push.from, push.events)) void this.catchUp(this.log.length, false);
  }
}
