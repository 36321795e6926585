/**
 * Checks the `expect` block of a `taskmgr-scenario/1` file against a run's trace.
 * Everything is read from the events, so what `scenarios --check` and the explorer
 * judge is exactly what the trace shows (and a recording can be re-judged later).
 * Each result is one line: what was expected, and what was found when it failed.
 */
import type { TraceEvent } from '../trace/events';
import { describeProcessEnd, processEnd } from '../trace/process-end';
import type { ScenarioExpectation, ScenarioTaskSelector } from './expect';

export interface ExpectResult {
  description: string;
  ok: boolean;
  /** What was found instead, when it failed. */
  detail: string | null;
}

interface TaskFacts {
  task: string;
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
      out.set(e.task, { task: e.task, kind: e.kind, tenant: e.tenant, timeline: e.timeline, outcome: 'running', observed: null });
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
    (s.task === undefined || s.task === t.task) &&
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

function howEnded(outcome: string, at: number | undefined): string {
  if (outcome === 'running') return at === undefined ? 'still running at the end' : 'still running';
  if (outcome === 'killed') return 'killed by process exit';
  return `ended ${outcome}`;
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
  if ('shutdown' in exp) {
    const began = events.some((e) => e.ev === 'shutdown_begin' && e.label === exp.shutdown);
    const ended = events.some((e) => e.ev === 'shutdown_end' && e.label === exp.shutdown);
    const found = began ? (ended ? 'it returned' : 'it is still waiting') : 'it never began';
    return result(`shutdown_tasks ${exp.shutdown} ${exp.completed ? 'returns' : 'never returns'}`, began && ended === exp.completed, found);
  }
  if ('tasks' in exp) {
    const found = [...taskFacts(events).values()].filter((t) => selects(exp.tasks, t));
    const what = describeSelector(exp.tasks, exp.count !== undefined && exp.count !== 1);
    const list = (ts: TaskFacts[]): string => ts.map((t) => `${t.task}: ${t.outcome}`).join(', ') || 'none';
    if ('outcome' in exp) {
      const how = howEnded(exp.outcome, exp.at);
      if (exp.count !== undefined) {
        const matching = found.filter((t) => t.outcome === exp.outcome);
        return result(`${exp.count} ${what} ${how}`, matching.length === exp.count, `${matching.length} (${list(found)})`);
      }
      const wrong = found.filter((t) => t.outcome !== exp.outcome);
      return result(`every ${what} ${how}`, found.length > 0 && wrong.length === 0, found.length ? list(wrong) : 'no such task');
    }
    return result(`${exp.count} ${what} spawned`, found.length === exp.count, `${found.length}: ${found.map((t) => t.task).join(', ') || 'none'}`);
  }
  if ('observed' in exp) {
    const t = taskFacts(events).get(exp.observed);
    const seen = t?.observed ?? null;
    const found = !t ? 'it was never spawned' : seen === null ? 'it never observed shutdown' : `it observed shutdown via ${seen}`;
    if (exp.via === 'never') return result(`${exp.observed} never observes shutdown`, !!t && seen === null, found);
    const ok = seen !== null && (exp.via === 'any' || exp.via === seen);
    return result(`${exp.observed} observes shutdown${exp.via === 'any' ? '' : ` via ${exp.via}`}`, ok, found);
  }
  // A crashed process neither exited with a code nor is running: no exit_code matches it.
  const end = processEnd(events);
  const ok = exp.exit_code === null ? end.how === 'running' : end.how === 'exited' && end.code === exp.exit_code;
  const what = exp.exit_code === null ? 'the process is still running' : `the process exits with code ${exp.exit_code}`;
  return result(what, ok, describeProcessEnd(end));
}

/** Checks every expectation of the block, in file order. */
export function checkScenarioExpect(expect: readonly ScenarioExpectation[] | undefined, events: readonly TraceEvent[]): ExpectResult[] {
  return (expect ?? []).map((e) => checkScenarioExpectation(e, events));
}
