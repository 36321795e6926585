/**
 * `scenarios --check`: runs scenarios in the simulator with their fixed seeds and
 * reports each as ok or failed with the expectations that did not hold (and any
 * problem of the run itself). Both formats' `expect` blocks are checked. Used by
 * the CLI and by the integration test.
 */
import { checkScenarioExpect } from '../../shared/scenario/expect-check';
import type { AnyScenario } from '../../shared/scenario/pageserver-parse';
import { runPageserverScenario, runScenarioSim } from './run-scenario';

export interface CheckResult {
  name: string;
  ok: boolean;
  failures: string[];
}

export async function checkScenario(name: string, scenario: AnyScenario): Promise<CheckResult> {
  const failures: string[] = [];
  if (scenario.format === 'taskmgr-pageserver/1') {
    const r = await runPageserverScenario(scenario, { keepEvents: true });
    for (const a of r.assertions) if (!a.ok) failures.push(`${a.description}: found ${a.detail}`);
    failures.push(...r.problems.map((p) => `problem: ${p}`));
  } else {
    const r = await runScenarioSim(scenario);
    for (const a of checkScenarioExpect(scenario.expect, r.events)) if (!a.ok) failures.push(`${a.description}: found ${a.detail}`);
    failures.push(...r.problems.map((p) => `problem: ${p}`));
  }
  return { name, ok: failures.length === 0, failures };
}

export async function checkLibrary(entries: Array<{ name: string; scenario: AnyScenario }>): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const e of entries) out.push(await checkScenario(e.name, e.scenario));
  return out;
}
