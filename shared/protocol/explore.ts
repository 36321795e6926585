/**
 * The explorer's part of the Lab API (docs/explorer.md): the options of an
 * exploration, the progress the backend pushes while it runs (at least four times a
 * second), the failure groups with their shrunk schedules, and the results of
 * "open a schedule" and "compare with the nearest passing run". The explorer runs in
 * the backend (Electron main or the Node host) and its worker threads, never in the
 * renderer; these types are what both sides agree on, and `validateExploreOptions`
 * checks what the untrusted renderer sends.
 */
import type { TraceEvent } from '../trace/events';
import { STRATEGIES, type Decision, type ScheduleFile, type StrategyName } from './schedule';

export interface ExploreOptions {
  strategy: StrategyName;
  /** How many schedules to run (dfs: at most this many; it may exhaust earlier). */
  runs: number;
  /** The jitter bound, a fraction of each timed wait (default 0.2; 0: none). */
  jitter: number;
  /** pct: the bug depth d (d - 1 priority change points; default 3). */
  depth?: number;
  /** dfs: at most this many non-default choices per schedule (default 2). */
  maxPreemptions?: number;
  /** Schedule i depends only on the seed and i (default: the scenario's seed, or 1). */
  seed?: number;
  /** Worker threads (default: the number of cores). */
  jobs?: number;
  /** Only these properties count (`expect`, `lint`, a lint rule, `hang`, `lab-error`, `nondeterminism`). */
  properties?: string[];
  /** Lint rules that do not count as failures. */
  allowLints?: string[];
}

/** One kind of failure: which properties failed, on which task kinds and tenants. */
export interface FailureGroup {
  /** `expect: shutdown_tasks detach t1 returns | lint late-spawn (RemoteUploadTask t1)`. */
  signature: string;
  /** Runs that failed with this signature. */
  count: number;
  /** The index of the first schedule that failed so. */
  firstRun: number;
  /** What failed, one line each (an expectation with what was found, a lint's sentence, ...). */
  failures: string[];
  /** The shrunk schedule (the first failing one until shrinking has finished). */
  schedule: ScheduleFile;
  shrunk: boolean;
  /** Non-default decisions of `schedule`. */
  decisions: number;
  /** `needs 2 decisions: ...`: the shrunk schedule in words. */
  explanation: string;
}

export type ExploreState = 'running' | 'shrinking' | 'done' | 'cancelled' | 'failed';

/** Pushed while an exploration runs, and once more when it ends. */
export interface ExploreProgress {
  id: string;
  state: ExploreState;
  scenario: string;
  strategy: StrategyName;
  /** Schedules run so far, and the planned number. */
  runs: number;
  total: number;
  runsPerS: number;
  /** Seconds left at the current rate (null before the rate is known, or once done). */
  etaS: number | null;
  passed: number;
  /** Failing runs (all groups). */
  failures: number;
  /** The histogram of outcomes: failing runs per signature, in order of first appearance. */
  bySignature: Array<{ signature: string; count: number }>;
  groups: FailureGroup[];
  /** dfs: the bounded space was searched completely (with no failure: a proof within the bound). */
  exhausted: boolean;
  /** One line for the end of the run (`exhausted: 212 schedules, no failure within the bound`). */
  verdict: string | null;
  /** Why the exploration failed (state `failed`). */
  error: string | null;
}

/** A schedule replayed: its events, what failed, and where. */
export interface ScheduleRun {
  schedule: ScheduleFile;
  events: TraceEvent[];
  /** The failed properties, one line each (empty: it passes). */
  failures: string[];
  signature: string | null;
  /** Index in `events` of the first event that shows the failure (a failed assertion, a lint, the end). */
  failedAt: number | null;
}

/** "Compare with the nearest passing run": the failing run, the passing one, where they part. */
export interface ScheduleComparison {
  failing: ScheduleRun;
  /** The same schedule with one decision put back to its default; null when none passes. */
  passing: ScheduleRun | null;
  /** The decision put back. */
  putBack: Decision | null;
  /** Index of the first event that differs between the two traces (null: none passes). */
  partsAt: number | null;
}

const MAX_RUNS = 10_000_000;

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Error(`${field}: expected an integer from ${min} to ${max}`);
  return v;
}

function names(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || v.length > 100 || !v.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 100)) {
    throw new Error(`${field}: expected a list of names`);
  }
  return v as string[];
}

/** Checks untrusted explore options; returns them typed, or throws an Error saying what is wrong. */
export function validateExploreOptions(raw: unknown): ExploreOptions {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('options: expected an object');
  const o = raw as Record<string, unknown>;
  const allowed = ['strategy', 'runs', 'jitter', 'depth', 'maxPreemptions', 'seed', 'jobs', 'properties', 'allowLints'];
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new Error(`options: unknown field "${k}"`);
  if (!(STRATEGIES as readonly unknown[]).includes(o.strategy)) throw new Error('options.strategy: expected "random", "pct" or "dfs"');
  if (typeof o.jitter !== 'number' || !(o.jitter >= 0 && o.jitter <= 1)) throw new Error('options.jitter: expected a number from 0 to 1');
  const out: ExploreOptions = { strategy: o.strategy as StrategyName, runs: int(o.runs, 'options.runs', 1, MAX_RUNS), jitter: o.jitter };
  if (o.depth !== undefined) out.depth = int(o.depth, 'options.depth', 1, 10);
  if (o.maxPreemptions !== undefined) out.maxPreemptions = int(o.maxPreemptions, 'options.maxPreemptions', 0, 10);
  if (o.seed !== undefined) out.seed = int(o.seed, 'options.seed', 0, 2 ** 32 - 1);
  if (o.jobs !== undefined) out.jobs = int(o.jobs, 'options.jobs', 1, 64);
  if (o.properties !== undefined) out.properties = names(o.properties, 'options.properties');
  if (o.allowLints !== undefined) out.allowLints = names(o.allowLints, 'options.allowLints');
  return out;
}
