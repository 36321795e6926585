/**
 * The "why is it stuck" view model: one shutdown_tasks call at a cursor, with the
 * victim its wait phase is joining now (from its last `shutdown_wait`) and what that
 * victim awaits (from the victim's last `await`). The seed's shutdown_tasks joins its
 * victims one by one without a timeout, so an unfinished call is stuck on exactly one
 * task: this names it, like why-is-node-running names the handle that keeps a process
 * alive.
 */
import type { EventStore } from './event-store';
import type { CallRec, LabState, TaskRec } from './lab-state';
import { findTask } from './lab-state';
import { stateOf, type TaskState } from './task';

export type CallStatus = 'signalling' | 'waiting' | 'done' | 'abandoned';

export interface VictimView {
  name: string;
  state: TaskState;
  /** This is the victim the call is joining now. */
  current: boolean;
}

export class ShutdownCallView {
  readonly victim: TaskRec | undefined;

  constructor(
    readonly rec: CallRec,
    readonly now: number,
    private readonly state: LabState,
    private readonly store: EventStore,
    readonly hungTicks: number,
  ) {
    this.victim = rec.waitingOn !== null ? findTask(state, rec.waitingOn) : undefined;
  }

  get label(): string {
    return this.rec.label;
  }
  get status(): CallStatus {
    if (this.rec.abandonedT !== null) return 'abandoned';
    if (this.rec.endT !== null) return 'done';
    return this.rec.waitingOn !== null ? 'waiting' : 'signalling';
  }
  get finished(): boolean {
    return this.rec.endT !== null || this.rec.abandonedT !== null;
  }
  /** The filter as the seed's arguments: `kind=Compaction tenant=t1 timeline=*`. */
  get filterText(): string {
    const v = (x: string | null): string => x ?? '*';
    return `kind=${v(this.rec.kind)} tenant=${v(this.rec.tenant)} timeline=${v(this.rec.timeline)}`;
  }
  get caller(): string {
    return this.rec.caller ?? '(outside any task)';
  }
  /** Ticks from begin to end, or to now while unfinished. */
  get duration(): number {
    return (this.rec.endT ?? this.rec.abandonedT ?? this.now) - this.rec.beginT;
  }
  /** Ticks the call has been joining its current victim. */
  get waitingFor(): number | null {
    return this.finished || this.rec.waitSince === null ? null : this.now - this.rec.waitSince;
  }
  /** Joining one victim longer than the threshold (the seed would log "waiting for X"). A call
   *  that found the handle taken does not wait for it, so it is not hung on it. */
  get hung(): boolean {
    const w = this.waitingFor;
    return w !== null && w >= this.hungTicks && this.rec.tookHandle === true && this.victim !== undefined && this.victim.outcome === null;
  }
  /** What the victim it waits on awaits now. */
  get victimAwaits(): string | null {
    return awaitText(this.store, this.victim?.awaitIdx ?? -1);
  }
  get victimAwaitingFor(): number | null {
    const at = this.victim?.awaitT;
    return at === null || at === undefined ? null : this.now - at;
  }
  get victims(): VictimView[] {
    return this.rec.victims.map((name) => {
      const r = findTask(this.state, name);
      return { name, state: r ? stateOf(r) : 'ok', current: name === this.rec.waitingOn && !this.finished };
    });
  }
  /** Victims that have not exited yet. */
  get remaining(): number {
    return this.victims.filter((v) => v.state === 'registered' || v.state === 'running' || v.state === 'shutdown_requested').length;
  }
  /** One sentence: where the call is and why. */
  get explanation(): string {
    const r = this.rec;
    switch (this.status) {
      case 'abandoned':
        return `abandoned: its calling task ${r.caller ?? ''} ended`;
      case 'done':
        return `done: signalled ${r.victims.length}, waited for ${r.waited?.length ?? 0}`;
      case 'signalling':
        return `signalling: ${r.victims.length} victim(s) so far, not joining any yet`;
      case 'waiting': {
        const v = this.victim;
        if (!v) return `waiting for ${r.waitingOn}`;
        if (!r.tookHandle) return `reached ${v.name}: its join handle was taken (another call joins it, or it has not fully started)`;
        if (v.outcome !== null) return `${v.name} has exited; moving on to the next victim`;
        const what = this.victimAwaits ?? 'nothing recorded';
        const observed = v.observeT !== null ? 'it observed the signal' : 'it has not observed the signal';
        return `waiting for ${v.name} (${v.kind}) to exit; ${observed}; it awaits: ${what}`;
      }
    }
  }
}

/** Every call at the state, newest last; unfinished ones are the stuck view. */
export function callViews(state: LabState, store: EventStore, now: number, hungTicks: number): ShutdownCallView[] {
  return state.calls.map((c) => new ShutdownCallView(c, now, state, store, hungTicks));
}

/** The `message` of an event (an exit), or null. */
export function eventMessage(store: EventStore, idx: number): string | null {
  if (idx < 0 || idx >= store.length) return null;
  const m = (store.get(idx) as unknown as Record<string, unknown>).message;
  return typeof m === 'string' ? m : null;
}

/** The `what` of an await event, or null. */
export function awaitText(store: EventStore, idx: number): string | null {
  if (idx < 0 || idx >= store.length) return null;
  const what = (store.get(idx) as unknown as Record<string, unknown>).what;
  return typeof what === 'string' ? what : null;
}
