/**
 * The explorer's inner loop, the same in the CLI's thread and in worker threads:
 * run schedule i of a strategy and judge it. Schedule i of `random` and `pct`
 * depends only on the exploration's seed and i (scheduleSeed), so any split of the
 * indices over jobs and shards finds the same failures. `dfs` is one sequence (each
 * schedule follows from the previous run) and runs in a single job.
 */
import type { Decision, StrategyName } from '../../shared/protocol/schedule';
import type { AnyScenario } from '../../shared/scenario/pageserver-parse';
import type { ChoiceKind, Decider } from '../sim/decisions';
import { RandomDecider, RecordingDecider, ReplayDecider, scheduleSeed } from './deciders';
import { DfsDecider, DfsSearch } from './dfs';
import { PctDecider } from './pct';
import { type JudgeOptions, judgeRun, type PropertyFailure, signatureOf } from './properties';
import { runScenarioOnce } from './run-schedule';

export interface ExploreSpec {
  scenario: AnyScenario;
  strategy: StrategyName;
  /** Schedules to run (dfs: at most). */
  runs: number;
  jitter: number;
  /** pct: bug depth d. */
  depth: number;
  /** dfs: non-default choices per schedule, at most. */
  maxPreemptions: number;
  /** The exploration's seed (schedule i's stream is derived from it and i). */
  seed: number;
  /** The seed every run of the scenario uses (its own, for a pageserver scenario). */
  runSeed: number;
  judge: JudgeOptions;
}

/** One judged run; a failing one keeps its schedule. */
export interface RunVerdict {
  index: number;
  signature: string | null;
  failures: PropertyFailure[];
  /** The non-default decisions (failing runs only). */
  decisions: Decision[] | null;
  /** Events of the run (for the events-per-run figure). */
  events: number;
}

/** Counts the scheduling choices of a run (PCT's k) without changing any. */
class CountingDecider implements Decider {
  count = 0;
  constructor(readonly jitter: number) {}
  choose(kind: ChoiceKind): number {
    if (kind !== 'join') this.count++;
    return 0;
  }
  delta(): number {
    return 0;
  }
}

export class ScheduleRunner {
  private k = 1;

  constructor(readonly spec: ExploreSpec) {}

  /** Measures what the strategy needs before the first schedule (PCT's k: the default run's scheduling choices). */
  async init(): Promise<void> {
    if (this.spec.strategy !== 'pct') return;
    const counting = new CountingDecider(this.spec.jitter);
    await runScenarioOnce(this.spec.scenario, { decider: counting, seed: this.spec.runSeed });
    this.k = Math.max(1, counting.count);
  }

  decider(i: number): Decider {
    const { strategy, seed, jitter, depth } = this.spec;
    const s = scheduleSeed(seed, i);
    return strategy === 'pct' ? new PctDecider(s, jitter, depth, this.k) : new RandomDecider(s, jitter);
  }

  /** Runs `decider`'s schedule (recording it) and judges it. */
  async judge(index: number, decider: Decider): Promise<RunVerdict> {
    const rec = new RecordingDecider(decider);
    const run = await runScenarioOnce(this.spec.scenario, { decider: rec, seed: this.spec.runSeed });
    const failures = judgeRun(this.spec.scenario, run, this.spec.judge);
    const failed = failures.length > 0;
    return { index, signature: failed ? signatureOf(failures) : null, failures, decisions: failed ? rec.decisions : null, events: run.events.length };
  }

  /** Schedule i of random or pct. */
  run(i: number): Promise<RunVerdict> {
    return this.judge(i, this.decider(i));
  }

  /** Replays a schedule and judges it (shrinking, explaining, the non-determinism check). */
  replay(decisions: readonly Decision[]): Promise<RunVerdict> {
    return this.judge(-1, new ReplayDecider(decisions, this.spec.jitter));
  }

  /**
   * The bounded depth-first search: calls `each` with every schedule's verdict, in
   * order, until the space is exhausted, `runs` schedules have run, or `stop()` says so.
   */
  async dfs(each: (v: RunVerdict) => void, stop: () => boolean): Promise<{ exhausted: boolean; runs: number }> {
    const search = new DfsSearch(this.spec.maxPreemptions);
    let runs = 0;
    for (let prefix = search.next(); prefix !== null && runs < this.spec.runs && !stop(); prefix = search.next()) {
      const d = new DfsDecider(prefix, this.spec.jitter);
      each(await this.judge(runs, d));
      runs++;
      search.advance(d);
    }
    return { exhausted: search.exhausted, runs };
  }
}
