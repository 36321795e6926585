/**
 * A lesson (`taskmgr-lesson/1`, docs/lessons.md): a guided walk over one scenario,
 * a list of steps (narration, run until, predict, challenge, be the scheduler).
 * Read from JSON or YAML with the scenario readers (bounded size and depth) and
 * validated with the same one-line errors (`$.steps[2].predict.answer: ...`).
 * Claims (a prediction's reveal, a goal) are the scenario's expectations
 * (shared/scenario/expect.ts), so they are checked over the event log by the same
 * code as `scenarios --check`. Pure TypeScript: the scenario a lesson names is
 * found by a resolver the caller gives (the CLI reads the library from disk).
 */
import { DECISION_KINDS, type Decision, ScheduleError, validateDecisions } from '../protocol/schedule';
import { parseScenarioExpect, type ScenarioExpectation } from '../scenario/expect';
import { parseScenarioValue, readScenarioText, type ParseOptions } from '../scenario/parse';
import { SCENARIO_FORMAT, type Scenario } from '../scenario/types';
import { ScenarioError, has, number, object, onlyFields, quote, string } from '../scenario/values';

export const LESSON_FORMAT = 'taskmgr-lesson/1';

export type RunUntil = { until_tick: number } | { until_event: { ev: string; task?: string } };

export type LessonStep =
  | { kind: 'narration'; text: string }
  | { kind: 'run'; until: RunUntil }
  | { kind: 'predict'; question: string; choices: string[]; answer: number; explain: string; reveal: ScenarioExpectation[] }
  /** `solution`: driver steps (inject, shutdown_tasks, ...) added to the scenario's own. */
  | { kind: 'challenge'; goal: string; check: ScenarioExpectation[]; hint?: string; solution: unknown[] }
  /** `solution`: the non-default decisions of the simulator's decision seam (taskmgr-schedule/1). */
  | { kind: 'schedule'; goal: string; check: ScenarioExpectation[]; hint?: string; jitter: number; solution: Decision[] };

export interface Lesson {
  format: typeof LESSON_FORMAT;
  name: string;
  title: string;
  /** One line: what the lesson teaches (the list shows it). */
  teaches: string;
  /** The scenario's name in the library, or null when the lesson embeds it. */
  scenarioRef: string | null;
  /** The scenario as a plain value (solutions are added to its steps). */
  scenarioValue: unknown;
  scenario: Scenario;
  steps: LessonStep[];
}

/** Finds a library scenario's plain value by name (null: no such scenario). */
export type ScenarioResolver = (name: string) => unknown;

const ROOT = ['format', 'name', 'title', 'teaches', 'scenario', 'steps'];
const KINDS = ['narration', 'run', 'predict', 'challenge', 'schedule'] as const;

export function parseLesson(text: string, resolve: ScenarioResolver, opts: ParseOptions = {}): Lesson {
  return parseLessonValue(readScenarioText(text, opts), resolve);
}

export function parseLessonValue(v: unknown, resolve: ScenarioResolver): Lesson {
  const o = object(v, '$');
  onlyFields(o, ROOT, '$');
  if (o.format !== LESSON_FORMAT) throw new ScenarioError('$.format', `expected ${quote(LESSON_FORMAT)}, found ${JSON.stringify(o.format ?? null)}`);
  const name = string(o.name, '$.name');
  const title = string(o.title, '$.title');
  const teaches = string(o.teaches, '$.teaches');
  let scenarioRef: string | null = null;
  let scenarioValue: unknown;
  if (typeof o.scenario === 'string') {
    scenarioRef = o.scenario;
    scenarioValue = resolve(o.scenario);
    if (scenarioValue === null || scenarioValue === undefined) throw new ScenarioError('$.scenario', `no scenario ${quote(o.scenario)} in the library`);
  } else {
    scenarioValue = object(o.scenario, '$.scenario');
  }
  const sv = object(scenarioValue, '$.scenario');
  if (sv.format !== SCENARIO_FORMAT) throw new ScenarioError('$.scenario.format', `a lesson runs a ${quote(SCENARIO_FORMAT)} scenario, found ${JSON.stringify(sv.format ?? null)}`);
  let scenario: Scenario;
  try {
    scenario = parseScenarioValue(scenarioValue);
  } catch (err) {
    if (err instanceof ScenarioError) throw new ScenarioError(err.path.replace(/^\$/, '$.scenario'), err.reason);
    throw err;
  }
  if (!Array.isArray(o.steps) || o.steps.length === 0) throw new ScenarioError('$.steps', 'expected a non-empty array');
  const steps = o.steps.map((s: unknown, i: number) => step(s, scenario, sv, `$.steps[${i}]`));
  return { format: LESSON_FORMAT, name, title, teaches, scenarioRef, scenarioValue, scenario, steps };
}

