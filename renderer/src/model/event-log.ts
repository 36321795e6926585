/**
 * The event log as the renderer holds it: the append-only EventStore (columns plus
 * lazily decoded events), the cursor-independent LogIndex, the reduced state at the
 * end of the log (`head`), and keyframes, reduced snapshots taken every N events, so
 * that the state at any index is a keyframe copy plus at most N reductions (a scrub
 * of a 1M-event recording lands in milliseconds, DESIGN.md section 6).
 *
 * N grows with the number of running tasks (a keyframe costs a copy of their
 * records): max(base, 12 x live tasks). That bounds the memory of all keyframes to
 * about one task record per 12 events, and the cost of a seek to one keyframe copy
 * plus 12 x live reductions (a few milliseconds).
 */
import { type AbsorbBase, columnBuffers, EventStore, LineError } from './event-store';
import type { ScanIn, ScanOut } from './scan-worker';
import { cloneState, emptyState, type LabState, reduce } from './lab-state';
import { LogIndex } from './log-index';

export const DEFAULT_KEYFRAME_BASE = 4096;

/** A keyframe every max(base, this x live tasks) events: copies stay a small share of the work. */
const KEYFRAME_PER_LIVE = 12;
/**
 * How many parts (one worker each) a big file is scanned in: two when the machine has
 * cores to spare. On two cores a second worker fights the page for the CPU (the page
 * reduces while the workers scan): a 1M-event open measured 2.3 s with one worker
 * and 2.6 s with two.
 */
export function scanParts(cores: number): number {
  return cores >= 4 ? 2 : 1;
}

/** The scan worker could not run (not a problem of the recording): scan in the page instead. */
export class WorkerStartError extends Error {}

export class EventLog {
  readonly store = new EventStore();
  readonly index = new LogIndex(this.store);
  /** Snapshots in index order; keyframes[0] is the empty state. */
  readonly keyframes: LabState[];
  /** The state at the end of the log. Read-only for everyone but this class. */
  readonly head: LabState;
  /** The last state produced by a seek, advanced in place by the next seek forward. */
  private cache: LabState | null = null;

  constructor(readonly keyframeBase = DEFAULT_KEYFRAME_BASE) {
    this.head = emptyState();
    this.keyframes = [cloneState(this.head)];
  }

  get length(): number {
    return this.store.length;
  }

  /** Appends pushed events (objects); malformed ones are skipped. */
  append(batch: readonly unknown[]): void {
    const from = this.store.length;
    this.store.appendObjects(batch);
    this.advance(from);
  }

  /** How the last recording was read: time spent waiting for the file, and scanning + reducing it, ms. */
  lastOpen: { waitMs: number; workMs: number } | null = null;

  /** Appends a JSON-lines recording; throws a LineError for a malformed line. */
  appendText(text: string): { truncated: boolean } {
    const from = this.store.length;
    const t0 = performance.now();
    const r = this.store.appendText(text);
    this.advance(from);
    this.lastOpen = { waitMs: 0, workMs: performance.now() - t0 };
    return r;
  }

