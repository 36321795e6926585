/**
 * The scenario library: every built-in scenario parses, runs in the simulator with
 * its fixed seed and gives its documented outcome (what `taskmgr-lab scenarios
 * --check` does), and the pageserver ones say which catalog entry they reproduce.
 */
import { describe, expect, it } from 'vitest';
import { libraryNames, loadScenario } from '../../electron/cli/load-scenario';
import { main } from '../../electron/cli/main';
import { checkScenario } from '../../electron/run/library-check';
import { DEMO_SCENARIO } from '../../electron/pageserver/demo';

const names = libraryNames();

describe('the scenario library', () => {
  it('ships the demo and at least 15 entries of the catalog (S1 to S23)', () => {
    expect(names).toContain(DEMO_SCENARIO);
    const catalog = new Set<string>();
    for (const n of names) {
      const { scenario } = loadScenario(n);
      if (scenario.format === 'taskmgr-pageserver/1') {
        for (const c of scenario.catalog) catalog.add(c);
        if (n !== DEMO_SCENARIO) {
          expect(scenario.title, n).not.toBe('');
          expect(scenario.phases.length, n).toBeGreaterThan(0);
          expect(scenario.expect.length, n).toBeGreaterThan(0);
        }
      }
    }
    expect(catalog.size).toBeGreaterThanOrEqual(15);
  });

  it('every taskmgr-scenario/1 entry states its outcome, and the check fails when the outcome differs', async () => {
    for (const n of names) {
      const { scenario } = loadScenario(n);
      if (scenario.format === 'taskmgr-scenario/1') expect(scenario.expect?.length ?? 0, n).toBeGreaterThan(0);
    }
    const demo = loadScenario('demo').scenario;
    if (demo.format !== 'taskmgr-scenario/1') throw new Error('demo is a taskmgr-scenario/1 file');
    const wrong = { ...demo, expect: [{ observed: 'gc t1', via: 'watcher' as const }, { exit_code: 1 }] };
    const r = await checkScenario('demo', wrong);
    expect(r.failures).toEqual([
      'gc t1 observes shutdown via watcher: found it observed shutdown via poll',
      'the process exits with code 1: found exit code 0',
    ]);
  });

  for (const name of names) {
    it(`${name} gives its documented outcome`, async () => {
      const r = await checkScenario(name, loadScenario(name).scenario);
      expect(r.failures).toEqual([]);
    });
  }

  it('taskmgr-lab scenarios --check prints one line per scenario and the totals', async () => {
    const out: string[] = [];
    const code = await main(['scenarios', '--check'], { out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(code).toBe(0);
    expect(out.filter((l) => l.endsWith(': ok'))).toHaveLength(names.length);
    expect(out[out.length - 1]).toBe(`${names.length} passed, 0 failed`);
  });

  it('taskmgr-lab run NAME prints the narration and the expected outcome', async () => {
    const out: string[] = [];
    const code = await main(['run', 's01-detach-while-attaching', '--quiet'], { out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(code).toBe(0);
    expect(out.some((l) => l.includes('== Detach during the downloads =='))).toBe(true);
    expect(out.some((l) => /^expected outcome: (\d+) of \1 hold$/.test(l))).toBe(true);
  });
});
