/**
 * What counts as a failure of one explored run (docs/explorer.md, "Properties"):
 * - `expect`: an expectation of the scenario does not hold;
 * - `lint`: an invariant lint of neon-semantics section 8.4 was raised (unless the
 *   scenario expects it, or `--allow-lint` names it);
 * - `hang`: a `shutdown_tasks` call still waits at the end of the run, or a process
 *   shutdown never finished (a call the scenario expects never to return is not one);
 * - `lab-error`: the Lab itself failed (an exception, an `error` event, a body that
 *   awaited something foreign, the work bound): a Lab bug, reported with the schedule;
 * - `nondeterminism`: the same schedule gave two traces (checked by the explorer).
 * Each failure carries a signature part that names the property and what it is about
 * (the expectation's words, the lint's rule with the task kinds and tenants, the
 * call), so that one bug is one group however often it is hit.
 */
import { checkScenarioExpect } from '../../shared/scenario/expect-check';
import type { AnyScenario } from '../../shared/scenario/pageserver-parse';
import type { TraceEvent } from '../../shared/trace/events';
import type { ScheduleRunResult } from './run-schedule';

export const PROPERTIES = ['expect', 'lint', 'hang', 'lab-error', 'nondeterminism'] as const;
export type PropertyName = (typeof PROPERTIES)[number];

export interface PropertyFailure {
  property: PropertyName;
  /** The lint rule, for `lint`. */
  rule?: string;
  /** What failed, in one line (an expectation with what was found, a lint's sentence). */
  line: string;
  /** Its part of the run's signature. */
  sig: string;
}

export interface JudgeOptions {
  /** Only these count: property names, or lint rules. */
  properties?: readonly string[];
  /** Lint rules that never count. */
  allowLints?: readonly string[];
}

/** Labels of calls the scenario expects never to return, and lint rules it expects raised. */
function expected(scenario: AnyScenario): { pendingCalls: Set<string>; lints: Set<string> } {
  const pendingCalls = new Set<string>();
  const lints = new Set<string>();
  for (const e of scenario.expect ?? []) {
    if ('shutdown' in e && !e.completed) pendingCalls.add(e.shutdown);
    if ('lint' in e && e.raised) lints.add(e.lint);
  }
  return { pendingCalls, lints };
}

function kindsAndTenants(labels: readonly string[], spawns: ReadonlyMap<string, TraceEvent & { ev: 'spawn' }>): string {
  const parts = new Set<string>();
  for (const l of labels) {
    const s = spawns.get(l);
    if (s) parts.add(s.tenant ? `${s.kind} ${s.tenant}` : s.kind);
  }
  return [...parts].sort().join(', ');
}

/** Every failure of a run, in a stable order (sorted by signature part, deduplicated). */
export function judgeRun(scenario: AnyScenario, run: ScheduleRunResult, options: JudgeOptions = {}): PropertyFailure[] {
  const out = new Map<string, PropertyFailure>();
  const add = (f: PropertyFailure): void => {
    if (!out.has(f.sig)) out.set(f.sig, f);
  };
  const exp = expected(scenario);
  const results = scenario.format === 'taskmgr-pageserver/1' ? run.assertions : checkScenarioExpect(scenario.expect, run.events);
  for (const r of results) if (!r.ok) add({ property: 'expect', line: `${r.description}: found ${r.detail}`, sig: `expect: ${r.description}` });

  const spawns = new Map<string, TraceEvent & { ev: 'spawn' }>();
  let shutdown: (TraceEvent & { ev: 'process_shutdown' }) | null = null;
  for (const e of run.events) {
    switch (e.ev) {
      case 'spawn':
        spawns.set(e.task, e);
        break;
      case 'lint':
        if (exp.lints.has(e.rule) || options.allowLints?.includes(e.rule)) break;
        {
          const about = kindsAndTenants(e.tasks, spawns);
          add({ property: 'lint', rule: e.rule, line: e.message, sig: `lint ${e.rule}${about ? ` (${about})` : ''}` });
        }
        break;
      case 'process_shutdown':
        shutdown = e;
        break;
      case 'process_exit':
      case 'process_start':
        shutdown = null;
        break;
      case 'process_signal':
        if (e.effect === 'kill') shutdown = null;
        break;
      case 'end':
        for (const label of e.pending) {
          if (!exp.pendingCalls.has(label)) add({ property: 'hang', line: `shutdown_tasks ${label} still waits at the end (tick ${e.t})`, sig: `hang: shutdown_tasks ${label}` });
        }
        break;
      case 'error':
        add({ property: 'lab-error', line: e.message, sig: 'lab-error' });
        break;
      default:
        break;
    }
  }
  if (shutdown) add({ property: 'hang', line: `the process shutdown (code ${shutdown.code}) begun at tick ${shutdown.t} never finished`, sig: 'hang: process shutdown' });
  if (run.labError) add({ property: 'lab-error', line: run.labError, sig: 'lab-error' });
  for (const p of run.problems) add({ property: 'lab-error', line: p, sig: 'lab-error' });

  const only = options.properties;
  const kept = [...out.values()].filter((f) => !only || only.includes(f.property) || (f.rule !== undefined && only.includes(f.rule)));
  return kept.sort((a, b) => (a.sig < b.sig ? -1 : a.sig > b.sig ? 1 : 0));
}

/** The signature of a run's failures: one line, the same for the same bug. */
export function signatureOf(failures: readonly PropertyFailure[]): string {
  return failures.map((f) => f.sig).join(' | ');
}
