/**
 * Task warnings as data, after tokio-console's `warnings.rs`: each lint checks one
 * task and answers with one sentence or nothing, and has a summary line for the
 * count ("3 tasks panicked"). The rules name the races the seed's task_mgr is known
 * for: a signal nobody looks at, a task registered (or re-associated) after a
 * shutdown_tasks snapshot and so never signalled, a join that waits for ever.
 */
import type { CallRec, TaskRec } from './lab-state';

/**
 * What a lint reads of a task: the Task view model (./task.ts) is one, and it runs
 * the lints, so they name this narrow shape rather than the class (no import cycle).
 */
export interface LintSubject {
  readonly name: string;
  readonly rec: TaskRec;
  /** The time of the cursor, in ticks. */
  readonly now: number;
  readonly finished: boolean;
  readonly kind: string;
  readonly tenant: string | null;
  readonly timeline: string | null;
  /** The message of its error or panic, null otherwise. */
  readonly exitMessage: string | null;
}

export interface Warning {
  lint: string;
  text: string;
  /** 'error' for how a task ended badly, 'warn' for a suspicion about a living task. */
  severity: 'warn' | 'error';
}

export interface LintContext {
  /** Ticks after which a signal that was not observed, or a wait, is suspicious. */
  thresholdTicks: number;
  /** Shutdown calls at the cursor, in begin order. */
  calls: readonly CallRec[];
  /** Derived from `calls` once per cursor (see callIndex): the lints look tasks up in it. */
  callIndex?: CallIndex;
  /** The text of an `await` event (what a task awaits), decoded from the log. */
  awaitText(eventIndex: number): string | null;
  /** The message of an `exit` event, decoded from the log. */
  exitMessage?(eventIndex: number): string | null;
  /** Invariant violations the pageserver model reported (`lint` events) naming a task, up to the cursor. */
  traceLints?: ReadonlyMap<string, readonly string[]>;
}

