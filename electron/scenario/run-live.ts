/**
 * Runs a scenario live: one coordinator, its bodies in the worker processes of the
 * four runtime pools, the driver on wall time (a tick is `tickMs` ms). The
 * counterpart of ./run-sim.ts, with the same result, so that the CLI, the Lab and
 * the conformance suite run either mode alike.
 *
 * The pools start before time zero (forking takes longer than a tick) and are
 * always stopped at the end, unless the caller brought its own (`pools`), which
 * lets several runs share one set of processes, one after another or side by side.
 * The run ends after `end` at `end_at`, or at process exit (the shutdown sequence,
 * or a worker crash), or when shared pools are stopped under it.
 */
import type { RuntimeName } from '../../shared/model';
import type { Scenario } from '../../shared/scenario/types';
import type { LogLevel, TraceEvent } from '../../shared/trace/events';
import { EventLog } from '../core/event-log';
import { TaskManager } from '../core/task-manager';
import type { ProcessLauncher } from '../pools/launcher';
import { PoolExecutor } from '../pools/pool-executor';
import { WorkerPools } from '../pools/worker-pools';
import type { SchedulingPolicy } from '../sim/sim-executor';
import { driveScenario } from './driver';
import type { RunResult } from './run-sim';
import { liveVictimOrder } from './victim-order';
import { WallClock } from './wall-clock';

export interface LiveRunOptions {
  /** Milliseconds per tick (default 20). */
  tickMs?: number;
  /** `random`: each call joins its victims in an order drawn from `seed` (./victim-order.ts); `fifo` (default): id order. */
  policy?: SchedulingPolicy;
  /** The seed of the victim orders under `random` (default 1). */
  seed?: number;
  /** Workers per runtime (default 2); ignored with `pools`. */
  workers?: Partial<Record<RuntimeName, number>>;
  /** How workers start (default: child_process.fork); ignored with `pools`. */
  launcher?: ProcessLauncher;
  /** Called for every event as it is appended. */
  onEvent?: (e: TraceEvent) => void;
  /** `pool_stats` period (default 250 ms); ignored with `pools`. */
  statsIntervalMs?: number;
  /** Batch messages both ways (default true); ignored with `pools`. */
  batching?: boolean;
  /** Keep the events in memory (default true). */
  keepEvents?: boolean;
  /** The lowest level of `log` events recorded (default info, as the pageserver's RUST_LOG). */
  logLevel?: LogLevel;
  /** Pools already started: the run uses them and leaves them running. */
  pools?: WorkerPools;
  /** A module exporting `workloads` for named workload bodies (absolute path). */
  workloadsModule?: string;
  /** The bound of the run's work (../core/work-limit.ts; default DEFAULT_MAX_STEPS). */
  maxSteps?: number;
  /** Called once the run is set up, just before time zero. */
  onStart?: (run: { manager: TaskManager; executor: PoolExecutor; pools: WorkerPools }) => void;
}

export async function runScenarioLive(scenario: Scenario, options: LiveRunOptions = {}): Promise<RunResult> {
  const tickMs = options.tickMs ?? 20;
  const owned = !options.pools;
  const pools =
    options.pools ??
    new WorkerPools({
      launcher: options.launcher,
      workers: options.workers,
      statsIntervalMs: options.statsIntervalMs,
      batching: options.batching,
    });
  const clock = new WallClock(tickMs);
  try {
    if (owned) await pools.start();
    const exec = new PoolExecutor(pools, {
      templates: scenario.tasks,
      tickMs,
      workloadsModule: options.workloadsModule,
      now: () => clock.logicalEpochMs(),
      maxSteps: options.maxSteps,
    });
    const log = new EventLog(() => clock.now(), options.keepEvents ?? true);
    if (options.logLevel) log.setLogLevel(options.logLevel);
    if (options.onEvent) log.subscribe(options.onEvent);
    const manager = new TaskManager(log, { victimOrder: liveVictimOrder(options.policy, options.seed) });
    manager.attach(exec);
    exec.connect(manager, log);

    const finished = new Promise<void>((resolve) => {
      manager.onProcessExit(() => resolve());
      exec.onClose(() => resolve()); // e.g. the pools were stopped under the run
      driveScenario(manager, scenario, clock, () => resolve());
    });
    options.onStart?.({ manager, executor: exec, pools });
    clock.start();
    const order = options.policy === 'random' ? { seed: options.seed ?? 1, policy: options.policy } : {};
    log.emit({ ev: 'scenario', name: scenario.name, tick_ms: tickMs, mode: 'live', workers: { ...pools.counts }, ...order });
    await finished;
    clock.stop();
    exec.close();
    return { events: log.events, exitCode: manager.processExitCode, problems: exec.problems, manager };
  } finally {
    clock.stop();
    if (owned) await pools.stop();
  }
}
