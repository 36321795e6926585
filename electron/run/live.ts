/**
 * The worker pools as a run's executors: the bodies run in the worker processes,
 * the clock is the wall (a tick is `tickMs` ms, time zero when the run is
 * assembled). Each process lifetime gets its own PoolExecutor on the same pools
 * (a new run on the workers), so a crash or exit ends exactly that lifetime's tasks
 * and a restart starts clean. The pools must be running; they belong to the caller
 * (the CLI starts its own, the Lab keeps one set for many runs).
 */
import { RUNTIME_NAMES } from '../../shared/model';
import { EventLog } from '../core/event-log';
import { TaskManager } from '../core/task-manager';
import { PoolExecutor } from '../pools/pool-executor';
import type { WorkerPools } from '../pools/worker-pools';
import { liveVictimOrder } from '../scenario/victim-order';
import { WallClock } from '../scenario/wall-clock';
import type { SchedulingPolicy } from '../sim/sim-executor';
import type { ExecutorFactory, RunExecutors } from './executors';

export interface LiveExecutorsOptions {
  /** The workloads module the workers load, over the world's (absolute path). */
  workloadsModule?: string;
  /** Hears each process lifetime's executor as it is made (tests reach the run's workers through it). */
  onExecutor?: (executor: PoolExecutor) => void;
  /** `random`: each call joins its victims in an order drawn from `seed` (../scenario/victim-order.ts); `fifo` (default): id order. */
  policy?: SchedulingPolicy;
  /** The seed of the victim orders under `random` (default 1). */
  seed?: number;
  /** The bound of each process lifetime's work: messages from the workers (electron/core/work-limit.ts). */
  maxSteps?: number;
}

export function liveExecutors(pools: WorkerPools, options: LiveExecutorsOptions = {}): ExecutorFactory {
  return (needs): RunExecutors => {
    const clock = new WallClock(needs.tickMs);
    const workloadsModule = options.workloadsModule ?? needs.workloadsModule;
    const executors: PoolExecutor[] = [];
    const problems: string[] = [];
    let ended = false;
    let resolveOver!: () => void;
    const over = new Promise<void>((resolve) => (resolveOver = resolve));
    const endRun = () => {
      if (ended) return;
      ended = true;
      clock.stop();
      for (const e of executors) {
        e.close();
        problems.push(...e.problems);
      }
      resolveOver();
    };
    // One draw of victim orders for the run, across its process lifetimes, as in the simulator.
    const victimOrder = liveVictimOrder(options.policy, options.seed);
    const seeded = options.policy === 'random' ? { seed: options.seed ?? 1, policy: options.policy } : {};
    clock.start();
    return {
      mode: 'live',
      seed: null,
      problems,
      now: () => clock.now(),
      at: (tick, fn) => clock.at(tick, fn),
      scenarioEvent: (name) => ({ ev: 'scenario', name, tick_ms: needs.tickMs, mode: 'live', workers: { ...pools.counts }, ...seeded }),
      jitter: (ticks) => ticks,
      newManager(log, labelSuffix) {
        // Logical time: a sleep counts from when its cause was due, not from when a late message arrived.
        const exec = new PoolExecutor(pools, { templates: needs.templates, tickMs: needs.tickMs, workloadsModule, now: () => clock.logicalEpochMs(), maxSteps: options.maxSteps });
        executors.push(exec);
        options.onExecutor?.(exec);
        const manager = new TaskManager(log, { labelSuffix, victimOrder });
        manager.attach(exec);
        exec.connect(manager, log);
        // Closed while its process lives: the pools were stopped under the run, nothing can run any more.
        exec.onClose(() => {
          if (!manager.isExited) endRun();
        });
        return manager;
      },
      go: () => over,
      apply: async (fn) => fn(),
      endRun,
    };
  };
}

/**
 * Every worker loads (and compiles) a workloads module when a run begins; that can
 * take longer than many ticks. A throwaway run with one trivial task per worker,
 * awaited before time zero, keeps it out of the scenario's time.
 */
export async function warmUp(pools: WorkerPools, tickMs: number, workloadsModule: string): Promise<void> {
  const log = new EventLog(() => 0, false);
  const exec = new PoolExecutor(pools, { tickMs, workloadsModule });
  const manager = new TaskManager(log);
  manager.attach(exec);
  exec.connect(manager, log);
  let pending = 0;
  const done = new Promise<void>((resolve) => {
    log.subscribe((e) => {
      if (e.ev === 'exit' && --pending === 0) resolve();
    });
  });
  for (const runtime of RUNTIME_NAMES) {
    for (let i = 0; i < pools.counts[runtime]; i++) {
      pending++;
      manager.spawn({ runtime, kind: 'Compaction', tenant: null, timeline: null, name: 'warmup', shutdownProcessOnError: false, body: { type: 'workload', name: 'Warmup' } });
    }
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, 30_000)))]);
  clearTimeout(timer);
  exec.close();
}
