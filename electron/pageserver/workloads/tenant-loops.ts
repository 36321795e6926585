/**
 * The per-tenant background loops (sections 5.1, 5.2) and the manual GC task.
 * A loop sees shutdown only while it waits for its tenant to be Active and while it
 * sleeps; a running iteration is not interrupted (GC checks between timelines). If
 * the tenant left the map, the wait logs "Failed to get a tenant" every 2 s (S10).
 * A loop that panics is gone for the life of the Tenant object.
 */
import { TaskError } from '../../core/errors';
import type { Workload } from '../../scenario/bodies';
import { compactionIteration, gcIteration } from './compaction-logic';
import { call, failpoint, log, observedShutdown, taskActor } from './task-actor';

interface ActiveTenant {
  result: 'active';
  tenant: number;
  compaction_period: number;
  gc_period: number;
  gc_horizon: number;
  retry: number;
  disabled_recheck: number;
}

function loop(kind: 'compaction' | 'gc'): Workload {
  return (args) => async (ctx) => {
    const { tenant } = args as { tenant: string };
    const actor = taskActor(ctx);
    log(ctx, 'info', 'starting');
    for (;;) {
      const w = await call<{ result: 'shutdown' } | ActiveTenant>(ctx, 'pageserver.tenant.wait_for_active', { tenant }, 'select! { shutdown_watcher(), wait_for_active_tenant() }');
      if (w.result === 'shutdown') {
        observedShutdown(ctx);
        log(ctx, 'info', 'received cancellation request');
        return;
      }
      const period = kind === 'compaction' ? w.compaction_period : w.gc_period;
      let sleep = period;
      if (period === 0) {
        log(ctx, 'info', `automatic ${kind === 'compaction' ? 'compaction' : 'GC'} is disabled`);
        sleep = w.disabled_recheck;
      } else if (kind === 'gc' && w.gc_horizon === 0) {
        // gc_horizon 0: nothing to collect, but the loop keeps its period.
      } else {
        try {
          if (kind === 'compaction') await compactionIteration(actor, w.tenant);
          else await gcIteration(actor, w.tenant, null);
        } catch (err) {
          if (!(err instanceof TaskError)) throw err;
          sleep = w.retry;
          log(ctx, 'error', `${kind === 'compaction' ? 'Compaction' : 'Gc'} failed, retrying in 2s: ${err.message}`);
        }
      }
      if (await ctx.sleepOrShutdown(sleep, `select! { shutdown_watcher(), sleep(${kind} period) }`)) {
        observedShutdown(ctx);
        log(ctx, 'info', 'received cancellation request during idling');
        return;
      }
    }
  };
}

export const compactionLoop = loop('compaction');
export const gcLoop = loop('gc');

/** `immediate_gc`'s task: one GC of one timeline, the result sent to the waiting HTTP handler. */
export const manualGc: Workload = (args) => async (ctx) => {
  const { tenant, timeline, request } = args as { tenant: number; timeline: string; request: number };
  await failpoint(ctx, 'immediate_gc_task_pre');
  let error: string | null = null;
  try {
    await gcIteration(taskActor(ctx), tenant, timeline);
  } catch (err) {
    if (!(err instanceof TaskError)) throw err;
    error = err.message;
  }
  await call(ctx, 'pageserver.gc.manual_done', { request, error });
};
