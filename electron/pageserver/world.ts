/**
 * The machine before the first start, from a scenario's `pageserver.tenants`: each
 * timeline gets `layers` L0 layers of 8 MiB and a metadata file; a `local` tenant is
 * on disk and fully uploaded, a `remote` one only in remote storage (to be
 * attached), a `local-only` one on disk with nothing uploaded.
 */
import type { TenantSetup } from '../../shared/scenario/pageserver-types';
import type { TimelineMetadata } from './disk';
import type { PageserverLab } from './lab';
import { layerName } from './timeline';

export const SETUP_LAYER_MIB = 8;

export function seedWorld(lab: PageserverLab, tenants: TenantSetup[]): void {
  lab.traceStorage(false);
  for (const t of tenants) {
    const local = t.location !== 'remote';
    const uploaded = t.location !== 'local-only';
    if (local) {
      lab.disk.createTenantDir(t.id);
      if (Object.keys(t.conf).length) lab.disk.writeConfig(t.id, t.conf);
    }
    for (const tl of t.timelines) {
      const layers: Array<[string, number]> = [];
      for (let i = 0; i < tl.layers; i++) layers.push([layerName(0, i * SETUP_LAYER_MIB, (i + 1) * SETUP_LAYER_MIB), SETUP_LAYER_MIB]);
      const metadata: TimelineMetadata = { disk_consistent_lsn: tl.layers * SETUP_LAYER_MIB, gc_cutoff_lsn: 0, ancestor: tl.ancestor };
      if (local) {
        lab.disk.createTimelineDir(t.id, tl.id);
        for (const [name, size] of layers) lab.disk.writeLayer(t.id, tl.id, name, size);
        lab.disk.writeMetadata(t.id, tl.id, metadata);
      }
      if (uploaded) {
        for (const [name, size] of layers) lab.remote.putLayer(t.id, tl.id, name, size);
        lab.remote.putIndex(t.id, tl.id, { timeline_layers: Object.fromEntries(layers), metadata });
      }
      lab.setWalRate(t.id, tl.id, tl.wal_every);
    }
  }
  lab.traceStorage(true);
}
