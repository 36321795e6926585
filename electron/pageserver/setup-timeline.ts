/**
 * Bringing a timeline into memory, shared by load and attach (sections 3.4 to 3.6
 * and 4.7): merge local and remote metadata, build the Timeline and start its flush
 * loop (`initialize_with_lock`), initialise the upload queue from the remote index,
 * download what is missing (one call per layer, so that a crash or a fault lands
 * between downloads), then schedule uploads for local-only layers and one index
 * upload. Each step is a service the InitialLoad/Attach body calls in turn.
 */
import { TimelineState } from '../../shared/model';
import type { TaskRecord } from '../core/task-record';
import type { TimelineMetadata } from './disk';
import { ModelError } from './errors';
import type { Pageserver } from './process';
import type { IndexPart } from './remote-storage';
import { RemoteTimelineClient } from './remote-timeline-client';
import type { Tenant } from './tenant';
import { Timeline } from './timeline';

/** What the body needs to finish a timeline's setup. */
export interface SetupResult {
  tl: number;
  /** Layers to download, in order. */
  missing: Array<{ layer: string; size: number }>;
  download_ticks: number;
}

/** `merge_local_remote_metadata` (section 3.5 step 1). */
export function mergeMetadata(local: TimelineMetadata | null, remote: TimelineMetadata | null): { metadata: TimelineMetadata; fromRemote: boolean } {
  if (!local && !remote) throw new ModelError('no local or remote metadata for the timeline');
  if (!local) return { metadata: remote!, fromRemote: true };
  if (!remote) return { metadata: local, fromRemote: false };
  if (remote.disk_consistent_lsn > local.disk_consistent_lsn || remote.gc_cutoff_lsn > local.gc_cutoff_lsn) {
    throw new ModelError('remote metadata appears to be ahead of local metadata');
  }
  return { metadata: local, fromRemote: false };
}

/** Setup bookkeeping kept between the service calls of one timeline. */
interface Pending {
  fromRemote: boolean;
  remote: IndexPart | null;
}
const pending = new WeakMap<Timeline, Pending>();

/**
 * Steps 1 to 3 up to the downloads: a Broken placeholder timeline is inserted when
 * initialisation fails, as the seed does.
 */
export function setupTimeline(
  ps: Pageserver,
  tenant: Tenant,
  id: string,
  local: TimelineMetadata | null,
  remote: IndexPart | null,
  caller: TaskRecord | null,
): SetupResult {
  const { metadata, fromRemote } = mergeMetadata(local, remote?.metadata ?? null);
  if (tenant.timelines.has(id)) throw new ModelError(`Timeline ${tenant.id}/${id} already exists`);
  if (metadata.ancestor && !tenant.timelines.has(metadata.ancestor)) {
    throw new ModelError(`Timeline ${id}'s ancestor ${metadata.ancestor} is not loaded`);
  }
  const tl = new Timeline(ps, tenant, id, metadata);
  const dir = ps.disk.timeline(tenant.id, id);
  try {
    // initialize_with_lock: load the layer map, remove the uninit mark, Active, insert, flush loop.
    if (!dir) throw new ModelError(`failed to load layer map: tenants/${tenant.id}/timelines/${id}: No such file or directory (os error 2)`);
    for (const temp of [...dir.tempFiles]) ps.disk.removeTempFile(tenant.id, id, temp);
    for (const [name, size] of dir.layers) tl.layers.set(name, size);
    dir.uninitMark = false;
    tl.setState(TimelineState.Active, caller);
    tenant.timelines.set(id, tl);
    tl.maybeSpawnFlushLoop(caller);
  } catch (err) {
    tl.setState(TimelineState.Broken, caller);
    tenant.timelines.set(id, tl);
    throw err;
  }
  const missing: SetupResult['missing'] = [];
  if (ps.config.remoteStorage) {
    tl.client = new RemoteTimelineClient(ps, tenant.id, id);
    if (remote) tl.client.queue.initFromIndex(remote);
    else tl.client.queue.initForEmptyRemote(metadata);
    if (remote) {
      for (const [layer, size] of Object.entries(remote.timeline_layers)) {
        const have = tl.layers.get(layer);
        if (have === size) continue;
        if (have !== undefined) {
          ps.logLine('warn', caller, `local layer ${layer} has size ${have}, remote ${size}: renaming it to a backup and downloading again`);
          ps.disk.removeLayer(tenant.id, id, layer);
          tl.layers.delete(layer);
        }
        missing.push({ layer, size });
      }
    }
  }
  pending.set(tl, { fromRemote, remote });
  return { tl: tl.obj, missing, download_ticks: ps.config.durations.layerDownload };
}

/** `download_layer_file`: write `.temp_download`, failpoint, rename (section 4.7). */
export async function downloadLayer(ps: Pageserver, tl: Timeline, layer: string, size: number, caller: TaskRecord | null): Promise<void> {
  const temp = `${layer}.temp_download`;
  ps.disk.addTempFile(tl.tenant.id, tl.id, temp);
  await ps.work(caller, ps.config.durations.layerDownload, 'downloading layers');
  if (ps.remote.layer(tl.tenant.id, tl.id, layer) === undefined) {
    throw new ModelError(`Failed to download layer ${layer}: not found in remote storage`);
  }
  await ps.failpoint('remote-storage-download-pre-rename', caller);
  ps.disk.removeTempFile(tl.tenant.id, tl.id, temp);
  ps.disk.writeLayer(tl.tenant.id, tl.id, layer, size);
  tl.layers.set(layer, size);
}

/** Steps 3 (the uploads), 4 and 5 after the downloads. */
export function finishSetup(ps: Pageserver, tl: Timeline, caller: TaskRecord | null): void {
  const p = pending.get(tl);
  pending.delete(tl);
  if (tl.client) {
    const remoteLayers = new Set(Object.keys(p?.remote?.timeline_layers ?? {}));
    const localOnly = [...tl.layers].filter(([name]) => !remoteLayers.has(name));
    for (const [name, size] of localOnly) tl.client.scheduleLayerUpload(caller, name, size);
    if (localOnly.length || !p?.remote) tl.client.scheduleIndexUpload(caller, tl.metadata);
  }
  if (!tl.ancestor && tl.layers.size === 0) throw new ModelError(`Timeline ${tl.path} has no ancestor and no layer files`);
  if (p?.fromRemote) ps.disk.writeMetadata(tl.tenant.id, tl.id, tl.metadata);
}
