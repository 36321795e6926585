/**
 * The bounds of a scenario file (issue 10, items 2 and 7; shared/scenario/limits.ts):
 * its size, its aliases and its nesting are each refused with one clear line that
 * says where, before the costly work; files within the bounds mean what they meant.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../shared/scenario/parse';
import { MAX_ALIASES, MAX_DEPTH, MAX_TEXT_LENGTH } from '../../shared/scenario/limits';

function errorOf(text: string, format?: 'json' | 'yaml'): string {
  try {
    parseScenario(text, { format });
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

const HEAD = 'format: taskmgr-scenario/1\nname: x\n';
const VALID_TAIL = 'tasks: {}\nsteps: []\nend_at: 10\n';

describe('aliases', () => {
  it('refuses the 20,000-alias file at its 101st alias, with its position', () => {
    const text = `${HEAD}x: &a 1\ntasks: {}\nsteps: [${Array(20_000).fill('*a').join(',')}]\nend_at: 10\n`;
    // `steps: [` is 8 columns; alias k (from 1) starts at column 9 + 3 (k - 1).
    expect(errorOf(text)).toBe(`$: invalid YAML at line 5, column ${9 + 3 * MAX_ALIASES}: more than ${MAX_ALIASES} aliases (a scenario needs a few at most)`);
  });

  it('still reads a file with as many aliases as allowed, each to an earlier anchor', () => {
    const text = `${HEAD}tasks:\n  t0: {runtime: background, kind: Compaction, body: [{op: error, message: &m hello}]}\n${Array.from({ length: MAX_ALIASES }, (_, i) => `  t${i + 1}: {runtime: background, kind: Compaction, body: [{op: error, message: *m}]}`).join('\n')}\nsteps: []\nend_at: 10\n`;
    const s = parseScenario(text);
    expect(Object.values(s.tasks).map((t) => t.body[0])).toEqual(Array(MAX_ALIASES + 1).fill({ op: 'error', message: 'hello' }));
  });

  it('refuses a few aliases that expand exponentially ("billion laughs")', () => {
    const levels = Array.from({ length: 30 }, (_, i) => `l${i + 1}: &l${i + 1} [*l${i}, *l${i}]`).join('\n');
    expect(errorOf(`${HEAD}l0: &l0 [x]\n${levels}\n${VALID_TAIL}`)).toBe('$: invalid YAML: its aliases expand to more than 1000 values');
  });

  it('refuses an alias before its anchor, and one to an anchor set later, where it is', () => {
    expect(errorOf(`${HEAD}a: *later\nb: &later 1\n`)).toBe('$: invalid YAML at line 3, column 4: unresolved alias *later (the anchor must be set before the alias)');
  });

  it('takes an anchor set on a collection that encloses its alias (as the library does)', () => {
    expect(errorOf(`${HEAD}tasks: {}\nsteps: &s [{at: 0, do: snapshot, label: *s}]\nend_at: 10\n`)).toMatch(/^\$\.steps\[0\]\.label: expected a string$/);
  });
});

describe('nesting', () => {
  it('refuses 1,000 levels of YAML brackets with a depth error at the first bracket too deep', () => {
    const text = `${HEAD}tasks: ${'['.repeat(1000)}${']'.repeat(1000)}\n${'steps: []\nend_at: 10\n'}`;
    // The root mapping is level 1, so the bracket at level MAX_DEPTH + 1 is the MAX_DEPTH-th.
    expect(errorOf(text)).toBe(`$: invalid YAML at line 3, column ${8 + MAX_DEPTH - 1}: nested deeper than ${MAX_DEPTH} levels`);
  });

  it('refuses deep block nesting (indents and sequence dashes) in YAML', () => {
    const block = `x:\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i + 1)}a:`).join('\n')} 1\n`;
    expect(errorOf(block)).toMatch(/^\$: invalid YAML at line 65, column 65: nested deeper than 64 levels$/);
    expect(errorOf(`x:\n  ${'- '.repeat(500)}1\n`)).toBe(`$: invalid YAML at line 2, column ${3 + 2 * (MAX_DEPTH - 1)}: nested deeper than ${MAX_DEPTH} levels`);
  });

  it('refuses 1,000 levels of JSON brackets the same way', () => {
    expect(errorOf(`{"tasks": ${'['.repeat(1000)}${']'.repeat(1000)}}`, 'json')).toBe(`$: invalid JSON at line 1, column ${11 + MAX_DEPTH - 1}: nested deeper than ${MAX_DEPTH} levels`);
  });

  it('counts neither brackets in strings, comments and block scalars, nor levels a file stays within', () => {
    const brackets = '['.repeat(200);
    const text = `${HEAD}description: |\n  ${brackets}\n# ${brackets}\ntasks: {t: {runtime: background, kind: Compaction, name: "${brackets}", body: [{op: error, message: '${brackets}'}]}}\nsteps: []\nend_at: 10\n`;
    const s = parseScenario(text);
    expect(s.tasks.t.name).toBe(brackets);
    const json = JSON.stringify({ format: 'taskmgr-scenario/1', name: brackets, tasks: {}, steps: [], end_at: 1 });
    expect(parseScenario(json).name).toBe(brackets);
  });
});

describe('size', () => {
  it('refuses a file over the bound before reading it', () => {
    const text = `${HEAD}${VALID_TAIL}#${'x'.repeat(MAX_TEXT_LENGTH)}\n`;
    expect(errorOf(text)).toBe(`$: too large: ${text.length} characters, a scenario may have at most ${MAX_TEXT_LENGTH}`);
  });

  it('reads a file just under it', () => {
    const pad = MAX_TEXT_LENGTH - HEAD.length - VALID_TAIL.length - 2;
    expect(parseScenario(`${HEAD}${VALID_TAIL}#${'x'.repeat(pad)}\n`).end_at).toBe(10);
  });
});
