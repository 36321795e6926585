/**
 * A `Timeline` object of the seed: its state (section 3.2), the flush loop's state
 * and the watch channels between `flush_frozen_layers` and the LayerFlushTask
 * (section 5.3), the in-memory layers fed by WAL ingestion, `layer_removal_cs`, and
 * its RemoteTimelineClient. The layer map mirrors the timeline's directory; a
 * flush writes a layer file and the `metadata` file, then schedules their upload.
 */
import { FlushLoopState, TimelineState } from '../../shared/model';
import type { TaskRecord } from '../core/task-record';
import { AsyncMutex } from './async-mutex';
import type { TimelineMetadata } from './disk';
import { ModelError } from './errors';
import type { Pageserver } from './process';
import type { RemoteTimelineClient } from './remote-timeline-client';
import { layerFlushSpec, walReceiverManagerSpec } from './spawn-specs';
import { timelineTransition } from './states';
import type { Tenant } from './tenant';

/** `l0-<from>-<to>` from a flush, `l1-<from>-<to>` from compaction. */
export function layerName(level: 0 | 1, from: number, to: number): string {
  return `l${level}-${from}-${to}`;
}

export function parseLayer(name: string): { level: number; from: number; to: number } | null {
  const m = /^l(\d)-(\d+)-(\d+)$/.exec(name);
  return m ? { level: Number(m[1]), from: Number(m[2]), to: Number(m[3]) } : null;
}

interface FlushWaiter {
  counter: number;
  resolve: (result: string | null) => void;
}

export class Timeline {
  readonly obj: number;
  state: TimelineState = TimelineState.Suspended;
  flushLoop: FlushLoopState = FlushLoopState.NotStarted;
  /** `layer_flush_start_tx`: bumped by each flush request. */
  flushStart = 0;
  /** `layer_flush_done_tx`: the counter of the last finished cycle, and its error. */
  flushDone = 0;
  private flushDoneResult: string | null = null;
  private flushWaiters: FlushWaiter[] = [];
  private flushStartListeners: Array<() => void> = [];
  private stateListeners: Array<(s: TimelineState) => void> = [];
  /** MiB of WAL in the open in-memory layer, and the frozen layers waiting for a flush. */
  openLayer = 0;
  frozen: Array<{ from: number; to: number }> = [];
  lastRecordLsn: number;
  diskConsistentLsn: number;
  gcCutoff: number;
  /** The layer map: layer name -> size (MiB). */
  readonly layers = new Map<string, number>();
  readonly layerRemovalCs = new AsyncMutex();
  client: RemoteTimelineClient | null = null;
  /** `initial_size_computation_started`: at most one size calculation per Timeline object. */
  sizeCalculationStarted = false;
  logicalSize: 'approximate' | 'exact' = 'approximate';
  /** The ancestor timeline (from the metadata file). */
  readonly ancestor: string | null;

  constructor(
    readonly ps: Pageserver,
    readonly tenant: Tenant,
    readonly id: string,
    metadata: TimelineMetadata,
  ) {
    this.obj = ps.newObjectId();
    ps.timelineObjects.set(this.obj, this);
    this.lastRecordLsn = metadata.disk_consistent_lsn;
    this.diskConsistentLsn = metadata.disk_consistent_lsn;
    this.gcCutoff = metadata.gc_cutoff_lsn;
    this.ancestor = metadata.ancestor;
    ps.emit({ ev: 'timeline_state', tenant: tenant.id, timeline: id, from: null, state: this.state });
  }

  get metadata(): TimelineMetadata {
    return { disk_consistent_lsn: this.diskConsistentLsn, gc_cutoff_lsn: this.gcCutoff, ancestor: this.ancestor };
  }

  get path(): string {
    return `${this.tenant.id}/${this.id}`;
  }

  /** `Timeline::set_state`: equal ignored, Broken sticky, Paused never back to Active. */
  setState(to: TimelineState, who: TaskRecord | null = null): void {
    const t = timelineTransition(this.id, this.state, to);
    if (t.log) this.ps.logLine(t.log.level, who, t.log.message);
    if (t.to === null) return;
    const from = this.state;
    this.state = t.to;
    this.ps.emit({ ev: 'timeline_state', tenant: this.tenant.id, timeline: this.id, from, state: t.to });
    for (const l of [...this.stateListeners]) l(t.to);
  }

  /** Calls `fn` on every state change until it returns true. */
  watchState(fn: (s: TimelineState) => boolean): void {
    const l = (s: TimelineState) => {
      if (fn(s)) this.stateListeners = this.stateListeners.filter((x) => x !== l);
    };
    this.stateListeners.push(l);
  }

  untilState(pred: (s: TimelineState) => boolean): Promise<TimelineState> {
    if (pred(this.state)) return Promise.resolve(this.state);
    return new Promise((resolve) =>
      this.watchState((s) => {
        if (!pred(s)) return false;
        resolve(s);
        return true;
      }),
    );
  }

  // ---- the flush loop -------------------------------------------------------------------

