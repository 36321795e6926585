/**
 * The pageserver panel's model: the tenants and timelines of the current pageserver
 * process and whether that process runs, folded from the pageserver model's events
 * (`process_start`, `process_signal`, `process_shutdown`, `process_exit`,
 * `process_crash`, `tenant_state`, `timeline_state`). Events are untrusted: fields are
 * read defensively and anything malformed is skipped.
 *
 * A restart (`process_start` 2, 3, ...) begins from an empty tenant map: the new
 * process loads whatever its disk holds and reports it again.
 */
import { stateLabel, TenantState, TimelineState } from '../../../shared/model/pageserver';

export type ProcessStatus = 'running' | 'shutting down' | 'crashed' | 'exited';

export interface ProcessView {
  /** 1 for the first process of the run, 2, 3, ... after restarts. */
  number: number;
  status: ProcessStatus;
  exitCode: number | null;
  /** The last signal that reached it. */
  signal: string | null;
}

export interface TimelineView {
  timeline: string;
  state: TimelineState;
  label: string;
}

export interface TenantView {
  tenant: string;
  state: TenantState;
  label: string;
  /** Paused while the process was not shutting down: a detach (Attach brings it back). */
  detached: boolean;
  timelines: TimelineView[];
}

export interface PageserverView {
  /** The log holds pageserver model events (a pageserver scenario). */
  isPageserver: boolean;
  process: ProcessView | null;
  tenants: TenantView[];
}

type Fields = Record<string, unknown>;
const TENANT_STATES = new Set<string>(Object.values(TenantState));
const TIMELINE_STATES = new Set<string>(Object.values(TimelineState));
/** The events this model reads (everything else is skipped unparsed by the caller if it can). */
export const PAGESERVER_EVENTS: ReadonlySet<string> = new Set(['process_start', 'process_signal', 'process_shutdown', 'process_exit', 'process_crash', 'tenant_state', 'timeline_state']);

interface TenantRec {
  state: TenantState;
  detached: boolean;
  timelines: Map<string, TimelineState>;
}

/** Folds events in log order; `view()` makes a fresh snapshot for the UI. */
export class PageserverReducer {
  private seen = false;
  private process: ProcessView | null = null;
  /** A graceful shutdown of the current process began (its Paused tenants are not detached). */
  private shuttingDown = false;
  private tenants = new Map<string, TenantRec>();

  apply(raw: unknown): void {
    if (raw === null || typeof raw !== 'object') return;
    const e = raw as Fields;
    switch (e.ev) {
      case 'process_start': {
        const n = typeof e.process === 'number' && Number.isInteger(e.process) ? e.process : (this.process?.number ?? 0) + 1;
        this.seen = true;
        this.process = { number: n, status: 'running', exitCode: null, signal: null };
        this.shuttingDown = false;
        this.tenants = new Map();
        break;
      }
      case 'process_signal': {
        const p = this.process;
        if (!p) break;
        if (typeof e.signal === 'string') p.signal = e.signal;
        if (e.effect === 'kill') p.status = 'crashed';
        else if (e.effect === 'graceful_shutdown' && p.status === 'running') {
          p.status = 'shutting down';
          this.shuttingDown = true;
        }
        break;
      }
      case 'process_shutdown':
        if (this.process?.status === 'running') this.process.status = 'shutting down';
        this.shuttingDown = true;
        break;
      case 'process_crash':
        if (this.process) this.process.status = 'crashed';
        break;
      case 'process_exit': {
        const p = this.process;
        if (!p) break;
        p.exitCode = typeof e.code === 'number' ? e.code : null;
        if (p.status !== 'crashed') p.status = 'exited';
        break;
      }
      case 'tenant_state': {
        if (typeof e.tenant !== 'string' || typeof e.state !== 'string' || !TENANT_STATES.has(e.state)) break;
        this.seen = true;
        const state = e.state as TenantState;
        const rec = this.tenants.get(e.tenant);
        const detached = state === 'Paused' && !this.shuttingDown;
        if (rec) {
          rec.state = state;
          rec.detached = detached;
        } else this.tenants.set(e.tenant, { state, detached, timelines: new Map() });
        break;
      }
      case 'timeline_state': {
        if (typeof e.tenant !== 'string' || typeof e.timeline !== 'string' || typeof e.state !== 'string' || !TIMELINE_STATES.has(e.state)) break;
        this.seen = true;
        let rec = this.tenants.get(e.tenant);
        if (!rec) {
          rec = { state: 'Loading', detached: false, timelines: new Map() };
          this.tenants.set(e.tenant, rec);
        }
        rec.timelines.set(e.timeline, e.state as TimelineState);
        break;
      }
      default:
        break;
    }
  }

  view(): PageserverView {
    const tenants: TenantView[] = [...this.tenants.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([tenant, r]) => ({
        tenant,
        state: r.state,
        label: stateLabel(r.state),
        detached: r.detached,
        timelines: [...r.timelines.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([timeline, state]) => ({ timeline, state, label: stateLabel(state) })),
      }));
    return { isPageserver: this.seen, process: this.process ? { ...this.process } : null, tenants };
  }
}

/** The panel's model after `events` (in log order). */
export function pageserverView(events: Iterable<unknown>): PageserverView {
  const r = new PageserverReducer();
  for (const e of events) r.apply(e);
  return r.view();
}
