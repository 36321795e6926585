/**
 * The event log's storage: append-only columns (event type, time, task, two small
 * per-type fields, and a side table of spawns) plus the events themselves, kept as
 * objects when the Lab pushed them and as raw JSON lines (bytes) when they came from
 * a recording file, decoded only when a view needs one.
 *
 * Why bytes and columns: a 1M-event recording is about 100 MB of JSON. Reading it as
 * a string takes about a second, JSON.parse of all of it two more, and the million
 * objects keep the garbage collector busy afterwards: far over the 2 s budget for
 * opening it (DESIGN.md section 6). Instead the file is streamed as bytes, and one
 * pass of a small tokenizer per line picks out the fields the reducer needs (`t`,
 * `ev`, `task`, one or two more; all of a spawn) without allocating. The tokenizer is
 * lenient (it does not validate what it skips): a line it cannot read is handed to
 * JSON.parse, whose error names the line.
 *
 * Strings that repeat (task names, call labels, kinds, tenants) are interned in a
 * hash table keyed by their characters, so that the scan makes a string only the
 * first time it meets a name; a column holds its id.
 */
import { type AnyEvent, type EventName, LOG_LEVELS } from '../../../shared/trace/events';
import { eventLevel, type LevelFields } from '../../../shared/trace/wording';

/** Event type codes of the `code` column, in the order of shared/trace/events.ts. */
export const EV = {
  scenario: 0,
  spawn: 1,
  start: 2,
  signal: 3,
  observe: 4,
  exit: 5,
  shutdown_begin: 6,
  shutdown_end: 7,
  shutdown_abandoned: 8,
  shutdown_wait: 9,
  associate: 10,
  kind: 11,
  check: 12,
  inject: 13,
  snapshot: 14,
  process_shutdown: 15,
  process_exit: 16,
  end: 17,
  await: 18,
  log: 19,
  process_crash: 20,
  pool_stats: 21,
  error: 22,
  /** A newer event with a `message` or `text`, or one of LOG_LIKE: shown in the log. */
  unknown_text: 23,
  unknown: 24,
  /** The pageserver model's scenario phases (shown above the views) and invariant lints. */
  narration: 25,
  lint: 26,
} as const;

const CODE_OF = new Map<string, number>(Object.entries(EV).filter(([k]) => !k.startsWith('unknown')));

/**
 * Events of the pageserver model (electron/pageserver) that the reducer does not
 * read but the Log view shows as lines (see stores/logs.ts for their wording).
 * Anything else unknown is a log line when it has a `message` or `text`.
 */
export const LOG_LIKE: ReadonlySet<string> = new Set([
  'assertion',
  'tenant_state',
  'timeline_state',
  'flush_loop',
  'upload_queue',
  'http',
  'storage',
  'process_start',
  'process_signal',
]);

export const LEVELS = LOG_LEVELS;

/** An event's level as an index into LEVELS (see shared/trace/wording.ts). */
const levelIndex = (ev: string, f: LevelFields): number => LEVELS.indexOf(eventLevel(ev, f));
/** The level of each code whose level depends on no field (the rest are read from a column). */
const CODE_LEVEL = new Int8Array(32).fill(LEVELS.indexOf('info'));
for (const [name, code] of CODE_OF) CODE_LEVEL[code] = levelIndex(name as EventName, {});

/** Column `b` of an unknown_text event: 1 for `process_start` (a restarted pageserver; the reducer resets the process). */
export const PROCESS_START = 1;
const isProcessStart = (ev: string): number => (ev === 'process_start' ? PROCESS_START : -1);

export const OUTCOMES = ['ok', 'error', 'panic', 'killed'] as const;
export const VIAS = ['watcher', 'poll'] as const;
export const FAULTS = ['panic', 'error'] as const;

/** Where takeDelta puts a delta's columns: a buffer of at least `bytes` bytes (see BufferPool). */
export type ColumnAlloc = (bytes: number) => ArrayBuffer;

type Column = Uint8Array | Int32Array | Float64Array;

