/**
 * The event log's column store: append-only columns (event type, time, task, two small
 * per-type fields) with a spawn table beside them, plus the events themselves, kept as
 * objects when the Lab pushed them and as the raw JSON lines of a recording file,
 * decoded only when a view needs one.
 *
 * Why columns: a 1M-event recording is about 100 MB of JSON, and parsing it all into
 * objects is far over the 2 s budget for opening it (DESIGN.md section 6). The file is
 * streamed as bytes; a tokenizer (./json-line-scanner.ts) picks out of each line the
 * fields the reducer needs (./line-columns.ts), and strings are interned
 * (./string-interner.ts). Which fields those are, per event type, is the one table of
 * ./event-codes.ts: pushed objects and tokenized lines both fill the columns from it.
 *
 * A store holds pushed events or one recording. A scan worker's store (./scan-store.ts)
 * hands its events off in deltas (./scan-delta.ts), which the page's store absorbs.
 */
import type { AnyEvent } from '../../../shared/trace/events';
import { COL_A, COL_B, COL_FLAG, COL_INT, COL_LEVEL, COL_PICK, COL_STR, type CompiledColumn, codeOf, EV, FIXED_LEVEL, HAS_SPAWN_ROW, levelIndex } from './event-codes';
import { LineColumns } from './line-columns';
import { checkLine, decodeBytes, LineError, RecordingLines } from './recording-lines';
import type { AbsorbBase, ScanDelta } from './scan-delta';
import { type SpawnInfo, SpawnTable } from './spawn-table';
import { StringInterner } from './string-interner';

export { EV, FAULTS, LEVELS, OUTCOMES, VIAS } from './event-codes';
export { type AbsorbBase, type ColumnAlloc, columnBuffers, type ScanDelta } from './scan-delta';
export type { SpawnInfo } from './spawn-table';
export { LineError } from './recording-lines';

type Fields = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Decoded events of a recording kept at most (views decode again what was dropped). */
const DECODE_CACHE = 50_000;

export class EventStore {
  length = 0;
  code = new Uint8Array(1024);
  /** Times, clamped to never decrease (playback and seeking by time search this). */
  t = new Float64Array(1024);
  /** Interned task name, -1 for none. */
  task = new Int32Array(1024);
  /** Per type, see ./event-codes.ts (a spawn: its row in `spawns`); -1 when absent. */
  a = new Int32Array(1024);
  b = new Int32Array(1024);

  readonly interner = new StringInterner();
  /** The interned strings by id (the interner's array). */
  readonly strings: readonly string[] = this.interner.strings;
  readonly spawns = new SpawnTable(this.interner);

  /** Pushed events, by index (a recording's events are decoded into `decoded`). */
  protected objs: Array<AnyEvent | undefined> = [];
  protected objCount = 0;
  private readonly decoded = new Map<number, AnyEvent>();
  protected readonly lines = new RecordingLines((b, s, end, c, last) => this.takeLine(b, s, end, c, last));
  /** Index of the first event that came from the recording (-1: none). */
  private fileBase = -1;
  /**
   * A scan worker's store hands its events off (./scan-store.ts): the columns then
   * hold the events from `shift` on (column index = event index - shift), and
   * `shiftT` is the time of the last event handed off. Always 0 in the page's store.
   */
  protected shift = 0;
  protected shiftT = 0;
  private readonly reader = new LineColumns(this.interner, this.spawns);

  intern(s: string): number {
    return this.interner.intern(s);
  }
  /** The id of a string if it was ever interned, else -1. */
  idOf(s: string): number {
    return this.interner.idOf(s);
  }
  str(id: number): string | null {
    return id >= 0 ? this.strings[id] : null;
  }

  protected grow(need: number): void {
    if (need <= this.code.length) return;
    let cap = this.code.length;
    while (cap < need) cap *= 2;
    const code = new Uint8Array(cap);
    code.set(this.code);
    this.code = code;
    const t = new Float64Array(cap);
    t.set(this.t);
    this.t = t;
    for (const k of ['task', 'a', 'b'] as const) {
      const y = new Int32Array(cap);
      y.set(this[k]);
      this[k] = y;
    }
  }

  private push(code: number, t: number, task: number, a: number, b: number): number {
    const i = this.length;
    const j = i - this.shift;
    if (j === this.code.length) this.grow(j + 1);
    const prev = j > 0 ? this.t[j - 1] : this.shiftT;
    this.code[j] = code;
    this.t[j] = t >= prev ? t : prev; // NaN or going backwards: keep the previous time
    this.task[j] = task;
    this.a[j] = a;
    this.b[j] = b;
    this.length = i + 1;
    return i;
  }

