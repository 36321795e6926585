/**
 * Which session runs a scenario: by its format (a plain task_mgr scenario, or a
 * pageserver scenario with the model) and the mode asked for (the paced simulator,
 * or the live pools).
 */
import { type AnyScenario, isPageserverScenario } from '../../shared/scenario/pageserver-parse';
import { type LivePools, startLiveSession } from './live-session';
import { startPageserverLiveSession, startPageserverSimSession } from './pageserver-session';
import { type RunSession, type SessionOptions, type SessionStarter, startSimSession } from './session';

export const simStarter: SessionStarter = (scenario: AnyScenario, options: SessionOptions): RunSession =>
  isPageserverScenario(scenario) ? startPageserverSimSession(scenario, options) : startSimSession(scenario, options);

export function liveStarter(pools: LivePools): SessionStarter {
  return (scenario, options) =>
    isPageserverScenario(scenario) ? startPageserverLiveSession(scenario, options.tickMs, pools) : startLiveSession(scenario, options.tickMs, pools, options);
}
