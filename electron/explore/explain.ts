/**
 * A schedule in words: replays it with the simulator's choice observer on, pairs
 * each non-default decision with what the run was doing at that point, and says it
 * as a person would ("upload t1/l1: UploadLayer l0-0-8 took 24 ticks instead of 20
 * (from tick 31)"; "flush t1/l1 ran before detach t1's handler at tick 40"). The
 * replay also re-records the schedule, so that only decisions that really applied
 * remain (after shrinking, a decision whose point moved no longer fits).
 */
import type { Decision } from '../../shared/protocol/schedule';
import type { AnyScenario } from '../../shared/scenario/pageserver-parse';
import type { TraceEvent } from '../../shared/trace/events';
import type { ChoiceContext } from '../sim/decisions';
import { RecordingDecider, ReplayDecider } from './deciders';
import { type ScheduleRunResult, runScenarioOnce } from './run-schedule';

export interface Explained {
  /** The decisions that applied, each with its note in words. */
  decisions: Decision[];
  /** One line per decision. */
  lines: string[];
  /** `needs 2 decisions: ...; ...`. */
  summary: string;
  run: ScheduleRunResult;
}

interface Point extends ChoiceContext {
  /** Events appended before the choice (to find the call a join belongs to). */
  eventsBefore: number;
}

function callBefore(events: readonly TraceEvent[], upTo: number): string {
  for (let i = Math.min(upTo, events.length) - 1; i >= 0; i--) {
    const e = events[i];
    if (e.ev === 'shutdown_begin') return `shutdown_tasks ${e.label}`;
  }
  return 'a shutdown_tasks call';
}

/** One decision in words, from the point's context. */
export function describeDecision(d: Decision, p: Point | undefined, events: readonly TraceEvent[]): string {
  if (!p) return `${d.kind} choice ${d.value} at choice point ${d.pos}`;
  if (d.kind === 'jitter') {
    const who = p.task ?? 'the pageserver';
    return `${who}: ${p.what ?? 'a timed wait'} took ${p.ticks + d.value} ticks instead of ${p.ticks} (from tick ${p.tick})`;
  }
  const chosen = p.options[d.value] ?? `possibility ${d.value}`;
  const dflt = p.options[0] ?? 'the default';
  if (d.kind === 'run') return `${chosen} ran before ${dflt} on their worker at tick ${p.tick}`;
  if (d.kind === 'order') return `${chosen} resumed before ${dflt} at tick ${p.tick}`;
  return `${callBefore(events, p.eventsBefore)} joined ${chosen} before ${dflt} at tick ${p.tick}`;
}

export function summarize(lines: readonly string[]): string {
  if (lines.length === 0) return 'fails with the default schedule: no decision needed';
  return `needs ${lines.length} decision${lines.length === 1 ? '' : 's'}: ${lines.join('; ')}`;
}

export async function explainSchedule(scenario: AnyScenario, decisions: readonly Decision[], jitter: number, seed: number): Promise<Explained> {
  const points: Point[] = [];
  const events: TraceEvent[] = [];
  const rec = new RecordingDecider(new ReplayDecider(decisions, jitter));
  const run = await runScenarioOnce(scenario, {
    decider: rec,
    seed,
    onEvent: (e) => void events.push(e),
    observer: (c) => void points.push({ ...c, eventsBefore: events.length }),
  });
  const applied = rec.decisions.map((d) => ({ ...d, note: describeDecision(d, points[d.pos], run.events.length ? run.events : events) }));
  const lines = applied.map((d) => d.note);
  return { decisions: applied, lines, summary: summarize(lines), run };
}
