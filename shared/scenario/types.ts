/**
 * A parsed scenario (`taskmgr-scenario/1`, see docs/scenario-format.md): task
 * templates, the driver's steps, and the tick at which the run ends. The parser
 * (./parse.ts) produces it from JSON or YAML and rejects anything malformed with
 * the JSON path of the offending value.
 */
import type { FaultKind, ShutdownFilter } from '../model/outcome';
import type { RuntimeName } from '../model/runtime';
import type { TaskKind } from '../model/task-kind';
import type { ScenarioExpectation } from './expect';

export const SCENARIO_FORMAT = 'taskmgr-scenario/1';

/** One operation of a task body (FORMAT.md, "Body ops"; `busy` is the Lab's addition). */
export type Op =
  | { op: 'sleep'; ticks: number }
  | { op: 'sleep_or_shutdown'; ticks: number }
  | { op: 'wait_shutdown' }
  | { op: 'poll_shutdown'; every: number }
  | { op: 'check_shutdown' }
  | { op: 'record_kind' }
  | { op: 'associate'; tenant: string | null; timeline: string | null }
  | { op: 'spawn'; task: string }
  | ({ op: 'shutdown_tasks'; label: string } & ShutdownFilter)
  | { op: 'hang' }
  | { op: 'busy'; ticks: number }
  | { op: 'ok' }
  | { op: 'error'; message: string }
  | { op: 'panic'; message: string };

export type OpName = Op['op'];

/** A step of the driver, run outside any task at tick `at`. */
export type Step =
  | { at: number; do: 'spawn'; task: string }
  | ({ at: number; do: 'shutdown_tasks'; label: string } & ShutdownFilter)
  | { at: number; do: 'inject'; task: string; fault: FaultKind; message: string }
  | { at: number; do: 'snapshot'; label: string }
  | { at: number; do: 'check_shutdown' }
  | { at: number; do: 'record_kind' }
  | { at: number; do: 'shutdown_pageserver'; exit_code: number };

export type StepName = Step['do'];

export interface TaskTemplate {
  /** The template id: the task's name in the trace. */
  id: string;
  runtime: RuntimeName;
  kind: TaskKind;
  tenant: string | null;
  timeline: string | null;
  /** The name given to `spawn` (defaults to the id). */
  name: string;
  shutdown_process_on_error: boolean;
  body: Op[];
}

export interface Scenario {
  format: typeof SCENARIO_FORMAT;
  name: string;
  description: string;
  /** Templates by id, in file order. */
  tasks: Record<string, TaskTemplate>;
  /** Sorted by `at`; steps with the same `at` keep their file order. */
  steps: Step[];
  end_at: number;
  /** The expected outcome (docs/scenario-format.md, "Expectations"); absent when the file has none. */
  expect?: ScenarioExpectation[];
}