/** The scenario with a challenge's solution steps added (validated: errors point into the solution). */
export function scenarioWithSteps(base: Record<string, unknown>, extra: unknown[], path: string): Scenario {
  const own = Array.isArray(base.steps) ? base.steps : [];
  try {
    return parseScenarioValue({ ...base, steps: [...own, ...extra] });
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    const m = /^\$\.steps\[(\d+)\](.*)$/.exec(err.path);
    if (m && Number(m[1]) >= own.length) throw new ScenarioError(`${path}[${Number(m[1]) - own.length}]${m[2]}`, err.reason);
    throw new ScenarioError(path, err.message);
  }
}

function templates(s: Scenario): Set<string> {
  return new Set(Object.keys(s.tasks));
}

function claims(v: unknown, s: Scenario, path: string): ScenarioExpectation[] {
  const list = parseScenarioExpect(v, templates(s), s.end_at, path);
  if (list.length === 0) throw new ScenarioError(path, 'expected at least one claim');
  return list;
}

function optText(o: Record<string, unknown>, key: string, path: string): string | undefined {
  return has(o, key) ? string(o[key], `${path}.${key}`) : undefined;
}

function step(v: unknown, s: Scenario, sv: Record<string, unknown>, path: string): LessonStep {
  const o = object(v, path);
  const kinds = KINDS.filter((k) => has(o, k));
  if (kinds.length !== 1 || Object.keys(o).length !== 1) {
    throw new ScenarioError(path, `expected an object with exactly one of ${KINDS.map(quote).join(', ')}`);
  }
  const kind = kinds[0];
  const p = `${path}.${kind}`;
  switch (kind) {
    case 'narration':
      return { kind, text: string(o.narration, p) };
    case 'run': {
      const r = object(o.run, p);
      if (has(r, 'until_tick')) {
        onlyFields(r, ['until_tick'], p);
        const t = number(r.until_tick, `${p}.until_tick`);
        if (t > s.end_at) throw new ScenarioError(`${p}.until_tick`, `tick ${t} comes after end_at ${s.end_at}`);
        return { kind, until: { until_tick: t } };
      }
      onlyFields(r, ['until_event'], p);
      const e = object(r.until_event, `${p}.until_event`);
      onlyFields(e, ['ev', 'task'], `${p}.until_event`);
      const ev = string(e.ev, `${p}.until_event.ev`);
      const task = optText(e, 'task', `${p}.until_event`);
      if (task !== undefined && !templates(s).has(task)) throw new ScenarioError(`${p}.until_event.task`, `no task template ${quote(task)}`);
      return { kind, until: { until_event: task === undefined ? { ev } : { ev, task } } };
    }
    case 'predict': {
      const r = object(o.predict, p);
      onlyFields(r, ['question', 'choices', 'answer', 'explain', 'reveal'], p);
      const question = string(r.question, `${p}.question`);
      if (!Array.isArray(r.choices) || r.choices.length < 2) throw new ScenarioError(`${p}.choices`, 'expected an array of at least 2 choices');
      const choices = r.choices.map((c: unknown, i: number) => string(c, `${p}.choices[${i}]`));
      const answer = number(r.answer, `${p}.answer`);
      if (!Number.isInteger(answer) || answer < 1 || answer > choices.length) throw new ScenarioError(`${p}.answer`, `expected the number of a choice, 1 to ${choices.length}`);
      return { kind, question, choices, answer, explain: string(r.explain, `${p}.explain`), reveal: claims(r.reveal, s, `${p}.reveal`) };
    }
    case 'challenge': {
      const r = object(o.challenge, p);
      onlyFields(r, ['goal', 'check', 'hint', 'solution'], p);
      const goal = string(r.goal, `${p}.goal`);
      const check = claims(r.check, s, `${p}.check`);
      if (!Array.isArray(r.solution) || r.solution.length === 0) throw new ScenarioError(`${p}.solution`, 'expected a non-empty array of steps');
      scenarioWithSteps(sv, r.solution, `${p}.solution`);
      const hint = optText(r, 'hint', p);
      return { kind, goal, check, solution: r.solution, ...(hint === undefined ? {} : { hint }) };
    }
    case 'schedule': {
      const r = object(o.schedule, p);
      onlyFields(r, ['goal', 'check', 'hint', 'jitter', 'solution'], p);
      const goal = string(r.goal, `${p}.goal`);
      const check = claims(r.check, s, `${p}.check`);
      const jitter = has(r, 'jitter') ? number(r.jitter, `${p}.jitter`) : 0;
      if (jitter > 1) throw new ScenarioError(`${p}.jitter`, 'expected a number from 0 to 1');
      if (!Array.isArray(r.solution) || r.solution.length === 0) throw new ScenarioError(`${p}.solution`, `expected a non-empty array of decisions (kinds ${DECISION_KINDS.map(quote).join(', ')})`);
      let solution: Decision[];
      try {
        solution = validateDecisions(r.solution, `${p}.solution`);
      } catch (err) {
        if (!(err instanceof ScheduleError)) throw err;
        const i = err.message.indexOf(': ');
        throw new ScenarioError(err.message.slice(0, i), err.message.slice(i + 2));
      }
      const hint = optText(r, 'hint', p);
      return { kind, goal, check, jitter, solution, ...(hint === undefined ? {} : { hint }) };
    }
  }
}
