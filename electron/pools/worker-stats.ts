/**
 * What a worker says about itself every few hundred ms, the seed's `top -H` per
 * runtime: CPU time (`process.cpuUsage`, user + system, since the start) and the
 * worst event-loop delay since the last report (`perf_hooks.monitorEventLoopDelay`).
 * A worker stuck in `busy` shows here: its delay is the length of the block.
 *
 * The histogram drops the first sample after a reset, so a block that ends just as
 * the report is made could go unseen; the lateness of the report's own timer covers
 * that case.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 10;

export interface WorkerFigures {
  cpu_ms: number;
  loop_delay_ms: number;
}

export class StatsSampler {
  private histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private timer: NodeJS.Timeout | null = null;

  /** Calls `report` every `intervalMs` with the figures of the interval. */
  start(intervalMs: number, report: (figures: WorkerFigures) => void): void {
    this.stop();
    if (intervalMs <= 0) return;
    this.histogram.enable();
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = Math.max(0, now - last - intervalMs);
      last = now;
      report(this.sample(late));
    }, intervalMs);
    this.timer.unref();
  }

  private sample(lateMs: number): WorkerFigures {
    const usage = process.cpuUsage();
    // Histogram values are the whole interval between samples; the delay is what exceeds the resolution.
    const worst = Math.max(0, this.histogram.max / 1e6 - RESOLUTION_MS, lateMs);
    this.histogram.reset();
    return { cpu_ms: Math.round((usage.user + usage.system) / 1000), loop_delay_ms: Math.round(worst * 10) / 10 };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.histogram.disable();
  }
}
