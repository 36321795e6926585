/**
 * `tenant_mgr.rs` at the seed: the startup decision tree (section 3.3), attach,
 * detach, timeline delete, tenant create, manual GC (sections 3.6 to 3.9) and
 * `shutdown_all_tenants` (section 2.3). These run in the coordinator, outside any
 * task: at startup on the main thread, otherwise in HTTP request handlers (hyper
 * tasks that no `shutdown_tasks` can see). Their flaws are the seed's: detach takes
 * its snapshot and never looks again, delete stops the timeline's tasks before it
 * checks the tenant, shutdown only pauses Active tenants.
 */
import { TaskKind, TenantState, TimelineState } from '../../shared/model';
import type { TaskRecord } from '../core/task-record';
import { Panic } from '../core/errors';
import type { TenantConf } from './config';
import { TEMP_SUFFIX } from './disk';
import { ModelError, messageOf } from './errors';
import type { Pageserver } from './process';
import { attachSpec, initialLoadSpec, manualGcSpec } from './spawn-specs';
import { Tenant } from './tenant';
import { Timeline } from './timeline';
import { RemoteTimelineClient } from './remote-timeline-client';

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export function tenantConf(ps: Pageserver, tenant: string): TenantConf {
  return { ...ps.config.tenantDefaults, ...(ps.disk.tenant(tenant)?.config ?? {}) };
}

/** `get_tenant(id, active_only)`. */
export function getTenant(ps: Pageserver, id: string, activeOnly: boolean): Tenant {
  const t = ps.tenants.get(id);
  if (!t) throw new ModelError(`Tenant ${id} not found in the local state`, 404);
  if (activeOnly && t.state !== TenantState.Active) throw new ModelError(`Tenant ${id} is not active. Current state: ${t.state}`, 409);
  return t;
}

function spawnLoad(ps: Pageserver, id: string, runtime: 'background' | 'mgmt_request'): Tenant {
  const tenant = new Tenant(ps, id, TenantState.Loading, tenantConf(ps, id));
  ps.spawn(initialLoadSpec(id, tenant.obj, runtime), null);
  return tenant;
}

function spawnAttach(ps: Pageserver, id: string, runtime: 'background' | 'mgmt_request'): Tenant {
  // FIXME #1555 of the seed: attach does not carry the tenant's config; defaults apply.
  const tenant = new Tenant(ps, id, TenantState.Attaching, { ...ps.config.tenantDefaults });
  ps.spawn(attachSpec(id, tenant.obj, runtime), null);
  return tenant;
}

/**
 * `init_tenant_mgr`, on the main thread: for each entry of `tenants/`, temp dirs are
 * removed, an empty dir is removed (a crash during attach before the marker), a
 * marker resumes the attach (or makes the tenant Broken without remote storage),
 * anything else is loaded. It does not wait for the tasks it spawns.
 */
export function initTenantMgr(ps: Pageserver): void {
  for (const entry of ps.disk.entries()) {
    if (entry.endsWith(TEMP_SUFFIX)) {
      ps.logLine('info', null, `removing temporary tenant directory tenants/${entry}`);
      ps.disk.removeTenantDir(entry);
      continue;
    }
    if (ps.disk.files.has(entry)) {
      ps.logLine('error', null, `Failed to collect tenant files from dir tenants/${entry}: not a directory`);
      continue;
    }
    if (!TENANT_ID.test(entry)) {
      ps.logLine('error', null, `Failed to collect tenant files from dir tenants/${entry}: not a tenant id`);
      continue;
    }
    if (ps.disk.isEmpty(entry)) {
      ps.logLine('info', null, `removing empty tenant directory tenants/${entry}: a crash during attach, before the marker was written`);
      ps.disk.removeTenantDir(entry);
      continue;
    }
    let tenant: Tenant;
    if (ps.disk.tenant(entry)!.attaching) {
      if (ps.config.remoteStorage) {
        ps.logLine('info', null, `tenant ${entry} has an attaching marker: resuming attach`);
        tenant = spawnAttach(ps, entry, 'background');
      } else {
        ps.logLine('warn', null, `tenant ${entry} has an attaching marker but remote storage is not configured: Broken`);
        tenant = new Tenant(ps, entry, TenantState.Broken, tenantConf(ps, entry));
      }
    } else {
      tenant = spawnLoad(ps, entry, 'background');
    }
    ps.tenants.set(entry, tenant);
  }
}

/** POST /v1/tenant/:id/attach: 202 before anything is on disk (section 3.6). */
export function attachTenant(ps: Pageserver, id: string): void {
  if (!ps.config.remoteStorage) throw new ModelError('attach_tenant is not possible because pageserver was configured without remote storage', 400);
  const existing = ps.tenants.get(id);
  if (existing) {
    if (existing.state === TenantState.Attaching) throw new ModelError(`tenant ${id} attach is already in progress`, 409);
    throw new ModelError(`tenant ${id} already exists, current state: ${existing.state}`, 409);
  }
  ps.tenants.set(id, spawnAttach(ps, id, 'mgmt_request'));
}

