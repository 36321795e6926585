/**
 * Runs a scenario on the simulator: one coordinator, one SimExecutor, the driver on
 * virtual time. The same scenario, seed and policy give the same events.
 */
import type { RuntimeName } from '../../shared/model';
import type { Scenario } from '../../shared/scenario/types';
import type { LogLevel, TraceEvent } from '../../shared/trace/events';
import { EventLog } from '../core/event-log';
import { TaskManager } from '../core/task-manager';
import type { ChoiceObserver, Decider } from '../sim/decisions';
import { type SchedulingPolicy, SimExecutor } from '../sim/sim-executor';
import { DRIVER } from '../sim/virtual-clock';
import { makeBodyResolver, type Workload } from './bodies';
import { driveScenario } from './driver';

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

export async function runScenarioSim(scenario: Scenario, options: SimRunOptions = {}): Promise<RunResult> {
  const exec = new SimExecutor(makeBodyResolver(scenario.tasks, options.workloads), {
    seed: options.seed,
    policy: options.policy,
    workers: options.workers,
    maxSteps: options.maxSteps,
    decider: options.decider,
  });
  if (options.observer) exec.observer = options.observer;
  const log = new EventLog(() => exec.now(), options.keepEvents ?? true);
  if (options.logLevel) log.setLogLevel(options.logLevel);
  if (options.onEvent) log.subscribe(options.onEvent);
  const manager = new TaskManager(log, { victimOrder: (v) => exec.victimOrder(v) });
  manager.attach(exec);
  exec.connect(manager, log);
  log.emit({
    ev: 'scenario',
    name: scenario.name,
    tick_ms: options.tickMs ?? 10,
    mode: 'sim',
    seed: exec.seed,
    policy: exec.policy,
  });
  driveScenario(manager, scenario, { at: (tick, fn) => exec.clock.schedule(tick, DRIVER, fn) }, () => exec.stop());
  await exec.run();
  return { events: log.events, exitCode: manager.processExitCode, problems: exec.problems, manager };
}
