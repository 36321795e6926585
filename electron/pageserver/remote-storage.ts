/**
 * Remote storage (S3) as the pageserver sees it: per timeline an `index_part.json`
 * (the layers the timeline consists of, with their sizes, and its metadata) and the
 * layer objects. Like the disk it outlives every process. The operations here are
 * instantaneous; how long they take and how they fail (failpoints) is decided by
 * the caller in the process (./remote-ops.ts).
 */
import type { TimelineMetadata } from './disk';

/** storage_sync2's `IndexPart`: what a timeline is made of remotely. */
export interface IndexPart {
  timeline_layers: Record<string, number>;
  metadata: TimelineMetadata;
}

interface RemoteTimeline {
  index: IndexPart | null;
  layers: Map<string, number>;
}

const key = (tenant: string, timeline: string) => `${tenant}/${timeline}`;

export class RemoteStorage {
  private timelines = new Map<string, RemoteTimeline>();
  private listener: ((op: string, path: string) => void) | null = null;

  onChange(listener: ((op: string, path: string) => void) | null): void {
    this.listener = listener;
  }

  private get(tenant: string, timeline: string): RemoteTimeline {
    let t = this.timelines.get(key(tenant, timeline));
    if (!t) {
      t = { index: null, layers: new Map() };
      this.timelines.set(key(tenant, timeline), t);
    }
    return t;
  }

  /** The timelines of a tenant that have an index (sorted). */
  listTimelines(tenant: string): string[] {
    const out: string[] = [];
    for (const [k, t] of this.timelines) {
      const [tn, tl] = k.split('/');
      if (tn === tenant && t.index) out.push(tl);
    }
    return out.sort();
  }

  index(tenant: string, timeline: string): IndexPart | null {
    const idx = this.timelines.get(key(tenant, timeline))?.index;
    return idx ? { timeline_layers: { ...idx.timeline_layers }, metadata: { ...idx.metadata } } : null;
  }

  putIndex(tenant: string, timeline: string, index: IndexPart): void {
    this.get(tenant, timeline).index = { timeline_layers: { ...index.timeline_layers }, metadata: { ...index.metadata } };
    this.listener?.('put', `${tenant}/${timeline}/index_part.json`);
  }

  layer(tenant: string, timeline: string, layer: string): number | undefined {
    return this.timelines.get(key(tenant, timeline))?.layers.get(layer);
  }

  putLayer(tenant: string, timeline: string, layer: string, size: number): void {
    this.get(tenant, timeline).layers.set(layer, size);
    this.listener?.('put', `${tenant}/${timeline}/${layer}`);
  }

  deleteLayer(tenant: string, timeline: string, layer: string): void {
    this.get(tenant, timeline).layers.delete(layer);
    this.listener?.('delete', `${tenant}/${timeline}/${layer}`);
  }

  /** Objects of a timeline (sorted), referenced by the index or not. */
  layers(tenant: string, timeline: string): string[] {
    return [...(this.timelines.get(key(tenant, timeline))?.layers.keys() ?? [])].sort();
  }
}
