/**
 * The executor side of a run, as the assembly (./assembly.ts) sees it: a clock, a
 * coordinator per process lifetime attached to an executor, time zero, and the end
 * of the run. An `ExecutorFactory` makes one for a run from what the scenario's
 * world needs; ./sim.ts makes the simulator's (virtual time, optionally paced
 * against the wall) and ./live.ts the worker pools' (wall time). Nothing else of a
 * run knows which one it has.
 */
import type { RuntimeName } from '../../shared/model';
import type { RunMode } from '../../shared/protocol/lab';
import type { TaskTemplate } from '../../shared/scenario/types';
import type { ScenarioEvent } from '../../shared/trace/events';
import type { EventLog } from '../core/event-log';
import type { TaskManager } from '../core/task-manager';
import type { Workload } from '../scenario/bodies';
import type { Pacer } from '../sim/sim-executor';

/** A pacer the run can wake early (a command arrived) and release for good (the run ended). */
export interface RunPacer extends Pacer {
  poke(): void;
  stop(): void;
}

/** What a run asks of its executors: the scenario's bodies and the world's needs. */
export interface ExecutorNeeds {
  /** The scenario's task templates (bodies of `template` specs). */
  templates: Record<string, TaskTemplate>;
  /** Named workloads (bodies of `workload` specs), run in this process by the simulator. */
  workloads?: Record<string, Workload>;
  /** The module that exports those workloads, loaded by each live worker (absolute path). */
  workloadsModule?: string;
  /** Workers per runtime asked for by the scenario (the factory's own options win). */
  workers?: Partial<Record<RuntimeName, number>>;
  /** The scenario's seed (the factory's own option wins). */
  seed?: number;
  /** Coordinator-side async code runs at the virtual instant it was woken (SimOptions.drainCoordinator). */
  drainCoordinator?: boolean;
  /** Milliseconds per tick: wall time of a live tick, of a paced sim tick, and recorded in the trace. */
  tickMs: number;
  /** Paces the simulator against the wall clock (interactive runs); live runs are on wall time already. */
  pacer?: RunPacer;
}

export interface RunExecutors {
  readonly mode: RunMode;
  /** The simulator's seed, null in live mode. */
  readonly seed: number | null;
  /** Ticks since time zero. */
  now(): number;
  /** Calls `fn` at tick `tick` outside any task (before the tasks' timers of that tick). */
  at(tick: number, fn: () => void): void;
  /** The mode's fields of the `scenario` event. */
  scenarioEvent(name: string): Omit<ScenarioEvent, 't'>;
  /** How long a timed wait of the world's own work lasts (the explorer's jitter in the simulator; as asked live). */
  jitter(ticks: number, task: string | null, what: string): number;
  /** A coordinator for a new process lifetime, attached to an executor that runs no task of an earlier one. */
  newManager(log: EventLog, labelSuffix: string): TaskManager;
  /** Time zero: resolves when the run has ended (`endRun`, or in the simulator, nothing left to happen); rejects if the executor fails. */
  go(): Promise<void>;
  /** Runs `fn` at the run's current time (outside any task: the caller sees to that), then lets the run go on. */
  apply<T>(fn: () => T): Promise<T>;
  /** The run is over: nothing is scheduled or sent any more. Idempotent. */
  endRun(): void;
  /** Problems of the run itself (a body that awaited something foreign, a malformed worker message); complete once the run has ended. */
  readonly problems: string[];
}

export type ExecutorFactory = (needs: ExecutorNeeds) => RunExecutors;
