/**
 * A `Tenant` object of the seed: its state machine (section 3.1), its timelines, its
 * conf. The state is a watch channel in the seed; here a value plus listeners.
 * `activate()` does its spawning inside the state change, as the seed's
 * `send_modify` closure does: the Compaction and GC loops, then each non-Broken
 * timeline Active with its WAL receiver. A Tenant object that left `TENANTS` (after
 * detach or `shutdown_all_tenants`) lives on as long as a task holds it.
 */
import { TenantState, TimelineState } from '../../shared/model';
import type { TaskRecord } from '../core/task-record';
import type { TenantConf } from './config';
import { ModelError } from './errors';
import type { Pageserver } from './process';
import { compactionLoopSpec, gcLoopSpec } from './spawn-specs';
import { tenantTransition, type TenantCall } from './states';
import type { Timeline } from './timeline';

export class Tenant {
  readonly obj: number;
  state: TenantState;
  readonly timelines = new Map<string, Timeline>();
  private listeners: Array<(state: TenantState) => void> = [];

  constructor(
    readonly ps: Pageserver,
    readonly id: string,
    initial: TenantState,
    public conf: TenantConf,
  ) {
    this.obj = ps.newObjectId();
    ps.tenantObjects.set(this.obj, this);
    this.state = initial;
    ps.emit({ ev: 'tenant_state', tenant: id, from: null, state: initial });
  }

  /** Is this object the one in `TENANTS` now? */
  get inMap(): boolean {
    return this.ps.tenants.get(this.id) === this;
  }

  private setState(to: TenantState): void {
    const from = this.state;
    this.state = to;
    this.ps.emit({ ev: 'tenant_state', tenant: this.id, from, state: to });
    for (const l of [...this.listeners]) l(to);
  }

  /** Calls `fn` on every state change until it returns true. */
  watch(fn: (state: TenantState) => boolean): void {
    const l = (s: TenantState) => {
      if (fn(s)) this.listeners = this.listeners.filter((x) => x !== l);
    };
    this.listeners.push(l);
  }

  private transition(call: TenantCall, who: TaskRecord | null): TenantState | null {
    const t = tenantTransition(this.id, this.state, call);
    if (t.log) this.ps.logLine(t.log.level, who, t.log.message);
    if (t.error) throw new ModelError(t.error);
    return t.to;
  }

  /**
   * `activate()`: Loading/Attaching -> Active, spawning the loops and WAL receivers
   * (their parent is the task that activates); a silent no-op on Paused (PR #2910).
   */
  activate(caller: TaskRecord | null): void {
    const to = this.transition('activate', caller);
    if (to === null) return;
    this.setState(to);
    this.ps.logLine('info', caller, `activated tenant ${this.id}`);
    this.ps.spawn(compactionLoopSpec(this.id), caller);
    this.ps.spawn(gcLoopSpec(this.id), caller);
    for (const tl of this.timelines.values()) {
      if (tl.state === TimelineState.Broken) continue;
      tl.setState(TimelineState.Active, caller);
      tl.launchWalReceiver(caller);
    }
    if (!this.inMap) this.ps.lints?.activatedOutsideMap(this.ps, this.id, caller);
  }

  /** `set_paused()`: Paused, and every non-Broken timeline Suspended. */
  setPaused(who: TaskRecord | null = null): void {
    const to = this.transition('set_paused', who);
    if (to === null) return;
    this.setState(to);
    for (const tl of this.timelines.values()) if (tl.state !== TimelineState.Broken) tl.setState(TimelineState.Suspended, who);
  }

  setBroken(who: TaskRecord | null, reason: string): void {
    const to = this.transition('set_broken', who);
    if (to === null) return;
    this.ps.logLine('error', who, `tenant ${this.id} is broken: ${reason}`);
    this.setState(to);
  }
}
