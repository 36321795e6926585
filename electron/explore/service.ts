/**
 * The explorer as a backend service of the Lab (Electron main, or the Node host of
 * the browser mode): starts explorations in worker threads, so that the backend's
 * event loop stays free for the window; pushes their progress (at least four times a
 * second while they run); cancels them; and replays one schedule for "Open", or a
 * failing schedule and its nearest passing neighbour for "Compare". Replays are a
 * single simulated run each, done here.
 */
import { availableParallelism } from 'node:os';
import type { ExploreOptions, ExploreProgress, ScheduleComparison, ScheduleRun } from '../../shared/protocol/explore';
import type { ScheduleFile } from '../../shared/protocol/schedule';
import type { AnyScenario } from '../../shared/scenario/pageserver-parse';
import type { TraceEvent } from '../../shared/trace/events';
import { formatEvent } from '../../shared/trace/jsonl';
import { ReplayDecider } from './deciders';
import { explore } from './explore';
import { judgeRun, type PropertyFailure, signatureOf } from './properties';
import { runScenarioOnce } from './run-schedule';
import { checkScheduleFits, defaultSeed } from './schedule-file';

export interface ExploreServiceOptions {
  push: (progress: ExploreProgress) => void;
  /** The worker entry (the built app passes its bundle). */
  workerEntry?: string;
  /** Worker threads when the request names none (default: the cores). */
  jobs?: number;
  /** Where the service reports its own failures. */
  log?: (line: string) => void;
}

/** The first event that shows a failure: a failed assertion, a lint or error that counts, else the end. */
function failedAt(events: readonly TraceEvent[], failures: readonly PropertyFailure[]): number | null {
  if (failures.length === 0) return null;
  const rules = new Set(failures.filter((f) => f.rule).map((f) => f.rule));
  const i = events.findIndex((e) => (e.ev === 'assertion' && !e.ok) || (e.ev === 'lint' && rules.has(e.rule)) || e.ev === 'error');
  return i >= 0 ? i : events.length - 1;
}

export class ExploreService {
  private next = 1;
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly options: ExploreServiceOptions) {}

  /** Starts exploring; progress comes through `push`. */
  start(scenario: AnyScenario, o: ExploreOptions): { id: string } {
    const id = `explore-${this.next++}`;
    const abort = new AbortController();
    this.running.set(id, abort);
    const spec = {
      scenario,
      strategy: o.strategy,
      runs: o.runs,
      jitter: o.jitter,
      depth: o.depth ?? 3,
      maxPreemptions: o.maxPreemptions ?? 2,
      seed: o.seed ?? 1,
      runSeed: defaultSeed(scenario),
      judge: { properties: o.properties, allowLints: o.allowLints },
    };
    const jobs = Math.max(1, o.jobs ?? this.options.jobs ?? availableParallelism());
    void explore(spec, { jobs, id, signal: abort.signal, progressMs: 200, workerEntry: this.options.workerEntry, onProgress: this.options.push })
      .catch((err: unknown) => {
        const error = err instanceof Error ? err.message : String(err);
        this.options.log?.(`taskmgr-lab: exploration ${id} failed: ${error}`);
        this.options.push({
          id,
          state: 'failed',
          scenario: scenario.name,
          strategy: o.strategy,
          runs: 0,
          total: o.runs,
          runsPerS: 0,
          etaS: null,
          passed: 0,
          failures: 0,
          bySignature: [],
          groups: [],
          exhausted: false,
          verdict: null,
          error,
        });
      })
      .finally(() => this.running.delete(id));
    return { id };
  }

  cancel(id: string): boolean {
    const abort = this.running.get(id);
    if (!abort) return false;
    abort.abort();
    return true;
  }

  /** Cancels every exploration (the Lab is closing). */
  close(): void {
    for (const a of this.running.values()) a.abort();
  }

  async replay(scenario: AnyScenario, schedule: ScheduleFile): Promise<ScheduleRun> {
    checkScheduleFits(schedule, scenario);
    const run = await runScenarioOnce(scenario, { decider: new ReplayDecider(schedule.decisions, schedule.jitter), seed: schedule.seed });
    const failures = judgeRun(scenario, run);
    return { schedule, events: run.events, failures: failures.map((f) => f.line), signature: failures.length ? signatureOf(failures) : null, failedAt: failedAt(run.events, failures) };
  }

  /** The failing run and the nearest passing one: one decision put back, the one whose trace stays the same longest. */
  async compare(scenario: AnyScenario, schedule: ScheduleFile): Promise<ScheduleComparison> {
    const failing = await this.replay(scenario, schedule);
    const lines = failing.events.map(formatEvent);
    let best: ScheduleComparison = { failing, passing: null, putBack: null, partsAt: null };
    for (const d of schedule.decisions) {
      const candidate = { ...schedule, decisions: schedule.decisions.filter((x) => x !== d) };
      delete candidate.explanation;
      const run = await this.replay(scenario, candidate);
      if (run.signature !== null) continue;
      let parts = 0;
      while (parts < lines.length && parts < run.events.length && formatEvent(run.events[parts]) === lines[parts]) parts++;
      if (best.partsAt === null || parts > best.partsAt) best = { failing, passing: run, putBack: d, partsAt: parts };
    }
    return best;
  }
}
