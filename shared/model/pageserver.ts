/**
 * The states of the pageserver's tenants and timelines at the seed commit
 * (9a6c0be823), spelled as in `libs/pageserver_api/src/models.rs`. The seed calls the
 * shutting-down state `Paused`; the next day it was renamed `Stopping` (PR #2959)
 * because a Paused tenant still has running tasks and never becomes Active again.
 * The Lab keeps the seed's name and shows the later one beside it.
 */
export const TenantState = {
  /** Loading from local disk (an InitialLoad task is running). */
  Loading: 'Loading',
  /** Downloading from remote storage (an Attach task is running). */
  Attaching: 'Attaching',
  Active: 'Active',
  /** Detach or shutdown in progress; terminal (=Stopping after PR #2959). */
  Paused: 'Paused',
  /** Failed to load, attach or activate; sticky until restart. */
  Broken: 'Broken',
} as const;
export type TenantState = (typeof TenantState)[keyof typeof TenantState];

export const TimelineState = {
  Active: 'Active',
  /** New timelines start here; "could go back to Active automatically". */
  Suspended: 'Suspended',
  /** Only a mgmt call (timeline delete) moves a timeline here (=Stopping after PR #2959). */
  Paused: 'Paused',
  Broken: 'Broken',
} as const;
export type TimelineState = (typeof TimelineState)[keyof typeof TimelineState];

/** `Timeline::flush_loop_state`: the LayerFlushTask is started once and never restarted. */
export const FlushLoopState = {
  NotStarted: 'NotStarted',
  Running: 'Running',
  Exited: 'Exited',
} as const;
export type FlushLoopState = (typeof FlushLoopState)[keyof typeof FlushLoopState];

/** How the UI names a state: the seed's word, with the later name beside `Paused`. */
export function stateLabel(state: TenantState | TimelineState): string {
  return state === 'Paused' ? 'Paused (Stopping)' : state;
}
