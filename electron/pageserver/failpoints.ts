/**
 * Failpoints, as the `fail` crate gives them to neon's tests (`FAILPOINTS` at start,
 * or the testing HTTP API): a named point in the code that can return an error,
 * sleep, pause until reconfigured, or panic. The Lab adds `crash`: the whole process
 * dies there (kill -9), which is how a scenario lands a crash on an exact step such
 * as a crash point of attach. Failpoints belong to a process: a restart starts with
 * none, unless the restart configures some.
 */
export type FailpointAction = 'off' | 'return' | 'sleep' | 'pause' | 'panic' | 'crash';

export interface FailpointConfig {
  action: FailpointAction;
  /** For `sleep`: how long. */
  ticks?: number;
  /** Fire this many times, then turn off (default: every time). */
  times?: number | null;
}

/** The seed's failpoints (section 8.5) and the Lab's own points of the model. */
export const KNOWN_FAILPOINTS = [
  'attach-before-activate',
  'before-loading-tenant',
  'gc_iteration_internal_after_getting_gc_timelines',
  'before-upload-layer',
  'before-upload-index',
  'before-delete-layer',
  'remote-storage-download-pre-rename',
  'immediate_gc_task_pre',
  'flush-frozen-before-sync',
  'checkpoint-after-sync',
  'before-timeline-gc',
  'after-timeline-gc-removed-layers',
  'walreceiver-after-ingest',
  'logical-size-calculation',
  // The crash points of attach (section 3.6), checked before each step.
  'attach:A1',
  'attach:A1b',
  'attach:A1c',
  'attach:A2',
  'attach:A3',
  'attach:A4',
  'attach:A5',
  'attach:A6',
  'attach:A7',
  // Between the timeline directories a detach or delete removes (S23).
  'remove-timeline-dir',
] as const;

export class Failpoints {
  private points = new Map<string, { config: FailpointConfig; remaining: number | null }>();
  private paused = new Map<string, Array<() => void>>();

  /** Configures a failpoint; a paused caller goes on. */
  set(name: string, config: FailpointConfig): void {
    if (config.action === 'off') this.points.delete(name);
    else this.points.set(name, { config, remaining: config.times ?? null });
    const waiters = this.paused.get(name) ?? [];
    this.paused.delete(name);
    for (const w of waiters) w();
  }

  /** What the point does now (consumes one of `times`); null when it is off. */
  evaluate(name: string): FailpointConfig | null {
    const p = this.points.get(name);
    if (!p) return null;
    if (p.remaining !== null) {
      p.remaining--;
      if (p.remaining <= 0) this.points.delete(name);
    }
    return p.config;
  }

  /** Resolves when the failpoint is configured again (a `pause` ends). */
  untilChanged(name: string): Promise<void> {
    return new Promise((resolve) => {
      const list = this.paused.get(name) ?? [];
      list.push(resolve);
      this.paused.set(name, list);
    });
  }

  active(): Record<string, FailpointConfig> {
    return Object.fromEntries([...this.points].map(([n, p]) => [n, p.config]));
  }
}
