/**
 * Runs a pageserver scenario live: the model in this (coordinator) process on wall
 * time, the task bodies in the worker processes of the four pools. Each process
 * lifetime gets its own PoolExecutor (a new run on the same pools), so a crash or
 * exit ends exactly that lifetime's tasks and a restart starts clean. Outcomes that
 * depend on exact timing may differ from the simulator (scenarios say `live: false`).
 */
import { join } from 'node:path';
import { RUNTIME_NAMES, type RuntimeName } from '../../shared/model';
import type { PageserverScenario } from '../../shared/scenario/pageserver-types';
import type { TraceEvent } from '../../shared/trace/events';
import { EventLog } from '../core/event-log';
import { TaskManager } from '../core/task-manager';
import { PoolExecutor } from '../pools/pool-executor';
import { WorkerPools } from '../pools/worker-pools';
import { WallClock } from '../scenario/wall-clock';
import type { ExpectationResult } from './expectations';
import { PageserverLab, type LabHost } from './lab';
import { checkRemaining, configOf, driveLab, type PageserverRunResult } from './scenario-run';

export interface PageserverLiveOptions {
  /** Milliseconds per tick (default 20). */
  tickMs?: number;
  workers?: Partial<Record<RuntimeName, number>>;
  onEvent?: (e: TraceEvent) => void;
}

export const WORKLOADS_MODULE = join(__dirname, 'workloads', 'module.ts');

/**
 * The LabHost of a live run: the wall clock, and for each process lifetime a new
 * PoolExecutor on the same pools (collected in `executors`, for the caller to close).
 * Sleeps count from when their cause was due, not from when a late message arrived.
 */
export function liveLabHost(
  scn: PageserverScenario,
  pools: WorkerPools,
  clock: WallClock,
  tickMs: number,
  workloadsModule: string,
  executors: PoolExecutor[],
): LabHost {
  return {
    now: () => clock.now(),
    at: (tick, fn) => clock.at(tick, fn),
    newManager(plog, labelSuffix) {
      const exec = new PoolExecutor(pools, { templates: scn.tasks, tickMs, workloadsModule, now: () => clock.logicalEpochMs() });
      executors.push(exec);
      const manager = new TaskManager(plog, { labelSuffix });
      manager.attach(exec);
      exec.connect(manager, plog);
      return manager;
    },
  };
}

/**
 * Every worker loads (and compiles) the workloads module when a run begins; that can
 * take longer than many ticks. A throwaway run with one trivial task per worker,
 * awaited before time zero, keeps it out of the scenario's time.
 */
async function warmUp(pools: WorkerPools, tickMs: number): Promise<void> {
  const log = new EventLog(() => 0, false);
  const exec = new PoolExecutor(pools, { tickMs, workloadsModule: WORKLOADS_MODULE });
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

export async function runPageserverScenarioLive(scn: PageserverScenario, options: PageserverLiveOptions = {}): Promise<PageserverRunResult> {
  const tickMs = options.tickMs ?? 20;
  const pools = new WorkerPools({ workers: { ...scn.pageserver.workers, ...options.workers } });
  const clock = new WallClock(tickMs);
  const executors: PoolExecutor[] = [];
  const problems: string[] = [];
  try {
    await pools.start();
    await warmUp(pools, tickMs);
    const log = new EventLog(() => clock.now());
    if (options.onEvent) log.subscribe(options.onEvent);
    const lab = new PageserverLab(liveLabHost(scn, pools, clock, tickMs, WORKLOADS_MODULE, executors), configOf(scn), log);
    let assertions: ExpectationResult[] = [];
    const finished = new Promise<void>((resolve) => {
      assertions = driveLab(scn, lab, () => resolve());
    });
    clock.start();
    log.emit({ ev: 'scenario', name: scn.name, tick_ms: tickMs, mode: 'live', workers: { ...pools.counts } });
    await finished;
    clock.stop();
    for (const e of executors) {
      e.close();
      problems.push(...e.problems);
    }
    checkRemaining(scn, lab, assertions);
    const last = lab.last!;
    return { events: log.events, exitCode: last.exitCode, problems, manager: last.manager, assertions, lab };
  } finally {
    clock.stop();
    await pools.stop();
  }
}
