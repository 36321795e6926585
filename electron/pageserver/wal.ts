/**
 * WAL receiver connections (section 5.4). A `WalConnection` is the seed's
 * `TaskHandle`: a raw tokio task on the walreceiver runtime, not registered in
 * task_mgr, that connects to a safekeeper, spawns the WalReceiverConnection poller
 * task, and ingests WAL until its cancellation fires, either sent by the manager's
 * `shutdown()` or because the manager dropped it (a manager that panics). Ingesting
 * feeds the timeline's open layer and freezes/flushes it at checkpoint_distance.
 * The safekeeper side is the scenario's: a WAL rate per timeline, or none.
 */
import type { TaskRecord } from '../core/task-record';
import type { Pageserver } from './process';
import { walReceiverConnectionSpec } from './spawn-specs';
import type { Timeline } from './timeline';

export class WalConnection {
  readonly id: number;
  cancelled = false;
  ended = false;
  private cancelWaiters: Array<() => void> = [];
  private endWaiters: Array<() => void> = [];

  constructor(
    readonly ps: Pageserver,
    readonly tl: Timeline,
  ) {
    this.id = ps.newObjectId();
    void this.run();
  }

  private get label(): string {
    return `walreceiver connection task ${this.tl.path} (not a task_mgr task)`;
  }

  private untilCancelled(): Promise<'cancelled'> {
    if (this.cancelled) return Promise.resolve('cancelled');
    return new Promise((resolve) => this.cancelWaiters.push(() => resolve('cancelled')));
  }

  /** The raw task: connect, spawn the poller, ingest until cancelled. */
  private async run(): Promise<void> {
    const ps = this.ps;
    const connected = await Promise.race([this.untilCancelled(), ps.sleep(ps.config.durations.walConnect, 'connecting to the safekeeper').then(() => 'connected' as const)]);
    if (connected === 'connected') {
      ps.spawn(walReceiverConnectionSpec(this.tl.tenant.id, this.tl.id, this.id), null);
      ps.logLine('debug', this.label, `connected to safekeeper for ${this.tl.path}`);
      for (;;) {
        const every = ps.walRate(this.tl);
        const next = every > 0 ? ps.sleep(every, 'the next WAL message').then(() => 'message' as const) : new Promise<never>(() => {});
        const r = await Promise.race([this.untilCancelled(), next]);
        if (r === 'cancelled' || ps.dead) break;
        this.tl.ingest(1, this.label);
        await ps.failpoint('walreceiver-after-ingest', this.label);
      }
    }
    this.ended = true;
    for (const w of this.endWaiters.splice(0)) w();
  }

  /** The cancellation watch fires (sent, or its sender dropped). */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const w of this.cancelWaiters.splice(0)) w();
  }

  /** What the WalReceiverConnection poller waits for: the cancellation, or the connection closing. */
  untilCancelledOrEnded(): Promise<void> {
    return Promise.race([this.untilCancelled(), this.untilEnded()]).then(() => undefined);
  }

  untilEnded(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  /** `TaskHandle::shutdown()`: cancel, then await the raw task. */
  shutdown(): Promise<void> {
    this.cancel();
    return this.untilEnded();
  }
}

/** Each WalReceiverManager task's `walreceiver_state`: its current connection. */
export class WalReceivers {
  private byManager = new Map<number, { conn: WalConnection | null; shutDown: boolean }>();
  readonly connections = new Map<number, WalConnection>();

  constructor(private ps: Pageserver) {
    // A manager that ends without shutting its connection down drops its TaskHandle.
    ps.onTaskExit((_ev, task) => {
      const s = this.byManager.get(task.id);
      if (s && !s.shutDown && s.conn) {
        ps.logLine('warn', null, `${task.label} ended without shutting down its connection: the TaskHandle was dropped and WAL ingestion of ${s.conn.tl.path} stops`);
        s.conn.cancel();
      }
      this.byManager.delete(task.id);
    });
  }

  state(manager: TaskRecord) {
    let s = this.byManager.get(manager.id);
    if (!s) {
      s = { conn: null, shutDown: false };
      this.byManager.set(manager.id, s);
    }
    return s;
  }

  connect(manager: TaskRecord, tl: Timeline): WalConnection {
    const s = this.state(manager);
    if (!s.conn || s.conn.ended) {
      s.conn = new WalConnection(this.ps, tl);
      this.connections.set(s.conn.id, s.conn);
    }
    return s.conn;
  }

  async shutdown(manager: TaskRecord): Promise<void> {
    const s = this.state(manager);
    s.shutDown = true;
    await s.conn?.shutdown();
  }
}
