/**
 * Runs a lesson (shared/lesson/lesson.ts) on the simulator and checks it over the
 * event log: a `run` step's pause point, a prediction's reveal, a challenge's goal
 * under its reference solution (driver steps added to the scenario), a "be the
 * scheduler" goal under its decisions (replayed through the simulator's decision
 * seam, as `run --schedule` does). A goal must also FAIL without its solution, so
 * that a challenge cannot go trivially true when the model changes.
 */
import type { Decision } from '../../shared/protocol/schedule';
import { type Lesson, type LessonStep, type RunUntil, scenarioWithSteps } from '../../shared/lesson/lesson';
import { checkScenarioExpect, type ExpectResult } from '../../shared/scenario/expect-check';
import type { ScenarioExpectation } from '../../shared/scenario/expect';
import type { Scenario } from '../../shared/scenario/types';
import type { TraceEvent } from '../../shared/trace/events';
import { runScenarioOnce } from '../explore/run-schedule';
import { ReplayDecider } from '../explore/deciders';
import { defaultSeed, makeSchedule } from '../explore/schedule-file';
import type { ChoiceContext } from '../sim/decisions';
import type { ScheduleFile } from '../../shared/protocol/schedule';

export interface LessonRun {
  events: TraceEvent[];
  problems: string[];
}

async function run(scenario: Scenario, decisions?: readonly Decision[], jitter = 0, observer?: (c: ChoiceContext) => void): Promise<LessonRun> {
  const decider = decisions ? new ReplayDecider(decisions, jitter) : undefined;
  const r = await runScenarioOnce(scenario, { decider, observer, seed: defaultSeed(scenario) });
  const problems = r.labError ? [...r.problems, r.labError] : r.problems;
  return { events: r.events, problems };
}

/** The lesson's scenario as it is, under the default schedule. */
export function runLessonScenario(lesson: Lesson): Promise<LessonRun> {
  return run(lesson.scenario);
}

/** The events a `run` step shows: those before its tick begins, or up to and including its event (null: never happens). */
export function eventsUntil(events: readonly TraceEvent[], until: RunUntil): TraceEvent[] | null {
  if ('until_tick' in until) return events.filter((e) => e.t < until.until_tick);
  const { ev, task } = until.until_event;
  const i = events.findIndex((e) => e.ev === ev && (task === undefined || ('task' in e && e.task === task)));
  return i < 0 ? null : events.slice(0, i + 1);
}

export interface SolutionRun extends LessonRun {
  results: ExpectResult[];
  /** What each choice point of a schedule step offered (tick, ready tasks), in order. */
  choices: ChoiceContext[];
  reached: boolean;
}

/** Runs a challenge or schedule step's reference solution and checks its goal. */
export async function runSolution(lesson: Lesson, step: Extract<LessonStep, { kind: 'challenge' | 'schedule' }>, index: number): Promise<SolutionRun> {
  const choices: ChoiceContext[] = [];
  const r =
    step.kind === 'challenge'
      ? await run(scenarioWithSteps(lesson.scenarioValue as Record<string, unknown>, step.solution, `$.steps[${index}].challenge.solution`))
      : await run(lesson.scenario, step.solution, step.jitter, (c) => choices.push(c));
  const results = checkScenarioExpect(step.check, r.events);
  return { ...r, results, choices, reached: results.every((x) => x.ok) && r.problems.length === 0 };
}

/** A schedule step's solution as a schedule file (`run --schedule`, the Explore view). */
export function lessonSchedule(lesson: Lesson, step: Extract<LessonStep, { kind: 'schedule' }>, index: number): ScheduleFile {
  const file = makeSchedule(lesson.scenario, { seed: defaultSeed(lesson.scenario), strategy: 'dfs', jitter: step.jitter, decisions: step.solution });
  file.explanation = [`made by hand: lesson "${lesson.name}", step ${index + 1} (${step.goal})`];
  return file;
}

function failed(results: ExpectResult[]): string {
  return results
    .filter((r) => !r.ok)
    .map((r) => `${r.description}: found ${r.detail}`)
    .join('; ');
}

function holds(claims: readonly ScenarioExpectation[], events: readonly TraceEvent[]): boolean {
  return checkScenarioExpect(claims, events).every((r) => r.ok);
}

export interface StepProblem {
  /** 1-based, as the terminal shows steps. */
  step: number;
  kind: LessonStep['kind'];
  reason: string;
}

/** Checks every step of a lesson headless; an empty list: the lesson holds. */
export async function checkLesson(lesson: Lesson): Promise<StepProblem[]> {
  const base = await runLessonScenario(lesson);
  const out: StepProblem[] = [];
  if (base.problems.length) out.push({ step: 0, kind: 'narration', reason: `the scenario's run has problems: ${base.problems.join('; ')}` });
  for (const [i, s] of lesson.steps.entries()) {
    const bad = (reason: string): void => void out.push({ step: i + 1, kind: s.kind, reason });
    if (s.kind === 'run') {
      if (!eventsUntil(base.events, s.until)) bad(`the run never reaches its pause point (no ${JSON.stringify(s.until)})`);
    } else if (s.kind === 'predict') {
      const results = checkScenarioExpect(s.reveal, base.events);
      if (!results.every((r) => r.ok)) bad(`the reveal does not hold: ${failed(results)}`);
    } else if (s.kind === 'challenge' || s.kind === 'schedule') {
      if (holds(s.check, base.events)) bad('the goal already holds without any solution');
      const r = await runSolution(lesson, s, i);
      if (r.problems.length) bad(`the solution's run has problems: ${r.problems.join('; ')}`);
      else if (!r.reached) bad(`the reference solution does not reach the goal: ${failed(r.results)}`);
    }
  }
  return out;
}
