/**
 * The two listeners and the page handlers (sections 5.5, 5.6). Both listeners are
 * spawned with `shutdown_process_on_error`: if one fails, the process shutdown runs
 * from it. The libpq listener's select is biased towards shutdown. A page handler
 * sees shutdown during the handshake and between messages, never inside a GetPage
 * or a basebackup (which holds its worker, `block_in_place`); only pagestream
 * connections `associate_with` their tenant, so a basebackup is invisible to detach.
 */
import type { Workload } from '../../scenario/bodies';
import { pageRequestHandlerSpec } from '../spawn-specs';
import { call, observedShutdown } from './task-actor';

export const libpqListener: Workload = () => async (ctx) => {
  for (;;) {
    const r = await call<'shutdown' | { conn: number }>(ctx, 'pageserver.libpq.accept', {}, 'select! { biased; shutdown_watcher(), accept() }');
    if (r === 'shutdown') {
      observedShutdown(ctx);
      return;
    }
    ctx.spawn(pageRequestHandlerSpec(r.conn));
  }
};

interface ConnectionSpec {
  tenant: string;
  timeline: string;
  mode: 'pagestream' | 'basebackup';
  requests: number;
  every: number;
  basebackup_ticks: number;
}

export const pageRequestHandler: Workload = (args) => async (ctx) => {
  const { conn } = args as { conn: number };
  const c = await call<ConnectionSpec>(ctx, 'pageserver.page.connection', { conn });
  if (await ctx.sleepOrShutdown(1, 'handshake: select! { shutdown_watcher(), startup message }')) {
    observedShutdown(ctx);
    return;
  }
  await call(ctx, 'pageserver.page.get_active_tenant', { tenant: c.tenant }, 'get_active_tenant_with_timeout (30 s)');
  if (c.mode === 'basebackup') {
    await ctx.busy(c.basebackup_ticks, 'basebackup under block_in_place (holds the worker)');
    return;
  }
  ctx.associateWith(c.tenant, c.timeline);
  for (let i = 0; i < c.requests; i++) {
    if (await ctx.sleepOrShutdown(c.every, 'pagestream: select! { biased; shutdown_watcher(), read_message() }')) {
      observedShutdown(ctx);
      return;
    }
    await call(ctx, 'pageserver.page.get_page', { tenant: c.tenant, timeline: c.timeline }, 'GetPage (wait_lsn up to 60 s)');
  }
};

export const httpListener: Workload = () => async (ctx) => {
  await call(ctx, 'pageserver.http.serve', {}, 'hyper: serving');
  await ctx.shutdownWatcher('hyper with_graceful_shutdown(shutdown_watcher())');
  observedShutdown(ctx);
  await call(ctx, 'pageserver.http.graceful_shutdown', {}, 'hyper graceful shutdown: waiting for in-flight requests');
};
