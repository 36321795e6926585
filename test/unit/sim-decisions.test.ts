/**
 * The decision seam of the simulator (electron/sim/decisions.ts): the default
 * schedule gives exactly the plain fifo trace for every library scenario and every
 * conformance example; the run meets choice points of every kind; a recorded
 * schedule replays byte for byte; and a single decision changes the run where it says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatEvent } from '../../shared/trace/jsonl';
import { parseAnyScenario, type AnyScenario } from '../../shared/scenario/pageserver-parse';
import type { TraceEvent } from '../../shared/trace/events';
import { libraryNames, loadScenario } from '../../electron/cli/load-scenario';
import { RandomDecider, RecordingDecider, ReplayDecider } from '../../electron/explore/deciders';
import { runScenarioOnce } from '../../electron/explore/run-schedule';
import type { ChoiceKind, Decider } from '../../electron/sim/decisions';
import { scenario, sim } from '../helpers/sim';

const CONFORMANCE = join(__dirname, '..', 'fixtures', 'conformance');
const text = (events: readonly TraceEvent[]): string => events.map(formatEvent).join('\n');

const all: Array<[string, AnyScenario]> = [
  ...libraryNames().map((n): [string, AnyScenario] => [n, loadScenario(n).scenario]),
  ...readdirSync(CONFORMANCE)
    .filter((f) => f.endsWith('.json'))
    .map((f): [string, AnyScenario] => [`conformance/${f}`, parseAnyScenario(readFileSync(join(CONFORMANCE, f), 'utf8'))]),
];

describe('the decision seam', () => {
  it.each(all)('the default schedule gives the plain fifo trace of %s', async (_name, s) => {
    const plain = await runScenarioOnce(s);
    const recorder = new RecordingDecider(new ReplayDecider([], 0.2));
    const seamed = await runScenarioOnce(s, { decider: recorder });
    expect(plain.labError).toBeNull();
    expect(text(seamed.events)).toBe(text(plain.events));
    expect(recorder.decisions).toEqual([]);
  });

  it('meets choice points of every kind in the demo', async () => {
    const kinds = new Map<string, number>();
    const counting: Decider = {
      jitter: 0.2,
      choose(kind: ChoiceKind) {
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        return 0;
      },
      delta() {
        kinds.set('jitter', (kinds.get('jitter') ?? 0) + 1);
        return 0;
      },
    };
    await runScenarioOnce(loadScenario('demo').scenario, { decider: counting });
    expect([...kinds.keys()].sort()).toEqual(['jitter', 'join', 'order', 'run']);
  });

  it('jitters the pageserver model\'s own durations', async () => {
    const whats: string[] = [];
    await runScenarioOnce(loadScenario('s04-shutdown-with-pending-uploads').scenario, {
      decider: new ReplayDecider([], 0.2),
      observer: (c) => {
        if (c.task !== undefined && c.what) whats.push(c.what);
      },
    });
    expect(whats.some((w) => w.startsWith('UploadLayer '))).toBe(true);
  });

  it('replays a recorded random schedule byte for byte', async () => {
    const s = loadScenario('demo').scenario;
    for (const seed of [1, 2, 3]) {
      const rec = new RecordingDecider(new RandomDecider(seed, 0.2));
      const first = await runScenarioOnce(s, { decider: rec });
      expect(rec.decisions.length).toBeGreaterThan(0);
      const again = await runScenarioOnce(s, { decider: new ReplayDecider(rec.decisions, 0.2) });
      expect(text(again.events)).toBe(text(first.events));
      expect(text(again.events)).not.toBe(text((await runScenarioOnce(s)).events));
    }
  });

  it('one jitter decision moves one wait by its delta', async () => {
    const s = scenario({ a: { body: [{ op: 'sleep', ticks: 20 }] } }, [{ at: 0, do: 'spawn', task: 'a' }], 50);
    const exitAt = async (d?: Decider) => (await sim(s, { decider: d })).q.one('exit').t;
    expect(await exitAt()).toBe(20);
    expect(await exitAt(new ReplayDecider([{ pos: 0, kind: 'jitter', value: 4 }], 0.2))).toBe(24);
    expect(await exitAt(new ReplayDecider([{ pos: 0, kind: 'jitter', value: -3 }], 0.2))).toBe(17);
    // Beyond the bound (floor(0.2 × 20) = 4), the decision does not fit: the default.
    expect(await exitAt(new ReplayDecider([{ pos: 0, kind: 'jitter', value: 5 }], 0.2))).toBe(20);
  });

  it('one run decision lets the second ready task of a worker go first', async () => {
    const s = scenario(
      { a: { body: [{ op: 'record_kind' }] }, b: { kind: 'GarbageCollector', body: [{ op: 'record_kind' }] } },
      [
        { at: 0, do: 'spawn', task: 'a' },
        { at: 0, do: 'spawn', task: 'b' },
      ],
      10,
    );
    const starts = async (d?: Decider) =>
      (await sim(s, { decider: d, workers: { background: 1 } })).q
        .of('start')
        .map((e) => e.task)
        .join(',');
    expect(await starts()).toBe('a,b');
    expect(await starts(new ReplayDecider([{ pos: 0, kind: 'run', value: 1 }], 0))).toBe('b,a');
  });
});
