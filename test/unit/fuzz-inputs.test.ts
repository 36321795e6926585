/**
 * Fuzz test of untrusted inputs (issue 10): mutated scenarios (both formats, JSON
 * and YAML), arbitrary lesson-size YAML, and Lab requests go through the parsers
 * and validator; each must give a result or a clear one-line error, never a stack
 * overflow, an internal TypeError, or a hang. Fixed seed; a failure prints the
 * seed and path so `fc.assert(..., { seed, path })` replays it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAnyScenario } from '../../shared/scenario/pageserver-parse';
import { readScenarioText } from '../../shared/scenario/read-text';
import { parseLesson } from '../../shared/lesson/lesson';
import { validateLabRequest } from '../../shared/protocol/lab';

const SEED = 20261204;
const CASE_LIMIT_MS = 2000;
const LIB = join(__dirname, '../../electron/scenario/library');
const bases: unknown[] = readdirSync(LIB)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(LIB, f), 'utf8')) as unknown);

const BAD = /Maximum call stack|Cannot read propert|is not a function|is not iterable|undefined \(reading|\n\s+at /;

/** Runs one case: it returns or throws an Error whose message is one clear line, within the limit. */
function check(run: () => unknown): void {
  const t0 = performance.now();
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    const msg = (e as Error).message;
    expect(msg).not.toMatch(BAD);
    expect(msg.includes('\n')).toBe(false);
    expect(msg.length).toBeGreaterThan(0);
  }
  expect(performance.now() - t0).toBeLessThan(CASE_LIMIT_MS);
}

const weird = fc.oneof(
  fc.constantFrom(null, NaN, -1, -1e308, 1e308, Infinity, 0.5, '', 'x', true, [], {}, 2 ** 53 + 1),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Mutates a JSON value: drops a field, replaces one with a wrong type, or nests it deep. */
function mutate(v: unknown, ops: number[], repl: unknown[]): unknown {
  const cur = structuredClone(v) as unknown;
  ops.forEach((op, i) => {
    const paths: Array<[Record<string, unknown> | unknown[], string | number]> = [];
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach((_, j) => { paths.push([x, j]); walk(x[j]); });
      else if (x && typeof x === 'object') for (const k of Object.keys(x)) { paths.push([x as Record<string, unknown>, k]); walk((x as Record<string, unknown>)[k]); }
    };
    walk(cur);
    if (paths.length === 0) return;
    const [parent, key] = paths[op % paths.length];
    const kind = op % 3;
    if (kind === 0 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
    else if (kind === 1) (parent as Record<string | number, unknown>)[key] = structuredClone(repl[i % repl.length]);
    else {
      let deep: unknown = (parent as Record<string | number, unknown>)[key];
      for (let d = 0; d < 200; d++) deep = [deep];
      (parent as Record<string | number, unknown>)[key] = deep;
    }
  });
  return cur;
}

function toYaml(v: unknown, ind = ''): string {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : v.map((x) => `\n${ind}- ${toYaml(x, ind + '  ')}`).join('');
  if (v && typeof v === 'object') {
    const ks = Object.keys(v);
    return ks.length === 0 ? '{}' : ks.map((k) => `\n${ind}${JSON.stringify(k)}: ${toYaml((v as Record<string, unknown>)[k], ind + '  ')}`).join('');
  }
  return JSON.stringify(v) ?? 'null';
}

function splice(text: string, at: number, junk: string): string {
  const i = text.length === 0 ? 0 : at % text.length;
  return text.slice(0, i) + junk + text.slice(i);
}

const params = { seed: SEED, numRuns: 100, verbose: 1 } as const;

describe('fuzz: untrusted inputs give a result or a clear error', () => {
  it('mutated scenarios (both formats, JSON and YAML, spliced bytes)', () => {
    fc.assert(
      fc.property(
        fc.nat(bases.length - 1), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.array(weird, { minLength: 1, maxLength: 4 }),
        fc.boolean(), fc.nat(), fc.string({ maxLength: 8, unit: 'binary' }),
        (bi, ops, repl, yaml, at, junk) => {
          const v = mutate(bases[bi], ops, repl);
          const text = yaml ? toYaml(v).trimStart() : JSON.stringify(v);
          check(() => parseAnyScenario(text));
          check(() => parseAnyScenario(splice(text, at, junk)));
        },
      ),
      params,
    );
  });

  it('YAML with many aliases, deep nesting and arbitrary structure', () => {
    fc.assert(
      fc.property(fc.nat(60000), fc.nat(3000), fc.jsonValue({ maxDepth: 6 }), (aliases, depth, junk) => {
        const bomb = 'a: &a [x]\n' + Array.from({ length: aliases % 2000 }, (_, i) => `k${i}: *a`).join('\n');
        check(() => parseAnyScenario(bomb));
        check(() => parseAnyScenario('['.repeat(depth) + ']'.repeat(depth), { format: 'yaml' }));
        check(() => parseAnyScenario('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));
        check(() => readScenarioText(toYaml(junk).trimStart()));
      }),
      params,
    );
  });

  it('lesson-size YAML through the lesson parser', () => {
    const resolve = (name: string): unknown => bases.find((b) => (b as { name?: string }).name === name) ?? bases[0];
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.array(weird, { maxLength: 30 }), fc.nat(), fc.string({ maxLength: 8, unit: 'binary' }), (j, steps, at, junk) => {
        const lesson = { format: 'taskmgr-lesson/1', name: 'l', title: 't', teaches: 'x', scenario: 'demo', steps: [...steps, j] };
        const text = toYaml(lesson).trimStart();
        check(() => parseLesson(text, resolve));
        check(() => parseLesson(splice(text, at, junk), resolve));
        check(() => parseLesson(toYaml(j).trimStart(), resolve));
      }),
      params,
    );
  });

  it('Lab requests through the validator', () => {
    fc.assert(
      fc.property(fc.constantFrom('open', 'run', 'step', 'explore', 'stop', 'x'), fc.dictionary(fc.string({ maxLength: 10 }), weird), weird, (op, rest, raw) => {
        check(() => validateLabRequest({ ...rest, op }));
        check(() => validateLabRequest({ ...rest, type: op }));
        check(() => validateLabRequest(raw));
      }),
      params,
    );
  });
});
