/**
 * A scan worker's EventStore (./scan-worker.ts): it scans its part of a recording and
 * hands what each batch added to the page as a delta (./scan-delta.ts), which the
 * page's store absorbs (EventStore.absorb) and reduces meanwhile. The string ids agree
 * because the page takes the worker's new strings in the worker's order.
 *
 * Once handed off, the events are not kept: the next ones reuse the columns from index
 * 0, so they stay the size of one delta. Fresh memory costs a page fault per 4 KB on
 * first touch, and touching a recording's columns twice (written here, then copied
 * into a delta) cost the worker ~0.15 s per million events.
 */
import type { AnyEvent } from '../../../shared/trace/events';
import { EventStore } from './event-store';
import { type ColumnAlloc, columnCopy, type ScanDelta } from './scan-delta';

export class ScanStore extends EventStore {
  private sent = { events: 0, strings: 0, spawns: 0, chunks: 0 };

  /**
   * What this store gained since the last call (the worker side). With `alloc` the
   * columns are copied into buffers it gives (recycled ones: see BufferPool).
   */
  takeDelta(alloc?: ColumnAlloc): ScanDelta {
    const from = this.sent.events;
    const to = this.length;
    const objs: Array<[number, AnyEvent]> = [];
    if (this.objCount > 0) for (let i = from; i < Math.min(to, this.objs.length); i++) if (this.objs[i] !== undefined) objs.push([i, this.objs[i]!]);
    const a = from - this.shift;
    const z = to - this.shift;
    const cut = <T extends Uint8Array | Int32Array | Float64Array>(col: T): T => columnCopy(col, a, z, alloc);
    const d: ScanDelta = {
      from,
      code: cut(this.code),
      t: cut(this.t),
      task: cut(this.task),
      a: cut(this.a),
      b: cut(this.b),
      ...this.lines.copyOut(this.sent.chunks, cut),
      objs,
      strings: this.strings.slice(this.sent.strings),
      ...this.spawns.copyOut(this.sent.spawns, alloc),
    };
    this.sent = { events: to, strings: this.strings.length, spawns: this.spawns.length, chunks: this.lines.chunks.length };
    // The chunks travel to the page (transferred): this store no longer reads them.
    // Nor its events: the next ones reuse the columns from index 0.
    if (z > 0) this.shiftT = this.t[z - 1];
    this.shift = to;
    return d;
  }

  protected override initialColumns(): number {
    return 8192;
  }
}