  /** Appends pushed events (objects). Non-objects and events without `ev` are skipped. */
  appendObjects(events: readonly unknown[]): number {
    let n = 0;
    for (const raw of events) {
      if (raw === null || typeof raw !== 'object' || typeof (raw as Fields).ev !== 'string') continue;
      const e = raw as Fields;
      const ev = e.ev as string;
      const code = codeOf(ev) ?? (typeof e.message === 'string' || typeof e.text === 'string' ? EV.unknown_text : EV.unknown);
      const a = HAS_SPAWN_ROW[code] ? this.spawnOf(e) : this.field(COL_A, code, ev, e);
      const i = this.push(code, typeof e.t === 'number' ? e.t : NaN, this.sid(e.task), a, this.field(COL_B, code, ev, e));
      this.objs[i] = raw as AnyEvent;
      this.objCount++;
      n++;
    }
    return n;
  }

  private sid(v: unknown): number {
    return typeof v === 'string' ? this.interner.intern(v) : -1;
  }

  /** Column `col` of an object of type `code`, as the table says. */
  private field(col: CompiledColumn, code: number, ev: string, e: Fields): number {
    const kind = col.kind[code];
    if (kind === 0) return -1;
    const v = e[col.field[code]!];
    switch (kind) {
      case COL_STR:
        return this.sid(v);
      case COL_INT:
        return typeof v === 'number' && Number.isInteger(v) ? v : -1;
      case COL_FLAG:
        return v === true ? 1 : 0;
      case COL_PICK:
        return col.words[code]!.indexOf(v as string);
      default:
        return levelIndex(ev, e);
    }
  }

  private spawnOf(e: Fields): number {
    const s = (v: unknown) => this.sid(v);
    return this.spawns.add(typeof e.id === 'number' ? e.id : 0, s(e.kind), s(e.runtime), s(e.tenant), s(e.timeline), s(e.parent), s(e.name), e.shutdown_process_on_error === true);
  }

  /** Appends a whole recording given as text (tests, small files). */
  appendText(text: string): { truncated: boolean } {
    const bytes = encoder.encode(text);
    this.beginRecording(bytes.length);
    this.feed(bytes);
    return this.finishRecording();
  }

  /**
   * Starts reading a recording of about `size` bytes, to be fed in chunks (a file
   * stream): each chunk's whole lines are scanned as soon as it arrives. A store holds
   * at most one recording, appended before anything else.
   */
  beginRecording(size: number): void {
    if (this.fileBase >= 0 || this.length > 0) throw new Error('a recording must be the first and only content of a store');
    this.fileBase = 0;
    const guess = this.initialColumns(size);
    this.grow(guess);
    this.lines.reserve(guess);
  }

  /** Columns to start a recording of `size` bytes with (about 90 bytes an event). */
  protected initialColumns(size: number): number {
    return Math.max(64, Math.ceil(size / 90));
  }

  /** Feeds the next chunk of the recording (kept, not copied); scans the lines it completes. */
  feed(chunk: Uint8Array): void {
    this.lines.feed(chunk);
  }

  /** The end of the recording: scans the last line (dropped if it was cut off). */
  finishRecording(): { truncated: boolean } {
    return this.lines.finish();
  }

  /** One line of the recording: scanned, or parsed when the tokenizer cannot read it. */
  private takeLine(b: Uint8Array, s: number, end: number, c: number, last: boolean): boolean {
    if (last || !this.scanLine(b, s, end)) {
      const err = checkLine(b, s, end);
      if (err !== null) {
        if (last && err.startsWith('not valid JSON')) return true;
        throw new LineError(this.lines.lineNo, err);
      }
      if (!last || !this.scanLine(b, s, end)) this.appendObjects([JSON.parse(utf8.decode(b.subarray(s, end)))]);
    }
    this.lines.place(this.length - 1 - this.shift, c, s, end);
    return false;
  }

  /** Tokenizes one line and appends its columns, as the table says; false when it needs JSON.parse. */
  private scanLine(b: Uint8Array, from: number, to: number): boolean {
    const r = this.reader;
    if (!r.read(b, from, to)) return false;
    this.push(r.code, r.t, r.task, r.a, r.b);
    return true;
  }

  /** Sizes the columns for about `events` events (absorb grows them otherwise). */
  reserve(events: number): void {
    this.grow(events);
    this.lines.reserve(events);
  }

