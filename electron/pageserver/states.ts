/**
 * The transition tables of the tenant and timeline state machines at the seed
 * (neon-semantics.md 3.1 and 3.2), as pure functions so that they are tested on
 * their own. Each returns the new state (or null: unchanged), whether the call is an
 * error, and the log line the seed writes. The side effects of a transition (spawn
 * the loops, suspend the timelines) belong to `Tenant`.
 */
import { TenantState, TimelineState } from '../../shared/model';
import type { LogLevel } from '../../shared/trace/events';

export type TenantCall = 'activate' | 'set_paused' | 'set_broken';

export interface Transition<S> {
  /** The new state, or null when the state does not change. */
  to: S | null;
  /** The call returns this error (`activate` only). */
  error: string | null;
  log: { level: LogLevel; message: string } | null;
}

/** Section 3.1: `activate()`, `set_paused()`, `set_broken()` from each state. */
export function tenantTransition(tenant: string, from: TenantState, call: TenantCall): Transition<TenantState> {
  const none = { error: null, log: null };
  switch (call) {
    case 'activate':
      if (from === 'Loading' || from === 'Attaching') return { to: 'Active', ...none };
      if (from === 'Active') return { to: null, error: 'Tenant is already active', log: null };
      if (from === 'Paused') {
        // PR #2910: the detach-during-attach fix. A silent Ok, not an error.
        return { to: null, error: null, log: { level: 'info', message: `Tenant ${tenant} is already in Paused state, skipping activation` } };
      }
      return { to: null, error: 'Could not activate tenant because it is in broken state', log: null };
    case 'set_paused':
      if (from === 'Loading' || from === 'Attaching' || from === 'Active') return { to: 'Paused', ...none };
      return { to: null, error: null, log: { level: 'info', message: `Tenant ${tenant} is already in ${from} state, not pausing` } };
    case 'set_broken':
      if (from === 'Loading' || from === 'Attaching') return { to: 'Broken', ...none };
      if (from === 'Active' || from === 'Paused') {
        return { to: 'Broken', error: null, log: { level: 'warn', message: `Changing tenant ${tenant} from ${from} to Broken: shouldn't happen` } };
      }
      return { to: null, error: null, log: { level: 'warn', message: `Tenant ${tenant} is already in Broken state` } };
  }
}

/** Section 3.2: `Timeline::set_state(new)`. */
export function timelineTransition(timeline: string, from: TimelineState, to: TimelineState): Transition<TimelineState> {
  if (from === to) return { to: null, error: null, log: { level: 'debug', message: `Ignoring new state, equal to the existing one: ${to}` } };
  if (from === TimelineState.Broken) {
    return { to: null, error: null, log: { level: 'error', message: `Ignoring state update ${to} for broken timeline ${timeline}` } };
  }
  if (from === TimelineState.Paused && to === TimelineState.Active) {
    return { to: null, error: null, log: { level: 'debug', message: `Not activating a paused timeline ${timeline}` } };
  }
  return { to, error: null, log: null };
}

/** `TenantState::has_in_progress_downloads()`. */
export function hasInProgressDownloads(state: TenantState): boolean {
  return state === TenantState.Loading || state === TenantState.Attaching;
}
