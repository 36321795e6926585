/**
 * One `shutdown_tasks(kind, tenant_id, timeline_id)` call, as a small state machine
 * so that it runs the same way on every executor.
 *
 * Signal phase (in `begin`, synchronously, as the seed does under the `TASKS` lock):
 * every registered task that matches the filter is signalled and becomes a victim;
 * this is a snapshot, tasks registered later are not touched. Wait phase (`advance`):
 * victims one by one; for each, log "waiting for NAME to shut down", take its join
 * handle and, if there was one, wait for it. No timeout. A handle already taken by
 * another call is `None`: that call does not wait. A call whose calling task ends
 * (an injected fault) is abandoned where it stands and never returns; the handle it
 * took is gone with it (FORMAT.md note 5).
 */
import type { ShutdownFilter } from '../../shared/model';
import type { TaskRecord } from './task-record';

export type CallState = 'waiting' | 'done' | 'abandoned';

export interface CallHost {
  matching(filter: ShutdownFilter): TaskRecord[];
  signal(task: TaskRecord, call: ShutdownCall): void;
  waitingFor(call: ShutdownCall, task: TaskRecord, tookHandle: boolean): void;
  ended(call: ShutdownCall): void;
  abandoned(call: ShutdownCall): void;
  readonly isExited: boolean;
}

export class ShutdownCall {
  state: CallState = 'waiting';
  victims: TaskRecord[] = [];
  waited: TaskRecord[] = [];
  /** The victim whose join handle this call awaits now. */
  current: TaskRecord | null = null;
  private index = 0;
  private stopWaiting: (() => void) | null = null;
  private doneCallbacks: Array<() => void> = [];

  constructor(
    readonly id: number,
    readonly label: string,
    readonly filter: ShutdownFilter,
    readonly caller: TaskRecord | null,
    private host: CallHost,
  ) {}

  /** The signal phase, then the wait phase until the first victim that is still running. */
  begin(order: (victims: TaskRecord[]) => TaskRecord[]): void {
    this.victims = order(this.host.matching(this.filter));
    for (const v of this.victims) this.host.signal(v, this);
    this.advance();
  }

  onDone(cb: () => void): void {
    if (this.state === 'done') cb();
    else this.doneCallbacks.push(cb);
  }

  private advance(): void {
    while (this.state === 'waiting' && !this.host.isExited) {
      if (this.index >= this.victims.length) {
        this.state = 'done';
        this.host.ended(this);
        const cbs = this.doneCallbacks;
        this.doneCallbacks = [];
        for (const cb of cbs) cb();
        return;
      }
      const victim = this.victims[this.index++];
      const handle = victim.joinHandle;
      victim.joinHandle = null;
      this.host.waitingFor(this, victim, handle !== null);
      if (!handle) continue; // not fully started yet, or another call took it
      this.waited.push(victim);
      if (handle.done) continue;
      this.current = victim;
      this.stopWaiting = handle.onDone(() => {
        this.current = null;
        this.stopWaiting = null;
        this.advance();
      });
      return;
    }
  }

  /** The calling task ended: the call is dropped where it stands. */
  abandon(): void {
    if (this.state !== 'waiting') return;
    this.state = 'abandoned';
    this.stopWaiting?.();
    this.stopWaiting = null;
    this.host.abandoned(this);
  }
}