/** Column `src[a, z)` in a buffer from `alloc` (a fresh copy without one). */
function columnCopy<T extends Column>(src: T, a: number, z: number, alloc: ColumnAlloc | undefined): T {
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

/** What a spawn event says (strings interned). */
export interface SpawnInfo {
  task: string;
  id: number;
  kind: string;
  runtime: string;
  tenant: string | null;
  timeline: string | null;
  parent: string | null;
  name: string;
  shutdownProcessOnError: boolean;
}

type Fields = Record<string, unknown>;

export class LineError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

// Keys the tokenizer recognizes (by length and bytes); anything else is skipped.
const K_NONE = 0;
const K_T = 1;
const K_EV = 2;
const K_TASK = 3;
const K_BY = 4;
const K_WORKER = 5;
const K_PID = 6;
const K_VIA = 7;
const K_OUTCOME = 8;
const K_LABEL = 9;
const K_TOOK = 10;
const K_LEVEL = 11;
const K_MESSAGE = 12;
const K_TEXT = 13;
const K_ID = 14;
const K_KIND = 15;
const K_RUNTIME = 16;
const K_TENANT = 17;
const K_TIMELINE = 18;
const K_PARENT = 19;
const K_NAME = 20;
const K_SPOE = 21;
const K_FAULT = 22;
const K_APPLIED = 23;
const K_OK = 24;
const K_ACTION = 25;
const KEY_NAMES: Array<[string, number]> = [
  ['t', K_T],
  ['ev', K_EV],
  ['task', K_TASK],
  ['by', K_BY],
  ['worker', K_WORKER],
  ['pid', K_PID],
  ['via', K_VIA],
  ['outcome', K_OUTCOME],
  ['label', K_LABEL],
  ['took_handle', K_TOOK],
  ['level', K_LEVEL],
  ['message', K_MESSAGE],
  ['text', K_TEXT],
  ['id', K_ID],
  ['kind', K_KIND],
  ['runtime', K_RUNTIME],
  ['tenant', K_TENANT],
  ['timeline', K_TIMELINE],
  ['parent', K_PARENT],
  ['name', K_NAME],
  ['shutdown_process_on_error', K_SPOE],
  ['fault', K_FAULT],
  ['applied', K_APPLIED],
  ['ok', K_OK],
  ['action', K_ACTION],
];
const N_KEYS = 26;

/**
 * A tiny perfect-enough hash of a short ASCII word by its length, first and last
 * byte: the tokenizer finds a key or an event name with one table read and one
 * comparison instead of a search.
 */
function wordSlot(len: number, first: number, last: number): number {
  return ((len * 31 + first) * 31 + last) & 1023;
}
function wordTable(words: Array<[string, number]>): { bytes: Array<Uint8Array | null>; value: Int32Array } {
  const bytes: Array<Uint8Array | null> = new Array<Uint8Array | null>(1024).fill(null);
  const value = new Int32Array(1024).fill(-1);
  for (const [w, v] of words) {
    let slot = wordSlot(w.length, w.charCodeAt(0), w.charCodeAt(w.length - 1));
    while (bytes[slot] !== null) slot = (slot + 1) & 1023;
    bytes[slot] = new TextEncoder().encode(w);
    value[slot] = v;
  }
  return { bytes, value };
}
const KEY_TABLE = wordTable(KEY_NAMES);
const EV_TABLE = wordTable([...CODE_OF.entries()]);

/** Looks b[from, to) up in a word table; -1 when it is not there. */
function lookupWord(table: { bytes: Array<Uint8Array | null>; value: Int32Array }, b: Uint8Array, from: number, to: number): number {
  const len = to - from;
  if (len <= 0) return -1;
  let slot = wordSlot(len, b[from], b[to - 1]);
  for (;;) {
    const w = table.bytes[slot];
    if (w === null) return -1;
    if (w.length === len) {
      let j = 1;
      while (j < len && w[j] === b[from + j]) j++;
      if (j === len && w[0] === b[from]) return table.value[slot];
    }
    slot = (slot + 1) & 1023;
  }
}

const Q = 34; // "
const BS = 92; // \
const COMMA = 44;
const COLON = 58;
const LBRACE = 123;
const RBRACE = 125;
const LBRACK = 91;
const RBRACK = 93;

const utf8 = new TextDecoder('utf-8');

/** Slots of EventStore.recent (a power of two). */
const RECENT_SLOTS = 4096;

/**
 * Bytes to a string: short ASCII lines (most of a recording) without TextDecoder's
 * per-call cost. Spreading bytes into arguments costs per byte, about 20x what
 * TextDecoder does, so long lines (a shutdown_end naming 100 tasks) go to TextDecoder.
 */
function decodeBytes(b: Uint8Array): string {
  if (b.length > 256) return utf8.decode(b);
  for (let k = 0; k < b.length; k++) if (b[k] >= 0x80) return utf8.decode(b);
  return String.fromCharCode.apply(null, b as unknown as number[]);
}
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
  /** Per type: signal/shutdown_wait/abandoned: label id; start: worker; observe: via;
   *  exit: outcome; log: level; spawn: its row in the spawn table; associate: tenant
   *  id; inject: fault. -1 when absent. */
  a = new Int32Array(1024);
  /** start: pid; shutdown_wait: took_handle (0/1); associate: timeline id; inject:
   *  applied (0/1). -1 when absent. */
  b = new Int32Array(1024);

  // The spawn table: one row per spawn event (`a` of the spawn holds its row); string
  // fields are ids of interned strings, -1 for null. Read directly by the reducer.
  private spawns = 0;
  spId = new Float64Array(256);
  spKind = new Int32Array(256);
  spRuntime = new Int32Array(256);
  spTenant = new Int32Array(256);
  spTimeline = new Int32Array(256);
  spParent = new Int32Array(256);
  spName = new Int32Array(256);
  spSpoe = new Uint8Array(256);

  /** Pushed events, by index (a recording's events are decoded into `decoded`). */
  private objs: Array<AnyEvent | undefined> = [];
  private objCount = 0;
  private readonly decoded = new Map<number, AnyEvent>();
  // The recording: the chunks it was read in (kept as they came, not copied into one
  // buffer: touching 100 MB of fresh memory costs more than scanning it), and each
  // event's line as (chunk, start, end). A line split between two chunks is joined
  // into a chunk of its own.
  private chunks: Uint8Array[] = [];
  /** The unfinished line at the end of the last chunk. */
  private carry: Uint8Array | null = null;
  private lineNo = 0;
  private lineChunk = new Int32Array(0);
  private lineStart = new Int32Array(0);
  private lineEnd = new Int32Array(0);
  private lineNum = new Int32Array(0);
  /** Index of the first event that came from the recording (-1: none). */
  private fileBase = -1;
  /**
   * A worker's store hands its events off (see takeDelta): the columns then hold the
   * events from `shift` on (column index = event index - shift), and `shiftT` is the
   * time of the last event handed off. Always 0 in the page's store.
   */
  private handOff = false;
  private shift = 0;
  private shiftT = 0;

  readonly strings: string[] = [];
  /** strings[0 .. indexed) are in `table` (the rest arrived in bulk from a worker, see absorb). */
  private indexed = 0;
  /** Open-addressing hash table over `strings` (ids + 1; 0 is empty). */
  private table = new Int32Array(1 << 12);

  // Scratch of the tokenizer: the value positions of the keys of the current line.
  private readonly vs = new Int32Array(N_KEYS);
  private readonly ve = new Int32Array(N_KEYS);
  private readonly vEsc = new Uint8Array(N_KEYS);

  // ---- interning ---------------------------------------------------------------

  intern(s: string): number {
    const slot = this.slotOf(s);
    const id1 = this.table[slot];
    return id1 !== 0 ? id1 - 1 : this.add(s, slot);
  }

  /** The table slot that holds `s`, or the empty slot where it would go. */
  private slotOf(s: string): number {
    if (this.indexed < this.strings.length) this.indexStrings();
    let h = 0x811c9dc5;
    for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
    const mask = this.table.length - 1;
    let slot = h & mask;
    for (;;) {
      const id1 = this.table[slot];
      if (id1 === 0 || this.strings[id1 - 1] === s) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** Puts strings taken in bulk (absorb) into the hash table. */
  private indexStrings(): void {
    this.indexed = this.strings.length;
    this.rehash();
  }

  /**
   * A lossy cache in front of `table`: the id last found for a cheap hash of a name
   * (its length, first byte and last three bytes), checked by comparing the bytes. A
   * recording names the same few thousand tasks over and over; the full hash of every
   * name was a third of interning.
   */
  private recent = new Int32Array(RECENT_SLOTS).fill(-1);

  /** Interns the ASCII bytes b[from, to) (no escapes) without making a string when known. */
  private internBytes(b: Uint8Array, from: number, to: number): number {
    const len = to - from;
    const r = len >= 3 ? (Math.imul(len ^ (b[to - 1] << 8) ^ (b[to - 2] << 16) ^ (b[to - 3] << 24) ^ b[from], 0x9e3779b1) >>> 20) & (RECENT_SLOTS - 1) : 0;
    const cached = this.recent[r];
    if (cached >= 0) {
      const cand = this.strings[cached];
      if (cand.length === len) {
        let k = 0;
        while (k < len && cand.charCodeAt(k) === b[from + k]) k++;
        if (k === len) return cached;
      }
    }
    const id = this.internBytesHashed(b, from, to);
    this.recent[r] = id;
    return id;
  }

  private internBytesHashed(b: Uint8Array, from: number, to: number): number {
    let h = 0x811c9dc5;
    let high = 0;
    for (let k = from; k < to; k++) {
      const c = b[k];
      high |= c;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (high >= 0x80) return this.intern(utf8.decode(b.subarray(from, to)));
    if (this.indexed < this.strings.length) this.indexStrings();
    const len = to - from;
    const mask = this.table.length - 1;
    let slot = h & mask;
    for (;;) {
      const id1 = this.table[slot];
      if (id1 === 0) break;
      const cand = this.strings[id1 - 1];
      if (cand.length === len) {
        let same = true;
        for (let k = 0; k < len; k++) {
          if (cand.charCodeAt(k) !== b[from + k]) {
            same = false;
            break;
          }
        }
        if (same) return id1 - 1;
      }
      slot = (slot + 1) & mask;
    }
    return this.add(String.fromCharCode.apply(null, b.subarray(from, to) as unknown as number[]), slot);
  }

  private add(s: string, slot: number): number {
    const id = this.strings.length;
    // No Map beside the table: a Map.set per new name cost a worker 8% of its scan.
    this.strings.push(s);
    this.indexed = this.strings.length;
    this.table[slot] = id + 1;
    if (this.strings.length * 2 > this.table.length) this.rehash();
    return id;
  }

  private rehash(): void {
    let cap = this.table.length * 2;
    while (cap < this.strings.length * 2) cap *= 2;
    const table = new Int32Array(cap);
    const mask = table.length - 1;
    for (let id = 0; id < this.strings.length; id++) {
      const s = this.strings[id];
      let h = 0x811c9dc5;
      for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
      let slot = h & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
  }

  /** The id of a string if it was ever interned, else -1. */
  idOf(s: string): number {
    const id1 = this.table[this.slotOf(s)];
    return id1 - 1;
  }

  str(id: number): string | null {
    return id >= 0 ? this.strings[id] : null;
  }

  // ---- appending -----------------------------------------------------------------

  private grow(need: number): void {
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

  private spawnRow(id: number, kind: number, runtime: number, tenant: number, timeline: number, parent: number, name: number, spoe: boolean): number {
    const r = this.spawns++;
    this.reserveSpawns(r + 1);
    this.spId[r] = id;
    this.spKind[r] = kind;
    this.spRuntime[r] = runtime;
    this.spTenant[r] = tenant;
    this.spTimeline[r] = timeline;
    this.spParent[r] = parent;
    this.spName[r] = name;
    this.spSpoe[r] = spoe ? 1 : 0;
    return r;
  }

  /** Appends pushed events (objects). Non-objects and events without `ev` are skipped. */
  appendObjects(events: readonly unknown[]): number {
    let n = 0;
    for (const raw of events) {
      if (raw === null || typeof raw !== 'object' || typeof (raw as Fields).ev !== 'string') continue;
      const e = raw as Fields;
      const ev = e.ev as string;
      const code = CODE_OF.get(ev) ?? (typeof e.message === 'string' || typeof e.text === 'string' || LOG_LIKE.has(ev) ? EV.unknown_text : EV.unknown);
      const sid = (v: unknown): number => (typeof v === 'string' ? this.intern(v) : -1);
      const task = sid(e.task);
      let a = -1;
      let b = -1;
      switch (code) {
        case EV.spawn:
          a = this.spawnRow(typeof e.id === 'number' ? e.id : 0, sid(e.kind), sid(e.runtime), sid(e.tenant), sid(e.timeline), sid(e.parent), sid(e.name), e.shutdown_process_on_error === true);
          break;
        case EV.start:
          a = typeof e.worker === 'number' && Number.isInteger(e.worker) ? e.worker : -1;
          b = typeof e.pid === 'number' && Number.isInteger(e.pid) ? e.pid : -1;
          break;
        case EV.signal:
          a = sid(e.by);
          break;
        case EV.observe:
          a = VIAS.indexOf(e.via as (typeof VIAS)[number]);
          break;
        case EV.exit:
          a = OUTCOMES.indexOf(e.outcome as (typeof OUTCOMES)[number]);
          break;
        case EV.shutdown_wait:
          a = sid(e.label);
          b = e.took_handle === true ? 1 : 0;
          break;
        case EV.shutdown_abandoned:
          a = sid(e.label);
          break;
        case EV.log:
          a = LEVELS.indexOf(e.level as (typeof LEVELS)[number]);
          break;
        case EV.associate:
          a = sid(e.tenant);
          b = sid(e.timeline);
          break;
        case EV.inject:
          a = FAULTS.indexOf(e.fault as (typeof FAULTS)[number]);
          b = e.applied === true ? 1 : 0;
          break;
        case EV.unknown_text:
          a = levelIndex(ev, e);
          b = isProcessStart(ev);
          break;
        default:
          break;
      }
      const i = this.push(code, typeof e.t === 'number' ? e.t : NaN, task, a, b);
      this.objs[i] = raw as AnyEvent;
      this.objCount++;
      n++;
    }
    return n;
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
   *
   * `handOff` (a scan worker's store): each takeDelta hands the events off, and the
   * columns are reused for the next ones. They then stay the size of one delta: fresh
   * memory costs a page fault per 4 KB on first touch, and touching a recording's
   * columns twice (written here, then copied into a delta) cost the worker ~0.15 s
   * per million events.
   */
  beginRecording(size: number, handOff = false): void {
    if (this.fileBase >= 0 || this.length > 0) throw new Error('a recording must be the first and only content of a store');
    this.fileBase = 0;
    this.handOff = handOff;
    const guess = handOff ? 8192 : Math.max(64, Math.ceil(size / 90));
    this.grow(guess);
    this.lineChunk = new Int32Array(guess);
    this.lineStart = new Int32Array(guess);
    this.lineEnd = new Int32Array(guess);
    this.lineNum = new Int32Array(guess);
  }

  /** Feeds the next chunk of the recording (kept, not copied); scans the lines it completes. */
  feed(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    let from = 0;
    if (this.carry !== null) {
      // Finish the line the previous chunk cut: it becomes a chunk of its own.
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        const joined = new Uint8Array(this.carry.length + chunk.length);
        joined.set(this.carry);
        joined.set(chunk, this.carry.length);
        this.carry = joined;
        return;
      }
      const line = new Uint8Array(this.carry.length + nl + 1);
      line.set(this.carry);
      line.set(chunk.subarray(0, nl + 1), this.carry.length);
      this.carry = null;
      this.chunks.push(line);
      this.scanLines(this.chunks.length - 1, 0, line.length, false);
      from = nl + 1;
    }
    const lastNl = chunk.lastIndexOf(10);
    this.chunks.push(chunk);
    const c = this.chunks.length - 1;
    if (lastNl >= from) this.scanLines(c, from, lastNl + 1, false);
    if (lastNl + 1 < chunk.length) this.carry = chunk.slice(Math.max(from, lastNl + 1));
  }

  /** The end of the recording: scans the last line (dropped if it was cut off). */
  finishRecording(): { truncated: boolean } {
    const rest = this.carry;
    this.carry = null;
    if (rest === null) return { truncated: false };
    this.chunks.push(rest);
    return { truncated: this.scanLines(this.chunks.length - 1, 0, rest.length, true) };
  }

  /** Scans the lines of chunk c in [from, to); true if a cut-off last line was dropped. */
  private scanLines(c: number, from: number, to: number, atEnd: boolean): boolean {
    const b = this.chunks[c];
    let p = from;
    while (p < to) {
      let e = b.indexOf(10, p);
      if (e < 0 || e >= to) e = to;
      this.lineNo++;
      let s = p;
      let end = e;
      while (s < end && b[s] <= 32) s++;
      while (end > s && b[end - 1] <= 32) end--; // also CR of CRLF
      if (s < end) {
        const last = atEnd && e >= to;
        if (last || !this.scanLine(b, s, end)) {
          const err = this.checkLine(b, s, end);
          if (err !== null) {
            if (last && err.startsWith('not valid JSON')) return true;
            throw new LineError(this.lineNo, err);
          }
          if (!last || !this.scanLine(b, s, end)) this.appendObjects([JSON.parse(utf8.decode(b.subarray(s, end)))]);
        }
        const i = this.length - 1 - this.shift;
        if (i >= this.lineStart.length) this.growLines(i + 1);
        this.lineChunk[i] = c;
        this.lineStart[i] = s;
        this.lineEnd[i] = end;
        this.lineNum[i] = this.lineNo;
      }
      p = e + 1;
    }
    return false;
  }

  private growLines(need: number): void {
    const cap = Math.max(need, this.lineStart.length * 2);
    for (const k of ['lineChunk', 'lineStart', 'lineEnd', 'lineNum'] as const) {
      const y = new Int32Array(cap);
      y.set(this[k]);
      this[k] = y;
    }
  }

  /** Why a line is not an event (null if it is one). */
  private checkLine(b: Uint8Array, s: number, end: number): string | null {
    let v: unknown;
    try {
      v = JSON.parse(utf8.decode(b.subarray(s, end)));
    } catch (err) {
      return `not valid JSON (${err instanceof Error ? err.message : String(err)})`;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
    if (typeof (v as Fields).ev !== 'string') return 'no "ev" string';
    return null;
  }

  /**
   * Tokenizes one line (one flat JSON object, nested values skipped) and appends its
   * columns; false when the line needs JSON.parse (not an object, a key with escapes,
   * no `ev` string). One pass over the bytes, no allocation: written as one function
   * with plain loops because it runs a million times when a big recording opens.
   */
  private scanLine(b: Uint8Array, from: number, to: number): boolean {
    if (b[from] !== LBRACE || b[to - 1] !== RBRACE) return false;
    const vs = this.vs;
    const ve = this.ve;
    const esc = this.vEsc;
    for (let k = 0; k < N_KEYS; k++) vs[k] = -1;
    const kb = KEY_TABLE.bytes;
    const kv = KEY_TABLE.value;
    let p = from + 1;
    for (;;) {
      let c = b[p];
      while (c === 32 || c === 9) c = b[++p];
      if (c === RBRACE) break;
      if (c !== Q) return false;
      // The key: find its closing quote, look it up by (length, first, last byte).
      const k0 = p + 1;
      let k1 = k0;
      while (k1 < to && b[k1] !== Q) k1++;
      if (k1 >= to || b[k1 - 1] === BS) return false;
      const len = k1 - k0;
      let key = -1;
      if (len > 0) {
        let slot = wordSlot(len, b[k0], b[k1 - 1]);
        for (;;) {
          const w = kb[slot];
          if (w === null) break;
          if (w.length === len) {
            let j = 0;
            while (j < len && w[j] === b[k0 + j]) j++;
            if (j === len) {
              key = kv[slot];
              break;
            }
          }
          slot = (slot + 1) & 1023;
        }
      }
      p = k1 + 1;
      c = b[p];
      while (c === 32 || c === 9) c = b[++p];
      if (c !== COLON) return false;
      c = b[++p];
      while (c === 32 || c === 9) c = b[++p];
      // The value.
      const v0 = p;
      let escaped = 0;
      if (c === Q) {
        p++;
        for (;;) {
          if (p >= to) return false;
          const d = b[p];
          if (d === Q) break;
          if (d === BS) {
            escaped = 1;
            p += 2;
          } else p++;
        }
        p++;
      } else if (c === LBRACE || c === LBRACK) {
        let depth = 0;
        while (p < to) {
          const d = b[p];
          if (d === Q) {
            p++;
            while (p < to && b[p] !== Q) p += b[p] === BS ? 2 : 1;
          } else if (d === LBRACE || d === LBRACK) depth++;
          else if (d === RBRACE || d === RBRACK) {
            if (--depth === 0) {
              p++;
              break;
            }
          }
          p++;
        }
      } else {
        while (p < to) {
          const d = b[p];
          if (d === COMMA || d === RBRACE || d <= 32) break;
          p++;
        }
      }
      if (key > K_NONE) {
        vs[key] = v0;
        ve[key] = p;
        esc[key] = escaped;
      }
      c = b[p];
      while (c === 32 || c === 9) c = b[++p];
      if (c === COMMA) p++;
      else if (c === RBRACE) break;
      else return false;
    }
    // The event type.
    const e0 = vs[K_EV];
    if (e0 < 0 || b[e0] !== Q || esc[K_EV]) return false;
    let code = lookupWord(EV_TABLE, b, e0 + 1, ve[K_EV] - 1);
    let unknownLevel = -1;
    let processStart = -1;
    if (code < 0) {
      const name = utf8.decode(b.subarray(e0 + 1, ve[K_EV] - 1));
      code = vs[K_MESSAGE] >= 0 || vs[K_TEXT] >= 0 || LOG_LIKE.has(name) ? EV.unknown_text : EV.unknown;
      if (code === EV.unknown_text) {
        const lvl = this.pick(b, K_LEVEL, LEVELS);
        unknownLevel = levelIndex(name, {
          level: lvl >= 0 ? LEVELS[lvl] : undefined,
          ok: vs[K_OK] >= 0 ? b[vs[K_OK]] === 116 : undefined,
          action: vs[K_ACTION] >= 0 ? this.pickString(b, K_ACTION) : undefined,
        });
        processStart = isProcessStart(name);
      }
    }
    const t = this.num(b, K_T);
    const task = this.sid(b, K_TASK);
    let a = -1;
    let bb = -1;
    switch (code) {
      case EV.spawn: {
        const id = this.num(b, K_ID);
        a = this.spawnRow(
          Number.isFinite(id) ? id : 0,
          this.sid(b, K_KIND),
          this.sid(b, K_RUNTIME),
          this.sid(b, K_TENANT),
          this.sid(b, K_TIMELINE),
          this.sid(b, K_PARENT),
          this.sid(b, K_NAME),
          vs[K_SPOE] >= 0 && b[vs[K_SPOE]] === 116 /* t */,
        );
        break;
      }
      case EV.start: {
        const w = this.num(b, K_WORKER);
        a = Number.isInteger(w) ? w : -1;
        const pid = this.num(b, K_PID);
        bb = Number.isInteger(pid) ? pid : -1;
        break;
      }
      case EV.signal:
        a = this.sid(b, K_BY);
        break;
      case EV.observe:
        a = this.pick(b, K_VIA, VIAS);
        break;
      case EV.exit:
        a = this.pick(b, K_OUTCOME, OUTCOMES);
        break;
      case EV.shutdown_wait:
        a = this.sid(b, K_LABEL);
        bb = vs[K_TOOK] >= 0 && b[vs[K_TOOK]] === 116 ? 1 : 0;
        break;
      case EV.shutdown_abandoned:
        a = this.sid(b, K_LABEL);
        break;
      case EV.log:
        a = this.pick(b, K_LEVEL, LEVELS);
        break;
      case EV.associate:
        a = this.sid(b, K_TENANT);
        bb = this.sid(b, K_TIMELINE);
        break;
      case EV.inject:
        a = this.pick(b, K_FAULT, FAULTS);
        bb = vs[K_APPLIED] >= 0 && b[vs[K_APPLIED]] === 116 ? 1 : 0;
        break;
      case EV.unknown_text:
        a = unknownLevel;
        bb = processStart;
        break;
      default:
        break;
    }
    this.push(code, t, task, a, bb);
    return true;
  }

  /** The number value of a key, NaN if absent or not a number. */
  private num(b: Uint8Array, key: number): number {
    const v = this.vs[key];
    if (v < 0) return NaN;
    const end = this.ve[key];
    let n = 0;
    let p = v;
    while (p < end) {
      const d = b[p];
      if (d < 48 || d > 57) break;
      n = n * 10 + (d - 48);
      p++;
    }
    if (p === end && p > v) return n;
    // Decimals, signs, exponents: rare enough to go through Number().
    return Number(String.fromCharCode.apply(null, b.subarray(v, end) as unknown as number[]));
  }

  /** The interned id of a string value, -1 for null or absent. */
  private sid(b: Uint8Array, key: number): number {
    const v = this.vs[key];
    if (v < 0 || b[v] !== Q) return -1;
    const end = this.ve[key] - 1;
    if (this.vEsc[key]) {
      try {
        return this.intern(JSON.parse(utf8.decode(b.subarray(v, end + 1))) as string);
      } catch {
        return -1;
      }
    }
    return this.internBytes(b, v + 1, end);
  }

  /** The index of a string value in a short list of words, -1 if absent or another word. */
  private pick(b: Uint8Array, key: number, words: readonly string[]): number {
    const v = this.vs[key];
    if (v < 0 || b[v] !== Q) return -1;
    const len = this.ve[key] - v - 2;
    outer: for (let w = 0; w < words.length; w++) {
      const word = words[w];
      if (word.length !== len) continue;
      for (let j = 0; j < len; j++) if (word.charCodeAt(j) !== b[v + 1 + j]) continue outer;
      return w;
    }
    return -1;
  }

  /** A string value without escapes as a string (rare values only: it allocates). */
  private pickString(b: Uint8Array, key: number): string | undefined {
    const v = this.vs[key];
    if (v < 0 || b[v] !== Q || this.vEsc[key]) return undefined;
    return utf8.decode(b.subarray(v + 1, this.ve[key] - 1));
  }

  // ---- scanning in a worker ---------------------------------------------------------
  // A worker (./scan-worker.ts) runs feed() on its own store and sends what each chunk
  // added; the page's store absorbs it and reduces it meanwhile. The string ids agree
  // because the page's store takes the worker's new strings in the worker's order.

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
    const d: ScanDelta = {
      from,
      code: columnCopy(this.code, a, z, alloc),
      t: columnCopy(this.t, a, z, alloc),
      task: columnCopy(this.task, a, z, alloc),
      a: columnCopy(this.a, a, z, alloc),
      b: columnCopy(this.b, a, z, alloc),
      lineChunk: columnCopy(this.lineChunk, a, z, alloc),
      lineStart: columnCopy(this.lineStart, a, z, alloc),
      lineEnd: columnCopy(this.lineEnd, a, z, alloc),
      lineNum: columnCopy(this.lineNum, a, z, alloc),
      objs,
      strings: this.strings.slice(this.sent.strings),
      spawnFrom: this.sent.spawns,
      spId: columnCopy(this.spId, this.sent.spawns, this.spawns, alloc),
      spKind: columnCopy(this.spKind, this.sent.spawns, this.spawns, alloc),
      spRuntime: columnCopy(this.spRuntime, this.sent.spawns, this.spawns, alloc),
      spTenant: columnCopy(this.spTenant, this.sent.spawns, this.spawns, alloc),
      spTimeline: columnCopy(this.spTimeline, this.sent.spawns, this.spawns, alloc),
      spParent: columnCopy(this.spParent, this.sent.spawns, this.spawns, alloc),
      spName: columnCopy(this.spName, this.sent.spawns, this.spawns, alloc),
      spSpoe: columnCopy(this.spSpoe, this.sent.spawns, this.spawns, alloc),
      chunks: this.chunks.slice(this.sent.chunks),
    };
    this.sent = { events: to, strings: this.strings.length, spawns: this.spawns, chunks: this.chunks.length };
    // The chunks travel to the page (transferred): this store no longer reads them.
    if (this.handOff) {
      // Nor its events: the next ones reuse the columns from index 0.
      if (z > 0) this.shiftT = this.t[z - 1];
      this.shift = to;
    }
    return d;
  }

  /** Sizes the columns for about `events` events (absorb grows them otherwise). */
  reserve(events: number): void {
    this.grow(events);
    if (this.lineStart.length < events) this.growLines(events);
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
      for (const str of d.strings) this.strings.push(str);
    } else {
      if (base.ids.length < base.count + d.strings.length) {
        const grown = new Int32Array(Math.max(1024, (base.count + d.strings.length) * 2));
        grown.set(base.ids.subarray(0, base.count));
        base.ids = grown;
      }
      for (const str of d.strings) base.ids[base.count++] = this.intern(str);
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
    if (this.lineStart.length < at + n) this.growLines(at + n);
    this.lineChunk.set(d.lineChunk, at);
    this.lineStart.set(d.lineStart, at);
    this.lineEnd.set(d.lineEnd, at);
    this.lineNum.set(d.lineNum, at);
    if (map !== null && base !== null) {
      for (let k = at; k < at + n; k++) {
        if (this.task[k] >= 0) this.task[k] = map[this.task[k]];
        const c = this.code[k];
        if ((c === EV.signal || c === EV.shutdown_wait || c === EV.shutdown_abandoned || c === EV.associate) && this.a[k] >= 0) this.a[k] = map[this.a[k]];
        if (c === EV.associate && this.b[k] >= 0) this.b[k] = map[this.b[k]];
        else if (c === EV.spawn && this.a[k] >= 0) this.a[k] += base.spawns; // the part's rows follow the rows before it
        this.lineChunk[k] += base.chunks;
        this.lineNum[k] += base.lines;
      }
    }
    for (const c of d.chunks) this.chunks.push(c);
    for (const [i, e] of d.objs) this.objs[i - d.from + at] = e;
    const m = d.spKind.length;
    const ids = (col: Int32Array): Int32Array => (map === null ? col : col.map((x) => (x >= 0 ? map[x] : -1)));
    this.reserveSpawns(this.spawns + m);
    this.spId.set(d.spId, this.spawns);
    this.spKind.set(ids(d.spKind), this.spawns);
    this.spRuntime.set(ids(d.spRuntime), this.spawns);
    this.spTenant.set(ids(d.spTenant), this.spawns);
    this.spTimeline.set(ids(d.spTimeline), this.spawns);
    this.spParent.set(ids(d.spParent), this.spawns);
    this.spName.set(ids(d.spName), this.spawns);
    this.spSpoe.set(d.spSpoe, this.spawns);
    this.spawns += m;
    this.length = at + n;
  }

  private reserveSpawns(need: number): void {
    if (need <= this.spId.length) return;
    let cap = this.spId.length;
    while (cap < need) cap *= 2;
    const f64 = new Float64Array(cap);
    f64.set(this.spId);
    this.spId = f64;
    const u8 = new Uint8Array(cap);
    u8.set(this.spSpoe);
    this.spSpoe = u8;
    for (const k of ['spKind', 'spRuntime', 'spTenant', 'spTimeline', 'spParent', 'spName'] as const) {
      const y = new Int32Array(cap);
      y.set(this[k]);
      this[k] = y;
    }
  }

  /** Where a later part of the file starts, once the parts before it are absorbed. */
  baseForNextPart(): AbsorbBase {
    return { ids: new Int32Array(0), count: 0, spawns: this.spawns, chunks: this.chunks.length, lines: this.lineNo + this.absorbedLines };
  }

  /** Physical lines of the parts absorbed so far (set by the reader when a part ends). */
  absorbedLines = 0;

  /** Physical lines scanned by this store (a worker's part). */
  get physicalLines(): number {
    return this.lineNo;
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
      e = JSON.parse(decodeBytes(this.chunks[this.lineChunk[i]].subarray(this.lineStart[i], this.lineEnd[i]))) as AnyEvent;
      if (e === null || typeof e !== 'object') throw new Error('not an object');
    } catch {
      // The tokenizer took a line that is not valid JSON elsewhere: show it as an error.
      e = { t: this.t[i], ev: 'error', message: `line ${this.lineNum[i]} of the recording is not valid JSON`, source: 'recording' };
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
      const e = JSON.parse(decodeBytes(this.chunks[this.lineChunk[i]].subarray(this.lineStart[i], this.lineEnd[i]))) as AnyEvent;
      if (e !== null && typeof e === 'object') return e;
    } catch {
      // fall through
    }
    return this.get(i);
  }

  private lastSpawn: { i: number; info: SpawnInfo | null } = { i: -1, info: null };

  /** A spawn event's fields, from the spawn table (the same object for two calls in a row). */
  spawnAt(i: number): SpawnInfo | null {
    if (this.lastSpawn.i === i) return this.lastSpawn.info;
    const task = this.str(this.task[i]);
    const r = this.a[i];
    let info: SpawnInfo | null = null;
    if (task !== null && this.code[i] === EV.spawn && r >= 0) {
      info = {
        task,
        id: this.spId[r],
        kind: this.str(this.spKind[r]) ?? '?',
        runtime: this.str(this.spRuntime[r]) ?? '?',
        tenant: this.str(this.spTenant[r]),
        timeline: this.str(this.spTimeline[r]),
        parent: this.str(this.spParent[r]),
        name: this.str(this.spName[r]) ?? task,
        shutdownProcessOnError: this.spSpoe[r] === 1,
      };
    }
    this.lastSpawn = { i, info };
    return info;
  }

  /** The level of event i (shared/trace/wording.ts) as an index into LEVELS, without decoding it. */
  levelOf(i: number): number {
    const code = this.code[i];
    if (code === EV.log || code === EV.unknown_text) return this.a[i] >= 0 ? this.a[i] : CODE_LEVEL[EV.log];
    if (code === EV.exit) return levelIndex('exit', { outcome: OUTCOMES[this.a[i]] });
    return CODE_LEVEL[code];
  }

  /** The 1-based line of the recording event i came from, or null for pushed events. */
  lineOf(i: number): number | null {
    return this.fileBase >= 0 && i < this.length ? this.lineNum[i] : null;
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
