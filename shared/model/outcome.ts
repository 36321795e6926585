/**
 * How a task's future ended, as the seed's `task_finish` classifies it:
 * `Ok(Ok(()))`, `Ok(Err(e))`, or `Err(panic payload)` from `catch_unwind`.
 * `killed` is the Lab's own: the task was still running when the process exited.
 */
export type TaskOutcome = 'ok' | 'error' | 'panic' | 'killed';

/** A fault the Lab can inject into a running task (it ends the task at its await). */
export type FaultKind = 'panic' | 'error';

/** The filter of a `shutdown_tasks` call: `null` is the seed's `None`, a wildcard. */
export interface ShutdownFilter {
  kind: import('./task-kind').TaskKind | null;
  tenant: string | null;
  timeline: string | null;
}
