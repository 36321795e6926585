/**
 * A schedule file (`taskmgr-schedule/1`, docs/explorer.md): the only input that
 * varies between two simulated runs of the same scenario. The simulator draws every
 * nondeterministic choice through one seam (electron/sim/decisions.ts); a schedule
 * lists the choices that differ from the default (fifo, id-order joins, no jitter),
 * each at its position among the run's choice points, so that a shrunk schedule
 * reads as the cause of its failure. It names the scenario and a hash of its parsed
 * content, so that it is never replayed against another one.
 */

export const SCHEDULE_FORMAT = 'taskmgr-schedule/1';

/**
 * The kinds of choice point, in the order a run meets them:
 * - `run`: which of a virtual worker's ready tasks runs next (index in its ready
 *   queue, oldest first; default 0);
 * - `order`: which of the round's workers resumes its task next (index among the
 *   workers still to go, in worker order; default 0);
 * - `join`: which of a `shutdown_tasks` call's remaining victims it joins next
 *   (index in id order; default 0);
 * - `jitter`: how many ticks a timed wait lasts more (or less) than asked
 *   (a signed delta, |delta| <= floor(jitter × ticks); default 0).
 */
export const DECISION_KINDS = ['run', 'order', 'join', 'jitter'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const STRATEGIES = ['random', 'pct', 'dfs'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** One non-default choice: at choice point `pos` (0-based), `value` instead of the default. */
export interface Decision {
  pos: number;
  kind: DecisionKind;
  /** An index for run/order/join, a signed delta in ticks for jitter. */
  value: number;
  /** The choice in words (written by the explorer; ignored when replaying). */
  note?: string;
}

export interface ScheduleFile {
  format: typeof SCHEDULE_FORMAT;
  /** The scenario's name. */
  scenario: string;
  /** The hash of the parsed scenario (`scenarioHash`), hex. */
  scenario_hash: string;
  /** The run's seed (the scenario's, unless the exploration gave another). */
  seed: number;
  strategy: StrategyName;
  /** The jitter bound, a fraction of each timed wait (0: no jitter points). */
  jitter: number;
  /** Non-default choices, by increasing `pos`. */
  decisions: Decision[];
  /** What failed with this schedule (signature of its group), if it came from an exploration. */
  signature?: string;
  /** The shrunk explanation in words, one line per decision. */
  explanation?: string[];
}

/**
 * A 64-bit content hash (two 32-bit FNV-1a passes with different offsets), hex.
 * Stable across platforms and cheap; it only has to tell scenarios apart, not resist
 * an adversary.
 */
export function contentHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193) >>> 0;
    h2 = (h2 ^ (h2 >>> 13)) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** JSON with object keys sorted, so that equal values give equal text. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** The hash of a parsed scenario: equal for the same content, whatever its JSON/YAML spelling. */
export function scenarioHash(parsed: unknown): string {
  return contentHash(canonicalJson(parsed));
}

/** A malformed schedule file; the message is one line with a JSON path. */
export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

function fail(path: string, reason: string): never {
  throw new ScheduleError(`${path}: ${reason}`);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Validates a schedule's list of decisions (a schedule file's `decisions`, a lesson's solution) at `path`. */
export function validateDecisions(raw: unknown, path: string): Decision[] {
  if (!Array.isArray(raw)) fail(path, 'expected an array');
  if (raw.length > 100_000) fail(path, 'more than 100000 decisions');
  let last = -1;
  return raw.map((d: unknown, i): Decision => {
    const p = `${path}[${i}]`;
    if (d === null || typeof d !== 'object' || Array.isArray(d)) fail(p, 'expected an object');
    const r = d as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!['pos', 'kind', 'value', 'note'].includes(k)) fail(p, `unknown field ${JSON.stringify(k)}`);
    if (!isInt(r.pos) || r.pos < 0) fail(`${p}.pos`, 'expected an integer >= 0');
    if (r.pos <= last) fail(`${p}.pos`, `positions must increase (${r.pos} after ${last})`);
    last = r.pos;
    if (!(DECISION_KINDS as readonly unknown[]).includes(r.kind)) fail(`${p}.kind`, `expected one of ${DECISION_KINDS.map((s) => `"${s}"`).join(', ')}`);
    const kind = r.kind as DecisionKind;
    if (!isInt(r.value) || (kind !== 'jitter' && r.value < 1) || (kind === 'jitter' && r.value === 0)) {
      fail(`${p}.value`, kind === 'jitter' ? 'expected a non-zero integer' : 'expected an integer >= 1 (0 is the default and is not written)');
    }
    const out: Decision = { pos: r.pos, kind, value: r.value };
    if (r.note !== undefined) {
      if (typeof r.note !== 'string') fail(`${p}.note`, 'expected a string');
      out.note = r.note;
    }
    return out;
  });
}

const FILE_FIELDS = ['format', 'scenario', 'scenario_hash', 'seed', 'strategy', 'jitter', 'decisions', 'signature', 'explanation'];

/** Validates a parsed schedule file (untrusted: from a file or the renderer). */
export function validateScheduleFile(raw: unknown, path = '$'): ScheduleFile {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(path, 'expected an object');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!FILE_FIELDS.includes(k)) fail(path, `unknown field ${JSON.stringify(k)}`);
  if (o.format !== SCHEDULE_FORMAT) fail(`${path}.format`, `expected "${SCHEDULE_FORMAT}", found ${JSON.stringify(o.format)}`);
  if (typeof o.scenario !== 'string') fail(`${path}.scenario`, 'expected a string');
  if (typeof o.scenario_hash !== 'string' || !/^[0-9a-f]{16}$/.test(o.scenario_hash)) fail(`${path}.scenario_hash`, 'expected 16 hex digits');
  if (!isInt(o.seed) || o.seed < 0 || o.seed > 2 ** 32 - 1) fail(`${path}.seed`, 'expected an integer from 0 to 4294967295');
  if (!(STRATEGIES as readonly unknown[]).includes(o.strategy)) fail(`${path}.strategy`, `expected one of ${STRATEGIES.map((s) => `"${s}"`).join(', ')}`);
  if (typeof o.jitter !== 'number' || !(o.jitter >= 0 && o.jitter <= 1)) fail(`${path}.jitter`, 'expected a number from 0 to 1');
  const decisions = validateDecisions(o.decisions, `${path}.decisions`);
  const file: ScheduleFile = {
    format: SCHEDULE_FORMAT,
    scenario: o.scenario,
    scenario_hash: o.scenario_hash,
    seed: o.seed,
    strategy: o.strategy as StrategyName,
    jitter: o.jitter,
    decisions,
  };
  if (o.signature !== undefined) {
    if (typeof o.signature !== 'string') fail(`${path}.signature`, 'expected a string');
    file.signature = o.signature;
  }
  if (o.explanation !== undefined) {
    if (!Array.isArray(o.explanation) || !o.explanation.every((l) => typeof l === 'string')) fail(`${path}.explanation`, 'expected an array of strings');
    file.explanation = o.explanation as string[];
  }
  return file;
}

/** Reads a schedule file's text. */
export function parseScheduleText(text: string): ScheduleFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ScheduleError(`$: invalid JSON: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  }
  return validateScheduleFile(raw);
}
