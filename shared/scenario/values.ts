/**
 * The small readers every scenario parser shares (v1, pageserver, the `expect`
 * block): a ScenarioError names the JSON path and the reason; each reader checks
 * one value's type and throws such an error when it is wrong. Kept apart from
 * ./parse.ts so that the parts of a format can use them without import cycles.
 */
import { isTaskKind, type TaskKind } from '../model/task-kind';

/** A malformed scenario: `path` is where (JSONPath style), `reason` what is wrong. */
export class ScenarioError extends Error {
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'ScenarioError';
    this.path = path;
    this.reason = reason;
  }
}

/** `"x"` with quotes and escapes, so that a message stays on one line. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

export type Obj = Record<string, unknown>;

export function has(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** `$.tasks.gc`; a key that would not read back unambiguously is quoted: `$.tasks["a.b"]`. */
export function member(path: string, key: string): string {
  return /^[^\s.[\]"'\\\p{C}]+$/u.test(key) ? `${path}.${key}` : `${path}[${quote(key)}]`;
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function object(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new ScenarioError(path, 'expected an object');
  return v;
}

export function field(obj: Obj, key: string, path: string): unknown {
  if (!has(obj, key)) throw new ScenarioError(path, `missing ${quote(key)}`);
  return obj[key];
}

export function onlyFields(obj: Obj, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new ScenarioError(path, `unknown field ${quote(key)}`);
  }
}

export function string(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new ScenarioError(path, 'expected a string');
  return v;
}

export function number(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ScenarioError(path, 'expected a number >= 0');
  }
  // Beyond 2^53 ticks, neighbouring ticks are the same number: such a time cannot mean anything.
  if (v > Number.MAX_SAFE_INTEGER) throw new ScenarioError(path, `expected a number from 0 to ${Number.MAX_SAFE_INTEGER}`);
  return v + 0; // -0 becomes 0
}

export function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new ScenarioError(path, 'expected a boolean');
  return v;
}

/** One of a few strings (an enum of the format). */
export function oneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T {
  const s = string(v, path);
  if (!(allowed as readonly string[]).includes(s)) {
    throw new ScenarioError(path, `expected one of ${allowed.map(quote).join(', ')}, found ${quote(s)}`);
  }
  return s as T;
}

/** A task kind of the seed's TaskKind enum. */
export function taskKind(v: unknown, path: string): TaskKind {
  const s = string(v, path);
  if (!isTaskKind(s)) throw new ScenarioError(path, `unknown task kind ${quote(s)}`);
  return s;
}

/** Absent or null is null. */
export function optString(obj: Obj, key: string, path: string): string | null {
  const v = obj[key];
  if (!has(obj, key) || v === null) return null;
  if (typeof v !== 'string') throw new ScenarioError(member(path, key), 'expected a string or null');
  return v;
}
