/**
 * The recording scanner workers (./scan-worker.ts) kept ready: `size` of them (one per
 * part a big file is split into, see scanParts) are started and warmed up in the
 * background when the app starts, and reused. V8 optimizes the tokenizer only after
 * it has run a while, and a cold worker would spend the first second of a big open in
 * unoptimized code.
 *
 * A plain module (the events store only adapts it to Vue): it is given the way to
 * start a worker, so a test drives it with fake workers.
 */

/** What the pool needs of a Web Worker. */
export interface PoolWorker {
  onmessage: ((m: MessageEvent) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  postMessage(message: unknown): void;
  terminate(): void;
}

export class ScanWorkerPool<W extends PoolWorker = Worker> {
  private readonly idle: W[] = [];

  constructor(
    private readonly start: () => W,
    readonly size: number,
  ) {}

  /** Idle workers now (warm or warming). */
  get idleCount(): number {
    return this.idle.length;
  }

  /**
   * Starts and warms workers up to `count`. A worker that cannot load (a restrictive
   * embedding) leaves the pool; if none can start, recordings are read in the page.
   */
  prestart(count = this.size): void {
    try {
      for (let k = this.idle.length; k < count; k++) {
        const w = this.start();
        w.onerror = () => {
          const i = this.idle.indexOf(w);
          if (i >= 0) this.idle.splice(i, 1);
          w.terminate();
        };
        w.postMessage({ type: 'warm' });
        this.idle.push(w);
      }
    } catch {
      // No workers here: recordings are read in the page.
    }
  }

  /** A warm worker if there is one, else a new one. */
  take = (): W => this.idle.shift() ?? this.start();

  /** A worker that finished its part goes back to the pool (beyond `size` it is ended). */
  release = (w: W): void => {
    w.onmessage = null;
    w.onerror = null;
    if (this.idle.length < this.size) this.idle.push(w);
    else w.terminate();
  };
}
