/**
 * A live run for the Lab: the scenario's bodies run in the worker processes of the
 * four runtime pools, the driver on wall time. It is electron/scenario/run-live.ts
 * taken apart so that the Lab can stop a run in the middle and keep the pools for
 * the next one (forking sixteen processes takes longer than a run of a few ticks):
 * the pools belong to the Lab (`LivePools`), each run opens one PoolExecutor on
 * them and closes it at its end.
 *
 * The log stays readable while the pools start: the run's events appear once time
 * zero has come, and a command sent before waits for it.
 */
import { RUNTIME_NAMES, type RuntimeName } from '../../shared/model';
import type { Scenario } from '../../shared/scenario/types';
import { EventLog } from '../core/event-log';
import { TaskManager } from '../core/task-manager';
import type { ProcessLauncher } from '../pools/launcher';
import { PoolExecutor } from '../pools/pool-executor';
import { DEFAULT_WORKERS_PER_POOL, WorkerPools } from '../pools/worker-pools';
import type { SchedulingPolicy } from '../sim/sim-executor';
import { driveScenario } from '../scenario/driver';
import { liveVictimOrder } from '../scenario/victim-order';
import { WallClock } from '../scenario/wall-clock';
import { liveSession } from './live-frame';
import { type RunSession, stopMessage } from './session';

export interface LivePoolsOptions {
  /** How workers start: `utilityProcess` in Electron, `child_process.fork` elsewhere (the default). */
  launcher?: ProcessLauncher;
  workers?: Partial<Record<RuntimeName, number>>;
  /** The pageserver workloads module the workers load for pageserver scenarios (absolute path; default: the sources' module.ts). */
  workloadsModule?: string;
}

/** The Lab's worker pools: started on the first live run, restarted after a crash, stopped with the Lab. */
export class LivePools {
  private pools: WorkerPools | null = null;
  private starting: Promise<WorkerPools> | null = null;

  constructor(readonly options: LivePoolsOptions = {}) {}

  /**
   * Running pools, started (or restarted after a crash) if needed; `workers` (per
   * runtime, over the defaults) different from the running set's starts a new set.
   */
  async ready(workers: Partial<Record<RuntimeName, number>> = {}): Promise<WorkerPools> {
    while (this.starting) await this.starting.catch(() => undefined);
    const wanted = { ...this.options.workers, ...workers };
    if (this.pools && !sameCounts(this.pools, wanted)) {
      const old = this.pools;
      this.pools = null;
      await old.stop();
    }
    const pools = (this.pools ??= new WorkerPools({ launcher: this.options.launcher, workers: wanted }));
    if (pools.state === 'running') return pools;
    this.starting = (async () => {
      if (pools.state === 'crashed') await pools.restart();
      else if (pools.state !== 'running') await pools.start();
      return pools;
    })().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.pools?.stop();
  }
}

/** Do the running pools have these worker counts (missing ones: the default)? */
function sameCounts(pools: WorkerPools, wanted: Partial<Record<RuntimeName, number>>): boolean {
  return RUNTIME_NAMES.every((r) => pools.counts[r] === Math.max(1, Math.floor(wanted[r] ?? DEFAULT_WORKERS_PER_POOL)));
}

/** `order`: the victim order of the run's calls (`random` draws it from the seed, ../scenario/victim-order.ts). */
export function startLiveSession(scenario: Scenario, tickMs: number, pools: LivePools, order: { seed?: number; policy?: SchedulingPolicy } = {}): RunSession {
  const clock = new WallClock(tickMs);
  const seeded = order.policy === 'random' ? { seed: order.seed ?? 1, policy: order.policy } : null;
  return liveSession(clock, async (frame) => {
    const workers = await pools.ready();
    if (frame.stopping) return null;
    // Logical time: a sleep counts from when its cause was due, not from when a late message arrived.
    const exec = new PoolExecutor(workers, { templates: scenario.tasks, tickMs, now: () => clock.logicalEpochMs() });
    const log = new EventLog(() => clock.now(), false);
    log.subscribe(frame.append);
    const manager = new TaskManager(log, { victimOrder: liveVictimOrder(order.policy, order.seed) });
    manager.attach(exec);
    exec.connect(manager, log);
    manager.onProcessExit(frame.endRun);
    exec.onClose(frame.endRun); // the pools were stopped under the run
    driveScenario(manager, scenario, clock, frame.endRun);
    clock.start();
    log.emit({ ev: 'scenario', name: scenario.name, tick_ms: tickMs, mode: 'live', workers: { ...workers.counts }, ...seeded });
    return {
      log,
      manager: () => manager,
      stopMessage: () => stopMessage(log, manager),
      finish() {
        exec.close();
        return exec.problems;
      },
    };
  }, seeded?.seed ?? null);
}
