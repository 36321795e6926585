/**
 * Services for the tenant-level tasks: the loops' wait for an Active tenant, the
 * start of compaction and GC iterations, and the steps of InitialLoad and Attach
 * (sections 3.4 to 3.6, 5.1, 5.2).
 */
import { TenantState } from '../../../shared/model';
import { SEED_TIMING } from '../config';
import { ModelError } from '../errors';
import type { Pageserver } from '../process';
import type { IndexPart } from '../remote-storage';
import { never, selectShutdown } from '../select';
import { downloadLayer, finishSetup, setupTimeline } from '../setup-timeline';
import type { Tenant } from '../tenant';
import { tenantObj, timelineObj } from './lookup';

function untilActive(t: Tenant): Promise<void> {
  if (t.state === TenantState.Active) return Promise.resolve();
  return new Promise((resolve) =>
    t.watch((s) => {
      if (s !== TenantState.Active) return false;
      resolve();
      return true;
    }),
  );
}

/** Orders timelines so that ancestors come first. */
function treeSort(ids: string[], ancestorOf: (id: string) => string | null): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const a = ancestorOf(id);
    if (a && ids.includes(a)) visit(a);
    out.push(id);
  };
  for (const id of [...ids].sort()) visit(id);
  return out;
}

export function registerTenantServices(ps: Pageserver): void {
  ps.register('pageserver.failpoint', ({ name }: { name: string }, caller) => ps.failpoint(name, caller));

  /** `select! { shutdown_watcher(), wait_for_active_tenant(id, 2 s) }` of the loops. */
  ps.register('pageserver.tenant.wait_for_active', ({ tenant }: { tenant: string }, caller) =>
    selectShutdown(ps, caller, async (live) => {
      for (;;) {
        const t = ps.tenants.get(tenant);
        if (t) {
          await untilActive(t);
          if (!live()) return never();
          return {
            result: 'active',
            tenant: t.obj,
            compaction_period: ps.seconds(t.conf.compaction_period),
            gc_period: ps.seconds(t.conf.gc_period),
            gc_horizon: t.conf.gc_horizon,
            retry: ps.seconds(SEED_TIMING.loopRetry),
            disabled_recheck: ps.seconds(SEED_TIMING.disabledRecheck),
          };
        }
        ps.logLine('error', caller, `Failed to get a tenant ${tenant}: Tenant ${tenant} not found in the local state`);
        await ps.sleep(ps.seconds(SEED_TIMING.loopRetry), 'the loop retry wait');
        if (!live()) return never();
      }
    }).then((r) => (r === 'shutdown' ? { result: 'shutdown' } : r)),
  );

  ps.register('pageserver.compaction.begin', ({ tenant }: { tenant: number }) => {
    const t = tenantObj(ps, tenant);
    if (t.state !== TenantState.Active) throw new ModelError('Cannot run compaction iteration on inactive tenant');
    return { timelines: [...t.timelines.values()].map((tl) => tl.obj) };
  });

  ps.register('pageserver.gc.begin', ({ tenant, timeline }: { tenant: number; timeline: string | null }) => {
    const t = tenantObj(ps, tenant);
    if (t.state !== TenantState.Active) throw new ModelError('Cannot run GC iteration on inactive tenant');
    const tls = [...t.timelines.values()].filter((tl) => timeline === null || tl.id === timeline);
    if (timeline !== null && !tls.length) throw new ModelError(`timeline ${timeline} not found`);
    return { timelines: tls.map((tl) => tl.obj) };
  });

  ps.register('pageserver.tenant.activate', ({ tenant }: { tenant: number }, caller) => {
    tenantObj(ps, tenant).activate(caller);
  });

  ps.register('pageserver.tenant.set_broken', ({ tenant, reason }: { tenant: number; reason: string }, caller) => {
    tenantObj(ps, tenant).setBroken(caller, reason);
  });

  // ---- InitialLoad ----------------------------------------------------------------

  /** `load()`: clean up temp and uninit timelines, read every metadata file, sort by ancestry. */
  ps.register('pageserver.load.scan', ({ tenant }: { tenant: number }) => {
    const t = tenantObj(ps, tenant);
    const dir = ps.disk.tenant(t.id);
    if (!dir) throw new ModelError(`tenants/${t.id}: No such file or directory (os error 2)`);
    for (const [id, tl] of [...dir.timelines]) {
      if (id.endsWith('___temp') || tl.uninitMark) {
        ps.logLine('info', null, `removing ${tl.uninitMark ? 'uninitialized' : 'temporary'} timeline directory ${t.id}/${id}`);
        ps.disk.removeTimelineDir(t.id, id);
      }
    }
    const ids = [...dir.timelines.keys()];
    for (const id of ids) {
      if (!dir.timelines.get(id)!.metadata) throw new ModelError(`failed to load metadata of timeline ${t.id}/${id}: No such file or directory (os error 2)`);
    }
    return { timelines: treeSort(ids, (id) => dir.timelines.get(id)!.metadata!.ancestor) };
  });

  /** `load_local_timeline`: the remote index (NotFound is fine), then setup_timeline. */
  ps.register('pageserver.load.timeline', async ({ tenant, timeline }: { tenant: number; timeline: string }, caller) => {
    const t = tenantObj(ps, tenant);
    let index: IndexPart | null = null;
    if (ps.config.remoteStorage) {
      await ps.work(caller, ps.config.durations.indexDownload, 'downloading index_part.json');
      index = ps.remote.index(t.id, timeline);
    }
    await ps.work(caller, ps.config.durations.loadTimeline, 'loading a timeline');
    const local = ps.disk.timeline(t.id, timeline)?.metadata ?? null;
    return setupTimeline(ps, t, timeline, local, index, caller);
  });

  ps.register('pageserver.timeline.download_layer', ({ tl, layer, size }: { tl: number; layer: string; size: number }, caller) =>
    downloadLayer(ps, timelineObj(ps, tl), layer, size, caller),
  );

  ps.register('pageserver.timeline.finish_setup', ({ tl }: { tl: number }, caller) => finishSetup(ps, timelineObj(ps, tl), caller));

  // ---- Attach (section 3.6) --------------------------------------------------------

  ps.register('pageserver.attach.check_dir', ({ tenant }: { tenant: number }) => {
    const t = tenantObj(ps, tenant);
    const dir = ps.disk.tenant(t.id);
    if (dir && !dir.attaching) throw new ModelError("calling Tenant::attach with a tenant directory that doesn't have the attaching marker file");
    return { exists: !!dir };
  });

  ps.register('pageserver.attach.create_dir', ({ tenant }: { tenant: number }) => {
    ps.disk.createTenantDir(tenantObj(ps, tenant).id);
  });

  ps.register('pageserver.attach.create_marker', ({ tenant }: { tenant: number }) => {
    ps.disk.createMarker(tenantObj(ps, tenant).id);
  });

  ps.register('pageserver.attach.list_remote', async ({ tenant }: { tenant: number }, caller) => {
    const t = tenantObj(ps, tenant);
    await ps.work(caller, ps.config.durations.listTimelines, 'listing remote timelines');
    const ids = ps.remote.listTimelines(t.id);
    if (!ids.length) throw new ModelError(`tenant ${t.id} has no timelines in remote storage`);
    const indexes = new Map<string, IndexPart>();
    for (const id of ids) {
      await ps.work(caller, ps.config.durations.indexDownload, 'downloading index_part.json');
      const index = ps.remote.index(t.id, id);
      if (!index) throw new ModelError(`index part of ${t.id}/${id} not found`);
      indexes.set(id, index);
    }
    return { timelines: treeSort(ids, (id) => indexes.get(id)!.metadata.ancestor).map((id) => ({ id, index: indexes.get(id)! })) };
  });

  /** `load_remote_timeline`: the timeline directory, then setup_timeline with no local metadata. */
  ps.register('pageserver.attach.timeline', ({ tenant, timeline, index }: { tenant: number; timeline: string; index: IndexPart }, caller) => {
    const t = tenantObj(ps, tenant);
    ps.disk.createTimelineDir(t.id, timeline);
    return setupTimeline(ps, t, timeline, null, index, caller);
  });

  ps.register('pageserver.attach.remove_marker', ({ tenant }: { tenant: number }) => {
    ps.disk.removeMarker(tenantObj(ps, tenant).id);
  });
}
