/**
 * What a run drives: a world. The plain task_mgr world (`taskMgrWorld`, the
 * default) is one coordinator and the scenario's steps on the driver; the
 * pageserver model (electron/pageserver/scenario-world.ts) is another, with
 * processes that exit, crash and restart within one run. The assembly gives a world
 * the run's log, clock and a way to make a coordinator per process lifetime; the
 * world schedules the scenario and says when the run is over.
 */
import type { RuntimeName } from '../../shared/model';
import type { PageserverAction } from '../../shared/protocol/lab';
import type { Scenario } from '../../shared/scenario/types';
import type { EventLog } from '../core/event-log';
import type { TaskManager } from '../core/task-manager';
import type { Workload } from '../scenario/bodies';
import { driveScenario } from '../scenario/driver';

/** The run as a world sees it. */
export interface RunParts {
  /** The run's one log. */
  readonly log: EventLog;
  now(): number;
  /** Calls `fn` at tick `tick`, outside any task. */
  at(tick: number, fn: () => void): void;
  /** How long a timed wait of the world's own work lasts (the explorer's jitter). */
  jitter(ticks: number, task: string | null, what: string): number;
  /** A coordinator for a new process lifetime (its log may be the run's or its own). */
  newManager(log: EventLog, labelSuffix: string): TaskManager;
}

/** What a world's tasks need of the executors. */
export interface WorldNeeds {
  workloads?: Record<string, Workload>;
  workloadsModule?: string;
  workers?: Partial<Record<RuntimeName, number>>;
  seed?: number;
  drainCoordinator?: boolean;
}

export interface World {
  readonly needs: WorldNeeds;
  /** Sets the world up on the run and schedules its scenario; `endRun` ends the run (idempotent). */
  open(run: RunParts, endRun: () => void): void;
  /** The coordinator that commands act on now; throws a LabError when there is none (a crashed pageserver). */
  manager(): TaskManager;
  /** The coordinator of the run's last process (for results), once open. */
  readonly lastManager: TaskManager;
  /** The last process's exit code, or null if it still ran when the run ended. */
  readonly exitCode: number | null;
  /** Logs a stop from the Lab (`end` with what is still registered). */
  stopMessage(): void;
  /** The run has ended: check what is left to check, unless the user stopped it. */
  finish(stopped: boolean): void;
  /** Starts a new process from the same state if the last one has exited; false if it cannot. */
  restartProcess?(): boolean;
  /** Performs a user's operation on the model. */
  pageserver?(action: PageserverAction): void;
}

/** What a stop from the Lab leaves in the log: a line saying so, and `end` with what is still registered. */
export function stopMessage(log: EventLog, manager: TaskManager): void {
  if (manager.isExited) return;
  log.emit({ ev: 'log', level: 'info', task: null, message: 'run stopped from the Lab' });
  manager.end(true);
}

/** A plain task_mgr scenario (`taskmgr-scenario/1`): one coordinator; its process exit ends the run. */
export function taskMgrWorld(scenario: Scenario, workloads?: Record<string, Workload>): World {
  let manager: TaskManager | null = null;
  let log: EventLog | null = null;
  const opened = () => {
    if (!manager) throw new Error('the world is not open yet');
    return manager;
  };
  return {
    needs: { workloads },
    open(run, endRun) {
      log = run.log;
      manager = run.newManager(run.log, '');
      manager.onProcessExit(endRun);
      driveScenario(manager, scenario, run, endRun);
    },
    manager: opened,
    get lastManager() {
      return opened();
    },
    get exitCode() {
      return manager?.processExitCode ?? null;
    },
    stopMessage() {
      if (log) stopMessage(log, opened());
    },
    finish() {},
  };
}
