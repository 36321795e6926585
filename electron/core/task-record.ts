/**
 * The coordinator's registry entry: the seed's `PageServerTask` with its
 * `MutableTaskState`, plus what the Lab shows (runtime, worker, parent).
 */
import type { RuntimeName, TaskKind } from '../../shared/model';
import type { BodySpec } from './executor';
import type { JoinHandle } from './join-handle';

export interface TaskRecord {
  id: number;
  /** The task's name in the trace (a template id, unique in a run). */
  label: string;
  /** The name given to `spawn`. */
  name: string;
  kind: TaskKind;
  runtime: RuntimeName;
  /** `MutableTaskState.tenant_id` / `timeline_id`: changed by `associate_with`. */
  tenant: string | null;
  timeline: string | null;
  parent: string | null;
  shutdownProcessOnError: boolean;
  body: BodySpec;
  /** The value in the task's `watch` channel. */
  shutdownRequested: boolean;
  /** `MutableTaskState.join_handle`: taken (set to null) by the first `shutdown_tasks` that waits. */
  joinHandle: JoinHandle | null;
  /** The same handle, kept so that the task's end can complete it whoever took it. */
  completion: JoinHandle;
  started: boolean;
  worker: number | null;
}
