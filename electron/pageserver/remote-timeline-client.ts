/**
 * storage_sync2's `RemoteTimelineClient`: one per Timeline object (when remote
 * storage is configured), wrapping its UploadQueue (./upload-queue.ts). Scheduling
 * launches what the rules allow at once, each op as its own RemoteUploadTask
 * spawned by whoever scheduled or completed (a flush task, an upload task, an HTTP
 * handler). The tasks keep their op (`Arc<UploadTask>`) also after `stop()`, and the
 * remote operation itself runs here, on behalf of the task, with the failpoints of
 * upload.rs and delete.
 */
import { Panic } from '../core/errors';
import type { TaskRecord } from '../core/task-record';
import type { TimelineMetadata } from './disk';
import { ModelError, messageOf } from './errors';
import type { Pageserver } from './process';
import { remoteUploadSpec } from './spawn-specs';
import { describeUploadOp, type TaskOp, UploadQueue, type UploadOp } from './upload-queue';

export interface UploadTaskState {
  op: TaskOp;
  /** The RemoteUploadTask's trace label. */
  label: string | null;
}

export class RemoteTimelineClient {
  readonly id: number;
  readonly queue = new UploadQueue();
  readonly tasks = new Map<number, UploadTaskState>();

  constructor(
    readonly ps: Pageserver,
    readonly tenant: string,
    readonly timeline: string,
  ) {
    this.id = ps.newObjectId();
    ps.clients.set(this.id, this);
  }

  private event(action: 'scheduled' | 'launched' | 'completed' | 'dropped' | 'stopped' | 'barrier_reached', op: UploadOp | null, task: string | null = null): void {
    this.ps.emit({ ev: 'upload_queue', tenant: this.tenant, timeline: this.timeline, action, op: op ? describeUploadOp(op) : '', task });
  }

  scheduleLayerUpload(caller: TaskRecord | null, layer: string, size: number): void {
    this.event('scheduled', this.queue.scheduleLayerUpload(layer, size));
    this.launch(caller);
  }

  scheduleIndexUpload(caller: TaskRecord | null, metadata: TimelineMetadata): void {
    this.event('scheduled', this.queue.scheduleIndexUpload(metadata));
    this.launch(caller);
  }

  scheduleLayerDeletion(caller: TaskRecord | null, layers: string[]): void {
    if (!layers.length) return;
    for (const op of this.queue.scheduleLayerDeletion(layers)) this.event('scheduled', op);
    this.launch(caller);
  }

  /** `wait_completion()`: Ok when the barrier is reached; Err when `stop()` drops it. */
  waitCompletion(caller: TaskRecord | null): Promise<void> {
    return new Promise((resolve, reject) => {
      const op = this.queue.pushBarrier((reached) =>
        reached ? resolve() : reject(new ModelError('wait_completion aborted because upload queue was stopped')),
      );
      this.event('scheduled', op);
      this.launch(caller);
    });
  }

  /** `launch_queued_tasks`: one RemoteUploadTask per op the rules let start. */
  launch(caller: TaskRecord | null): void {
    const started = this.queue.launch((barrier) => {
      this.event('barrier_reached', barrier);
      barrier.done(true);
    });
    for (const { id, op } of started) {
      const state: UploadTaskState = { op, label: null };
      this.tasks.set(id, state);
      const task = this.ps.spawn(remoteUploadSpec(this.tenant, this.timeline, this.id, id, describeUploadOp(op).split(' ')[0]), caller);
      state.label = task?.label ?? null;
      this.event('launched', op, state.label);
    }
  }

  /**
   * One attempt of the task's remote operation (not interruptible). An error is a
   * value, so that the task retries; a `panic` failpoint makes the task panic.
   */
  async perform(taskId: number, caller: TaskRecord | null): Promise<{ ok: true } | { ok: false; error: string }> {
    const state = this.tasks.get(taskId);
    if (!state) throw new ModelError(`no upload task ${taskId}`);
    const { op } = state;
    const d = this.ps.config.durations;
    try {
      switch (op.kind) {
        case 'UploadLayer': {
          await this.ps.failpoint('before-upload-layer', caller);
          const size = this.ps.disk.readLayer(this.tenant, this.timeline, op.layer);
          await this.ps.work(caller, d.layerUpload, `UploadLayer ${op.layer}`);
          this.ps.remote.putLayer(this.tenant, this.timeline, op.layer, size);
          break;
        }
        case 'UploadMetadata':
          await this.ps.failpoint('before-upload-index', caller);
          await this.ps.work(caller, d.indexUpload, 'UploadMetadata');
          this.ps.lints?.indexUploaded(this.ps, this, op.index, caller);
          this.ps.remote.putIndex(this.tenant, this.timeline, op.index);
          break;
        case 'Delete':
          await this.ps.failpoint('before-delete-layer', caller);
          await this.ps.work(caller, d.layerDelete, `Delete ${op.layer}`);
          this.ps.remote.deleteLayer(this.tenant, this.timeline, op.layer);
          break;
      }
      return { ok: true };
    } catch (err) {
      if (err instanceof ModelError || (err instanceof Error && err.name === 'FsError')) return { ok: false, error: messageOf(err) };
      throw err;
    }
  }

  /** After success: record completion and launch what can follow (new, unsignalled tasks). */
  complete(taskId: number, caller: TaskRecord | null): void {
    const state = this.tasks.get(taskId);
    this.tasks.delete(taskId);
    if (this.queue.state === 'Stopped') {
      this.ps.logLine('info', caller, 'another concurrent task already stopped the queue');
      return;
    }
    if (this.queue.state === 'Uninitialized') throw new Panic('upload queue is not initialized');
    const op = this.queue.complete(taskId);
    if (op) this.event('completed', op, state?.label ?? null);
    this.launch(caller);
  }

  /**
   * `stop()`: called by the first upload task that sees a shutdown request at its
   * loop head (`taskId`); that task then returns and drops its op.
   */
  stop(caller: TaskRecord | null, taskId: number | null = null): void {
    if (taskId !== null) this.tasks.delete(taskId);
    if (this.queue.state === 'Stopped') {
      this.ps.logLine('info', caller, 'upload queue is already stopped');
      return;
    }
    const dropped = this.queue.stop();
    this.event('stopped', null, caller?.label ?? null);
    for (const op of dropped) {
      this.event('dropped', op);
      if (op.kind === 'Barrier') op.done(false);
    }
  }

  /** The upload queue's ops that still reference a layer (queued or in flight). */
  pendingLayerOps(layer: string): TaskOp[] {
    const out: TaskOp[] = [];
    for (const s of this.tasks.values()) if (s.op.kind === 'UploadLayer' && s.op.layer === layer) out.push(s.op);
    for (const op of this.queue.queued) if (op.kind === 'UploadLayer' && op.layer === layer) out.push(op);
    return out;
  }
}
