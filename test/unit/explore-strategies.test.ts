/**
 * The explorer's parts on their own: delta debugging finds the minimal cause, the
 * bounded DFS visits every schedule within its bound exactly once, PCT runs the
 * highest-priority task and drops it at a change point, and the properties name
 * hangs, lints (allowed or expected ones excepted) and narrow to --property.
 */
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../shared/protocol/schedule';
import { DfsDecider, DfsSearch } from '../../electron/explore/dfs';
import { PctDecider } from '../../electron/explore/pct';
import { judgeRun, signatureOf } from '../../electron/explore/properties';
import { shrinkDecisions } from '../../electron/explore/shrink';
import { RecordingDecider, scheduleSeed } from '../../electron/explore/deciders';
import { chooseAmong } from '../../electron/sim/decisions';
import { parseScenarioValue } from '../../shared/scenario/parse';
import type { TraceEvent } from '../../shared/trace/events';

const d = (pos: number): Decision => ({ pos, kind: 'run', value: 1 });

describe('shrinking', () => {
  it('keeps exactly the decisions the failure needs', async () => {
    const all = Array.from({ length: 40 }, (_, i) => d(i));
    let runs = 0;
    const r = await shrinkDecisions(all, async (ds) => {
      runs++;
      const pos = new Set(ds.map((x) => x.pos));
      return pos.has(7) && pos.has(31);
    });
    expect(r.decisions.map((x) => x.pos)).toEqual([7, 31]);
    expect(r.runs).toBe(runs);
    expect(runs).toBeLessThan(100);
  });

  it('gives no decision when the default already fails, and stops at its budget', async () => {
    expect((await shrinkDecisions([d(1), d(2)], async () => true)).decisions).toEqual([]);
    const r = await shrinkDecisions(Array.from({ length: 64 }, (_, i) => d(i)), async (ds) => ds.length > 10, 5);
    expect(r.runs).toBeLessThanOrEqual(6);
  });
});

describe('bounded dfs', () => {
  /** A run of three choice points with 2, 3 and 2 options. */
  function walk(prefix: readonly number[]): DfsDecider {
    const dec = new DfsDecider(prefix, 0);
    dec.choose('run', 2);
    dec.choose('order', 3);
    dec.choose('join', 2);
    return dec;
  }

  it.each([
    [0, 1],
    [1, 1 + 1 + 2 + 1],
    [2, 1 + 4 + (1 * 2 + 1 * 1 + 2 * 1)],
    [3, 2 * 3 * 2],
  ])('with at most %i deviations visits %i distinct schedules, then is exhausted', (k, count) => {
    const search = new DfsSearch(k);
    const seen = new Set<string>();
    for (let p = search.next(); p !== null; p = search.next()) {
      const dec = walk(p);
      expect(dec.taken.filter((v) => v !== 0).length).toBeLessThanOrEqual(k);
      seen.add(dec.taken.join(','));
      search.advance(dec);
      expect(seen.size).toBeLessThanOrEqual(count);
    }
    expect(search.exhausted).toBe(true);
    expect(seen.size).toBe(count);
  });

  it('tries jitter as -j, 0 and +j only', () => {
    const seen: number[] = [];
    for (const p of [[0], [1], [2]]) seen.push(new DfsDecider(p, 0.2).delta(4));
    expect(seen).toEqual([0, 4, -4]);
  });
});

describe('pct', () => {
  it('runs the highest-priority task, the same one each time, until a change point drops it', () => {
    const labels = ['a', 'b', 'c'];
    for (let seed = 1; seed < 20; seed++) {
      const p = new PctDecider(scheduleSeed(seed, 0), 0, 2, 10);
      const picks = Array.from({ length: 10 }, () => labels[p.choose('run', 3, labels)]);
      const changes = picks.filter((x, i) => i > 0 && x !== picks[i - 1]).length;
      expect(changes).toBeLessThanOrEqual(1);
    }
  });

  it('keeps its priorities when the explorer records its choices (labels reach it through the recorder)', () => {
    const labels = ['a', 'b', 'c'];
    for (let seed = 1; seed < 20; seed++) {
      const bare = new PctDecider(scheduleSeed(seed, 0), 0, 2, 10);
      const recorded = new RecordingDecider(new PctDecider(scheduleSeed(seed, 0), 0, 2, 10));
      const pick = (d: PctDecider | RecordingDecider) => Array.from({ length: 10 }, (_, t) => chooseAmong('run', labels, d, (x) => x, null, t));
      expect(pick(recorded)).toEqual(pick(bare));
    }
  });

  it('schedule seeds depend on the seed and the index only', () => {
    expect(scheduleSeed(1, 5)).toBe(scheduleSeed(1, 5));
    expect(new Set([scheduleSeed(1, 0), scheduleSeed(1, 1), scheduleSeed(2, 0)]).size).toBe(3);
  });
});

describe('properties', () => {
  const scenario = parseScenarioValue({
    format: 'taskmgr-scenario/1',
    tasks: { a: { runtime: 'background', kind: 'Compaction', tenant: 't1', body: [{ op: 'hang' }] } },
    steps: [{ at: 0, do: 'spawn', task: 'a' }],
    end_at: 10,
    expect: [{ shutdown: 'expected hang', completed: false }],
  });
  const ev = (e: Record<string, unknown>): TraceEvent => ({ t: 1, ...e }) as unknown as TraceEvent;
  const events: TraceEvent[] = [
    ev({ ev: 'spawn', task: 'a', id: 1, kind: 'Compaction', runtime: 'background', tenant: 't1', timeline: null, parent: null }),
    ev({ ev: 'shutdown_begin', label: 'detach t1', kind: null, tenant: 't1', timeline: null, caller: null }),
    ev({ ev: 'shutdown_begin', label: 'expected hang', kind: null, tenant: 't2', timeline: null, caller: null }),
    ev({ ev: 'lint', rule: 'late-spawn', message: 'a was spawned late', tasks: ['a'] }),
    ev({ ev: 'end', registry: ['a'], pending: ['detach t1', 'expected hang'] }),
  ];
  const run = { events, assertions: [], problems: [], labError: null };

  it('names a hang and a lint with the kinds and tenants, but not a hang the scenario expects', () => {
    const f = judgeRun(scenario, run);
    expect(signatureOf(f)).toBe('hang: shutdown_tasks detach t1 | lint late-spawn (Compaction t1)');
  });

  it('--allow-lint ignores a rule, --property narrows', () => {
    expect(signatureOf(judgeRun(scenario, run, { allowLints: ['late-spawn'] }))).toBe('hang: shutdown_tasks detach t1');
    expect(signatureOf(judgeRun(scenario, run, { properties: ['late-spawn'] }))).toBe('lint late-spawn (Compaction t1)');
    expect(judgeRun(scenario, run, { properties: ['expect'] })).toEqual([]);
  });

  it('a Lab error is a failure of its own', () => {
    const f = judgeRun(scenario, { ...run, labError: 'TypeError: x (at y)' });
    expect(f.map((x) => x.property)).toEqual(['hang', 'lab-error', 'lint']);
    expect(f[1].line).toBe('TypeError: x (at y)');
  });
});
