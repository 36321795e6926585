/**
 * InitialLoad and Attach (sections 3.4 to 3.6, 5.8). Neither ever looks at a
 * shutdown request: whoever stops their tenant waits for the whole load or attach.
 * An error makes the tenant Broken and the task still returns Ok; a panic skips
 * that, leaving the tenant Loading/Attaching for good (S18c). Attach checks the
 * Lab's crash points `attach:A1` ... `attach:A7` before each step of the seed's
 * `attach()`, so that a scenario can crash the process exactly there.
 */
import { TaskError } from '../../core/errors';
import type { TaskContext } from '../../core/task-context';
import type { Workload } from '../../scenario/bodies';
import type { IndexPart } from '../remote-storage';
import type { SetupResult } from '../setup-timeline';
import { call, failpoint, log } from './task-actor';

async function setupTimeline(ctx: TaskContext, r: SetupResult): Promise<void> {
  for (const m of r.missing) {
    await call(ctx, 'pageserver.timeline.download_layer', { tl: r.tl, layer: m.layer, size: m.size }, `downloading ${m.layer} (not cancellable)`);
  }
  await call(ctx, 'pageserver.timeline.finish_setup', { tl: r.tl });
}

async function orBroken(ctx: TaskContext, tenant: number, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof TaskError)) throw err;
    log(ctx, 'error', `${what} failed: ${err.message}`);
    await call(ctx, 'pageserver.tenant.set_broken', { tenant, reason: err.message });
  }
}

export const initialLoad: Workload = (args) => async (ctx) => {
  const { tenant } = args as { tenant: number };
  await orBroken(ctx, tenant, 'load', async () => {
    await failpoint(ctx, 'before-loading-tenant');
    const { timelines } = await call<{ timelines: string[] }>(ctx, 'pageserver.load.scan', { tenant }, 'scanning timelines/');
    for (const timeline of timelines) {
      const r = await call<SetupResult>(ctx, 'pageserver.load.timeline', { tenant, timeline }, `load_local_timeline ${timeline}`);
      await setupTimeline(ctx, r);
    }
    await call(ctx, 'pageserver.tenant.activate', { tenant });
  });
  log(ctx, 'info', 'initial load for tenant finished!');
};

export const attach: Workload = (args) => async (ctx) => {
  const { tenant } = args as { tenant: number };
  await orBroken(ctx, tenant, 'attach', async () => {
    await failpoint(ctx, 'attach:A1');
    const { exists } = await call<{ exists: boolean }>(ctx, 'pageserver.attach.check_dir', { tenant });
    if (!exists) {
      await call(ctx, 'pageserver.attach.create_dir', { tenant });
      await failpoint(ctx, 'attach:A1b');
      await call(ctx, 'pageserver.attach.create_marker', { tenant });
      await failpoint(ctx, 'attach:A1c');
    }
    await failpoint(ctx, 'attach:A2');
    const { timelines } = await call<{ timelines: Array<{ id: string; index: IndexPart }> }>(ctx, 'pageserver.attach.list_remote', { tenant }, 'listing remote timelines and downloading their index parts');
    await failpoint(ctx, 'attach:A3');
    for (const t of timelines) {
      await failpoint(ctx, 'attach:A4');
      const r = await call<SetupResult>(ctx, 'pageserver.attach.timeline', { tenant, timeline: t.id, index: t.index }, `load_remote_timeline ${t.id}`);
      await setupTimeline(ctx, r);
    }
    await failpoint(ctx, 'attach:A5');
    await call(ctx, 'pageserver.attach.remove_marker', { tenant });
    await failpoint(ctx, 'attach:A6');
    await failpoint(ctx, 'attach-before-activate');
    await failpoint(ctx, 'attach:A7');
    await call(ctx, 'pageserver.tenant.activate', { tenant });
  });
};
