/**
 * Wall time for live runs: a tick is `tickMs` milliseconds since `t0`. It is the
 * driver's clock (a `DriverClock`: steps at their ticks, in the order they were
 * scheduled for the same tick) and the event log's clock (`now()` in fractional
 * ticks). One timer at a time, set for the earliest pending step, so steps of one
 * tick run in one turn and in file order, as on virtual time.
 *
 * When the timer fires, the steps run in the check phase of that turn (setImmediate),
 * after the poll phase has read what the workers sent meanwhile. Node runs timers
 * before I/O, so after any stall of the coordinator (GC, a busy machine) a due step
 * would otherwise overtake a task's exit that arrived before the step was due; task
 * events already come a little late (a body's sleep starts when its start message
 * lands), and the scenarios keep a few ticks between a step and the events it looks at.
 */
import type { DriverClock } from './driver';

interface Entry {
  tick: number;
  seq: number;
  fn: () => void;
}

/** A timer may fire up to a millisecond early by performance.now(); treat that as due. */
const EARLY_MS = 1;

export class WallClock implements DriverClock {
  private t0 = performance.now();
  private queue: Entry[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** A timer fired and the due steps wait for the check phase; `fire` re-arms. */
  private firing = false;
  /** The tick of the step running now. */
  private running: number | null = null;

  constructor(readonly tickMs: number) {
    if (!(tickMs > 0)) throw new Error(`tick_ms must be > 0, got ${tickMs}`);
  }

  /** Time zero is now. */
  start(): void {
    this.t0 = performance.now();
    this.stopped = false;
    this.arm();
  }

  /** Ticks since time zero (fractional). */
  now(): number {
    return (performance.now() - this.t0) / this.tickMs;
  }

  /**
   * The logical time of what the coordinator does now, epoch ms: the tick a step was
   * due while the step runs (it may run late), the wall clock otherwise. Live
   * executors stamp what they send with it, so that a late step does not shift the
   * tasks' schedule.
   */
  logicalEpochMs(): number {
    const ms = this.running !== null ? this.t0 + this.running * this.tickMs : performance.now();
    return performance.timeOrigin + ms;
  }

  at(tick: number, fn: () => void): void {
    const entry = { tick, seq: this.seq++, fn };
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1].tick > tick || (this.queue[i - 1].tick === tick && this.queue[i - 1].seq > entry.seq))) i--;
    this.queue.splice(i, 0, entry);
    if (i === 0) this.arm();
  }

  /** Cancels every pending step. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped || this.firing || !this.queue.length) return;
    const delay = this.t0 + this.queue[0].tick * this.tickMs - performance.now();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.firing = true;
      setImmediate(() => this.fire());
    }, Math.max(0, delay));
  }

  private fire(): void {
    this.firing = false;
    const due = performance.now() + EARLY_MS;
    while (!this.stopped && this.queue.length && this.t0 + this.queue[0].tick * this.tickMs <= due) {
      const entry = this.queue.shift()!;
      this.running = entry.tick;
      try {
        entry.fn();
      } finally {
        this.running = null;
      }
    }
    this.arm();
  }
}