/** remove_dir_all, one timeline directory after the other (a crash can land in between: S23). */
async function removeTenantDir(ps: Pageserver, id: string, by: string): Promise<void> {
  const dir = ps.disk.tenant(id);
  if (!dir) throw new ModelError(`tenants/${id}: No such file or directory (os error 2)`);
  for (const tl of [...dir.timelines.keys()].sort()) {
    await removeTimelineDir(ps, id, tl, by);
  }
  ps.disk.removeTenantDir(id);
}

/**
 * remove_dir_all of one timeline: directory order puts `metadata` first, then the
 * layer files take a while; a crash in between leaves layers without metadata.
 */
async function removeTimelineDir(ps: Pageserver, tenant: string, timeline: string, by: string): Promise<void> {
  await ps.failpoint('remove-timeline-dir', null);
  ps.lints?.removingTimelineDir(ps, tenant, timeline, by);
  const dir = ps.disk.timeline(tenant, timeline);
  if (dir?.metadata) ps.disk.removeMetadata(tenant, timeline);
  await ps.sleep(ps.config.durations.removeTimelineDir, 'removing the timeline directory');
  ps.disk.removeTimelineDir(tenant, timeline);
}

/**
 * POST /v1/tenant/:id/detach: out of the map, `set_paused`, `shutdown_tasks(None,
 * tenant, None)` (a snapshot: tasks spawned afterwards are neither signalled nor
 * waited for), then remove the directory. No flush, no upload wait.
 */
export async function detachTenant(ps: Pageserver, id: string, label: string): Promise<void> {
  const tenant = ps.tenants.get(id);
  if (!tenant) throw new ModelError(`Tenant not found for id ${id}`, 404);
  ps.tenants.delete(id);
  tenant.setPaused();
  const scope = ps.lints?.beginScope(ps, label, { kind: null, tenant: id, timeline: null });
  await ps.shutdownTasks(label, { kind: null, tenant: id, timeline: null }, null);
  try {
    await removeTenantDir(ps, id, label);
  } finally {
    ps.lints?.endScope(ps, scope);
  }
  // The Arc<Tenant> drops now: in-memory layers try to remove their ephemeral files (S16).
  for (const tl of tenant.timelines.values()) {
    if (tl.openLayer > 0 || tl.frozen.length) {
      ps.logLine('warn', label, `could not remove ephemeral file for timeline ${tl.path}: No such file or directory (os error 2)`);
    }
  }
}

/**
 * DELETE /v1/tenant/:t/timeline/:tl (section 3.8): stop the timeline's WAL receiver,
 * then its tasks (tenant-level loops are not matched), only then check that the
 * tenant is Active; then Paused, `layer_removal_cs` (no timeout), remove the files.
 */
export async function deleteTimeline(ps: Pageserver, tenantId: string, timelineId: string, label: string): Promise<void> {
  const filter = { kind: null, tenant: tenantId, timeline: timelineId };
  const scope = ps.lints?.beginScope(ps, label, filter);
  try {
    await ps.shutdownTasks(`${label}: walreceiver`, { kind: TaskKind.WalReceiverManager, tenant: tenantId, timeline: timelineId }, null);
    await ps.shutdownTasks(label, filter, null);
    const tenant = getTenant(ps, tenantId, true);
    const tl = tenant.timelines.get(timelineId);
    if (!tl) throw new ModelError(`Timeline ${tenantId}/${timelineId} not found`, 404);
    if ([...tenant.timelines.values()].some((t) => t.ancestor === timelineId)) {
      throw new ModelError(`Cannot delete timeline which has child timelines`, 400);
    }
    tl.setState(TimelineState.Paused);
    await tl.layerRemovalCs.lock(label);
    try {
      await removeTimelineDir(ps, tenantId, timelineId, label);
    } finally {
      tl.layerRemovalCs.unlock();
    }
    if ([...tenant.timelines.values()].some((t) => t.ancestor === timelineId)) {
      throw new Panic('Timeline grew children while we removed layer files');
    }
    if (tenant.timelines.get(timelineId) === tl) tenant.timelines.delete(timelineId);
    else ps.logLine('debug', label, 'a concurrent delete of this timeline won');
  } finally {
    ps.lints?.endScope(ps, scope);
  }
}

/**
 * POST /v1/tenant (section 3.9): files written under a temp name, then renamed;
 * loaded by an InitialLoad task on the mgmt runtime; the handler waits for Active.
 */
export async function createTenant(ps: Pageserver, id: string, conf: Partial<TenantConf>): Promise<void> {
  if (ps.tenants.has(id) || ps.disk.tenant(id)) throw new ModelError(`tenant ${id} already exists`, 409);
  ps.disk.createTenantDir(id);
  ps.disk.writeConfig(id, conf);
  const tenant = spawnLoad(ps, id, 'mgmt_request');
  ps.tenants.set(id, tenant);
  await waitToBecomeActive(tenant);
}

