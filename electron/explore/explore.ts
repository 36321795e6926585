/**
 * An exploration from start to end: runs the schedules (in this thread, or spread
 * over worker threads with `jobs`), groups the failures as they come, reports
 * progress (at most every `progressMs`), then finishes each group (replay check,
 * shrinking, explanation). Used by `taskmgr-lab explore` and by the backend service
 * of the app (./service.ts), which always runs it in workers so that its own event
 * loop stays free. Cancelling (the AbortSignal) stops the runs and skips shrinking.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ExploreProgress, ExploreState, FailureGroup } from '../../shared/protocol/explore';
import type { ExploreSpec, RunVerdict } from './engine';
import { ScheduleRunner } from './engine';
import { FailureGroups, finishGroup, type OpenGroup } from './groups';

export interface ExploreRunOptions {
  /** Worker threads; 0: run in this thread (the CLI with --jobs 1). */
  jobs: number;
  /** Run only schedules i with i % count === index (a CI fleet splits an exploration so). */
  shard?: { index: number; count: number };
  signal?: AbortSignal;
  onProgress?: (p: ExploreProgress) => void;
  /** Milliseconds between progress reports (default 200). */
  progressMs?: number;
  /** The worker entry (default ./worker.ts through tsx; the built app passes its bundle). */
  workerEntry?: string;
  /** Names the exploration in its progress (default "explore"). */
  id?: string;
}

export interface ExploreOutcome {
  runs: number;
  passed: number;
  failures: number;
  groups: FailureGroup[];
  exhausted: boolean;
  cancelled: boolean;
  elapsedMs: number;
  runsPerS: number;
  /** Runs per second once every job had started (from the first batch on): what the jobs do, without their start. */
  steadyRunsPerS: number;
  /** Mean events per run. */
  eventsPerRun: number;
  /** One line: what was run and what it found (dfs: the proof, when exhausted). */
  verdict: string;
}

/** Messages of ./worker.ts. */
export type WorkerMessage =
  | { type: 'batch'; done: number; events: number; failing: RunVerdict[] }
  | { type: 'done'; exhausted: boolean }
  /** A finished group (and its non-determinism twin, if any), in order. */
  | { type: 'finished'; groups: FailureGroup[] }
  | { type: 'error'; message: string };

export interface WorkerTask {
  spec: ExploreSpec;
  /** Indices start, start + step, ... below end; the whole dfs sequence; or finishing `groups`. */
  indices: { start: number; step: number; end: number } | 'dfs' | 'finish';
  groups?: OpenGroup[];
}

export const DEFAULT_WORKER_ENTRY = join(__dirname, 'worker.ts');

function startWorker(entry: string, task: WorkerTask): Worker {
  if (/\.[cm]?ts$/.test(entry)) {
    // TypeScript sources (the CLI, tests): load tsx's hook in the thread first.
    const tsx = createRequire(__filename).resolve('tsx/cjs');
    return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, { eval: true, workerData: task });
  }
  return new Worker(entry, { workerData: task });
}

function verdictLine(spec: ExploreSpec, runs: number, failures: number, groups: number, exhausted: boolean, cancelled: boolean): string {
  const found = failures ? `${failures} failed in ${groups} group${groups === 1 ? '' : 's'}` : 'no failure';
  if (spec.strategy === 'dfs' && exhausted) {
    const bound = `at most ${spec.maxPreemptions} non-default choice${spec.maxPreemptions === 1 ? '' : 's'}${spec.jitter > 0 ? `, jitter ±${Math.round(spec.jitter * 100)}%` : ''}`;
    const n = `${runs} schedule${runs === 1 ? '' : 's'}`;
    return failures ? `exhausted: ${n} within the bound (${bound}); ${found}` : `exhausted: ${n}, no failure within the bound (${bound})`;
  }
  return `${cancelled ? 'cancelled after ' : ''}${runs} schedule${runs === 1 ? '' : 's'}${spec.strategy === 'dfs' ? ' (the bounded space is not exhausted: raise --runs)' : ''}, ${found}`;
}

