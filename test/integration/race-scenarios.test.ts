/**
 * The library's `race-*` scenarios: each is a catalog race timed so that its default
 * schedule is safe, and each flips when one of its timed waits lasts what the
 * explorer's jitter bound (20% of the wait) allows. This test makes that change by
 * hand, in the scenario's own durations, so that it proves the design without the
 * explorer: the default passes every expectation with no lint, the nudged run fails.
 * Then through the simulator's decision seam: the default schedule replayed with
 * jitter on gives the same safe run, and the random walk's first schedules (seeded:
 * always the same ones) break every race.
 */
import { describe, expect, it } from 'vitest';
import { libraryNames, loadScenario } from '../../electron/cli/load-scenario';
import { RandomDecider, ReplayDecider, scheduleSeed } from '../../electron/explore/deciders';
import { runScenarioOnce } from '../../electron/explore/run-schedule';
import { runPageserverScenario } from '../../electron/run/run-scenario';
import type { PageserverScenario } from '../../shared/scenario/pageserver-types';

type Nudge = (s: PageserverScenario) => void;
const longer = (key: string, base: number, to: number): Nudge => (s) => {
  expect(s.pageserver.durations[key]).toBe(base);
  expect(to / base).toBeLessThanOrEqual(1.2);
  s.pageserver.durations[key] = to;
};

/** Per race: the timed wait the explorer jitters, moved by at most 20%. */
const NUDGES: Record<string, { what: string; nudge: Nudge }> = {
  'race-s04-shutdown-with-pending-uploads': {
    what: 'WAL records 6 ticks apart instead of 5',
    nudge: (s) => {
      const tl = s.pageserver.tenants[0].timelines[0];
      expect(tl.wal_every).toBe(5);
      tl.wal_every = 6;
    },
  },
  'race-s06-upload-after-detach-snapshot': { what: 'the flush 10% longer', nudge: longer('flushLayer', 150, 165) },
  'race-s07-delete-vs-size-calculation': { what: 'the size calculation 10% longer', nudge: longer('sizeCalculation', 100, 110) },
  'race-s08-untracked-compaction-vs-detach': { what: 'the compaction 10% longer', nudge: longer('compaction', 100, 110) },
  'race-s09-detach-vs-timeline-create': { what: 'initdb 20% longer', nudge: longer('timelineCreate', 100, 120) },
  'race-s17-queue-used-after-stop': { what: 'each flush 10% longer', nudge: longer('flushLayer', 20, 22) },
  'race-s19-two-shutdowns': { what: 'the GetPage 10% longer', nudge: longer('getPage', 100, 110) },
};

const races = libraryNames().filter((n) => n.startsWith('race-'));

async function outcome(s: PageserverScenario) {
  const r = await runPageserverScenario(s, { keepEvents: true });
  return {
    failed: r.assertions.filter((a) => !a.ok).map((a) => a.description),
    lints: r.events.flatMap((e) => (e.ev === 'lint' ? [e.rule] : [])),
  };
}

describe('the race-* scenarios', () => {
  it('cover the timing races S4, S6, S7, S8, S9, S17 and S19, each with a nudge', () => {
    const catalog = races.flatMap((n) => (loadScenario(n).scenario as PageserverScenario).catalog);
    expect(catalog.sort()).toEqual(['S17', 'S19', 'S4', 'S6', 'S7', 'S8', 'S9']);
    expect(races.sort()).toEqual(Object.keys(NUDGES).sort());
  });

  for (const name of races) {
    it(`${name}: the default schedule is safe, ${NUDGES[name]?.what ?? '?'} breaks it`, async () => {
      const scn = loadScenario(name).scenario as PageserverScenario;
      expect(scn.live).toBe(false);
      expect(scn.phases.some((p) => /explorer finds/.test(p.text))).toBe(true);
      const safe = await outcome(scn);
      expect(safe).toEqual({ failed: [], lints: [] });

      const nudged = structuredClone(scn);
      NUDGES[name].nudge(nudged);
      const raced = await outcome(nudged);
      expect(raced.failed.length).toBeGreaterThan(0);
    });
  }

  for (const name of races) {
    it(`${name}: the random walk with 20% jitter breaks it within its first 30 schedules`, async () => {
      const scn = loadScenario(name).scenario;
      const failed = (r: Awaited<ReturnType<typeof runScenarioOnce>>) => r.assertions.some((a) => !a.ok) || r.events.some((e) => e.ev === 'lint') || r.labError !== null;
      expect(failed(await runScenarioOnce(scn, { decider: new ReplayDecider([], 0.2) }))).toBe(false);
      let first = -1;
      for (let i = 0; i < 30 && first < 0; i++) {
        if (failed(await runScenarioOnce(scn, { decider: new RandomDecider(scheduleSeed(1, i), 0.2) }))) first = i;
      }
      expect(first).toBeGreaterThanOrEqual(0);
    });
  }
});
