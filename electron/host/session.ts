/**
 * One run of the Lab, whatever executes it: its event log and the few controls the
 * Lab needs while it runs (apply a command, stop, restart the process). This module
 * has the shape and the simulator run of a plain task_mgr scenario, paced against
 * the wall clock (one tick lasts `tickMs`), so that the user watches the run unfold
 * and can inject faults and shut tasks down while it goes on. Pageserver scenarios
 * (./pageserver-session.ts) and live runs (./live-session.ts) have the same shape.
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
import type { Scenario } from '../../shared/scenario/types';
import type { TraceEvent } from '../../shared/trace/events';
import { EventLog } from '../core/event-log';
import { runWithLocals } from '../core/task-locals';
import { TaskManager } from '../core/task-manager';
import { makeBodyResolver, type Workload } from '../scenario/bodies';
import { driveScenario } from '../scenario/driver';
import { type SchedulingPolicy, SimExecutor } from '../sim/sim-executor';
import { DRIVER } from '../sim/virtual-clock';
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

/** Runs `fn` outside any task, its warnings going to the run's log (as the driver does). */
export function outsideAnyTask<T>(log: EventLog, fn: () => T): T {
  const warn = (message: string) => log.emit({ ev: 'log', level: 'warn', task: null, message });
  return runWithLocals({ task: null, warn }, fn);
}

/** What a stop from the Lab leaves in the log: a line saying so, and `end` with what is still registered. */
export function stopMessage(log: EventLog, manager: TaskManager): void {
  if (manager.isExited) return;
  log.emit({ ev: 'log', level: 'info', task: null, message: 'run stopped from the Lab' });
  manager.end(true);
}

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A SimExecutor running on wall time: the common part of every simulated session. */
export interface PacedRun {
  readonly running: boolean;
  /** Resolves when the executor's run has returned. */
  readonly finished: Promise<void>;
  /** Runs `fn` outside any task at the virtual time of now, then lets the scheduler go on. */
  apply<T>(fn: () => T): Promise<T>;
  /** Ends the run: nothing is scheduled any more. */
  halt(): void;
}

/** Starts `exec.run()` paced at `tickMs` per tick; schedule the driver before calling this. */
export function pacedRun(exec: SimExecutor, log: EventLog, tickMs: number): PacedRun {
  const pacer = new WallPacer(tickMs);
  exec.setPacer(pacer);
  let running = true;
  const finished = exec
    .run()
    .then(
      () => undefined,
      (err: unknown) => {
        log.emit({ ev: 'error', message: `the simulator failed: ${err instanceof Error ? err.message : String(err)}`, source: 'sim' });
      },
    )
    .finally(() => {
      running = false;
      pacer.stop();
    });
  return {
    get running() {
      return running;
    },
    finished,
    async apply<T>(fn: () => T): Promise<T> {
      pacer.poke();
      await nextMacrotask();
      try {
        return outsideAnyTask(log, fn);
      } finally {
        pacer.poke();
      }
    },
    halt() {
      exec.stop();
      pacer.stop();
    },
  };
}

/** A plain task_mgr scenario (`taskmgr-scenario/1`) on the paced simulator. */
export function startSimSession(scenario: Scenario, options: SessionOptions): RunSession {
  const exec = new SimExecutor(makeBodyResolver(scenario.tasks, options.workloads), {
    seed: options.seed,
    policy: options.policy,
    workers: options.workers,
    maxSteps: options.maxSteps,
  });
  const log = new EventLog(() => exec.now());
  const manager = new TaskManager(log, { victimOrder: (v) => exec.victimOrder(v) });
  manager.attach(exec);
  exec.connect(manager, log);
  log.emit({ ev: 'scenario', name: scenario.name, tick_ms: options.tickMs, mode: 'sim', seed: exec.seed, policy: exec.policy });
  driveScenario(manager, scenario, { at: (tick, fn) => exec.clock.schedule(tick, DRIVER, fn) }, () => exec.stop());
  const run = pacedRun(exec, log, options.tickMs);

  const session: RunSession = {
    mode: 'sim',
    seed: exec.seed,
    events: log.events,
    subscribe: (listener) => log.subscribe(listener),
    done: run.finished,
    get running() {
      return run.running;
    },
    problems: exec.problems,
    apply: (fn) => run.apply(() => fn(manager)),
    async stop() {
      if (run.running) await run.apply(() => stopMessage(log, manager));
      run.halt();
      await run.finished;
    },
  };
  return session;
}
