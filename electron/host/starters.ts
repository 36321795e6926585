/**
 * Which session runs a scenario: by the mode asked for (the paced simulator, or the
 * live pools); either takes both formats (a plain task_mgr scenario, or a
 * pageserver scenario with the model as its world).
 */
import { type LivePools, startLiveSession } from './live-session';
import { type SessionStarter, startSimSession } from './session';

export const simStarter: SessionStarter = startSimSession;

export function liveStarter(pools: LivePools): SessionStarter {
  return (scenario, options) => startLiveSession(scenario, options, pools);
}