  private setFlushLoop(state: FlushLoopState): void {
    this.flushLoop = state;
    this.ps.emit({ ev: 'flush_loop', tenant: this.tenant.id, timeline: this.id, state });
  }

  /** `maybe_spawn_flush_loop`: NotStarted -> Running; never restarted after Exited. */
  maybeSpawnFlushLoop(parent: TaskRecord | null): void {
    if (this.flushLoop === FlushLoopState.Running) {
      this.ps.logLine('info', parent, `skipping attempt to start flush_loop twice ${this.path}`);
      return;
    }
    if (this.flushLoop === FlushLoopState.Exited) {
      this.ps.logLine('warn', parent, `ignoring attempt to restart exited flush_loop ${this.path}`);
      return;
    }
    this.ps.spawn(layerFlushSpec(this.tenant.id, this.id, this.obj), parent);
    this.setFlushLoop(FlushLoopState.Running);
  }

  /** The LayerFlushTask's loop ended normally (a panic skips this: the state stays Running). */
  flushLoopExited(): void {
    this.setFlushLoop(FlushLoopState.Exited);
  }

  /** `freeze_inmem_layer`: the open layer becomes frozen (if it holds anything). */
  freeze(): void {
    if (this.openLayer <= 0) return;
    const to = this.lastRecordLsn;
    this.frozen.push({ from: to - this.openLayer, to });
    this.openLayer = 0;
  }

  /** `flush_frozen_layers`: wake the flush loop; returns the request's counter. */
  requestFlush(): number {
    if (this.flushLoop !== FlushLoopState.Running) throw new ModelError('cannot flush frozen layers when flush_loop is not running');
    this.flushStart++;
    for (const l of this.flushStartListeners.splice(0)) l();
    return this.flushStart;
  }

  /** `flush_frozen_layers_and_wait`: waits for the cycle that covers this request (forever if the loop died). */
  flushAndWait(): Promise<void> {
    const counter = this.requestFlush();
    return new Promise<string | null>((resolve) => {
      if (this.flushDone >= counter) resolve(this.flushDoneResult);
      else this.flushWaiters.push({ counter, resolve });
    }).then((err) => {
      if (err) throw new ModelError(err);
    });
  }

  /** `Timeline::checkpoint(Flush)`: freeze, then flush and wait. */
  checkpoint(): Promise<void> {
    this.freeze();
    return this.flushAndWait();
  }

  /** Resolves when a flush was requested after `seen` (the task's `layer_flush_start_rx.changed()`). */
  untilFlushRequested(seen: number): Promise<number> {
    if (this.flushStart > seen) return Promise.resolve(this.flushStart);
    return new Promise((resolve) => this.flushStartListeners.push(() => resolve(this.flushStart)));
  }

  /** The end of a flush cycle: `layer_flush_done_tx.send_replace((counter, result))`. */
  flushCycleDone(counter: number, error: string | null): void {
    this.flushDone = counter;
    this.flushDoneResult = error;
    const ready = this.flushWaiters.filter((w) => w.counter <= counter);
    this.flushWaiters = this.flushWaiters.filter((w) => w.counter > counter);
    for (const w of ready) w.resolve(error);
  }

  get pendingFlushWaiters(): number {
    return this.flushWaiters.length;
  }

  /**
   * `flush_frozen_layer` for the oldest frozen layer: write the layer file and the
   * metadata file, then schedule the layer upload and an index upload. A directory
   * removed under it (detach) or a stopped upload queue fails it.
   */
  flushOneLayer(caller: TaskRecord | null): boolean {
    const layer = this.frozen[0];
    if (!layer) return false;
    const name = layerName(0, layer.from, layer.to);
    const size = layer.to - layer.from;
    this.ps.disk.writeLayer(this.tenant.id, this.id, name, size);
    this.frozen.shift();
    this.layers.set(name, size);
    this.diskConsistentLsn = Math.max(this.diskConsistentLsn, layer.to);
    // update_metadata_file: the local file first, then the uploads (which may fail: S17).
    this.ps.disk.writeMetadata(this.tenant.id, this.id, this.metadata);
    if (this.client) {
      this.client.scheduleLayerUpload(caller, name, size);
      this.client.scheduleIndexUpload(caller, this.metadata);
    }
    return true;
  }

  // ---- WAL -----------------------------------------------------------------------------------

  /** `launch_wal_receiver`: spawns the WalReceiverManager of this timeline. */
  launchWalReceiver(parent: TaskRecord | null): void {
    this.ps.spawn(walReceiverManagerSpec(this.tenant.id, this.id, this.obj), parent);
  }

  /**
   * One WAL record ingested (1 MiB of WAL in the model), then `check_checkpoint_distance`:
   * an open layer of checkpoint_distance MiB is frozen and flushed (no wait).
   */
  ingest(mib: number, who: string | null): void {
    this.lastRecordLsn += mib;
    this.openLayer += mib;
    if (this.openLayer >= this.tenant.conf.checkpoint_distance) {
      this.freeze();
      try {
        this.requestFlush();
      } catch (err) {
        this.ps.logLine('error', who, `could not flush frozen layers of ${this.path}: ${(err as Error).message}`);
      }
    }
  }
}
