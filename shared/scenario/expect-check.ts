/**
 * Checks the `expect` block of a `taskmgr-scenario/1` file against a run's trace.
 * Everything is read from the events, so what `scenarios --check` and the explorer
 * judge is exactly what the trace shows (and a recording can be re-judged later).
 * Each result is one line: what was expected, and what was found when it failed.
 * The claims both formats have (a shutdown call returns, tasks' outcomes) are judged
 * by the verdicts here for taskmgr-pageserver/1 too (electron/pageserver/expectations.ts),
 * so that they read the same in either.
 */
import type { TraceEvent } from '../trace/events';
import { describeProcessEnd, exitCodeHolds, processEnd } from '../trace/process-end';
import type { ScenarioExpectation, ScenarioTaskSelector } from './expect';

export interface ExpectResult {
  description: string;
  ok: boolean;
  /** What was found instead, when it failed. */
  detail: string | null;
}

interface TaskFacts {
  /** The template id (the task's name in the trace). */
  name: string;
  kind: string;
  tenant: string | null;
  timeline: string | null;
  outcome: string;
  observed: 'watcher' | 'poll' | null;
}

/** The facts of a finished trace, read once for all of its expectations (the explorer judges thousands of runs). */
const factsOf = new WeakMap<readonly TraceEvent[], Map<string, TaskFacts>>();

/** Every spawned task with its final tenant/timeline, outcome and how it observed shutdown. */
function taskFacts(events: readonly TraceEvent[]): Map<string, TaskFacts> {
  const known = factsOf.get(events);
  if (known) return known;
  const out = new Map<string, TaskFacts>();
  factsOf.set(events, out);
  for (const e of events) {
    if (e.ev === 'spawn') {
      out.set(e.task, { name: e.task, kind: e.kind, tenant: e.tenant, timeline: e.timeline, outcome: 'running', observed: null });
    } else if (e.ev === 'associate') {
      const t = out.get(e.task);
      if (t) Object.assign(t, { tenant: e.tenant, timeline: e.timeline });
    } else if (e.ev === 'exit') {
      const t = out.get(e.task);
      if (t) t.outcome = e.outcome;
    } else if (e.ev === 'observe') {
      const t = out.get(e.task);
      if (t && t.observed === null) t.observed = e.via;
    }
  }
  return out;
}

function selects(s: ScenarioTaskSelector, t: TaskFacts): boolean {
  return (
    (s.task === undefined || s.task === t.name) &&
    (s.kind === undefined || s.kind === t.kind) &&
    (s.tenant === undefined || s.tenant === t.tenant) &&
    (s.timeline === undefined || s.timeline === t.timeline)
  );
}

function describeSelector(s: ScenarioTaskSelector, plural = false): string {
  const parts = [s.kind ?? (plural ? 'tasks' : 'task')];
  if (s.task !== undefined) parts.push(`"${s.task}"`);
  if (s.tenant !== undefined) parts.push(`of tenant ${s.tenant ?? 'None'}`);
  if (s.timeline !== undefined) parts.push(`timeline ${s.timeline ?? 'None'}`);
  return parts.join(' ');
}

/** How a task ended, in words (`at`: the claim is about a tick before the end). */
function howEnded(outcome: string, at?: number): string {
  if (outcome === 'running') return at === undefined ? 'still running at the end' : 'still running';
  if (outcome === 'killed') return 'killed by process exit';
  return `ended ${outcome}`;
}

/** A claim's verdict before its tick and reason are added: what was claimed, whether it holds, what was found. */
export interface Verdict {
  claim: string;
  ok: boolean;
  found: string;
}

/** `shutdown_tasks LABEL returns` (or never returns), from its begin and end events; both formats have it. */
export function shutdownVerdict(events: readonly TraceEvent[], label: string, completed: boolean): Verdict {
  const began = events.some((e) => e.ev === 'shutdown_begin' && e.label === label);
  const ended = events.some((e) => e.ev === 'shutdown_end' && e.label === label);
  const found = began ? (ended ? 'it returned' : 'it is still waiting') : 'it never began';
  return { claim: `shutdown_tasks ${label} ${completed ? 'returns' : 'never returns'}`, ok: began && ended === completed, found };
}

/**
 * `N WHAT ended OUTCOME`, or with no count `every WHAT ended OUTCOME` (at least one):
 * `found` are the selected tasks, each with its name; both formats have it.
 */
export function outcomeVerdict(found: ReadonlyArray<{ name: string; outcome: string }>, what: string, outcome: string, count: number | undefined, at?: number): Verdict {
  const how = howEnded(outcome, at);
  const list = (ts: ReadonlyArray<{ name: string; outcome: string }>): string => ts.map((t) => `${t.name}: ${t.outcome}`).join(', ') || 'none';
  if (count !== undefined) {
    const matching = found.filter((t) => t.outcome === outcome);
    return { claim: `${count} ${what} ${how}`, ok: matching.length === count, found: `${matching.length} (${list(found)})` };
  }
  const wrong = found.filter((t) => t.outcome !== outcome);
  return { claim: `every ${what} ${how}`, ok: found.length > 0 && wrong.length === 0, found: found.length ? list(wrong) : 'no such task' };
}

/** Checks one expectation against the events (only those up to its `at`, if it has one). */
export function checkScenarioExpectation(exp: ScenarioExpectation, allEvents: readonly TraceEvent[]): ExpectResult {
  const events = exp.at === undefined ? allEvents : allEvents.filter((e) => e.t <= (exp.at as number));
  const when = exp.at === undefined ? '' : ` at tick ${exp.at}`;
  const result = (description: string, ok: boolean, found: string): ExpectResult => ({
    description: `${description}${when}${exp.why ? ` (${exp.why})` : ''}`,
    ok,
    detail: ok ? null : found,
  });
  const verdict = (v: Verdict): ExpectResult => result(v.claim, v.ok, v.found);
  if ('shutdown' in exp) return verdict(shutdownVerdict(events, exp.shutdown, exp.completed));
  if ('tasks' in exp) {
    const found = [...taskFacts(events).values()].filter((t) => selects(exp.tasks, t));
    const what = describeSelector(exp.tasks, exp.count !== undefined && exp.count !== 1);
    if ('outcome' in exp) return verdict(outcomeVerdict(found, what, exp.outcome, exp.count, exp.at));
    return result(`${exp.count} ${what} spawned`, found.length === exp.count, `${found.length}: ${found.map((t) => t.name).join(', ') || 'none'}`);
  }
  if ('observed' in exp) {
    const t = taskFacts(events).get(exp.observed);
    const seen = t?.observed ?? null;
    const found = !t ? 'it was never spawned' : seen === null ? 'it never observed shutdown' : `it observed shutdown via ${seen}`;
    if (exp.via === 'never') return result(`${exp.observed} never observes shutdown`, !!t && seen === null, found);
    const ok = seen !== null && (exp.via === 'any' || exp.via === seen);
    return result(`${exp.observed} observes shutdown${exp.via === 'any' ? '' : ` via ${exp.via}`}`, ok, found);
  }
  const end = processEnd(events);
  const ok = exitCodeHolds(exp.exit_code, end);
  const what = exp.exit_code === null ? 'the process is still running' : `the process exits with code ${exp.exit_code}`;
  return result(what, ok, describeProcessEnd(end));
}

/** Checks every expectation of the block, in file order. */
export function checkScenarioExpect(expect: readonly ScenarioExpectation[] | undefined, events: readonly TraceEvent[]): ExpectResult[] {
  return (expect ?? []).map((e) => checkScenarioExpectation(e, events));
}
