/**
 * A Pacer on the wall clock: one tick lasts `tickMs` milliseconds (divided by the
 * speed). `poke()` ends the current wait early, so that a command from the UI is
 * applied at the virtual time it arrived; `stop()` releases the scheduler for good.
 */
import type { Pacer } from './sim-executor';

export class WallPacer implements Pacer {
  private wake: (() => void) | null = null;
  private stopped = false;

  constructor(
    private tickMs: number,
    private speed = 1,
  ) {}

  setSpeed(speed: number): void {
    this.speed = speed > 0 ? speed : 1;
  }

  wait(ticks: number): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    const started = performance.now();
    const msPerTick = this.tickMs / this.speed;
    return new Promise<number>((resolve) => {
      const finish = (early: boolean) => {
        clearTimeout(timer);
        this.wake = null;
        resolve(early ? Math.min(ticks, (performance.now() - started) / msPerTick) : ticks);
      };
      const ms = Number.isFinite(ticks) ? Math.max(0, ticks * msPerTick) : 2 ** 31 - 1;
      const timer = setTimeout(() => finish(false), Math.min(ms, 2 ** 31 - 1));
      this.wake = () => finish(true);
    });
  }

  /** A command arrived: the scheduler should look again now. */
  poke(): void {
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }
}
