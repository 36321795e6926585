/**
 * The bound on a run's work (DESIGN.md section 7): a run may take at most
 * `maxSteps` steps, so that no scenario can keep the backend busy for ever (a
 * `poll_shutdown` every 1e-9 ticks, an `end_at` of 1e12 with a poller). A step is
 * one resumption of a task body: a scheduler step in the simulator, one message
 * from a worker in live mode. Every run meets the bound in its executor, whoever
 * started it (the CLI, the app, the conformance suite); a run that reaches it ends
 * with one `error` event and one problem, and the CLI exits non-zero.
 *
 * The default is far above any real scenario (the built-in library needs under a
 * thousand steps each, the benchmarks a few hundred thousand) and low enough that a run
 * which reaches it has used seconds of CPU and a few hundred MB, not hours and all
 * of memory. `taskmgr-lab run --max-steps N` raises it.
 */

/** Steps a run may take unless told otherwise. */
export const DEFAULT_MAX_STEPS = 1_000_000;

/** The largest bound that can be asked for (beyond it counting is no longer exact). */
export const MAX_MAX_STEPS = Number.MAX_SAFE_INTEGER;

/** The one line a run that reached its bound ends with. */
export function workLimitMessage(maxSteps: number): string {
  return `the run was stopped after ${maxSteps} steps, the bound of a run's work (a scenario that polls or loops without end?); raise it with --max-steps`;
}
