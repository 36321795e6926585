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

  it.each(races)('pct breaks %s and shrinks its first group to at most 3 decisions', async (name) => {
    const scenario = loadScenario(name).scenario;
    const out = await explore({ scenario, strategy: 'pct', runs: 100, jitter: 0.2, depth: 3, maxPreemptions: 2, seed: 1, runSeed: defaultSeed(scenario), judge: {} }, { jobs: 0 });
    expect(out.groups.length).toBeGreaterThan(0);
    const biggest = [...out.groups].sort((a, b) => b.count - a.count)[0];
    expect(biggest.shrunk).toBe(true);
    expect(biggest.decisions).toBeGreaterThan(0);
    expect(biggest.decisions).toBeLessThanOrEqual(3);
    expect(biggest.schedule.explanation).toHaveLength(biggest.decisions);
  });
});
