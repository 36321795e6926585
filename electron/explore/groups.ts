/**
 * Failure groups: failing runs by signature, each with its count and the schedule
 * of its first run (the smallest index, so that the group is the same whatever the
 * number of jobs). Finishing a group checks that its schedule replays the same
 * (twice the same trace, the same signature; otherwise the Lab is not deterministic:
 * a group of its own), shrinks it by delta debugging and explains it in words.
 */
import type { FailureGroup } from '../../shared/protocol/explore';
import { formatEvent } from '../../shared/trace/jsonl';
import type { Decision } from '../../shared/protocol/schedule';
import type { RunVerdict, ScheduleRunner } from './engine';
import { explainSchedule } from './explain';
import { runScenarioOnce } from './run-schedule';
import { makeSchedule } from './schedule-file';
import { ReplayDecider } from './deciders';
import { shrinkDecisions } from './shrink';

/** A group while runs go on: its signature, count and first failing run. */
export interface OpenGroup {
  signature: string;
  count: number;
  first: RunVerdict;
}

export class FailureGroups {
  private readonly bySig = new Map<string, OpenGroup>();

  add(v: RunVerdict): void {
    if (v.signature === null) return;
    const g = this.bySig.get(v.signature);
    if (!g) this.bySig.set(v.signature, { signature: v.signature, count: 1, first: v });
    else {
      g.count++;
      if (v.index < g.first.index) g.first = v;
    }
  }

  get failures(): number {
    let n = 0;
    for (const g of this.bySig.values()) n += g.count;
    return n;
  }

  /** Groups in order of their first run. */
  list(): OpenGroup[] {
    return [...this.bySig.values()].sort((a, b) => a.first.index - b.first.index);
  }

  histogram(): Array<{ signature: string; count: number }> {
    return this.list().map((g) => ({ signature: g.signature, count: g.count }));
  }

  /** The groups as the protocol shows them before shrinking. */
  unshrunk(runner: ScheduleRunner): FailureGroup[] {
    return this.list().map((g) => toGroup(runner, g, g.first.decisions ?? [], false, `not shrunk yet: ${(g.first.decisions ?? []).length} decisions`, []));
  }
}

function toGroup(runner: ScheduleRunner, g: OpenGroup, decisions: Decision[], shrunk: boolean, explanation: string, lines: string[]): FailureGroup {
  const { spec } = runner;
  const schedule = makeSchedule(spec.scenario, { seed: spec.runSeed, strategy: spec.strategy, jitter: spec.jitter, decisions });
  schedule.signature = g.signature;
  if (shrunk) schedule.explanation = lines;
  return {
    signature: g.signature,
    count: g.count,
    firstRun: g.first.index,
    failures: g.first.failures.map((f) => f.line),
    schedule,
    shrunk,
    decisions: decisions.length,
    explanation,
  };
}

async function traceOf(runner: ScheduleRunner, decisions: readonly Decision[]): Promise<string> {
  const r = await runScenarioOnce(runner.spec.scenario, { decider: new ReplayDecider(decisions, runner.spec.jitter), seed: runner.spec.runSeed });
  return r.events.map(formatEvent).join('\n');
}

/**
 * Finishes one group: the non-determinism check, shrinking, the explanation. Returns
 * the group, and a second one when the schedule did not replay the same.
 */
export async function finishGroup(runner: ScheduleRunner, g: OpenGroup, shrinkBudget = 2000): Promise<FailureGroup[]> {
  const decisions = g.first.decisions ?? [];
  const out: FailureGroup[] = [];
  const [a, b] = [await traceOf(runner, decisions), await traceOf(runner, decisions)];
  const again = await runner.replay(decisions);
  if (a !== b || again.signature !== g.signature) {
    const nd: OpenGroup = {
      signature: 'nondeterminism',
      count: 1,
      first: { ...g.first, failures: [{ property: 'nondeterminism', line: a !== b ? 'the schedule gave two different traces when replayed twice (a Lab bug)' : `replayed, the schedule fails differently: ${again.signature ?? 'it passes'} (a Lab bug)`, sig: 'nondeterminism' }] },
    };
    out.push(toGroup(runner, nd, decisions, false, 'not shrunk: the run does not replay the same', []));
    if (again.signature !== g.signature) return [toGroup(runner, g, decisions, false, 'not shrunk: the run does not replay the same', []), ...out];
  }
  const shrunk = await shrinkDecisions(decisions, async (ds) => (await runner.replay(ds)).signature === g.signature, shrinkBudget);
  const explained = await explainSchedule(runner.spec.scenario, shrunk.decisions, runner.spec.jitter, runner.spec.runSeed);
  return [toGroup(runner, g, explained.decisions, true, explained.summary, explained.lines), ...out];
}
