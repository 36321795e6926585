/**
 * Virtual time for the simulator: a min-heap of timers ordered by (time, class,
 * sequence). Class 0 is the driver (scenario steps, the end of the run), class 1 is
 * task timers, so that at the same tick a step runs before a sleep ends, as in the
 * reference runner where steps fire a little before the tasks' timers. The clock
 * never moves by itself: the scheduler jumps it to the next timer when nothing can run.
 */
export const DRIVER = 0;
export const TASK = 1;

/** A timer entry; a caller may pass its own object (a task's wait) to save allocations. */
export interface Timer {
  time: number;
  cls: number;
  seq: number;
  cancelled: boolean;
  fire(): void;
}

export class VirtualClock {
  now = 0;
  private heap: Timer[] = [];
  private seq = 0;

  schedule(time: number, cls: number, fn: () => void): Timer {
    return this.add({ time, cls, seq: 0, cancelled: false, fire: fn });
  }

  /** Schedules an entry the caller owns (its `time` and `cls` set); returns it. */
  add<T extends Timer>(timer: T): T {
    timer.time = Math.max(timer.time, this.now);
    timer.seq = this.seq++;
    timer.cancelled = false;
    this.push(timer);
    return timer;
  }

  cancel(timer: Timer): void {
    timer.cancelled = true;
  }

  /** The time of the next live timer, or undefined. */
  nextTime(): number | undefined {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
    return this.heap.length ? this.heap[0].time : undefined;
  }

  /** Runs every timer due at `now`, in order (timers added meanwhile for `now` run too). */
  fireDue(): void {
    for (;;) {
      const next = this.nextTime();
      if (next === undefined || next > this.now) return;
      const timer = this.pop();
      timer.fire();
    }
  }

  private less(a: Timer, b: Timer): boolean {
    return a.time !== b.time ? a.time < b.time : a.cls !== b.cls ? a.cls < b.cls : a.seq < b.seq;
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Timer {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

export type TimerHandle = ReturnType<VirtualClock['schedule']>;