  /**
   * Appends a recording read from a file as a stream of byte chunks: each chunk is
   * scanned and reduced while the next one is read. Throws a LineError for a
   * malformed line. `onProgress` hears the share of `size` read so far.
   */
  async appendStream(size: number, reader: ReadableStreamDefaultReader<Uint8Array>, onProgress?: (fraction: number) => void): Promise<{ truncated: boolean }> {
    const t0 = performance.now();
    let work = 0;
    let read = 0;
    this.store.beginRecording(size);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const w0 = performance.now();
      const from = this.store.length;
      this.store.feed(value);
      this.advance(from);
      work += performance.now() - w0;
      read += value.byteLength;
      onProgress?.(Math.min(1, read / Math.max(1, size)));
    }
    const from = this.store.length;
    const r = this.store.finishRecording();
    this.advance(from);
    const total = performance.now() - t0;
    this.lastOpen = { waitMs: total - work, workMs: work };
    return r;
  }

  /**
   * Appends a recording file scanned by workers (./scan-worker.ts): each worker reads
   * and tokenizes a part of the file (`maxParts` equal parts of a big one, see
   * scanParts) while the page absorbs and reduces the batches of the first part, and
   * gives each batch's column buffers back to its worker; later parts are absorbed
   * when the parts before them are complete. Rejects with a LineError (absolute line
   * number) for a malformed line, or a WorkerStartError when a worker cannot run.
   * `onProgress` hears the share of the file absorbed so far after each batch.
   */
  appendFileInWorkers(
    blob: Blob,
    makeWorker: () => Worker,
    release: (w: Worker) => void = (w) => w.terminate(),
    maxParts = 2,
    onProgress?: (fraction: number) => void,
  ): Promise<{ truncated: boolean }> {
    const t0 = performance.now();
    let work = 0;
    let absorbed = 0; // bytes of the file in the batches absorbed so far
    const size = blob.size;
    const parts = size >= 8 * 1024 * 1024 ? maxParts : 1;
    const bounds = Array.from({ length: parts }, (_, k) => Math.floor((size * k) / parts));
    this.store.reserve(Math.ceil(size / 100));
    return new Promise((resolve, reject) => {
      const workers: Worker[] = [];
      const queues: ScanOut[][] = bounds.map(() => []);
      let current = 0; // the part being absorbed
      let base: AbsorbBase | null = null;
      let finished = false;
      let truncated = false;
      const stop = (ok: boolean) => {
        finished = true;
        for (const w of workers) {
          if (ok) release(w);
          else w.terminate();
        }
      };
      const fail = (err: Error) => {
        if (finished) return;
        stop(false);
        reject(err);
      };
      const drain = () => {
        while (!finished && current < parts && queues[current].length > 0) {
          const out = queues[current].shift()!;
          if (out.type === 'error') {
            const line = out.line !== null && base !== null ? out.line + base.lines : out.line;
            fail(line !== null ? new LineError(line, out.message.replace(/^line \d+: /, '')) : new Error(out.message));
            return;
          }
          const w0 = performance.now();
          const from = this.store.length;
          this.store.absorb(out.delta, base);
          // The columns were copied: their buffers go back to the worker for its next deltas.
          const buffers = columnBuffers(out.delta);
          workers[current].postMessage({ type: 'recycle', buffers } satisfies ScanIn, buffers);
          this.advance(from);
          work += performance.now() - w0;
          if (onProgress) {
            for (const c of out.delta.chunks) absorbed += c.byteLength;
            onProgress(Math.min(1, absorbed / Math.max(1, size)));
          }
          if (out.type === 'done') {
            truncated = out.truncated;
            this.store.absorbedLines += out.lines;
            current++;
            if (current === parts) {
              stop(true);
              this.lastOpen = { waitMs: performance.now() - t0 - work, workMs: work };
              resolve({ truncated });
              return;
            }
            base = this.store.baseForNextPart();
          }
        }
      };
      for (let k = 0; k < parts; k++) {
        let w: Worker;
        try {
          w = makeWorker();
        } catch (err) {
          fail(new WorkerStartError(err instanceof Error ? err.message : String(err)));
          return;
        }
        workers.push(w);
        w.onmessage = (m: MessageEvent<ScanOut>) => {
          queues[k].push(m.data);
          if (k === current) drain();
        };
        w.onerror = (e) => fail(new WorkerStartError(e.message || 'the scan worker failed'));
        const msg: ScanIn = { type: 'part', blob, start: bounds[k], end: k + 1 < parts ? bounds[k + 1] : null, first: k === 0 };
        w.postMessage(msg);
      }
    });
  }

  private advance(from: number): void {
    const head = this.head;
    const st = this.store;
    let lastKf = this.keyframes[this.keyframes.length - 1].index;
    for (let i = from; i < st.length; i++) {
      this.index.add(i);
      reduce(head, st, i);
      if (i + 1 - lastKf >= this.keyframeBase && i + 1 - lastKf >= KEYFRAME_PER_LIVE * head.live.size) {
        this.keyframes.push(cloneState(head));
        lastKf = i + 1;
      }
    }
  }

  /** The last keyframe at or before `cursor`. */
  keyframeBefore(cursor: number): LabState {
    const kfs = this.keyframes;
    let lo = 0;
    let hi = kfs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (kfs[mid].index <= cursor) lo = mid;
      else hi = mid - 1;
    }
    return kfs[lo];
  }

  /**
   * A state at `cursor` that the caller may keep while the log grows (it is not
   * `head`). It is owned by the log and reused by the next call: treat it as read-only
   * and as replaced after the next seek.
   */
  stateAt(cursor: number): LabState {
    const c = Math.max(0, Math.min(cursor, this.store.length));
    const kf = this.keyframeBefore(c);
    let s = this.cache;
    // Reuse the last seek when it is behind the target and closer than the keyframe.
    if (s === null || s.index > c || s.index < kf.index) s = cloneState(kf);
    for (let i = s.index; i < c; i++) reduce(s, this.store, i);
    this.cache = s;
    return s;
  }

  /** The time of the event before `cursor` (the "now" of a cursor), 0 at the start. */
  timeAt(cursor: number): number {
    return cursor > 0 && cursor <= this.store.length ? this.store.t[cursor - 1] : 0;
  }

  /** The number of events with a time <= t (a cursor for playback to time t). */
  cursorForTime(t: number): number {
    const times = this.store.t;
    let lo = 0;
    let hi = this.store.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
