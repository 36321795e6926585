/**
 * The order in which a `shutdown_tasks` call joins its victims in a live run. The
 * seed walks a HashMap, whose order changes from run to run; which victims a call
 * waits for can depend on it (a call that joins its own caller waits for ever, and
 * the victims after it are never joined). The simulator draws that order from its
 * seeded scheduler under `--policy random`; a live run does the same from its seed,
 * so that both orders can be had live and a seed gives the same one again. Under
 * `fifo` the victims are joined in id order, as before.
 */
import type { TaskManagerOptions } from '../core/task-manager';
import type { SchedulingPolicy } from '../sim/sim-executor';
import { Rng } from '../sim/rng';

export function liveVictimOrder(policy: SchedulingPolicy | undefined, seed: number | undefined): TaskManagerOptions['victimOrder'] {
  if (policy !== 'random') return undefined;
  const rng = new Rng(seed ?? 1);
  return (victims) => rng.shuffle(victims);
}
