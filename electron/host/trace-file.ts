/**
 * The CLI's `--trace OUT.jsonl` (DESIGN.md section 7), written as the app's
 * recordings are (./recorder.ts): every event appended as one JSON line to
 * `OUT.jsonl.part`, written out at least every second, and when the run ends the
 * file is synced and renamed to `OUT.jsonl` in one step. A crash or `kill -9`
 * leaves the `.part` file with everything up to the last flush; `export`,
 * `conform` and the app open it up to its last whole line.
 *
 * Unlike the app's recorder the writes are synchronous: a simulator run can hold
 * the event loop for seconds, so a timer alone would not fire, and the CLI has no
 * other client to keep waiting. So every few hundred events a flush is made if
 * one is due, and a timer covers the quiet stretches of a live run.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatEvent } from '../../shared/trace/jsonl';
import type { TraceEvent } from '../../shared/trace/events';

export class TraceFileWriter {
  /** The path being written until `finish`. */
  readonly partPath: string;
  private fd: number | null;
  private buffer: string[] = [];
  private lastFlush = performance.now();
  private sinceCheck = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    readonly path: string,
    private readonly flushMs = 1000,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.partPath = `${path}.part`;
    // A stale .part of an earlier killed run is replaced.
    this.fd = openSync(this.partPath, 'w');
    this.timer = setInterval(() => this.flush(), flushMs);
    this.timer.unref?.();
  }

  append(event: TraceEvent): void {
    if (this.fd === null) return;
    this.buffer.push(`${formatEvent(event)}\n`);
    if (++this.sinceCheck >= 256) {
      this.sinceCheck = 0;
      if (performance.now() - this.lastFlush >= this.flushMs) this.flush();
    }
  }

  /** Writes what is buffered. */
  flush(): void {
    this.lastFlush = performance.now();
    if (this.fd === null || !this.buffer.length) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    writeSync(this.fd, chunk);
  }

  /** Flushes, syncs, closes and renames to the final path. */
  finish(): string {
    clearInterval(this.timer);
    if (this.fd === null) return this.path;
    const fd = this.fd;
    try {
      this.flush();
      fsyncSync(fd);
    } finally {
      this.fd = null;
      closeSync(fd);
    }
    renameSync(this.partPath, this.path);
    return this.path;
  }
}
