/**
 * Runs a parsed scenario with the CLI's options on the chosen executor, through the
 * run assembly (electron/run) unpaced: a plain task_mgr scenario, or a pageserver
 * scenario with the model as its world (which also checks its expected outcome).
 */
import { checkScenarioExpect } from '../../shared/scenario/expect-check';
import type { AnyScenario } from '../../shared/scenario/pageserver-parse';
import type { TraceEvent } from '../../shared/trace/events';
import type { ExpectationResult } from '../pageserver/expectations';
import { type RunResult, runPageserverScenario, runPageserverScenarioLive, runScenarioLive, runScenarioSim } from '../run/run-scenario';
import type { Decider } from '../sim/decisions';
import type { RunOptions } from './run-options';

export type ExecuteResult = RunResult & { assertions?: ExpectationResult[] };

/** `decider`: a schedule to replay (sim only; electron/explore/). */
export async function execute(scenario: AnyScenario, opts: RunOptions, onEvent?: (e: TraceEvent) => void, decider?: Decider): Promise<ExecuteResult> {
  if (scenario.format === 'taskmgr-pageserver/1') {
    if (opts.mode === 'live') return runPageserverScenarioLive(scenario, { tickMs: opts.tickMs, workers: opts.workers, onEvent, maxSteps: opts.maxSteps });
    return runPageserverScenario(scenario, { seed: opts.seedGiven ? opts.seed : undefined, policy: opts.policy, tickMs: opts.tickMs, workers: opts.workers, onEvent, maxSteps: opts.maxSteps, decider });
  }
  if (opts.mode === 'live') return runScenarioLive(scenario, { seed: opts.seed, policy: opts.policy, tickMs: opts.tickMs, workers: opts.workers, onEvent, pools: opts.pools, logLevel: opts.logLevel, maxSteps: opts.maxSteps });
  const r = await runScenarioSim(scenario, { seed: opts.seed, policy: opts.policy, tickMs: opts.tickMs, workers: opts.workers, onEvent, logLevel: opts.logLevel, maxSteps: opts.maxSteps, decider });
  // A v1 scenario's own expectations are judged on its trace, as scenarios --check does.
  return scenario.expect ? { ...r, assertions: checkScenarioExpect(scenario.expect, r.events) } : r;
}
