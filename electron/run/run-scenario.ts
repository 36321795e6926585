/**
 * A run to its end, as the CLI, the conformance suite, the tests and the bench want
 * it: the assembly (./assembly.ts) unpaced, awaited, and its result. Live runs start
 * their own worker pools before time zero (forking takes longer than a tick) and
 * stop them at the end, unless the caller brought running ones (`pools`), which lets
 * several runs share one set of processes.
 */
import type { RuntimeName } from '../../shared/model';
import type { PageserverScenario } from '../../shared/scenario/pageserver-types';
import type { Scenario } from '../../shared/scenario/types';
import type { LogLevel, TraceEvent } from '../../shared/trace/events';
import type { TaskManager } from '../core/task-manager';
import type { ExpectationResult } from '../pageserver/expectations';
import type { PageserverLab } from '../pageserver/lab';
import { pageserverWorld, WORKLOADS_MODULE } from '../pageserver/scenario-world';
import type { ProcessLauncher } from '../pools/launcher';
import type { PoolExecutor } from '../pools/pool-executor';
import { WorkerPools } from '../pools/worker-pools';
import type { Workload } from '../scenario/bodies';
import type { ChoiceObserver, Decider } from '../sim/decisions';
import type { SchedulingPolicy } from '../sim/sim-executor';
import { assembleRun, type Run } from './assembly';
import { liveExecutors, warmUp } from './live';
import { type SimExecutorsOptions, simExecutors } from './sim';
import { taskMgrWorld } from './world';

export interface SimRunOptions {
  seed?: number;
  policy?: SchedulingPolicy;
  workers?: Partial<Record<RuntimeName, number>>;
  /** Recorded in the trace so that exports can show wall-clock-like times (default 10). */
  tickMs?: number;
  workloads?: Record<string, Workload>;
  /** Called for every event as it is appended. */
  onEvent?: (e: TraceEvent) => void;
  /** The lowest level of `log` events recorded (default info, as the pageserver's RUST_LOG). */
  logLevel?: LogLevel;
  /** Keep the events in memory (default true); false for long benchmarks with onEvent. */
  keepEvents?: boolean;
  /** The bound of the run's work (../core/work-limit.ts; default DEFAULT_MAX_STEPS). */
  maxSteps?: number;
  /** Draws every choice of the run (the explorer's schedules; ../sim/decisions.ts); overrides `policy`. */
  decider?: Decider;
  /** Told the context of every choice (the explorer's explanations). */
  observer?: ChoiceObserver;
}

export interface RunResult {
  events: TraceEvent[];
  /** The process exit code, or null when the run reached `end_at`. */
  exitCode: number | null;
  /** Problems of the run itself (a body that awaited something foreign). */
  problems: string[];
  manager: TaskManager;
}

export interface PageserverRunResult extends RunResult {
  assertions: ExpectationResult[];
  lab: PageserverLab;
}

const simOptions = (o: SimRunOptions): SimExecutorsOptions => ({
  seed: o.seed,
  policy: o.policy,
  workers: o.workers,
  maxSteps: o.maxSteps,
  decider: o.decider,
  observer: o.observer,
});

async function finished(run: Run): Promise<RunResult> {
  await run.done;
  return { events: run.log.events, exitCode: run.world.exitCode, problems: [...run.problems], manager: run.world.lastManager };
}

export async function runScenarioSim(scenario: Scenario, options: SimRunOptions = {}): Promise<RunResult> {
  return finished(
    assembleRun({
      scenario,
      executors: simExecutors(simOptions(options)),
      world: taskMgrWorld(scenario, options.workloads),
      tickMs: options.tickMs,
      onEvent: options.onEvent,
      keepEvents: options.keepEvents,
      logLevel: options.logLevel,
    }),
  );
}

export async function runPageserverScenario(scn: PageserverScenario, options: SimRunOptions = {}): Promise<PageserverRunResult> {
  const world = pageserverWorld(scn, options.workloads);
  const run = assembleRun({
    scenario: scn,
    executors: simExecutors(simOptions(options)),
    world,
    tickMs: options.tickMs,
    onEvent: options.onEvent,
    keepEvents: options.keepEvents,
    logLevel: options.logLevel,
  });
  const result = await finished(run);
  return { ...result, assertions: world.assertions, lab: world.lab };
}

export interface LiveRunOptions {
  /** Milliseconds per tick (default 20). */
  tickMs?: number;
  /** `random`: each call joins its victims in an order drawn from `seed` (../scenario/victim-order.ts); `fifo` (default): id order. */
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
  /** Called once the run is set up, just before its first step. */
  onStart?: (run: { manager: TaskManager; executor: PoolExecutor; pools: WorkerPools }) => void;
}

/** Runs on live pools: the caller's, or new ones stopped at the end. */
async function onPools<T>(options: LiveRunOptions, workers: Partial<Record<RuntimeName, number>>, fn: (pools: WorkerPools) => Promise<T>): Promise<T> {
  if (options.pools) return fn(options.pools);
  const pools = new WorkerPools({
    launcher: options.launcher,
    workers: { ...workers, ...options.workers },
    statsIntervalMs: options.statsIntervalMs,
    batching: options.batching,
  });
  try {
    await pools.start();
    return await fn(pools);
  } finally {
    await pools.stop();
  }
}

export async function runScenarioLive(scenario: Scenario, options: LiveRunOptions = {}): Promise<RunResult> {
  return onPools(options, {}, async (pools) => {
    let executor: PoolExecutor | null = null;
    const run = assembleRun({
      scenario,
      executors: liveExecutors(pools, { workloadsModule: options.workloadsModule, maxSteps: options.maxSteps, policy: options.policy, seed: options.seed, onExecutor: (e) => (executor ??= e) }),
      tickMs: options.tickMs ?? 20,
      onEvent: options.onEvent,
      keepEvents: options.keepEvents,
      logLevel: options.logLevel,
    });
    options.onStart?.({ manager: run.world.lastManager, executor: executor!, pools });
    return finished(run);
  });
}

export interface PageserverLiveOptions {
  /** Milliseconds per tick (default 20). */
  tickMs?: number;
  workers?: Partial<Record<RuntimeName, number>>;
  onEvent?: (e: TraceEvent) => void;
  /** The bound of each process lifetime's work (../core/work-limit.ts; default DEFAULT_MAX_STEPS). */
  maxSteps?: number;
}

export async function runPageserverScenarioLive(scn: PageserverScenario, options: PageserverLiveOptions = {}): Promise<PageserverRunResult> {
  const tickMs = options.tickMs ?? 20;
  return onPools(options, { ...scn.pageserver.workers }, async (pools) => {
    const world = pageserverWorld(scn);
    await warmUp(pools, tickMs, WORKLOADS_MODULE);
    const run = assembleRun({ scenario: scn, executors: liveExecutors(pools, { maxSteps: options.maxSteps }), world, tickMs, onEvent: options.onEvent });
    const result = await finished(run);
    return { ...result, assertions: world.assertions, lab: world.lab };
  });
}
