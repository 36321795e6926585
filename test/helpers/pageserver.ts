/**
 * Test helpers for the pageserver model: a scenario from a compact object (checked
 * by the real parser, format `taskmgr-pageserver/1`), run on the simulator, with
 * small queries over the events.
 */
import { parsePageserverScenarioValue } from '../../shared/scenario/pageserver-parse';
import type { PageserverScenario } from '../../shared/scenario/pageserver-types';
import { runPageserverScenario } from '../../electron/run/run-scenario';
import { Query } from './sim';

export function psScenario(fields: Record<string, unknown>): PageserverScenario {
  return parsePageserverScenarioValue({ format: 'taskmgr-pageserver/1', name: 'test', steps: [], end_at: 200, ...fields });
}

export async function runPs(fields: Record<string, unknown>, seed?: number) {
  const r = await runPageserverScenario(psScenario(fields), { seed });
  return { ...r, q: new Query(r.events) };
}

/** The last state event of a tenant (in the whole run). */
export function tenantStates(q: Query, tenant: string): string[] {
  return q.of('tenant_state').filter((e) => e.tenant === tenant).map((e) => e.state);
}

export const quiet = { compaction_period: 0, gc_period: 0 };
