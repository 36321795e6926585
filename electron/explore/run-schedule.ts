/**
 * One simulated run of a scenario under a decider: the unit of work the explorer
 * repeats thousands of times. Either format runs (task_mgr scenarios and pageserver
 * scenarios); the result keeps what the properties need (the events, the pageserver
 * run's expectations, the simulator's problems) and turns an exception thrown by the
 * Lab itself into data, because it is a failure of its own kind (a Lab bug).
 */
import type { AnyScenario } from '../../shared/scenario/pageserver-parse';
import type { TraceEvent } from '../../shared/trace/events';
import { runPageserverScenario, runScenarioSim } from '../run/run-scenario';
import type { ChoiceObserver, Decider } from '../sim/decisions';

export interface ScheduleRunResult {
  events: TraceEvent[];
  /** The pageserver scenario's expectations, as its runner checked them (empty for v1). */
  assertions: Array<{ description: string; ok: boolean; detail: string | null }>;
  /** Problems of the simulated run (a foreign await, the work bound). */
  problems: string[];
  /** An exception thrown by the Lab during the run (its message and first stack line). */
  labError: string | null;
}

export interface RunOnceOptions {
  decider?: Decider;
  observer?: ChoiceObserver;
  /** The run's seed (default: the scenario's). */
  seed?: number;
  maxSteps?: number;
  /** Told every event as it is appended. */
  onEvent?: (e: TraceEvent) => void;
}

export async function runScenarioOnce(scenario: AnyScenario, options: RunOnceOptions = {}): Promise<ScheduleRunResult> {
  const sim = { decider: options.decider, observer: options.observer, seed: options.seed, maxSteps: options.maxSteps };
  // Collected as they come, so that a run that throws still shows what led to it.
  const events: TraceEvent[] = [];
  try {
    if (scenario.format === 'taskmgr-pageserver/1') {
      // Its expectations read the run's own log: it keeps its events.
      const r = await runPageserverScenario(scenario, { ...sim, keepEvents: true, onEvent: options.onEvent });
      return { events: r.events, assertions: r.assertions, problems: r.problems, labError: null };
    }
    const tell = options.onEvent;
    const r = await runScenarioSim(scenario, { ...sim, onEvent: tell ? (e) => (events.push(e), tell(e)) : (e) => void events.push(e), keepEvents: false });
    return { events, assertions: [], problems: r.problems, labError: null };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const where = e.stack?.split('\n')[1]?.trim() ?? '';
    return { events, assertions: [], problems: [], labError: `${e.name}: ${e.message}${where ? ` (${where})` : ''}` };
  }
}
