/**
 * One run of the Lab, whatever executes it: its event log and the few controls the
 * Lab needs while it runs (apply a command, stop, restart the process). This module
 * has the shape and the simulator's session, paced against the wall clock (one tick
 * lasts `tickMs`), so that the user watches the run unfold and can inject faults and
 * shut tasks down while it goes on; live runs (./live-session.ts) have the same
 * shape. Both are the run assembly of electron/run.
 *
 * Commands from the UI are applied outside any task, like the driver's steps (the
 * seed's signal handler runs on the main thread, not in a task), at the virtual
 * time they arrive: the pacer is woken first so that the clock catches up with the
 * wall, then the command runs, then the pacer is woken again so that the scheduler
 * runs whatever the command made ready.
 */
import type { PageserverAction } from '../../shared/protocol/lab';
import type { RuntimeName } from '../../shared/model';
import type { RunMode } from '../../shared/protocol/lab';
import type { AnyScenario } from '../../shared/scenario/pageserver-parse';
import { isPageserverScenario } from '../../shared/scenario/pageserver-parse';
import type { TraceEvent } from '../../shared/trace/events';
import type { TaskManager } from '../core/task-manager';
import { pageserverWorld } from '../pageserver/scenario-world';
import { assembleRun } from '../run/assembly';
import { simExecutors } from '../run/sim';
import { taskMgrWorld } from '../run/world';
import type { Workload } from '../scenario/bodies';
import type { SchedulingPolicy } from '../sim/sim-executor';
import { WallPacer } from '../sim/wall-pacer';

export interface RunSession {
  readonly mode: RunMode;
  /** The simulator's seed, null in live mode. */
  readonly seed: number | null;
  /** The run's events so far (the array grows; it is never replaced). */
  readonly events: readonly TraceEvent[];
  /** Hears every event appended from now on. */
  subscribe(listener: (event: TraceEvent) => void): () => void;
  /** Resolves when the run has ended: its end_at, process exit, or `stop`. */
  readonly done: Promise<void>;
  readonly running: boolean;
  /** Problems of the run itself (a body that awaited something foreign, a malformed worker message). */
  readonly problems: readonly string[];
  /** Runs a command on the coordinator, outside any task, at the run's current time. */
  apply<T>(fn: (manager: TaskManager) => T): Promise<T>;
  /** Ends the run now: `end` is logged with what is still registered. */
  stop(): Promise<void>;
  /**
   * Starts a new pageserver process from the same disk, in this run, if its process
   * has exited or crashed (pageserver scenarios only); false if it cannot.
   */
  restartProcess?(): Promise<boolean>;
  /** Performs an operation on the pageserver model (pageserver scenarios only). */
  pageserver?(action: PageserverAction): Promise<void>;
}

/** Starts a run of a scenario (of either format) in one mode. */
export type SessionStarter = (scenario: AnyScenario, options: SessionOptions) => RunSession;

export interface SessionOptions {
  /** The simulator's seed; the scenario's own (or 1) when absent. */
  seed?: number;
  policy: SchedulingPolicy;
  tickMs: number;
  workers?: Partial<Record<RuntimeName, number>>;
  workloads?: Record<string, Workload>;
  /** The bound of the run's work (electron/core/work-limit.ts; default DEFAULT_MAX_STEPS). */
  maxSteps?: number;
}

/**
 * The Lab's session of a run on the simulator, paced against the wall clock (one
 * tick lasts `tickMs`): a plain task_mgr scenario or a pageserver scenario (its
 * world), the same assembly as every other run (electron/run). A failure of the
 * simulator itself becomes an `error` event rather than a rejection.
 */
export function startSimSession(scenario: AnyScenario, options: SessionOptions): RunSession {
  const world = isPageserverScenario(scenario) ? pageserverWorld(scenario, options.workloads) : taskMgrWorld(scenario, options.workloads);
  const run = assembleRun({
    scenario,
    executors: simExecutors({ seed: options.seed, policy: options.policy, workers: options.workers, maxSteps: options.maxSteps }),
    world,
    tickMs: options.tickMs,
    pacer: new WallPacer(options.tickMs),
  });
  const done = run.done.catch((err: unknown) => {
    run.log.emit({ ev: 'error', message: `the simulator failed: ${err instanceof Error ? err.message : String(err)}`, source: 'sim' });
  });
  return {
    mode: 'sim',
    seed: run.seed,
    events: run.log.events,
    subscribe: (listener) => run.log.subscribe(listener),
    done,
    get running() {
      return run.running;
    },
    problems: run.problems,
    apply: (fn) => run.apply(fn),
    async stop() {
      await run.stop();
      await done;
    },
    restartProcess: world.restartProcess ? () => run.restartProcess() : undefined,
    pageserver: world.pageserver ? (action) => run.pageserver(action) : undefined,
  };
}
