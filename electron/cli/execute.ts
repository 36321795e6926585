/**
 * Runs a parsed scenario with the CLI's options on the chosen executor.
 */
import type { Scenario } from '../../shared/scenario/types';
import type { TraceEvent } from '../../shared/trace/events';
import { type RunResult, runScenarioSim } from '../scenario/run-sim';
import type { RunOptions } from './run-options';

export async function execute(scenario: Scenario, opts: RunOptions, onEvent?: (e: TraceEvent) => void): Promise<RunResult> {
  if (opts.mode === 'live') {
    const { runScenarioLive } = await import('../scenario/run-live');
    return runScenarioLive(scenario, { tickMs: opts.tickMs, workers: opts.workers, onEvent });
  }
  return runScenarioSim(scenario, { seed: opts.seed, policy: opts.policy, tickMs: opts.tickMs, workers: opts.workers, onEvent });
}
