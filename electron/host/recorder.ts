/**
 * The recording of a run (DESIGN.md section 7): every event is appended, as one
 * JSON line, to `NAME.jsonl.part` in the recordings directory, written out at least
 * every `flushMs` (one second by default), and when the run ends the file is synced
 * and renamed to `NAME.jsonl` in one step. A crash or a kill leaves the `.part`
 * file with everything up to the last flush; the Lab opens it up to its last whole
 * line.
 *
 * Writes are asynchronous and one at a time, so that recording never blocks the
 * event loop of the process that owns the window.
 */
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { formatEvent } from '../../shared/trace/jsonl';
import type { TraceEvent } from '../../shared/trace/events';

export interface RecorderOptions {
  /** Milliseconds between flushes, at most (default 1000; the rule is "at least every second"). */
  flushMs?: number;
}

/** A file-name-safe stem: letters, digits, dot, dash and underscore. */
export function safeStem(name: string): string {
  const stem = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return stem.slice(0, 80) || 'run';
}

/** `2026-11-25T10-04-05-123Z-demo-sim`: sorts by time, names the run. */
export function recordingName(title: string, mode: string, date = new Date()): string {
  return `${date.toISOString().replace(/:/g, '-').replace('.', '-')}-${safeStem(title)}-${mode}`;
}

export class Recorder {
  /** The path being written (`.part` until `finish`). */
  readonly partPath: string;
  /** The final path, after `finish`. */
  readonly finalPath: string;
  private buffer: string[] = [];
  private file: Promise<FileHandle>;
  private chain: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setInterval>;
  private finished: Promise<string> | null = null;
  private failed: Error | null = null;

  constructor(dir: string, stem: string, options: RecorderOptions = {}) {
    mkdirSync(dir, { recursive: true });
    this.finalPath = uniquePath(dir, stem);
    this.partPath = `${this.finalPath}.part`;
    this.file = open(this.partPath, 'a');
    this.file.catch((err: Error) => {
      this.failed = err;
    });
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 1000);
    this.timer.unref?.();
  }

  /** The first error writing the file, if any (the run goes on without its recording). */
  get error(): Error | null {
    return this.failed;
  }

  append(event: TraceEvent): void {
    if (this.finished) return;
    this.buffer.push(`${formatEvent(event)}\n`);
  }

  /** Writes what is buffered; resolves when it is with the OS. */
  flush(): Promise<void> {
    if (!this.buffer.length) return this.chain;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.chain = this.chain.then(async () => {
      if (this.failed) return;
      try {
        const fh = await this.file;
        await fh.write(chunk);
      } catch (err) {
        this.failed = err as Error;
      }
    });
    return this.chain;
  }

  /** Flushes, syncs, closes and renames to the final name; resolves with that path. */
  finish(): Promise<string> {
    if (this.finished) return this.finished;
    clearInterval(this.timer);
    const last = this.flush();
    this.finished = last.then(async () => {
      const fh = await this.file.catch(() => null);
      if (fh) {
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
      }
      if (this.failed) throw this.failed;
      await rename(this.partPath, this.finalPath);
      return this.finalPath;
    });
    return this.finished;
  }
}

function uniquePath(dir: string, stem: string): string {
  let path = join(dir, `${stem}.jsonl`);
  for (let n = 2; exists(path) || exists(`${path}.part`); n++) path = join(dir, `${stem}-${n}.jsonl`);
  return path;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Keeps the `keep` newest recordings of `dir` (finished or cut off), deletes the rest. */
export function pruneRecordings(dir: string, keep: number): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.jsonl') || f.endsWith('.jsonl.part'));
  } catch {
    return;
  }
  const byAge = names
    .map((f) => ({ f, mtime: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime || (a.f < b.f ? 1 : -1));
  for (const { f } of byAge.slice(keep)) {
    try {
      unlinkSync(join(dir, f));
    } catch {
      // in use or gone: try again next time
    }
  }
}
