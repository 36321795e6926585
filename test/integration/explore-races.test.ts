/**
 * The explorer against the library's races (issue 13's "done when", at a size a
 * test can afford): PCT breaks every race-* scenario within its first 100 schedules,
 * and the main failure group of each shrinks to at most 3 decisions.
 */
import { describe, expect, it } from 'vitest';
import { libraryNames, loadScenario } from '../../electron/cli/load-scenario';
import { explore } from '../../electron/explore/explore';
import { defaultSeed } from '../../electron/explore/schedule-file';

const races = libraryNames().filter((n) => n.startsWith('race-'));

describe('the explorer breaks the race-* scenarios', () => {
  it('ships races to break', () => {
    expect(races.length).toBeGreaterThanOrEqual(6);
  });

  // Every group is shrunk and explained; the race itself needs at most 3 decisions. A
  // group that fails several expectations at once may need more (race-s19 has one of
  // 5: three timings, each of which must go one way), so the bound is on the
  // smallest group, not the most frequent.
  it.each(races)('pct breaks %s, shrinks every group, and one of them to at most 3 decisions', async (name) => {
    const scenario = loadScenario(name).scenario;
    const out = await explore({ scenario, strategy: 'pct', runs: 100, jitter: 0.2, depth: 3, maxPreemptions: 2, seed: 1, runSeed: defaultSeed(scenario), judge: {} }, { jobs: 0 });
    expect(out.groups.length).toBeGreaterThan(0);
    for (const g of out.groups) {
      expect(g.shrunk).toBe(true);
      expect(g.decisions).toBeGreaterThan(0);
      expect(g.schedule.explanation).toHaveLength(g.decisions);
    }
    expect(Math.min(...out.groups.map((g) => g.decisions))).toBeLessThanOrEqual(3);
  });
});