export async function explore(spec: ExploreSpec, options: ExploreRunOptions): Promise<ExploreOutcome> {
  const started = Date.now();
  const groups = new FailureGroups();
  const runner = new ScheduleRunner(spec);
  const shard = options.shard ?? { index: 0, count: 1 };
  const planned = spec.strategy === 'dfs' ? spec.runs : Math.max(0, Math.ceil((spec.runs - shard.index) / shard.count));
  let done = 0;
  let events = 0;
  let exhausted = false;
  let lastReport = 0;
  const every = options.progressMs ?? 200;
  const aborted = (): boolean => options.signal?.aborted === true;

  const progress = (state: ExploreState, extra: Partial<ExploreProgress> = {}): ExploreProgress => {
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    return {
      id: options.id ?? 'explore',
      state,
      scenario: spec.scenario.name,
      strategy: spec.strategy,
      runs: done,
      total: planned,
      runsPerS: Math.round(rate * 10) / 10,
      etaS: state === 'running' && rate > 0 ? Math.round((planned - done) / rate) : null,
      passed: done - groups.failures,
      failures: groups.failures,
      bySignature: groups.histogram(),
      groups: groups.unshrunk(runner),
      exhausted,
      verdict: null,
      error: null,
      ...extra,
    };
  };
  const tick = (force = false): void => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - lastReport < every)) return;
    lastReport = now;
    options.onProgress(progress('running'));
  };
  let state: ExploreState = 'running';
  let report = (): ExploreProgress => progress(state);
  // At least every `every` ms while anything runs, whether or not a batch came.
  const heartbeat = setInterval(() => options.onProgress?.(report()), every);
  heartbeat.unref?.();
  const take = (v: RunVerdict): void => {
    done++;
    events += v.events;
    groups.add(v);
  };

  const firstBatch = { seen: false, at: 0, done: 0 };
  await runner.init();
  if (options.jobs <= 0) {
    if (spec.strategy === 'dfs') {
      const r = await runner.dfs((v) => (take(v), tick()), aborted);
      exhausted = r.exhausted;
    } else {
      for (let i = shard.index; i < spec.runs && !aborted(); i += shard.count) {
        take(await runner.run(i));
        tick();
      }
    }
  } else {
    exhausted = await inWorkers(spec, options, shard, (m) => {
      if (!firstBatch.seen) Object.assign(firstBatch, { seen: true, at: Date.now(), done: m.done });
      done += m.done;
      events += m.events;
      for (const v of m.failing) groups.add(v);
      tick();
    });
  }

  const runsEnded = Date.now();
  const cancelled = aborted();
  const finished: FailureGroup[] = [];
  if (!cancelled && groups.list().length) {
    state = 'shrinking';
    const shown = (): FailureGroup[] => [...finished, ...groups.unshrunk(runner).slice(finished.filter((g) => g.signature !== 'nondeterminism').length)];
    report = () => progress('shrinking', { groups: shown() });
    options.onProgress?.(report());
    if (options.jobs <= 0) {
      for (const g of groups.list()) {
        if (aborted()) break;
        finished.push(...(await finishGroup(runner, g)));
        options.onProgress?.(report());
      }
    } else {
      // Shrinking replays the scenario hundreds of times: in a worker too.
      await inWorker(options, { spec, indices: 'finish', groups: groups.list() }, (m) => {
        if (m.type === 'finished') {
          finished.push(...m.groups);
          options.onProgress?.(report());
        }
      });
    }
  }
  clearInterval(heartbeat);
  const outGroups = cancelled || aborted() ? groups.unshrunk(runner) : finished;
  const elapsedMs = Date.now() - started;
  const failures = groups.failures;
  const verdict = verdictLine(spec, done, failures, groups.list().length, exhausted, cancelled || aborted());
  const outcome: ExploreOutcome = {
    runs: done,
    passed: done - failures,
    failures,
    groups: outGroups,
    exhausted,
    cancelled: cancelled || aborted(),
    elapsedMs,
    runsPerS: elapsedMs > 0 ? (done * 1000) / elapsedMs : 0,
    steadyRunsPerS: firstBatch.seen && runsEnded > firstBatch.at ? ((done - firstBatch.done) * 1000) / (runsEnded - firstBatch.at) : elapsedMs > 0 ? (done * 1000) / elapsedMs : 0,
    eventsPerRun: done ? events / done : 0,
    verdict,
  };
  options.onProgress?.(progress(outcome.cancelled ? 'cancelled' : 'done', { groups: outGroups, verdict, etaS: null }));
  return outcome;
}

/** Spreads the schedules over worker threads; resolves with "exhausted" (dfs) when all have ended. */
function inWorkers(spec: ExploreSpec, options: ExploreRunOptions, shard: { index: number; count: number }, onBatch: (m: Extract<WorkerMessage, { type: 'batch' }>) => void): Promise<boolean> {
  const jobs = spec.strategy === 'dfs' ? 1 : options.jobs;
  const tasks: WorkerTask[] = [];
  for (let j = 0; j < jobs; j++) {
    tasks.push({ spec, indices: spec.strategy === 'dfs' ? 'dfs' : { start: shard.index + j * shard.count, step: shard.count * jobs, end: spec.runs } });
  }
  return runWorkers(options, tasks, (m) => {
    if (m.type === 'batch') onBatch(m);
  });
}

function inWorker(options: ExploreRunOptions, task: WorkerTask, onMessage: (m: WorkerMessage) => void): Promise<boolean> {
  return runWorkers(options, [task], onMessage);
}

/** Runs the tasks in worker threads until each says done (or the signal aborts them all). */
function runWorkers(options: ExploreRunOptions, tasks: WorkerTask[], onMessage: (m: WorkerMessage) => void): Promise<boolean> {
  const entry = options.workerEntry ?? DEFAULT_WORKER_ENTRY;
  return new Promise<boolean>((resolve, reject) => {
    const workers = tasks.map((t) => startWorker(entry, t));
    let running = workers.length;
    let exhausted = false;
    let failed = false;
    const stopAll = (): void => {
      for (const w of workers) void w.terminate();
    };
    const onAbort = (): void => stopAll();
    if (options.signal?.aborted) stopAll();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const ended = (): void => {
      if (--running > 0) return;
      options.signal?.removeEventListener('abort', onAbort);
      if (!failed) resolve(exhausted);
    };
    for (const w of workers) {
      let over = false;
      const end = (): void => {
        if (over) return;
        over = true;
        ended();
      };
      w.on('message', (m: WorkerMessage) => {
        if (m.type === 'error') {
          failed = true;
          stopAll();
          reject(new Error(`an explorer worker failed: ${m.message}`));
          return;
        }
        onMessage(m);
        if (m.type === 'done') {
          exhausted ||= m.exhausted;
          end();
        }
      });
      w.on('error', (err) => {
        failed = true;
        stopAll();
        reject(err);
      });
      w.on('exit', end);
    }
  });
}
