/**
 * `shutdown_pageserver(exit_code)` of neon's `lib.rs` at the seed commit: each step
 * one `shutdown_tasks` call, awaited before the next, then `process::exit`.
 *
 *   1. LibpqEndpointListener    stop accepting compute connections
 *   2. PageRequestHandler       every compute connection
 *   3. shutdown_all_tenants()   with no tenant model: shutdown_tasks(WalReceiverManager)
 *   4. RemoteUploadTask         (does not wait for queued uploads)
 *   5. HttpEndpointListener     last, so that status stays queryable
 *   6. everything               "there should be nothing left"
 *   7. process::exit(code)      kills whatever is still running
 *
 * Nothing serialises two sequences (a failing listener during SIGTERM): each runs on
 * its own, and repeated labels are made unique by the coordinator (`LABEL#2`).
 */
import { TaskKind } from '../../shared/model';
import type { TaskRecord } from './task-record';

export const SHUTDOWN_SEQUENCE: ReadonlyArray<{ label: string; kind: TaskKind | null }> = [
  { label: 'pageserver:libpq', kind: TaskKind.LibpqEndpointListener },
  { label: 'pageserver:page', kind: TaskKind.PageRequestHandler },
  { label: 'pageserver:walreceiver', kind: TaskKind.WalReceiverManager },
  { label: 'pageserver:upload', kind: TaskKind.RemoteUploadTask },
  { label: 'pageserver:http', kind: TaskKind.HttpEndpointListener },
  { label: 'pageserver:all', kind: null },
];

/** The step that `tenant_mgr::shutdown_all_tenants()` occupies (index into SHUTDOWN_SEQUENCE). */
export const SHUTDOWN_ALL_TENANTS_STEP = 2;

export interface SequenceHost {
  /** Starts a `shutdown_tasks` call; `done` runs when it returns. */
  shutdownTasks(label: string, kind: TaskKind | null, caller: TaskRecord | null, done: () => void): void;
  /** Replaces step 3 when a tenant model is present. */
  shutdownAllTenants?: (caller: TaskRecord | null, done: () => void) => void;
  exit(code: number): void;
  readonly isExited: boolean;
}

/** Runs the sequence; `cause` is the failing task (null for a signal or a driver step). */
export function runShutdownSequence(host: SequenceHost, code: number, cause: TaskRecord | null): void {
  const step = (i: number): void => {
    if (host.isExited) return;
    if (i === SHUTDOWN_SEQUENCE.length) {
      host.exit(code);
      return;
    }
    const next = () => step(i + 1);
    if (i === SHUTDOWN_ALL_TENANTS_STEP && host.shutdownAllTenants) {
      host.shutdownAllTenants(cause, next);
      return;
    }
    const { label, kind } = SHUTDOWN_SEQUENCE[i];
    host.shutdownTasks(label, kind, cause, next);
  };
  step(0);
}
