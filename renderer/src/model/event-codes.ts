/**
 * The event-code table: for every event type of shared/trace/events.ts, its code in
 * the EventStore's `code` column, what its two small columns `a` and `b` hold, whether
 * it has a row in the spawn table, and whether the Log view shows it as a line.
 *
 * Both ways into the store read this one table: pushed objects (EventStore.appendObjects)
 * and recording lines tokenized as bytes (EventStore's scan). `satisfies` checks it
 * against the shared event names and their fields: a new event type fails the
 * typecheck here until the table says how to store it, instead of silently becoming
 * "unknown", and a column can only name a field its event has.
 */
import { type EventName, LOG_LEVELS, type TraceEvent } from '../../../shared/trace/events';
import { eventLevel, type LevelFields, levelIsFixed } from '../../../shared/trace/wording';

export const OUTCOMES = ['ok', 'error', 'panic', 'killed'] as const;
export const VIAS = ['watcher', 'poll'] as const;
export const FAULTS = ['panic', 'error'] as const;
export const LEVELS = LOG_LEVELS;

/** How one small column is filled from a field of the event (absent or malformed: -1, a flag 0). */
type Column<E> =
  /** The interned id of a string field. */
  | { str: keyof E & string }
  /** An integer field. */
  | { int: keyof E & string }
  /** A boolean field: 1 when true. */
  | { flag: keyof E & string }
  /** The index of a string field in a short list of words. */
  | { pick: keyof E & string; words: readonly string[] }
  /** The event's level (shared/trace/wording.ts), when it depends on its fields. */
  | { level: true };

interface Entry<E> {
  a?: Column<E>;
  b?: Column<E>;
  /** Has a row in the spawn table (`a` holds it). */
  spawn?: true;
  /** A line of the Log view. */
  logLine?: true;
}

type Table = { [K in EventName]: Entry<Extract<TraceEvent, { ev: K }>> };

const LEVEL = { level: true } as const;

/** The table. The order gives the codes (the reducer and the indexes switch on them). */
const EVENTS = {
  scenario: {},
  spawn: { spawn: true },
  start: { a: { int: 'worker' }, b: { int: 'pid' } },
  signal: { a: { str: 'by' } },
  observe: { a: { pick: 'via', words: VIAS } },
  exit: { a: { pick: 'outcome', words: OUTCOMES } },
  shutdown_begin: {},
  shutdown_end: {},
  shutdown_abandoned: { a: { str: 'label' } },
  shutdown_wait: { a: { str: 'label' }, b: { flag: 'took_handle' } },
  associate: { a: { str: 'tenant' }, b: { str: 'timeline' } },
  kind: {},
  check: {},
  inject: { a: { pick: 'fault', words: FAULTS }, b: { flag: 'applied' } },
  snapshot: {},
  process_shutdown: { logLine: true },
  process_exit: { logLine: true },
  end: {},
  await: {},
  log: { a: LEVEL, logLine: true },
  process_crash: { logLine: true },
  pool_stats: {},
  error: { logLine: true },
  process_start: { logLine: true },
  process_signal: { logLine: true },
  tenant_state: { logLine: true },
  timeline_state: { logLine: true },
  flush_loop: { logLine: true },
  upload_queue: { a: LEVEL, logLine: true },
  http: { logLine: true },
  storage: { logLine: true },
  lint: { logLine: true },
  narration: { logLine: true },
  assertion: { a: LEVEL, logLine: true },
} as const satisfies Table;

/** Events of a type newer than this build: with a `message` or `text` (a log line, `a` its level), or without. */
const UNKNOWN = { unknown_text: { a: LEVEL, logLine: true }, unknown: {} } as const;

type CodeName = EventName | keyof typeof UNKNOWN;
const ENTRIES: Array<[CodeName, Entry<Record<string, unknown>>]> = [...Object.entries(EVENTS), ...Object.entries(UNKNOWN)] as Array<[CodeName, Entry<Record<string, unknown>>]>;

/** Event type codes of the `code` column. */
export const EV = Object.fromEntries(ENTRIES.map(([name], code) => [name, code])) as { readonly [K in CodeName]: number };

/** Code to event name (`unknown_text`/`unknown` for the newer types). */
export const CODE_NAMES: readonly CodeName[] = ENTRIES.map(([name]) => name);

/** The code of a known event name, undefined for a newer type. */
export function codeOf(ev: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(EVENTS, ev) ? EV[ev as EventName] : undefined;
}

// The table compiled to arrays by code, read by both ingestion paths.

export const COL_NONE = 0;
export const COL_STR = 1;
export const COL_INT = 2;
export const COL_FLAG = 3;
export const COL_PICK = 4;
export const COL_LEVEL = 5;

/** One column of every code: its kind, the field it reads, and the words of a pick. */
export interface CompiledColumn {
  kind: Uint8Array;
  field: Array<string | null>;
  words: Array<readonly string[] | null>;
}

function compile(which: 'a' | 'b'): CompiledColumn {
  const out: CompiledColumn = { kind: new Uint8Array(ENTRIES.length), field: [], words: [] };
  ENTRIES.forEach(([, entry], code) => {
    const c = entry[which] as Column<Record<string, unknown>> | undefined;
    let kind: number;
    let field: string | null = null;
    let words: readonly string[] | null = null;
    if (c === undefined) kind = COL_NONE;
    else if ('str' in c) [kind, field] = [COL_STR, c.str];
    else if ('int' in c) [kind, field] = [COL_INT, c.int];
    else if ('flag' in c) [kind, field] = [COL_FLAG, c.flag];
    else if ('pick' in c) [kind, field, words] = [COL_PICK, c.pick, c.words];
    else kind = COL_LEVEL;
    out.kind[code] = kind;
    out.field.push(field);
    out.words.push(words);
  });
  return out;
}
export const COL_A = compile('a');
export const COL_B = compile('b');
/** 1 for the codes whose events have a row in the spawn table. */
export const HAS_SPAWN_ROW = Uint8Array.from(ENTRIES, ([, e]) => (e.spawn ? 1 : 0));
/** 1 for the codes the Log view shows as lines. */
export const IS_LOG_LINE = Uint8Array.from(ENTRIES, ([, e]) => (e.logLine ? 1 : 0));

/** Every field a column of the table reads (the tokenizer looks for these keys). */
export const COLUMN_FIELDS: readonly string[] = [...new Set([...COL_A.field, ...COL_B.field].filter((f): f is string => f !== null))];

/** The fields of a spawn event that its row keeps. */
export const SPAWN_FIELDS = ['id', 'kind', 'runtime', 'tenant', 'timeline', 'parent', 'name', 'shutdown_process_on_error'] as const;

/** An event's level as an index into LEVELS (see shared/trace/wording.ts). */
export function levelIndex(ev: string, f: LevelFields): number {
  return LEVELS.indexOf(eventLevel(ev, f));
}

/**
 * The level of each code when no field decides it, or -1: the level is then in
 * column `a` (COL_LEVEL) or read from the decoded event.
 */
export const FIXED_LEVEL = Int8Array.from(ENTRIES, ([name, e]) => {
  if ((e.a as Column<unknown> | undefined) === LEVEL) return -1;
  if (name === 'unknown') return levelIndex('unknown', {});
  return levelIsFixed(name as EventName) ? levelIndex(name, {}) : -1;
});
