/**
 * The explorer's contract (shared/protocol/schedule.ts, explore.ts and the explore
 * requests of lab.ts): schedule files round-trip and are refused with one line when
 * malformed, the scenario hash ignores spelling but not content, and the Lab's
 * validator accepts the explore requests and rejects bad options.
 */
import { describe, expect, it } from 'vitest';
import { validateLabRequest } from '../../shared/protocol/lab';
import { validateExploreOptions } from '../../shared/protocol/explore';
import { parseScheduleText, scenarioHash, type ScheduleFile } from '../../shared/protocol/schedule';
import { parseScenario } from '../../shared/scenario/parse';

const file: ScheduleFile = {
  format: 'taskmgr-schedule/1',
  scenario: 'demo',
  scenario_hash: '0123456789abcdef',
  seed: 7,
  strategy: 'pct',
  jitter: 0.2,
  decisions: [
    { pos: 3, kind: 'run', value: 1 },
    { pos: 9, kind: 'jitter', value: -4, note: 'upload took 16 ticks instead of 20' },
  ],
};

function scheduleError(text: string): string {
  try {
    parseScheduleText(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('schedule files (taskmgr-schedule/1)', () => {
  it('round-trip through JSON', () => {
    expect(parseScheduleText(JSON.stringify(file))).toEqual(file);
  });

  it.each([
    ['not JSON', '{', /^\$: invalid JSON/],
    ['wrong format', JSON.stringify({ ...file, format: 'x' }), /^\$\.format: expected "taskmgr-schedule\/1", found "x"$/],
    ['bad hash', JSON.stringify({ ...file, scenario_hash: 'zz' }), /^\$\.scenario_hash: expected 16 hex digits$/],
    ['default value written', JSON.stringify({ ...file, decisions: [{ pos: 1, kind: 'join', value: 0 }] }), /^\$\.decisions\[0\]\.value: expected an integer >= 1/],
    ['zero jitter written', JSON.stringify({ ...file, decisions: [{ pos: 1, kind: 'jitter', value: 0 }] }), /^\$\.decisions\[0\]\.value: expected a non-zero integer$/],
    ['positions out of order', JSON.stringify({ ...file, decisions: [{ pos: 4, kind: 'run', value: 1 }, { pos: 4, kind: 'run', value: 1 }] }), /^\$\.decisions\[1\]\.pos: positions must increase \(4 after 4\)$/],
    ['unknown kind', JSON.stringify({ ...file, decisions: [{ pos: 1, kind: 'steal', value: 1 }] }), /^\$\.decisions\[0\]\.kind: expected one of/],
    ['unknown field', JSON.stringify({ ...file, extra: 1 }), /^\$: unknown field "extra"$/],
  ])('refuse %s with one line', (_n, text, message) => {
    const m = scheduleError(text);
    expect(m).toMatch(message);
    expect(m).not.toContain('\n');
  });

  it('name a scenario by the hash of its parsed content, whatever its spelling', () => {
    const json = '{"format":"taskmgr-scenario/1","name":"x","tasks":{"a":{"runtime":"background","kind":"Compaction","body":[{"op":"ok"}]}},"steps":[{"at":0,"do":"spawn","task":"a"}],"end_at":5}';
    const yaml = 'format: taskmgr-scenario/1\nname: x\ntasks:\n  a: {runtime: background, kind: Compaction, body: [{op: ok}]}\nsteps:\n  - {at: 0, do: spawn, task: a}\nend_at: 5\n';
    const h = scenarioHash(parseScenario(json));
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(scenarioHash(parseScenario(yaml))).toBe(h);
    expect(scenarioHash(parseScenario(json.replace('"end_at":5', '"end_at":6')))).not.toBe(h);
  });
});

describe('the explore requests of the Lab API', () => {
  it('accepts a start, a cancel, an open and a compare', () => {
    const options = { strategy: 'pct', runs: 2000, jitter: 0.2, depth: 3, seed: 1 };
    expect(validateLabRequest({ type: 'exploreStart', scenario: { library: 'demo' }, options })).toEqual({ type: 'exploreStart', scenario: { library: 'demo' }, options });
    expect(validateLabRequest({ type: 'exploreCancel', id: 'x1' })).toEqual({ type: 'exploreCancel', id: 'x1' });
    expect(validateLabRequest({ type: 'exploreOpen', scenario: { library: 'demo' }, schedule: file })).toEqual({ type: 'exploreOpen', scenario: { library: 'demo' }, schedule: file });
    expect(validateLabRequest({ type: 'exploreCompare', scenario: { text: '{}', filename: 'a.json' }, schedule: file }).type).toBe('exploreCompare');
  });

  it.each([
    [{ strategy: 'bfs', runs: 1, jitter: 0 }, 'options.strategy: expected "random", "pct" or "dfs"'],
    [{ strategy: 'dfs', runs: 0, jitter: 0 }, 'options.runs: expected an integer from 1 to 10000000'],
    [{ strategy: 'dfs', runs: 1, jitter: 2 }, 'options.jitter: expected a number from 0 to 1'],
    [{ strategy: 'pct', runs: 1, jitter: 0, depth: 0 }, 'options.depth: expected an integer from 1 to 10'],
    [{ strategy: 'pct', runs: 1, jitter: 0, jobs: 1000 }, 'options.jobs: expected an integer from 1 to 64'],
    [{ strategy: 'pct', runs: 1, jitter: 0, allowLints: [3] }, 'options.allowLints: expected a list of names'],
    [{ strategy: 'pct', runs: 1, jitter: 0, eval: 'x' }, 'options: unknown field "eval"'],
  ])('rejects bad options %j', (options, message) => {
    expect(() => validateExploreOptions(options)).toThrow(message);
  });

  it('rejects a malformed schedule in an open request', () => {
    expect(() => validateLabRequest({ type: 'exploreOpen', scenario: { library: 'demo' }, schedule: { ...file, seed: -1 } })).toThrow('schedule.seed: expected an integer from 0 to 4294967295');
  });
});
