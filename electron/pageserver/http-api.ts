/**
 * The management API (sections 3.6 to 3.9, 5.6). Each request runs in a hyper
 * connection task: not a task_mgr task, so no `shutdown_tasks` sees it and it cannot
 * see shutdown. The HTTP listener task's graceful shutdown stops accepting and waits
 * for the requests in flight; before the listener runs, and after, a request is
 * refused. Every request and response is an `http` event, so that a scenario can
 * assert on answers ("second attach refused") and the UI can show pending ones.
 */
import { TaskKind } from '../../shared/model';
import { Panic } from '../core/errors';
import type { TenantConf } from './config';
import { ModelError, messageOf } from './errors';
import type { Pageserver } from './process';
import { compactTimeline } from './workloads/compaction-logic';
import { attachTenant, createTenant, createTimeline, deleteTimeline, detachTenant, getTenant, immediateGc } from './tenant-mgr';
import { sizeCalculationSpec } from './spawn-specs';

export type HttpRequest =
  | { op: 'attach'; tenant: string }
  | { op: 'detach'; tenant: string }
  | { op: 'create_tenant'; tenant: string; conf?: Partial<TenantConf> }
  | { op: 'create_timeline'; tenant: string; timeline: string }
  | { op: 'delete_timeline'; tenant: string; timeline: string }
  | { op: 'gc'; tenant: string; timeline: string }
  | { op: 'checkpoint'; tenant: string; timeline: string }
  | { op: 'compact'; tenant: string; timeline: string }
  | { op: 'timeline_detail'; tenant: string; timeline: string };

export interface HttpResponse {
  status: number | null;
  body: string;
}

/** The request's default name in traces: `detach t1`, `delete_timeline t1/l1`. */
export function requestLabel(req: HttpRequest): string {
  return 'timeline' in req ? `${req.op} ${req.tenant}/${req.timeline}` : `${req.op} ${req.tenant}`;
}

export class HttpServer {
  /**
   * The listening socket is bound in `start_pageserver` before the listener task
   * runs: connections wait in the backlog until it serves, and are refused once it
   * stopped (graceful shutdown) or died.
   */
  accepting = true;
  private serving = false;
  private servingWaiters: Array<() => void> = [];
  inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private manualGc = new Map<number, (error: string | null) => void>();
  private nextRequest = 1;

  constructor(private ps: Pageserver) {
    ps.onTaskExit((_ev, task) => {
      if (task.kind === TaskKind.HttpEndpointListener) {
        this.accepting = false;
        this.serving = false;
      }
    });
  }

  /** The listener task runs its server (`pageserver.http.serve`). */
  serve(): void {
    this.serving = true;
    for (const w of this.servingWaiters.splice(0)) w();
  }

  private untilServing(): Promise<void> {
    if (this.serving) return Promise.resolve();
    return new Promise((resolve) => this.servingWaiters.push(resolve));
  }

  untilIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  manualGcDone(request: number, error: string | null): void {
    this.manualGc.get(request)?.(error);
    this.manualGc.delete(request);
  }

  /** Sends a request; resolves with its answer (never, if its handler hangs or the process dies). */
  async request(label: string, req: HttpRequest): Promise<HttpResponse> {
    const ps = this.ps;
    if (!this.accepting || ps.dead) {
      const r = { status: null, body: 'connection refused' };
      ps.emit({ ev: 'http', request: label, phase: 'response', ...r });
      return r;
    }
    this.inFlight++;
    ps.emit({ ev: 'http', request: label, phase: 'request', status: null, body: JSON.stringify(req) });
    let r: HttpResponse;
    try {
      await this.untilServing();
      r = await this.handle(label, req);
    } catch (err) {
      if (err instanceof Panic) {
        ps.logLine('error', label, `HTTP handler panicked: ${err.message}`);
        r = { status: null, body: `connection closed: the handler panicked: ${err.message}` };
      } else {
        r = { status: err instanceof ModelError ? err.status : 500, body: messageOf(err) };
      }
    }
    ps.emit({ ev: 'http', request: label, phase: 'response', ...r });
    this.inFlight--;
    if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
    return r;
  }

  private async handle(label: string, req: HttpRequest): Promise<HttpResponse> {
    const ps = this.ps;
    switch (req.op) {
      case 'attach':
        attachTenant(ps, req.tenant);
        return { status: 202, body: 'Accepted' };
      case 'detach':
        await detachTenant(ps, req.tenant, label);
        return { status: 200, body: 'OK' };
      case 'create_tenant':
        await createTenant(ps, req.tenant, req.conf ?? {});
        return { status: 201, body: req.tenant };
      case 'create_timeline':
        await createTimeline(ps, req.tenant, req.timeline, label);
        return { status: 201, body: req.timeline };
      case 'delete_timeline':
        await deleteTimeline(ps, req.tenant, req.timeline, label);
        return { status: 200, body: 'OK' };
      case 'gc': {
        const request = this.nextRequest++;
        const task = immediateGc(ps, req.tenant, req.timeline, request);
        const result = await new Promise<string | null>((resolve) => {
          this.manualGc.set(request, resolve);
          // A task that panics drops the oneshot sender: the handler gets an error.
          void ps.untilExit(task).then(() => resolve('gc task ended without an answer (the oneshot was dropped)'));
        });
        return result === null ? { status: 200, body: 'OK' } : { status: 500, body: result };
      }
      case 'checkpoint':
      case 'compact': {
        // Inline in the handler: not a task, detach and delete do not wait for it (S5, S8).
        const tl = getTenant(ps, req.tenant, true).timelines.get(req.timeline);
        if (!tl) throw new ModelError(`Timeline ${req.tenant}/${req.timeline} not found`, 404);
        const actor = ps.untrackedActor(label);
        if (req.op === 'checkpoint') await tl.checkpoint();
        await compactTimeline(actor, tl.obj);
        return { status: 200, body: 'OK' };
      }
      case 'timeline_detail': {
        const tl = getTenant(ps, req.tenant, false).timelines.get(req.timeline);
        if (!tl) throw new ModelError(`Timeline ${req.tenant}/${req.timeline} not found`, 404);
        // get_current_logical_size: the first call while approximate spawns the calculation.
        if (tl.logicalSize === 'approximate' && !tl.sizeCalculationStarted) {
          tl.sizeCalculationStarted = true;
          ps.spawn(sizeCalculationSpec(tl.tenant.id, tl.id, tl.obj), null);
        }
        return { status: 200, body: JSON.stringify({ state: tl.state, current_logical_size: tl.logicalSize, last_record_lsn: tl.lastRecordLsn, remote_consistent_lsn: tl.client?.queue.lastUploadedConsistentLsn ?? null }) };
      }
    }
  }
}
