/**
 * The explorer breaks every race-* scenario of the library (issue 13: "the explorer
 * must break each one"): `taskmgr-lab explore race-X --strategy pct --json` exits 1
 * with at least one failure group whose schedule is shrunk to at most 3 decisions
 * (each race here needs one timing) and explained in words. 60 schedules are enough
 * (the bound is 2,000; the seeded PCT finds each in its first few), so that
 * the test stays cheap; one job, so that it does not compete with the other tests.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { libraryNames } from '../../electron/cli/load-scenario';
import { main } from '../../electron/cli/main';
import { tempDir } from '../helpers/temp';

const dir = tempDir('taskmgr-race-explore-');
const races = libraryNames().filter((n) => n.startsWith('race-'));

interface ExploreJson {
  runs: number;
  failures: Array<{ signature: string; count: number; schedule: string; decisions: number; explanation: string }>;
}

describe('the explorer on the race-* scenarios', () => {
  it('has the seven races to break', () => {
    expect(races).toHaveLength(7);
  });

  for (const name of races) {
    it(`breaks ${name} with pct and shrinks it to at most 3 decisions`, async () => {
      const out: string[] = [];
      const code = await main(['explore', name, '--strategy', 'pct', '--runs', '60', '--jobs', '1', '--json', '--out', join(dir, name)], {
        out: (l) => out.push(l),
        err: (l) => out.push(l),
      });
      expect(code, out.join('\n')).toBe(1);
      const j = JSON.parse(out.join('\n')) as ExploreJson;
      expect(j.runs).toBe(60);
      expect(j.failures.length).toBeGreaterThan(0);
      const best = Math.min(...j.failures.map((f) => f.decisions));
      expect(best).toBeGreaterThan(0);
      expect(best).toBeLessThanOrEqual(3);
      for (const f of j.failures) expect(f.explanation).toMatch(/^needs \d+ decisions?: /);
    });
  }
});
