/**
 * What a scan worker hands the page: a delta of its EventStore (the columns, strings,
 * spawn rows, line positions and bytes that a batch of a recording added), and how a
 * later part of a file maps onto the page's store (AbsorbBase). Columns are copied into
 * buffers from a pool (see ./buffer-pool.ts) and transferred, not cloned.
 */
import type { AnyEvent } from '../../../shared/trace/events';

/** Where takeDelta puts a delta's columns: a buffer of at least `bytes` bytes (see BufferPool). */
export type ColumnAlloc = (bytes: number) => ArrayBuffer;

type Column = Uint8Array | Int32Array | Float64Array;

/** Column `src[a, z)` in a buffer from `alloc` (a fresh copy without one). */
export function columnCopy<T extends Column>(src: T, a: number, z: number, alloc: ColumnAlloc | undefined): T {
  if (!alloc) return src.slice(a, z) as T;
  const Ctor = src.constructor as { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number };
  const out = new Ctor(alloc((z - a) * Ctor.BYTES_PER_ELEMENT), 0, z - a);
  out.set(src.subarray(a, z) as never);
  return out;
}

/** The buffers of a delta's columns (not its chunks: the page keeps those). */
export function columnBuffers(d: ScanDelta): ArrayBuffer[] {
  const cols: Column[] = [d.code, d.t, d.task, d.a, d.b, d.lineChunk, d.lineStart, d.lineEnd, d.lineNum, d.spId, d.spKind, d.spRuntime, d.spTenant, d.spTimeline, d.spParent, d.spName, d.spSpoe];
  const out: ArrayBuffer[] = [];
  for (const c of cols) if (!out.includes(c.buffer as ArrayBuffer)) out.push(c.buffer as ArrayBuffer);
  return out;
}

/** What a worker's scan of some chunks added to its store (see EventStore.takeDelta). */
export interface ScanDelta {
  from: number;
  code: Uint8Array;
  t: Float64Array;
  task: Int32Array;
  a: Int32Array;
  b: Int32Array;
  lineChunk: Int32Array;
  lineStart: Int32Array;
  lineEnd: Int32Array;
  lineNum: Int32Array;
  objs: Array<[number, AnyEvent]>;
  strings: string[];
  spawnFrom: number;
  spId: Float64Array;
  spKind: Int32Array;
  spRuntime: Int32Array;
  spTenant: Int32Array;
  spTimeline: Int32Array;
  spParent: Int32Array;
  spName: Int32Array;
  spSpoe: Uint8Array;
  chunks: Uint8Array[];
}

/** How a later part's delta maps onto the store (see EventStore.absorb). */
export interface AbsorbBase {
  /** The part's string ids to this store's (the first `count`), filled as its strings arrive. */
  ids: Int32Array;
  count: number;
  /** Spawn rows, chunks and physical lines before the part, in this store. */
  spawns: number;
  chunks: number;
  lines: number;
}

