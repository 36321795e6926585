/**
 * JSON-lines traces (shared/trace/jsonl.ts): stable key order and time rounding on
 * write, physical line numbers on read, a cut-off last line tolerated on request,
 * and every other bad line reported by its number.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatEvent, JsonlWriter, parseJsonl, type ParsedEvent } from '../../shared/trace/jsonl';
import type { TraceEvent } from '../../shared/trace/events';

const DIR = join(__dirname, '../fixtures/conformance');
const withoutLine = ({ line: _line, ...rest }: ParsedEvent): Record<string, unknown> & { ev: string } =>
  rest as Record<string, unknown> & { ev: string };

describe('formatEvent', () => {
  it('puts t first, ev second, then the fields in insertion order', () => {
    const e = { task: 'gc', ev: 'spawn', id: 1, t: 3, kind: 'GarbageCollector', parent: null };
    expect(formatEvent(e)).toBe('{"t":3,"ev":"spawn","task":"gc","id":1,"kind":"GarbageCollector","parent":null}');
  });

  it('rounds t to at most 3 decimals and leaves other numbers alone', () => {
    expect(formatEvent({ ev: 'x', t: 0.1 + 0.2, v: 0.1 + 0.2 })).toBe('{"t":0.3,"ev":"x","v":0.30000000000000004}');
    expect(formatEvent({ ev: 'x', t: 1.23456 })).toBe('{"t":1.235,"ev":"x"}');
    expect(formatEvent({ ev: 'x', t: 10 })).toBe('{"t":10,"ev":"x"}');
    expect(formatEvent({ ev: 'x', t: -0.0001 })).toBe('{"t":0,"ev":"x"}');
  });

  it('drops undefined fields and keeps nested values', () => {
    expect(formatEvent({ t: 1, ev: 'inject', task: 'a', message: undefined, tasks: ['b', 'a'], w: { n: 1 } })).toBe(
      '{"t":1,"ev":"inject","task":"a","tasks":["b","a"],"w":{"n":1}}',
    );
  });

  it('keeps t and ev first also for index-like and __proto__ keys', () => {
    expect(formatEvent({ ev: 'x', t: 1, 2: 'a', b: 1 })).toBe('{"t":1,"ev":"x","2":"a","b":1}');
    const parsed = JSON.parse('{"ev":"x","__proto__":{"a":1},"t":2}') as { ev: string };
    expect(formatEvent(parsed)).toBe('{"t":2,"ev":"x","__proto__":{"a":1}}');
  });

  it('accepts the typed events', () => {
    const e: TraceEvent = { t: 2.5, ev: 'exit', task: 'gc', outcome: 'ok', message: null };
    expect(formatEvent(e)).toBe('{"t":2.5,"ev":"exit","task":"gc","outcome":"ok","message":null}');
  });
});

describe('JsonlWriter', () => {
  it('writes one line per event to the sink and counts them', () => {
    const chunks: string[] = [];
    const w = new JsonlWriter((c) => chunks.push(c));
    w.write({ t: 0, ev: 'scenario', name: 's', tick_ms: 1 });
    w.writeAll([
      { t: 1, ev: 'start', task: 'a' },
      { t: 2, ev: 'exit', task: 'a', outcome: 'ok', message: null },
    ]);
    w.writeAll([]);
    expect(chunks).toHaveLength(2);
    expect(w.lines).toBe(3);
    expect(chunks.join('')).toBe(
      '{"t":0,"ev":"scenario","name":"s","tick_ms":1}\n' +
        '{"t":1,"ev":"start","task":"a"}\n' +
        '{"t":2,"ev":"exit","task":"a","outcome":"ok","message":null}\n',
    );
  });
});

describe('parseJsonl', () => {
  it('round-trips every example trace', () => {
    for (const file of readdirSync(DIR).filter((f) => f.endsWith('.expected.jsonl'))) {
      const text = readFileSync(join(DIR, file), 'utf8');
      const { events, truncated } = parseJsonl(text);
      expect(truncated).toBe(false);
      expect(events.map((e, i) => e.line - i)).toEqual(events.map(() => 1));
      let out = '';
      new JsonlWriter((c) => (out += c)).writeAll(events.map(withoutLine));
      // Same events (the reference writes 0.0 where we write 0), and byte-stable from then on.
      expect(parseJsonl(out).events).toEqual(events);
      let again = '';
      new JsonlWriter((c) => (again += c)).writeAll(parseJsonl(out).events.map(withoutLine));
      expect(again).toBe(out);
    }
  });

  it('numbers physical lines, skipping blank ones, and handles CRLF', () => {
    const { events } = parseJsonl('{"t":0,"ev":"a"}\r\n\r\n  \n{"t":1,"ev":"b","line":99}\n');
    expect(events).toEqual([
      { t: 0, ev: 'a', line: 1 },
      { t: 1, ev: 'b', line: 4 },
    ]);
  });

  it('opens a recording cut off mid-line up to its last whole line', () => {
    const text = '{"t":0,"ev":"a"}\n{"t":1,"ev":"b"}\n{"t":2,"ev":"exi';
    expect(() => parseJsonl(text)).toThrow(/^line 3: /);
    const { events, truncated } = parseJsonl(text, { tolerateTruncatedTail: true });
    expect(truncated).toBe(true);
    expect(events.map((e) => e.ev)).toEqual(['a', 'b']);
    // A cut-off line followed only by blank lines is still the last one.
    expect(parseJsonl(`${text}\n\n`, { tolerateTruncatedTail: true }).truncated).toBe(true);
    // A whole last line is not truncated.
    expect(parseJsonl('{"t":0,"ev":"a"}', { tolerateTruncatedTail: true })).toEqual({
      events: [{ t: 0, ev: 'a', line: 1 }],
      truncated: false,
    });
    expect(parseJsonl('', { tolerateTruncatedTail: true })).toEqual({ events: [], truncated: false });
  });

  it('throws an Error naming the line for any other bad line', () => {
    const bad = '{"t":0,"ev":"a"}\n{"t":1,"ev":\n{"t":2,"ev":"c"}\n';
    expect(() => parseJsonl(bad)).toThrow(/^line 2: not valid JSON/);
    expect(() => parseJsonl(bad, { tolerateTruncatedTail: true })).toThrow(/^line 2: not valid JSON/);
    expect(() => parseJsonl('{"t":0,"ev":"a"}\n[1,2]\n')).toThrow('line 2: not a JSON object');
    expect(() => parseJsonl('null')).toThrow('line 1: not a JSON object');
    expect(() => parseJsonl('{"t":0}')).toThrow('line 1: no "ev" string');
    // Valid JSON that is not an event is an error even at the end.
    expect(() => parseJsonl('{"t":0,"ev":"a"}\n42', { tolerateTruncatedTail: true })).toThrow('line 2: not a JSON object');
    try {
      parseJsonl(bad);
    } catch (err) {
      expect(err).toBeInstanceOf(Error);
    }
  });
});
