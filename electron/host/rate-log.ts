/**
 * A log that cannot be flooded: at most `burst` lines per `windowMs`, then one line
 * saying how many were left out, once the window is over. What a hostile client
 * sends (a thousand malformed frames) is still answered one by one, but the Lab's
 * stderr (or the Electron log) gets a handful of lines, not a thousand.
 */
export interface RateLimitedLogOptions {
  /** Lines written per window (default 5). */
  burst?: number;
  /** The window, in ms (default 10 s). */
  windowMs?: number;
}

export class RateLimitedLog {
  private readonly burst: number;
  private readonly windowMs: number;
  private windowStart = -Infinity;
  private written = 0;
  private dropped = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly sink: (line: string) => void,
    options: RateLimitedLogOptions = {},
  ) {
    this.burst = options.burst ?? 5;
    this.windowMs = options.windowMs ?? 10_000;
  }

  write(line: string): void {
    const now = performance.now();
    if (now - this.windowStart >= this.windowMs) {
      this.flush();
      this.windowStart = now;
      this.written = 0;
    }
    if (this.written < this.burst) {
      this.written++;
      this.sink(line);
      return;
    }
    this.dropped++;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), Math.max(0, this.windowStart + this.windowMs - now));
      this.timer.unref?.();
    }
  }

  /** Says how many lines were left out, if any (at the end of a window, or when closing). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.dropped) return;
    const n = this.dropped;
    this.dropped = 0;
    this.sink(`taskmgr-lab: ${n} more like the above in the last ${this.windowMs / 1000} s (not shown)`);
  }
}
