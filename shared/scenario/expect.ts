/**
 * The optional `expect` block of a `taskmgr-scenario/1` file: what the run should
 * end with (a shutdown call finished or still pending, task outcomes, who observed
 * shutdown and how, the process exit code). `scenarios --check` and the explorer
 * check it against the run's trace (./expect-check.ts); the conformance oracle
 * ignores top-level fields it does not know, so such files stay valid for it.
 * The subjects mirror those of `taskmgr-pageserver/1` where both formats have them.
 */
import type { TaskKind } from '../model/task-kind';
import { ScenarioError, bool, field, has, member, number, object, oneOf, onlyFields, optString, quote, string, taskKind } from './values';

/** Which tasks an expectation is about: every field optional, all given must match. */
export interface ScenarioTaskSelector {
  /** The template id (the task's name in the trace). */
  task?: string;
  kind?: TaskKind;
  /** The task's tenant at the end of the run (after `associate`); null: none. */
  tenant?: string | null;
  timeline?: string | null;
}

export const TASK_OUTCOMES = ['ok', 'error', 'panic', 'killed', 'running'] as const;
export type ExpectedOutcome = (typeof TASK_OUTCOMES)[number];

export const OBSERVE_WAYS = ['watcher', 'poll', 'any', 'never'] as const;
export type ObserveWay = (typeof OBSERVE_WAYS)[number];

/** One expected outcome of a `taskmgr-scenario/1` run, checked at `end_at` (or at `at`). */
export type ScenarioExpectation = { at?: number; why?: string } & (
  | { shutdown: string; completed: boolean }
  | { tasks: ScenarioTaskSelector; outcome: ExpectedOutcome; count?: number }
  | { tasks: ScenarioTaskSelector; count: number }
  | { observed: string; via: ObserveWay }
  | { exit_code: number | null }
);

const SUBJECTS = ['shutdown', 'tasks', 'observed', 'exit_code'] as const;
const COMMON = ['at', 'why'];
const FIELDS: Record<(typeof SUBJECTS)[number], readonly string[]> = {
  shutdown: ['completed'],
  tasks: ['outcome', 'count'],
  observed: ['via'],
  exit_code: [],
};

function count(v: unknown, path: string): number {
  const n = number(v, path);
  if (!Number.isInteger(n)) throw new ScenarioError(path, 'expected an integer >= 0');
  return n;
}

function selector(v: unknown, path: string): ScenarioTaskSelector {
  const obj = object(v, path);
  onlyFields(obj, ['task', 'kind', 'tenant', 'timeline'], path);
  const out: ScenarioTaskSelector = {};
  if (has(obj, 'task')) out.task = string(obj.task, `${path}.task`);
  if (has(obj, 'kind')) out.kind = taskKind(obj.kind, `${path}.kind`);
  if (has(obj, 'tenant')) out.tenant = optString(obj, 'tenant', path);
  if (has(obj, 'timeline')) out.timeline = optString(obj, 'timeline', path);
  return out;
}

/**
 * Reads the `expect` array. `templates` are the file's template ids (a task named
 * by `tasks.task` or `observed` must be one of them); `endAt` bounds each `at`.
 */
export function parseScenarioExpect(v: unknown, templates: ReadonlySet<string>, endAt: number, path = '$.expect'): ScenarioExpectation[] {
  if (!Array.isArray(v)) throw new ScenarioError(path, 'expected an array');
  return v.map((item: unknown, i) => expectation(item, templates, endAt, `${path}[${i}]`));
}

function templateRef(v: unknown, templates: ReadonlySet<string>, path: string): string {
  const id = string(v, path);
  if (!templates.has(id)) throw new ScenarioError(path, `no task template ${quote(id)}`);
  return id;
}

function expectation(v: unknown, templates: ReadonlySet<string>, endAt: number, path: string): ScenarioExpectation {
  const obj = object(v, path);
  const subjects = SUBJECTS.filter((s) => has(obj, s));
  if (subjects.length !== 1) {
    throw new ScenarioError(path, `expected exactly one of ${SUBJECTS.map(quote).join(', ')}${subjects.length ? `, found ${subjects.map(quote).join(' and ')}` : ''}`);
  }
  const subject = subjects[0];
  onlyFields(obj, [subject, ...FIELDS[subject], ...COMMON], path);
  const common: { at?: number; why?: string } = {};
  if (has(obj, 'at')) {
    const at = number(obj.at, `${path}.at`);
    if (at > endAt) throw new ScenarioError(`${path}.at`, `expectation at ${at} comes after end_at ${endAt}`);
    common.at = at;
  }
  if (has(obj, 'why')) common.why = string(obj.why, `${path}.why`);
  switch (subject) {
    case 'shutdown':
      return { ...common, shutdown: string(obj.shutdown, member(path, 'shutdown')), completed: bool(field(obj, 'completed', path), `${path}.completed`) };
    case 'tasks': {
      const tasks = selector(obj.tasks, `${path}.tasks`);
      if (tasks.task !== undefined) templateRef(tasks.task, templates, `${path}.tasks.task`);
      const hasOutcome = has(obj, 'outcome');
      const n = has(obj, 'count') ? count(obj.count, `${path}.count`) : undefined;
      if (hasOutcome) {
        const outcome = oneOf(obj.outcome, TASK_OUTCOMES, `${path}.outcome`);
        return n === undefined ? { ...common, tasks, outcome } : { ...common, tasks, outcome, count: n };
      }
      if (n === undefined) throw new ScenarioError(path, 'missing "outcome" (or "count")');
      return { ...common, tasks, count: n };
    }
    case 'observed':
      return {
        ...common,
        observed: templateRef(obj.observed, templates, `${path}.observed`),
        via: has(obj, 'via') ? oneOf(obj.via, OBSERVE_WAYS, `${path}.via`) : 'any',
      };
    case 'exit_code': {
      const code = obj.exit_code;
      if (code !== null && (typeof code !== 'number' || !Number.isInteger(code))) {
        throw new ScenarioError(`${path}.exit_code`, 'expected an integer or null');
      }
      return { ...common, exit_code: code === null ? null : code + 0 };
    }
  }
}
