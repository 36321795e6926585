/**
 * A live run for the Lab: the scenario's bodies run in the worker processes of the
 * four runtime pools, the driver on wall time. The Lab can stop a run in the middle
 * and keeps the pools for the next one (forking sixteen processes takes longer than
 * a run of a few ticks): the pools belong to the Lab (`LivePools`), each run is
 * assembled on them (electron/run) and closes its executors at its end.
 *
 * The log stays readable while the pools start: the run's events appear once time
 * zero has come, and a command sent before waits for it.
 */
import { RUNTIME_NAMES, type RuntimeName } from '../../shared/model';
import { type AnyScenario, isPageserverScenario } from '../../shared/scenario/pageserver-parse';
import { pageserverWorld } from '../pageserver/scenario-world';
import type { ProcessLauncher } from '../pools/launcher';
import { DEFAULT_WORKERS_PER_POOL, WorkerPools } from '../pools/worker-pools';
import { assembleRun } from '../run/assembly';
import { liveExecutors } from '../run/live';
import { taskMgrWorld } from '../run/world';
import { liveSession } from './live-frame';
import type { RunSession, SessionOptions } from './session';

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

/**
 * A live session of either format: the pools readied for the scenario's worker
 * counts, then the run assembled on them (electron/run), its events forwarded to
 * the session as they come. Under `random` a plain scenario's calls join their
 * victims in an order drawn from the seed (../scenario/victim-order.ts).
 */
export function startLiveSession(scenario: AnyScenario, options: SessionOptions, pools: LivePools): RunSession {
  const { tickMs, maxSteps } = options;
  const pageserver = isPageserverScenario(scenario);
  const seeded = !pageserver && options.policy === 'random' ? (options.seed ?? 1) : null;
  return liveSession(async (frame) => {
    const workers = await pools.ready(pageserver ? { ...scenario.pageserver.workers } : {});
    if (frame.stopping) return null;
    return assembleRun({
      scenario,
      executors: liveExecutors(workers, {
        workloadsModule: pools.options.workloadsModule,
        maxSteps,
        ...(pageserver ? {} : { policy: options.policy, seed: options.seed }),
      }),
      world: pageserver ? pageserverWorld(scenario) : taskMgrWorld(scenario),
      tickMs,
      onEvent: frame.append,
      keepEvents: false,
    });
  }, seeded);
}