export interface TaskLint {
  name: string;
  check(task: LintSubject, ctx: LintContext): string | null;
  severity: Warning['severity'];
  summary(count: number): string;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * The calls a lint needs for one task without scanning them all (a long run has
 * thousands of calls and thousands of tasks): the unfinished calls joining a task,
 * and the filtered calls by the tenant they name (null: any tenant).
 */
export interface CallIndex {
  joining: Map<string, CallRec[]>;
  byTenant: Map<string | null, CallRec[]>;
}

export function callIndex(calls: readonly CallRec[]): CallIndex {
  const joining = new Map<string, CallRec[]>();
  const byTenant = new Map<string | null, CallRec[]>();
  for (const c of calls) {
    if (c.abandonedT !== null) continue;
    if (c.endT === null && c.waitingOn !== null) {
      const list = joining.get(c.waitingOn);
      if (list) list.push(c);
      else joining.set(c.waitingOn, [c]);
    }
    if (c.kind === null && c.tenant === null && c.timeline === null) continue; // process-wide, not a filter race
    const list = byTenant.get(c.tenant);
    if (list) list.push(c);
    else byTenant.set(c.tenant, [c]);
  }
  return { joining, byTenant };
}

function indexOf(ctx: LintContext): CallIndex {
  return (ctx.callIndex ??= callIndex(ctx.calls));
}

/** Does a call's filter (None is a wildcard) match the task's attributes now? */
export function filterMatches(call: Pick<CallRec, 'kind' | 'tenant' | 'timeline'>, task: Pick<LintSubject, 'kind' | 'tenant' | 'timeline'>): boolean {
  return (
    (call.kind === null || call.kind === task.kind) &&
    (call.tenant === null || call.tenant === task.tenant) &&
    (call.timeline === null || call.timeline === task.timeline)
  );
}

export const TASK_LINTS: readonly TaskLint[] = [
  {
    name: 'signal-not-observed',
    severity: 'warn',
    check(task, ctx) {
      const r = task.rec;
      if (r.signalT === null || r.observeT !== null || r.outcome !== null) return null;
      const ago = task.now - r.signalT;
      if (ago < ctx.thresholdTicks) return null;
      return `signalled ${fmt(ago)} ticks ago by "${r.signalledBy[0]}" and not observed`;
    },
    summary: (n) => `${plural(n, 'task was', 'tasks were')} signalled and never looked at the signal`,
  },
  {
    name: 'hung-join',
    severity: 'warn',
    check(task, ctx) {
      if (task.finished) return null;
      for (const c of indexOf(ctx).joining.get(task.name) ?? []) {
        if (c.waitSince !== null && c.tookHandle && task.now - c.waitSince >= ctx.thresholdTicks) {
          return `shutdown_tasks "${c.label}" has waited ${fmt(task.now - c.waitSince)} ticks for it to exit`;
        }
      }
      return null;
    },
    summary: (n) => `${plural(n, 'task holds', 'tasks hold')} up a shutdown_tasks call`,
  },
  {
    name: 'missed-by-shutdown',
    severity: 'warn',
    check(task, ctx) {
      if (task.finished) return null;
      const r = task.rec;
      const idx = indexOf(ctx).byTenant;
      for (const list of [idx.get(null), r.tenant !== null ? idx.get(r.tenant) : undefined]) {
        if (list === undefined) continue;
        for (const c of list) {
          if (c.endT !== null && r.spawnIdx > c.endIdx) continue; // registered after the call was over: not a race
          if (!filterMatches(c, task) || r.signalledBy.includes(c.label)) continue;
          return r.spawnIdx > c.beginIdx
            ? `matches shutdown_tasks "${c.label}" but was registered after its snapshot and never signalled`
            : `matches shutdown_tasks "${c.label}" now but was not signalled (associated after its snapshot)`;
        }
      }
      return null;
    },
    summary: (n) => `${plural(n, 'task was', 'tasks were')} missed by a shutdown_tasks filter`,
  },
  {
    name: 'not-started',
    severity: 'warn',
    check(task, ctx) {
      const r = task.rec;
      if (r.startT !== null || r.outcome !== null) return null;
      const ago = task.now - r.spawnT;
      return ago >= ctx.thresholdTicks ? `registered ${fmt(ago)} ticks ago and not started` : null;
    },
    summary: (n) => `${plural(n, 'task is', 'tasks are')} registered but not started`,
  },
  {
    name: 'pageserver-lint',
    severity: 'warn',
    check(task, ctx) {
      const found = ctx.traceLints?.get(task.name);
      return found && found.length > 0 ? found.join('; ') : null;
    },
    summary: (n) => `${plural(n, 'task is', 'tasks are')} named by an invariant lint of the pageserver model`,
  },
  {
    name: 'panicked',
    severity: 'error',
    check: (task) => (task.rec.outcome === 'panic' ? `panicked: ${task.exitMessage ?? '(no message)'}` : null),
    summary: (n) => `${plural(n, 'task', 'tasks')} panicked`,
  },
  {
    name: 'exited-with-error',
    severity: 'error',
    check: (task) => (task.rec.outcome === 'error' ? `exited with error: ${task.exitMessage ?? '(no message)'}` : null),
    summary: (n) => `${plural(n, 'task', 'tasks')} exited with an error`,
  },
  {
    name: 'killed',
    severity: 'error',
    check: (task) => (task.rec.outcome === 'killed' ? 'killed: still running when the process exited' : null),
    summary: (n) => `${plural(n, 'task was', 'tasks were')} killed by the process exit`,
  },
  {
    name: 'shutdown-process-on-error',
    severity: 'error',
    check: (task) =>
      task.rec.shutdownProcessOnError && (task.rec.outcome === 'error' || task.rec.outcome === 'panic')
        ? 'spawned with shutdown_process_on_error: its failure shuts the pageserver down'
        : null,
    summary: (n) => `${plural(n, 'failure', 'failures')} escalated to a process shutdown`,
  },
];

function fmt(ticks: number): string {
  return Number.isInteger(ticks) ? String(ticks) : ticks.toFixed(1);
}

export function lintTask(task: LintSubject, ctx: LintContext): Warning[] {
  const out: Warning[] = [];
  for (const lint of TASK_LINTS) {
    const text = lint.check(task, ctx);
    if (text !== null) out.push({ lint: lint.name, text, severity: lint.severity });
  }
  return out;
}

/** One line per lint that fired, with its count, for the status bar and the table header. */
export function summarizeWarnings(tasks: ReadonlyArray<{ readonly warnings: readonly Warning[] }>): string[] {
  const counts = new Map<string, number>();
  for (const t of tasks) for (const w of t.warnings) counts.set(w.lint, (counts.get(w.lint) ?? 0) + 1);
  return TASK_LINTS.filter((l) => counts.has(l.name)).map((l) => l.summary(counts.get(l.name)!));
}
