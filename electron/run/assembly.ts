/**
 * The one assembly of a run (DESIGN.md section 3, electron/run): a parsed scenario,
 * an executor factory (./sim.ts or ./live.ts), the clock's tick, an optional pacer
 * and an optional world (the plain task_mgr driver by default; the pageserver model
 * plugs in here). Every way of running a scenario goes through it: the CLI and the
 * tests (unpaced, awaiting the end), the Lab's sessions (paced or live, taking
 * commands), and the explorer (thousands of unpaced runs a second, so assembling
 * one reads no file and sets no timer).
 *
 * The run's events go to one EventLog; `scenario` is its first event. Commands from
 * the Lab run outside any task (the seed's signal handler runs on the main thread),
 * at the run's current time.
 */
import type { RunMode } from '../../shared/protocol/lab';
import type { PageserverAction } from '../../shared/protocol/lab';
import type { LogLevel, TraceEvent } from '../../shared/trace/events';
import { EventLog } from '../core/event-log';
import { runWithLocals } from '../core/task-locals';
import type { TaskManager } from '../core/task-manager';
import type { ExecutorFactory, RunPacer } from './executors';
import { LabError } from './errors';
import { taskMgrWorld, type World } from './world';
import type { Scenario } from '../../shared/scenario/types';
import type { TaskTemplate } from '../../shared/scenario/types';

export interface RunSpec {
  /** The parsed scenario (its name, end and task templates; the world drives its steps). */
  scenario: { name: string; tasks: Record<string, TaskTemplate> };
  executors: ExecutorFactory;
  /** Milliseconds per tick (default 10 in the simulator, where it is only recorded; 20 live). */
  tickMs?: number;
  /** Paces the simulator against the wall clock (the Lab's sim mode). */
  pacer?: RunPacer;
  /** What the run drives; a plain task_mgr scenario's driver when absent. */
  world?: World;
  /** Hears every event as it is appended. */
  onEvent?: (e: TraceEvent) => void;
  /** Keep the events in memory (default true); false for long runs read through `onEvent`. */
  keepEvents?: boolean;
  /** The lowest level of `log` events recorded (default info, as the pageserver's RUST_LOG). */
  logLevel?: LogLevel;
}

export interface Run {
  readonly mode: RunMode;
  /** The simulator's seed, null in live mode. */
  readonly seed: number | null;
  readonly log: EventLog;
  readonly world: World;
  /** Problems of the run itself (a body that awaited something foreign, a malformed worker message). */
  readonly problems: readonly string[];
  /** Resolves when the run has ended and its world has checked what was left; rejects if the executor failed. */
  readonly done: Promise<void>;
  readonly running: boolean;
  /** Runs a command on the current coordinator, outside any task, at the run's current time. */
  apply<T>(fn: (manager: TaskManager) => T): Promise<T>;
  /** Ends the run now (the user's stop): logged, then `end` with what is still registered. */
  stop(): Promise<void>;
  /** Starts a new process from the same state if the last one has exited (pageserver runs). */
  restartProcess(): Promise<boolean>;
  /** A user's operation on the pageserver model. */
  pageserver(action: PageserverAction): Promise<void>;
}

/** Runs `fn` outside any task, its warnings going to the run's log (as the driver does). */
export function outsideAnyTask<T>(log: EventLog, fn: () => T): T {
  const warn = (message: string) => log.emit({ ev: 'log', level: 'warn', task: null, message });
  return runWithLocals({ task: null, warn }, fn);
}

export function assembleRun(spec: RunSpec): Run {
  const world = spec.world ?? taskMgrWorld(spec.scenario as Scenario);
  const needs = world.needs;
  const tickMs = spec.tickMs ?? 10;
  const exec = spec.executors({
    templates: spec.scenario.tasks,
    workloads: needs.workloads,
    workloadsModule: needs.workloadsModule,
    workers: needs.workers,
    seed: needs.seed,
    drainCoordinator: needs.drainCoordinator,
    tickMs,
    pacer: spec.pacer,
  });
  const log = new EventLog(() => exec.now(), spec.keepEvents ?? true);
  if (spec.logLevel) log.setLogLevel(spec.logLevel);
  if (spec.onEvent) log.subscribe(spec.onEvent);

  let running = true;
  let stopped = false;
  const endRun = () => exec.endRun();
  log.emit(exec.scenarioEvent(spec.scenario.name));
  world.open(
    { log, now: () => exec.now(), at: (tick, fn) => exec.at(tick, fn), jitter: (ticks, task, what) => exec.jitter(ticks, task, what), newManager: (l, suffix) => exec.newManager(l, suffix) },
    endRun,
  );

  const done = exec.go().finally(() => {
    running = false;
    exec.endRun();
    world.finish(stopped);
  });
  const command = <T>(fn: () => T): Promise<T> => exec.apply(() => outsideAnyTask(log, fn));

  return {
    mode: exec.mode,
    seed: exec.seed,
    log,
    world,
    problems: exec.problems,
    done,
    get running() {
      return running;
    },
    apply: (fn) => command(() => fn(world.manager())),
    async stop() {
      if (running) {
        stopped = true;
        await command(() => world.stopMessage());
      }
      exec.endRun();
      await done.catch(() => undefined);
    },
    async restartProcess() {
      if (!running || !world.restartProcess) return false;
      return command(() => world.restartProcess!());
    },
    async pageserver(action) {
      if (!world.pageserver) throw new LabError('this run is not a pageserver scenario: open one from the library (for example pageserver-demo)');
      await command(() => world.pageserver!(action));
    },
  };
}