  /**
   * Takes in what a worker's store gained (the page side). `base` places a worker
   * that scanned a later part of the file: its string ids are mapped to this store's,
   * and its event, chunk, spawn and line numbers are shifted.
   */
  absorb(d: ScanDelta, base: AbsorbBase | null = null): void {
    if (this.fileBase < 0) this.fileBase = 0;
    const at = this.length;
    const n = d.code.length;
    // String ids: the first worker's strings arrive in its order and keep their ids
    // (appended without hashing); a later worker's are interned and mapped.
    let map: Int32Array | null = null;
    if (base === null) {
      this.interner.appendUnindexed(d.strings);
    } else {
      if (base.ids.length < base.count + d.strings.length) {
        const grown = new Int32Array(Math.max(1024, (base.count + d.strings.length) * 2));
        grown.set(base.ids.subarray(0, base.count));
        base.ids = grown;
      }
      for (const str of d.strings) base.ids[base.count++] = this.interner.intern(str);
      map = base.ids;
    }
    this.grow(at + n);
    this.code.set(d.code, at);
    this.task.set(d.task, at);
    this.a.set(d.a, at);
    this.b.set(d.b, at);
    // Times never go backwards across the boundary either.
    const prev = at > 0 ? this.t[at - 1] : 0;
    for (let k = 0; k < n; k++) {
      const v = d.t[k];
      this.t[at + k] = v >= prev ? v : prev;
    }
    this.lines.append(d, at, base?.chunks ?? 0, base?.lines ?? 0);
    if (map !== null && base !== null) {
      for (let k = at; k < at + n; k++) {
        if (this.task[k] >= 0) this.task[k] = map[this.task[k]];
        const c = this.code[k];
        if (HAS_SPAWN_ROW[c]) {
          if (this.a[k] >= 0) this.a[k] += base.spawns; // the part's rows follow the rows before it
          continue;
        }
        if (COL_A.kind[c] === COL_STR && this.a[k] >= 0) this.a[k] = map[this.a[k]];
        if (COL_B.kind[c] === COL_STR && this.b[k] >= 0) this.b[k] = map[this.b[k]];
      }
    }
    for (const [i, e] of d.objs) this.objs[i - d.from + at] = e;
    this.spawns.append(d, map);
    this.length = at + n;
  }

  /** Where a later part of the file starts, once the parts before it are absorbed. */
  baseForNextPart(): AbsorbBase {
    return { ids: new Int32Array(0), count: 0, spawns: this.spawns.length, chunks: this.lines.chunks.length, lines: this.lines.lineNo + this.absorbedLines };
  }

  /** Physical lines of the parts absorbed so far (set by the reader when a part ends). */
  absorbedLines = 0;

  /** Physical lines scanned by this store (a worker's part). */
  get physicalLines(): number {
    return this.lines.lineNo;
  }

  // ---- reading -------------------------------------------------------------------

  /** The event at `i` (decoded from its line when it came from a recording). */
  get(i: number): AnyEvent {
    const o = this.objs[i];
    if (o !== undefined) return o;
    const hit = this.decoded.get(i);
    if (hit !== undefined) return hit;
    let e: AnyEvent;
    try {
      if (this.fileBase < 0 || i >= this.length) throw new Error('no such event');
      e = JSON.parse(decodeBytes(this.lines.bytes(i))) as AnyEvent;
      if (e === null || typeof e !== 'object') throw new Error('not an object');
    } catch {
      // The tokenizer took a line that is not valid JSON elsewhere: show it as an error.
      e = { t: this.t[i], ev: 'error', message: `line ${this.lines.num[i]} of the recording is not valid JSON`, source: 'recording' };
    }
    if (this.decoded.size >= DECODE_CACHE) this.decoded.clear();
    this.decoded.set(i, e);
    return e;
  }

  /** The event at `i` for a one-off read (the reducer): decoded without being cached. */
  peek(i: number): AnyEvent {
    const o = this.objs[i] ?? this.decoded.get(i);
    if (o !== undefined) return o;
    try {
      const e = JSON.parse(decodeBytes(this.lines.bytes(i))) as AnyEvent;
      if (e !== null && typeof e === 'object') return e;
    } catch {
      // fall through
    }
    return this.get(i);
  }

  private lastSpawnIdx = -1;
  private lastSpawn: SpawnInfo | null = null;

  /** A spawn event's fields, from the spawn table (the same object for two calls in a row). */
  spawnAt(i: number): SpawnInfo | null {
    if (this.lastSpawnIdx === i) return this.lastSpawn;
    const task = this.str(this.task[i]);
    const r = this.a[i];
    this.lastSpawnIdx = i;
    this.lastSpawn = task !== null && HAS_SPAWN_ROW[this.code[i]] && r >= 0 ? this.spawns.info(r, task) : null;
    return this.lastSpawn;
  }

  /** The level of event i (shared/trace/wording.ts) as an index into LEVELS, decoding it only when no column says. */
  levelOf(i: number): number {
    const code = this.code[i];
    const fixed = FIXED_LEVEL[code];
    if (fixed >= 0) return fixed;
    if (COL_A.kind[code] === COL_LEVEL && this.a[i] >= 0) return this.a[i];
    const e = this.get(i);
    return levelIndex(e.ev, e as Fields);
  }

  /** The 1-based line of the recording event i came from, or null for pushed events. */
  lineOf(i: number): number | null {
    return this.fileBase >= 0 && i < this.length ? this.lines.num[i] : null;
  }

  /** Indices of the events of one task, below `limit`. */
  eventsOfTask(name: string, limit = this.length): number[] {
    const id = this.idOf(name);
    const out: number[] = [];
    if (id < 0) return out;
    const col = this.task;
    const n = Math.min(limit, this.length);
    for (let i = 0; i < n; i++) if (col[i] === id) out.push(i);
    return out;
  }
}
