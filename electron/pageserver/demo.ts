/**
 * The demos: a small pageserver with two tenants doing work (WAL, flushes, uploads,
 * compaction, GC, page requests).
 *
 * - `pageserver-demo` (the library file) is scripted: a SIGTERM at tick 400 runs the
 *   seed's graceful shutdown, and `taskmgr-lab demo` / `scenarios --check` show and
 *   check that outcome. Its title says so.
 * - `pageserver-demo-interactive` is the same pageserver without the script's end: no
 *   SIGTERM, no checked outcome, an end far away (days at the app's 100 ms ticks). The
 *   app runs it on its first start, so that a user finds tenants at work, ready to be
 *   detached, deleted, injected into and shut down, and it runs until the user stops
 *   it or shuts the pageserver down. It is derived from the scripted file, not a copy,
 *   so the two cannot drift apart.
 */
import type { PageserverScenario } from '../../shared/scenario/pageserver-types';

export const DEMO_SCENARIO = 'pageserver-demo';
export const INTERACTIVE_DEMO = 'pageserver-demo-interactive';

/** Ticks an interactive demo may run: 11.5 days at 100 ms a tick. */
export const INTERACTIVE_END_AT = 10_000_000;

/** The interactive demo made from the scripted one: its own steps, minus every signal. */
export function interactiveDemo(scripted: PageserverScenario): PageserverScenario {
  const signals = scripted.steps.filter((s) => s.do === 'signal').map((s) => s.at);
  const firstSignal = signals.length > 0 ? Math.min(...signals) : Infinity;
  return {
    ...scripted,
    name: INTERACTIVE_DEMO,
    title: 'A small pageserver with two tenants at work, until you stop it',
    description:
      'The pageserver of pageserver-demo without its scripted SIGTERM: it keeps working until you stop the run or shut the pageserver down ' +
      '(SIGTERM, SIGQUIT, a crash) in the Pageserver view. Detach, delete, inject and shut down as you like. ' +
      scripted.description.replace(/\s*At the end a SIGTERM[^.]*\.\s*In the app[^.]*\.\s*$/, ''),
    phases: scripted.phases.filter((p) => p.at < firstSignal),
    steps: scripted.steps.filter((s) => s.do !== 'signal'),
    end_at: Math.max(scripted.end_at, INTERACTIVE_END_AT),
    expect: [],
  };
}
