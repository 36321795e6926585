/**
 * The coordinator's registry entry: the seed's `PageServerTask` with its
 * `MutableTaskState`, plus what the Lab shows (runtime, worker, parent). It is a
 * `StartRequest` too: the record itself is what the executor is handed.
 */
import type { StartRequest } from './executor';
import type { JoinHandle } from './join-handle';

export interface TaskRecord extends StartRequest {
  // From StartRequest: id; label (the task's name in the trace, unique in a run); name
  // (given to `spawn`); kind; runtime; body; and tenant / timeline, which are
  // `MutableTaskState.tenant_id` / `timeline_id` here, changed by `associate_with`.
  parent: string | null;
  shutdownProcessOnError: boolean;
  /** The value in the task's `watch` channel. */
  shutdownRequested: boolean;
  /** `MutableTaskState.join_handle`: taken (set to null) by the first `shutdown_tasks` that waits. */
  joinHandle: JoinHandle | null;
  /** The same handle, kept so that the task's end can complete it whoever took it. */
  completion: JoinHandle;
  started: boolean;
  worker: number | null;
}