/** `wait_to_become_active`: Active -> Ok; Broken or Paused -> Err; else wait. */
export function waitToBecomeActive(tenant: Tenant): Promise<void> {
  const check = (s: TenantState): 'ok' | 'err' | 'wait' =>
    s === TenantState.Active ? 'ok' : s === TenantState.Broken || s === TenantState.Paused ? 'err' : 'wait';
  const err = () => new ModelError(`Tenant ${tenant.id} will not become active. Current state: ${tenant.state}`);
  const now = check(tenant.state);
  if (now === 'ok') return Promise.resolve();
  if (now === 'err') return Promise.reject(err());
  return new Promise((resolve, reject) =>
    tenant.watch((s) => {
      const c = check(s);
      if (c === 'wait') return false;
      if (c === 'ok') resolve();
      else reject(err());
      return true;
    }),
  );
}

/**
 * POST /v1/tenant/:t/timeline: created inline in the HTTP handler (not a task):
 * uninit mark, initdb and import, then the Timeline with its flush loop and WAL
 * receiver. A detach meanwhile removes the directory under it (S9).
 */
export async function createTimeline(ps: Pageserver, tenantId: string, timelineId: string, label: string): Promise<void> {
  const tenant = getTenant(ps, tenantId, true);
  if (tenant.timelines.has(timelineId) || ps.disk.timeline(tenantId, timelineId)) throw new ModelError(`Timeline ${tenantId}/${timelineId} already exists`, 409);
  try {
    ps.disk.createTimelineDir(tenantId, timelineId, true);
    await ps.sleep(ps.config.durations.timelineCreate, 'creating the timeline');
    const lsn = 8;
    ps.disk.writeLayer(tenantId, timelineId, `img-${lsn}`, lsn);
    const metadata = { disk_consistent_lsn: lsn, gc_cutoff_lsn: 0, ancestor: null };
    ps.disk.writeMetadata(tenantId, timelineId, metadata);
    ps.disk.timeline(tenantId, timelineId)!.uninitMark = false;
    const tl = new Timeline(ps, tenant, timelineId, metadata);
    tl.layers.set(`img-${lsn}`, lsn);
    tl.setState(TimelineState.Active);
    tenant.timelines.set(timelineId, tl);
    tl.maybeSpawnFlushLoop(null);
    if (ps.config.remoteStorage) {
      tl.client = new RemoteTimelineClient(ps, tenantId, timelineId);
      tl.client.queue.initForEmptyRemote(metadata);
      tl.client.scheduleLayerUpload(null, `img-${lsn}`, lsn);
      tl.client.scheduleIndexUpload(null, metadata);
    }
    tl.launchWalReceiver(null);
  } catch (err) {
    if (!ps.disk.tenant(tenantId)) ps.lints?.untrackedAfterRemoval(ps, label, tenantId, messageOf(err));
    throw err;
  }
}

/**
 * PUT /v1/tenant/:t/timeline/:tl/do_gc (section 3.9): holds the map's read guard
 * until a GarbageCollector task (tenant, timeline) is registered, so that a detach's
 * snapshot includes it (PR #2851); the handler awaits the task's answer.
 */
export function immediateGc(ps: Pageserver, tenantId: string, timelineId: string, request: number): TaskRecord {
  const tenant = getTenant(ps, tenantId, false);
  if (!tenant.timelines.has(timelineId)) throw new ModelError(`Timeline ${tenantId}/${timelineId} not found`, 404);
  const task = ps.spawn(manualGcSpec(tenantId, timelineId, tenant.obj, request), null);
  if (!task) throw new ModelError('process is exiting');
  return task;
}

/**
 * `shutdown_all_tenants` (section 2.3): drain the map; only Active tenants are
 * paused and kept; stop every WAL receiver; checkpoint the kept tenants one by one.
 * No upload wait, and the GC/compaction loops keep running until the catch-all.
 */
export async function shutdownAllTenants(ps: Pageserver, caller: TaskRecord | null): Promise<void> {
  const drained = [...ps.tenants.values()];
  ps.tenants.clear();
  const kept: Tenant[] = [];
  for (const t of drained) {
    if (t.state === TenantState.Active) {
      t.setPaused(caller);
      kept.push(t);
    }
  }
  await ps.shutdownTasks('pageserver:walreceiver', { kind: TaskKind.WalReceiverManager, tenant: null, timeline: null }, caller);
  for (const t of kept) {
    try {
      for (const tl of [...t.timelines.values()]) await tl.checkpoint();
    } catch (err) {
      ps.logLine('error', caller, `Could not checkpoint tenant ${t.id} during shutdown: ${messageOf(err)}`);
    }
  }
}
