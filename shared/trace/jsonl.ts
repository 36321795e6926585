/**
 * JSON-lines traces: one event per line (FORMAT.md "Trace", DESIGN.md section 7).
 *
 * Writing: `formatEvent` gives every event the same key order (`t`, `ev`, then the
 * other fields in insertion order) and rounds `t` to at most 3 decimals, so that a
 * simulator run with the same seed gives a byte-identical trace.
 * Reading: `parseJsonl` numbers events by physical line as compare.mjs's readTrace
 * does (blank lines skipped), and opens a recording that was cut off by a crash up
 * to its last whole line when asked to.
 */
import type { TraceEvent } from './events';
import { isEventName } from './wording';

/** What formatEvent writes: a typed event, or any object with `ev` (`t` is the time in ticks). */
export type FormattableEvent =
  | TraceEvent
  | { readonly ev: string; readonly t?: unknown; readonly [key: string]: unknown };

/** An event read back from a trace; `line` is its 1-based physical line. */
export type ParsedEvent = Record<string, unknown> & { ev: string; line: number };

export interface ParseJsonlOptions {
  /** Drop an unparsable last line (a recording cut off mid-write) instead of throwing. */
  tolerateTruncatedTail?: boolean;
}

export interface ParsedJsonl {
  events: ParsedEvent[];
  /** True when the last line was cut off and dropped. */
  truncated: boolean;
}

/** `t` rounded to at most 3 decimals; anything that is not a finite number stays as it is. */
export function roundTime(t: unknown): unknown {
  if (typeof t !== 'number' || !Number.isFinite(t)) return t;
  const r = Math.round(t * 1000) / 1000;
  return Object.is(r, -0) ? 0 : r;
}

/** Keys that JavaScript objects always order first (array indices), whatever the insertion order. */
const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;

/**
 * One JSON line (without the newline): `t` first, then `ev`, then the other fields
 * in insertion order. Fields whose value JSON cannot hold (undefined, functions) are
 * left out, as JSON.stringify would.
 */
export function formatEvent(e: FormattableEvent): string {
  const fields = e as unknown as Record<string, unknown>;
  // Fast path: an ordered copy and one JSON.stringify (the simulator writes every event).
  const ordered: Record<string, unknown> = {};
  if (Object.hasOwn(fields, 't')) ordered.t = roundTime(fields.t);
  ordered.ev = e.ev;
  for (const key of Object.keys(fields)) {
    if (key === 't' || key === 'ev') continue;
    const c = key.charCodeAt(0);
    if ((c >= 48 && c <= 57 && INDEX_KEY.test(key)) || key === '__proto__') return formatSlowly(fields);
    ordered[key] = fields[key];
  }
  return JSON.stringify(ordered);
}

/**
 * formatEvent for keys a plain object cannot take in order: index-like keys (always
 * ordered first) and `__proto__` (assigning it sets the prototype).
 */
function formatSlowly(fields: Record<string, unknown>): string {
  const parts: string[] = [];
  const put = (key: string, value: unknown): void => {
    const json = JSON.stringify(value);
    // JSON.stringify's declared `string` is really `string | undefined` here.
    if ((json as string | undefined) !== undefined) parts.push(`${JSON.stringify(key)}:${json}`);
  };
  if (Object.hasOwn(fields, 't')) put('t', roundTime(fields.t));
  put('ev', fields.ev);
  for (const key of Object.keys(fields)) {
    if (key !== 't' && key !== 'ev') put(key, fields[key]);
  }
  return `{${parts.join(',')}}`;
}

/** Writes events as JSON lines to a sink (a file stream, a buffer, a socket). */
export class JsonlWriter {
  private written = 0;

  constructor(private readonly sink: (chunk: string) => void) {}

  /** Writes one event as one line. */
  write(e: FormattableEvent): void {
    this.sink(`${formatEvent(e)}\n`);
    this.written++;
  }

  /** Writes several events in one chunk (one sink call; nothing when there are none). */
  writeAll(events: Iterable<FormattableEvent>): void {
    let chunk = '';
    let n = 0;
    for (const e of events) {
      chunk += `${formatEvent(e)}\n`;
      n++;
    }
    if (n > 0) {
      this.sink(chunk);
      this.written += n;
    }
  }

  /** Lines written so far. */
  get lines(): number {
    return this.written;
  }
}

class LineError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'JsonlError';
  }
}

/** Parses one line into an event, or throws a LineError naming it. */
function parseLine(text: string, line: number): ParsedEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new LineError(line, `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LineError(line, 'not a JSON object');
  }
  const fields = value as Record<string, unknown>;
  if (typeof fields.ev !== 'string') throw new LineError(line, 'no "ev" string');
  // Like readTrace's `{ ...value, line }`: the reader's line number wins over a field
  // of that name, which keeps its place in the key order.
  fields.line = line;
  return fields as ParsedEvent;
}

/**
 * Reads a JSON-lines trace. Blank lines are skipped; `line` counts physical lines.
 * Every other line must be a JSON object with a string `ev`, or this throws an Error
 * whose message starts with `line N:`. With `tolerateTruncatedTail`, a last line
 * that is not valid JSON (a crash cut it off) is dropped and `truncated` is true.
 */
export function parseJsonl(text: string, opts: ParseJsonlOptions = {}): ParsedJsonl {
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && lines[last].trim() === '') last--;
  const events: ParsedEvent[] = [];
  let truncated = false;
  for (let i = 0; i <= last; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    if (i === last && opts.tolerateTruncatedTail) {
      let ok = true;
      try {
        JSON.parse(raw);
      } catch {
        ok = false;
      }
      if (!ok) {
        truncated = true;
        break;
      }
    }
    events.push(parseLine(raw, i + 1));
  }
  return { events, truncated };
}

/**
 * Reads a recording of ours (what `export`, the Lab and the app open): like
 * `parseJsonl` with a cut-off last line dropped, but a file whose first line is not
 * one of our events is not a recording at all (a text file, some other JSON lines,
 * an empty file), and throws an Error that says so, rather than opening as an
 * empty replay. The message starts with "not a TaskMgr Lab recording".
 */
export function parseRecording(text: string): ParsedJsonl {
  const start = text.search(/\S/);
  if (start < 0) throw new Error('not a TaskMgr Lab recording: the file is empty');
  const end = text.indexOf('\n', start);
  const first = text.slice(start, end < 0 ? undefined : end).trim();
  let value: unknown;
  try {
    value = JSON.parse(first);
  } catch {
    value = undefined;
  }
  const ev = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { ev?: unknown }).ev : undefined;
  if (typeof ev !== 'string' || !isEventName(ev)) {
    const line = text.slice(0, start).split('\n').length;
    throw new Error(`not a TaskMgr Lab recording: line ${line} is not an event of ours (a recording is JSON lines, each with an "ev" such as "scenario" or "spawn")`);
  }
  return parseJsonl(text, { tolerateTruncatedTail: true });
}
