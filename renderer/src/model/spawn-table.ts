/**
 * The EventStore's spawn table: one row per spawn event (the spawn's `a` column holds
 * its row), with the fields a spawn carries; string fields are ids of interned
 * strings, -1 for null. A spawn is the one frequent event with more than two fields,
 * and the reducer, the indexes and the inspector all read it, so it is kept in
 * columns and decoded in one place (`info`).
 */
import type { ColumnAlloc, ScanDelta } from './scan-delta';
import { columnCopy } from './scan-delta';
import type { StringInterner } from './string-interner';

/** What a spawn event says. */
export interface SpawnInfo {
  task: string;
  id: number;
  kind: string;
  runtime: string;
  tenant: string | null;
  timeline: string | null;
  parent: string | null;
  /** The name given to `spawn` (the task's trace name when absent). */
  name: string;
  shutdownProcessOnError: boolean;
}

const STRING_COLUMNS = ['kind', 'runtime', 'tenant', 'timeline', 'parent', 'name'] as const;

export class SpawnTable {
  length = 0;
  id = new Float64Array(256);
  kind = new Int32Array(256);
  runtime = new Int32Array(256);
  tenant = new Int32Array(256);
  timeline = new Int32Array(256);
  parent = new Int32Array(256);
  name = new Int32Array(256);
  spoe = new Uint8Array(256);

  constructor(private readonly strings: StringInterner) {}

  reserve(need: number): void {
    if (need <= this.id.length) return;
    let cap = this.id.length;
    while (cap < need) cap *= 2;
    const f64 = new Float64Array(cap);
    f64.set(this.id);
    this.id = f64;
    const u8 = new Uint8Array(cap);
    u8.set(this.spoe);
    this.spoe = u8;
    for (const k of STRING_COLUMNS) {
      const y = new Int32Array(cap);
      y.set(this[k]);
      this[k] = y;
    }
  }

  /** Appends a row; returns its number. */
  add(id: number, kind: number, runtime: number, tenant: number, timeline: number, parent: number, name: number, spoe: boolean): number {
    const r = this.length++;
    this.reserve(r + 1);
    this.id[r] = id;
    this.kind[r] = kind;
    this.runtime[r] = runtime;
    this.tenant[r] = tenant;
    this.timeline[r] = timeline;
    this.parent[r] = parent;
    this.name[r] = name;
    this.spoe[r] = spoe ? 1 : 0;
    return r;
  }

  /** Row r decoded, for the spawn of `task`. */
  info(r: number, task: string): SpawnInfo {
    const s = this.strings;
    return {
      task,
      id: this.id[r],
      kind: s.str(this.kind[r]) ?? '?',
      runtime: s.str(this.runtime[r]) ?? '?',
      tenant: s.str(this.tenant[r]),
      timeline: s.str(this.timeline[r]),
      parent: s.str(this.parent[r]),
      name: s.str(this.name[r]) ?? task,
      shutdownProcessOnError: this.spoe[r] === 1,
    };
  }

  /** Rows [from, length) as a delta's spawn columns (see scan-delta.ts). */
  copyOut(from: number, alloc: ColumnAlloc | undefined): Pick<ScanDelta, 'spawnFrom' | 'spId' | 'spKind' | 'spRuntime' | 'spTenant' | 'spTimeline' | 'spParent' | 'spName' | 'spSpoe'> {
    const z = this.length;
    return {
      spawnFrom: from,
      spId: columnCopy(this.id, from, z, alloc),
      spKind: columnCopy(this.kind, from, z, alloc),
      spRuntime: columnCopy(this.runtime, from, z, alloc),
      spTenant: columnCopy(this.tenant, from, z, alloc),
      spTimeline: columnCopy(this.timeline, from, z, alloc),
      spParent: columnCopy(this.parent, from, z, alloc),
      spName: columnCopy(this.name, from, z, alloc),
      spSpoe: columnCopy(this.spoe, from, z, alloc),
    };
  }

  /** Appends a delta's rows; `map` turns the delta's string ids into this table's (null: the same). */
  append(d: ScanDelta, map: Int32Array | null): void {
    const m = d.spKind.length;
    const at = this.length;
    const ids = (col: Int32Array): Int32Array => (map === null ? col : col.map((x) => (x >= 0 ? map[x] : -1)));
    this.reserve(at + m);
    this.id.set(d.spId, at);
    this.kind.set(ids(d.spKind), at);
    this.runtime.set(ids(d.spRuntime), at);
    this.tenant.set(ids(d.spTenant), at);
    this.timeline.set(ids(d.spTimeline), at);
    this.parent.set(ids(d.spParent), at);
    this.name.set(ids(d.spName), at);
    this.spoe.set(d.spSpoe, at);
    this.length = at + m;
  }
}
