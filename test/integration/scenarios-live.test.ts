/**
 * Library scenarios whose outcome does not depend on exact timing also hold in live
 * mode: the model in this process, the task bodies in worker processes of the four
 * pools (child_process.fork), on wall time.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../electron/cli/load-scenario';
import { runPageserverScenarioLive } from '../../electron/run/run-scenario';
import type { PageserverScenario } from '../../shared/scenario/pageserver-types';

describe('library scenarios in live mode', () => {
  for (const name of ['s02-crash-during-attach', 's05-delete-timeline-stuck-uploads']) {
    it(`${name} gives its documented outcome`, async () => {
      const scenario = loadScenario(name).scenario as PageserverScenario;
      expect(scenario.live).toBe(true);
      const r = await runPageserverScenarioLive(scenario, { tickMs: 10 });
      expect(r.assertions.filter((a) => !a.ok)).toEqual([]);
      expect(r.events[0]).toMatchObject({ ev: 'scenario', mode: 'live' });
    }, 60_000);
  }
});
