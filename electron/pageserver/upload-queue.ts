/**
 * storage_sync2's per-timeline `UploadQueue` (neon-semantics.md section 4), the pure
 * part: the queued and in-progress operations and the launch rules of
 * `launch_queued_tasks`. Strict FIFO with head-of-line blocking:
 *
 *   UploadLayer     always runnable, also beside an index upload or deletions
 *   UploadMetadata  only when nothing is in progress (after everything before it)
 *   Delete          only when everything in progress is a deletion
 *   Barrier         only when nothing is in progress; completed right there
 *
 * Spawning the RemoteUploadTask of a launched op is the client's job
 * (./remote-timeline-client.ts), so that these rules are tested on their own.
 */
import type { TimelineMetadata } from './disk';
import type { IndexPart } from './remote-storage';

export type UploadOp =
  | { kind: 'UploadLayer'; layer: string; size: number }
  | { kind: 'UploadMetadata'; index: IndexPart; lsn: number }
  | { kind: 'Delete'; layer: string }
  | { kind: 'Barrier'; done: (reached: boolean) => void };

/** An op a task runs (barriers never become tasks). */
export type TaskOp = Exclude<UploadOp, { kind: 'Barrier' }>;

export type QueueState = 'Uninitialized' | 'Initialized' | 'Stopped';

export function describeUploadOp(op: UploadOp): string {
  switch (op.kind) {
    case 'UploadLayer':
      return `UploadLayer ${op.layer}`;
    case 'UploadMetadata':
      return `UploadMetadata lsn ${op.lsn}`;
    case 'Delete':
      return `Delete ${op.layer}`;
    case 'Barrier':
      return 'Barrier';
  }
}

export class UploadQueue {
  state: QueueState = 'Uninitialized';
  /** Ids of upload tasks (separate from task_mgr ids). */
  taskCounter = 0;
  /** The desired remote state, queued and in-flight ops included. */
  latestFiles = new Map<string, number>();
  latestMetadata: TimelineMetadata | null = null;
  /** disk_consistent_lsn of the last successfully uploaded index: never ahead of the remote. */
  lastUploadedConsistentLsn = 0;
  inprogress = new Map<number, TaskOp>();
  queued: UploadOp[] = [];

  /** `init_upload_queue(&IndexPart)`: the remote has an index. */
  initFromIndex(index: IndexPart): void {
    this.requireUninitialized();
    this.latestFiles = new Map(Object.entries(index.timeline_layers));
    this.latestMetadata = { ...index.metadata };
    this.lastUploadedConsistentLsn = index.metadata.disk_consistent_lsn;
    this.state = 'Initialized';
  }

  /** `init_upload_queue_for_empty_remote(&metadata)`. */
  initForEmptyRemote(metadata: TimelineMetadata): void {
    this.requireUninitialized();
    this.latestMetadata = { ...metadata };
    this.lastUploadedConsistentLsn = 0;
    this.state = 'Initialized';
  }

  private requireUninitialized(): void {
    if (this.state !== 'Uninitialized') throw new Error(`upload queue already initialized, state ${this.state}`);
  }

  /** Every `schedule_*` requires an initialized queue. */
  requireInitialized(): void {
    if (this.state !== 'Initialized') throw new Error(`queue is in state ${this.state}`);
  }

  /** `schedule_layer_file_upload`. */
  scheduleLayerUpload(layer: string, size: number): UploadOp {
    this.requireInitialized();
    this.latestFiles.set(layer, size);
    const op: UploadOp = { kind: 'UploadLayer', layer, size };
    this.queued.push(op);
    return op;
  }

  /** `schedule_index_upload`: the index lists `latest_files` as they are now. */
  scheduleIndexUpload(metadata: TimelineMetadata): UploadOp {
    this.requireInitialized();
    this.latestMetadata = { ...metadata };
    const op: UploadOp = { kind: 'UploadMetadata', index: this.currentIndex(), lsn: metadata.disk_consistent_lsn };
    this.queued.push(op);
    return op;
  }

  /** `schedule_layer_file_deletion`: an index without the files first, then the deletes. */
  scheduleLayerDeletion(layers: string[]): UploadOp[] {
    this.requireInitialized();
    for (const l of layers) this.latestFiles.delete(l);
    const ops: UploadOp[] = [{ kind: 'UploadMetadata', index: this.currentIndex(), lsn: this.latestMetadata!.disk_consistent_lsn }];
    for (const layer of layers) ops.push({ kind: 'Delete', layer });
    this.queued.push(...ops);
    return ops;
  }

  /** `wait_completion`'s barrier. */
  pushBarrier(done: (reached: boolean) => void): UploadOp {
    this.requireInitialized();
    const op: UploadOp = { kind: 'Barrier', done };
    this.queued.push(op);
    return op;
  }

  private currentIndex(): IndexPart {
    return {
      timeline_layers: Object.fromEntries([...this.latestFiles].sort(([a], [b]) => a.localeCompare(b))),
      metadata: { ...this.latestMetadata! },
    };
  }

  /** Can the op at the head start now? */
  canLaunch(op: UploadOp): boolean {
    switch (op.kind) {
      case 'UploadLayer':
        return true;
      case 'UploadMetadata':
      case 'Barrier':
        return this.inprogress.size === 0;
      case 'Delete':
        return [...this.inprogress.values()].every((o) => o.kind === 'Delete');
    }
  }

  /**
   * `launch_queued_tasks`: pops runnable ops from the head until one must wait.
   * Barriers complete here (the callback runs after the pop); the other ops get an
   * upload task id and are in progress from now on.
   */
  launch(onBarrier: (op: Extract<UploadOp, { kind: 'Barrier' }>) => void): Array<{ id: number; op: TaskOp }> {
    const started: Array<{ id: number; op: TaskOp }> = [];
    if (this.state !== 'Initialized') return started;
    while (this.queued.length && this.canLaunch(this.queued[0])) {
      const op = this.queued.shift()!;
      if (op.kind === 'Barrier') {
        onBarrier(op);
        continue;
      }
      const id = ++this.taskCounter;
      this.inprogress.set(id, op);
      started.push({ id, op });
    }
    return started;
  }

  /** A task finished its op: it leaves the in-progress set (index uploads advance the LSN). */
  complete(id: number): TaskOp | undefined {
    const op = this.inprogress.get(id);
    if (!op) return undefined;
    this.inprogress.delete(id);
    if (op.kind === 'UploadMetadata') this.lastUploadedConsistentLsn = op.lsn; // no monotonicity check, as the seed
    return op;
  }

  /**
   * `stop()`: the queue becomes Stopped for good, keeping only the LSN; queued ops are
   * dropped (their barriers fail) and the in-progress map forgotten (the tasks keep
   * their own ops and find the queue Stopped when they finish).
   */
  stop(): UploadOp[] {
    if (this.state === 'Uninitialized') throw new Error('upload queue is not initialized: cannot stop it');
    if (this.state === 'Stopped') return [];
    const dropped = this.queued;
    this.queued = [];
    this.inprogress = new Map();
    this.state = 'Stopped';
    return dropped;
  }
}
