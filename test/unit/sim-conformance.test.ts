/**
 * Every conformance scenario of test/fixtures/conformance conforms on the simulator
 * under both policies: fifo, and random over several seeds (the random policy
 * shuffles ready tasks, workers and the victims of each call, as the seed's
 * scheduler and HashMap order may). Live mode is checked by
 * test/integration/pools-conformance.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../shared/scenario/parse';
import { parseJsonl } from '../../shared/trace/jsonl';
import { compareTraces } from '../../shared/trace/summary';
import { runScenarioSim } from '../../electron/run/run-scenario';

const DIR = join(__dirname, '..', 'fixtures', 'conformance');
const NAMES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('simulator: conformance examples', () => {
  it.each(NAMES)('%s conforms under fifo and under random with seeds 1-8', async (name) => {
    const scenario = parseScenario(readFileSync(join(DIR, `${name}.json`), 'utf8'));
    const expected = parseJsonl(readFileSync(join(DIR, `${name}.expected.jsonl`), 'utf8')).events;
    const runs = [{ policy: 'fifo' as const, seed: 1 }, ...SEEDS.map((seed) => ({ policy: 'random' as const, seed }))];
    for (const run of runs) {
      const r = await runScenarioSim(scenario, run);
      const actual = r.events.map((e, i) => ({ ...e, line: i + 1 }));
      expect(compareTraces(expected, actual), `${run.policy} seed ${run.seed}`).toEqual([]);
      expect(r.problems).toEqual([]);
    }
  });
});
