/**
 * Services for the tasks that talk to the outside: WAL receivers (section 5.4),
 * the libpq listener and page handlers (5.5), the HTTP listener (5.6) and the
 * answer of a manual GC task to its HTTP handler.
 */
import { TenantState, TimelineState } from '../../../shared/model';
import { SEED_TIMING } from '../config';
import { ModelError } from '../errors';
import type { Pageserver } from '../process';
import { never, selectShutdown } from '../select';
import { getTenant, waitToBecomeActive } from '../tenant-mgr';
import { timelineObj } from './lookup';

export function registerIoServices(ps: Pageserver): void {
  // ---- WAL receivers ----------------------------------------------------------------------

  /** `connection_manager_loop_step`: wait for Active, connect, return when the timeline leaves Active. */
  ps.register('pageserver.walreceiver.loop_step', ({ tl }: { tl: number }, caller) => {
    const t = timelineObj(ps, tl);
    return selectShutdown(ps, caller, async (live) => {
      await t.untilState((s) => s === TimelineState.Active);
      if (!live() || !caller) return never();
      ps.walReceivers.connect(caller, t);
      await t.untilState((s) => s !== TimelineState.Active);
      return 'continue';
    });
  });

  ps.register('pageserver.walreceiver.shutdown', (_args: object, caller) => (caller ? ps.walReceivers.shutdown(caller) : undefined));

  ps.register('pageserver.walreceiver.poll', ({ conn }: { conn: number }) => {
    const c = ps.walReceivers.connections.get(conn);
    if (!c) throw new ModelError(`no walreceiver connection ${conn}`);
    return c.untilCancelledOrEnded();
  });

  // ---- page service ------------------------------------------------------------------------

  ps.register('pageserver.libpq.accept', (_args: object, caller) =>
    selectShutdown(ps, caller, async () => ({ conn: (await ps.pageService.accept()).id })),
  );

  ps.register('pageserver.page.connection', ({ conn }: { conn: number }) => {
    const c = ps.pageService.connections.get(conn);
    if (!c) throw new ModelError('connection reset by peer');
    return { ...c, basebackup_ticks: ps.config.durations.basebackup };
  });

  /** `get_active_tenant_with_timeout`: not found is an error at once; otherwise wait up to 30 s for Active. */
  ps.register('pageserver.page.get_active_tenant', async ({ tenant }: { tenant: string }) => {
    const t = getTenant(ps, tenant, false);
    if (t.state === TenantState.Active) return;
    const timeout = ps.sleep(ps.seconds(SEED_TIMING.waitActiveTimeout), 'wait_until_active timeout').then(() => 'timeout' as const);
    const r = await Promise.race([waitToBecomeActive(t).then(() => 'active' as const), timeout]);
    if (r === 'timeout') throw new ModelError(`Timed out waiting ${SEED_TIMING.waitActiveTimeout}s for tenant ${tenant} to become active. Current state: ${t.state}`);
  });

  ps.register('pageserver.page.get_page', async ({ tenant, timeline }: { tenant: string; timeline: string }, caller) => {
    const t = getTenant(ps, tenant, false).timelines.get(timeline);
    if (!t) throw new ModelError(`Timeline ${tenant}/${timeline} was not found`);
    if (t.state !== TimelineState.Active) throw new ModelError(`Timeline ${tenant}/${timeline} is not active, state: ${t.state}`);
    await ps.work(caller, ps.config.durations.getPage, 'GetPage');
  });

  // ---- HTTP listener -----------------------------------------------------------------------

  ps.register('pageserver.http.serve', () => {
    ps.http.serve();
  });

  ps.register('pageserver.http.graceful_shutdown', () => {
    ps.http.accepting = false;
    return ps.http.untilIdle();
  });

  ps.register('pageserver.gc.manual_done', ({ request, error }: { request: number; error: string | null }) => {
    ps.http.manualGcDone(request, error);
  });
}
