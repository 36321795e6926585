/**
 * The bytes of a recording in the EventStore: the chunks it was read in (kept as they
 * came, not copied into one buffer: touching 100 MB of fresh memory costs more than
 * scanning it), split into lines as they arrive, and each event's line as (chunk,
 * start, end, line number) so that a view can decode the event when it needs it. A
 * line split between two chunks is joined into a chunk of its own.
 */
import type { ScanDelta } from './scan-delta';

const utf8 = new TextDecoder('utf-8');

/** A line of a recording that is not an event: the reader says which line and why. */
export class LineError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/**
 * Bytes to a string: short ASCII lines (most of a recording) without TextDecoder's
 * per-call cost. Spreading bytes into arguments costs per byte, about 20x what
 * TextDecoder does, so long lines (a shutdown_end naming 100 tasks) go to TextDecoder.
 */
export function decodeBytes(b: Uint8Array): string {
  if (b.length > 256) return utf8.decode(b);
  for (let k = 0; k < b.length; k++) if (b[k] >= 0x80) return utf8.decode(b);
  return String.fromCharCode.apply(null, b as unknown as number[]);
}

/** Why a line is not an event (null if it is one). */
export function checkLine(b: Uint8Array, s: number, end: number): string | null {
  let v: unknown;
  try {
    v = JSON.parse(utf8.decode(b.subarray(s, end)));
  } catch (err) {
    return `not valid JSON (${err instanceof Error ? err.message : String(err)})`;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  if (typeof (v as { ev?: unknown }).ev !== 'string') return 'no "ev" string';
  return null;
}


/**
 * What the store does with one non-blank line b[from, to) of chunk `chunk` (`last`:
 * the final line of the recording, which may be cut off). Returns true when it
 * dropped a cut-off last line.
 */
export type LineSink = (b: Uint8Array, from: number, to: number, chunk: number, last: boolean) => boolean;

export class RecordingLines {
  readonly chunks: Uint8Array[] = [];
  /** The unfinished line at the end of the last chunk. */
  private carry: Uint8Array | null = null;
  /** Physical lines split so far (the number of the current one). */
  lineNo = 0;
  // Per event (column index, see EventStore.shift): where its line is.
  chunk = new Int32Array(0);
  start = new Int32Array(0);
  end = new Int32Array(0);
  num = new Int32Array(0);

  constructor(private readonly sink: LineSink) {}

  /** Sizes the position columns for about `events` events. */
  reserve(events: number): void {
    if (this.start.length >= events) return;
    const cap = Math.max(events, this.start.length * 2);
    for (const k of ['chunk', 'start', 'end', 'num'] as const) {
      const y = new Int32Array(cap);
      y.set(this[k]);
      this[k] = y;
    }
  }

  /** Event column j came from line b[from, to) of chunk c, the current line. */
  place(j: number, c: number, from: number, to: number): void {
    if (j >= this.start.length) this.reserve(j + 1);
    this.chunk[j] = c;
    this.start[j] = from;
    this.end[j] = to;
    this.num[j] = this.lineNo;
  }

  /** The bytes of event column j's line. */
  bytes(j: number): Uint8Array {
    return this.chunks[this.chunk[j]].subarray(this.start[j], this.end[j]);
  }

  /** Feeds the next chunk (kept, not copied); hands the lines it completes to the sink. */
  feed(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    let from = 0;
    if (this.carry !== null) {
      // Finish the line the previous chunk cut: it becomes a chunk of its own.
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        const joined = new Uint8Array(this.carry.length + chunk.length);
        joined.set(this.carry);
        joined.set(chunk, this.carry.length);
        this.carry = joined;
        return;
      }
      const line = new Uint8Array(this.carry.length + nl + 1);
      line.set(this.carry);
      line.set(chunk.subarray(0, nl + 1), this.carry.length);
      this.carry = null;
      this.chunks.push(line);
      this.split(this.chunks.length - 1, 0, line.length, false);
      from = nl + 1;
    }
    const lastNl = chunk.lastIndexOf(10);
    this.chunks.push(chunk);
    const c = this.chunks.length - 1;
    if (lastNl >= from) this.split(c, from, lastNl + 1, false);
    if (lastNl + 1 < chunk.length) this.carry = chunk.slice(Math.max(from, lastNl + 1));
  }

  /** The end of the recording: the last line (dropped by the sink if it was cut off). */
  finish(): { truncated: boolean } {
    const rest = this.carry;
    this.carry = null;
    if (rest === null) return { truncated: false };
    this.chunks.push(rest);
    return { truncated: this.split(this.chunks.length - 1, 0, rest.length, true) };
  }

  /** Splits chunk c's bytes [from, to) into lines, trimmed; true if the sink dropped a cut-off last line. */
  private split(c: number, from: number, to: number, atEnd: boolean): boolean {
    const b = this.chunks[c];
    let p = from;
    while (p < to) {
      let e = b.indexOf(10, p);
      if (e < 0 || e >= to) e = to;
      this.lineNo++;
      let s = p;
      let end = e;
      while (s < end && b[s] <= 32) s++;
      while (end > s && b[end - 1] <= 32) end--; // also CR of CRLF
      if (s < end && this.sink(b, s, end, c, atEnd && e >= to)) return true;
      p = e + 1;
    }
    return false;
  }

  /** Line positions (the columns a delta covers, cut by `copy`) and the chunks from `fromChunk`, for a delta. */
  copyOut(fromChunk: number, copy: (col: Int32Array) => Int32Array): Pick<ScanDelta, 'lineChunk' | 'lineStart' | 'lineEnd' | 'lineNum' | 'chunks'> {
    return { lineChunk: copy(this.chunk), lineStart: copy(this.start), lineEnd: copy(this.end), lineNum: copy(this.num), chunks: this.chunks.slice(fromChunk) };
  }

  /** Takes a delta's line positions at column `at`, shifted past the chunks and lines before its part. */
  append(d: ScanDelta, at: number, chunksBefore: number, linesBefore: number): void {
    const n = d.lineStart.length;
    this.reserve(at + n);
    this.chunk.set(d.lineChunk, at);
    this.start.set(d.lineStart, at);
    this.end.set(d.lineEnd, at);
    this.num.set(d.lineNum, at);
    if (chunksBefore !== 0 || linesBefore !== 0) {
      for (let k = at; k < at + n; k++) {
        this.chunk[k] += chunksBefore;
        this.num[k] += linesBefore;
      }
    }
    for (const c of d.chunks) this.chunks.push(c);
  }
}
