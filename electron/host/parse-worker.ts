/**
 * Parses users' scenario texts off the event loop (DESIGN.md section 7: parsing a
 * user's file never blocks other clients for long). The Lab serves every client of
 * the browser mode, and the window in Electron, from one event loop; a hostile
 * scenario within the size bound can still take seconds to parse (the YAML
 * library reads about a megabyte a second), so texts are parsed in one worker
 * thread, one at a time, and the loop only waits for the answer.
 *
 * A parse that runs past `timeoutMs` ends the thread (a new one starts for the
 * next text) and is answered with an error; so is a thread that dies (out of its
 * memory bound). Where no thread can be started, the text is parsed inline, as
 * before: slower for others, never wrong.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Loaded, parseText } from './library';
import type { ParseJob } from './parse-worker-entry';

export interface ScenarioParserOptions {
  /** How long one text may take to parse (default 20 s). */
  timeoutMs?: number;
  /** The thread's heap bound in MB (default 512). */
  maxHeapMb?: number;
}

interface Pending {
  job: ParseJob;
  resolve: (loaded: Loaded) => void;
}

/** The built entry beside the main bundle, or the TypeScript source through tsx's hook. */
function workerSource(): { code: string } {
  const built = join(__dirname, 'parse-worker.js');
  if (existsSync(built)) return { code: `require(${JSON.stringify(built)});` };
  const source = join(__dirname, 'parse-worker-entry.ts');
  return { code: `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(source)});` };
}

export class ScenarioParser {
  private worker: Worker | null = null;
  private queue: Pending[] = [];
  private current: Pending | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private nextId = 1;
  private closed = false;
  /** Set when a thread could not be started: parse inline from then on. */
  private inline = false;
  private readonly timeoutMs: number;
  private readonly maxHeapMb: number;

  constructor(options: ScenarioParserOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.maxHeapMb = options.maxHeapMb ?? 512;
  }

  /** The parser's answer for a user's text, as data (never thrown). */
  parse(text: string, filename: string): Promise<Loaded> {
    if (this.closed || this.inline) return Promise.resolve(parseText(text, filename));
    return new Promise((resolve) => {
      this.queue.push({ job: { id: this.nextId++, text, filename }, resolve });
      this.pump();
    });
  }

  /** Ends the thread; texts still waiting are parsed inline. */
  async close(): Promise<void> {
    this.closed = true;
    const waiting = [...(this.current ? [this.current] : []), ...this.queue];
    this.queue = [];
    this.current = null;
    this.clearTimer();
    const worker = this.worker;
    this.worker = null;
    for (const p of waiting) p.resolve(parseText(p.job.text, p.job.filename));
    await worker?.terminate();
  }

  private pump(): void {
    if (this.current || !this.queue.length) return;
    const worker = this.thread();
    if (!worker) {
      for (const p of this.queue.splice(0)) p.resolve(parseText(p.job.text, p.job.filename));
      return;
    }
    const next = this.queue.shift()!;
    this.current = next;
    this.timer = setTimeout(() => this.fail(`took longer than ${this.timeoutMs / 1000} s to parse`), this.timeoutMs);
    worker.postMessage(next.job);
  }

  private thread(): Worker | null {
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(workerSource().code, { eval: true, resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb } });
    } catch {
      this.inline = true;
      return null;
    }
    worker.unref();
    let ready = false;
    worker.on('message', (m: { ready: true } | { id: number; loaded: Loaded }) => {
      if ('ready' in m) {
        ready = true;
        return;
      }
      if (worker !== this.worker || !this.current || m.id !== this.current.job.id) return;
      const done = this.current;
      this.current = null;
      this.clearTimer();
      done.resolve(m.loaded);
      this.pump();
    });
    const ended = (reason: string) => {
      if (worker !== this.worker) return;
      if (ready) {
        this.fail(reason);
        return;
      }
      // The thread cannot run here (e.g. no loader for its entry): parse inline from now on.
      this.worker = null;
      this.clearTimer();
      this.inline = true;
      const waiting = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
      this.current = null;
      for (const p of waiting) p.resolve(parseText(p.job.text, p.job.filename));
    };
    worker.on('error', (err) => ended(`could not be parsed: ${err.message.split('\n', 1)[0]}`));
    worker.on('exit', () => ended('could not be parsed: the parser stopped'));
    this.worker = worker;
    return worker;
  }

  /** The thread failed the current text (too slow, out of memory, died): answer it, start afresh. */
  private fail(reason: string): void {
    const worker = this.worker;
    this.worker = null;
    this.clearTimer();
    void worker?.terminate();
    const failed = this.current;
    this.current = null;
    if (failed) failed.resolve({ ok: false, error: `${failed.job.filename}: ${reason}` });
    if (!this.closed) this.pump();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
