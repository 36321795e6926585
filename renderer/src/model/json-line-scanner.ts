/**
 * The byte-level JSON tokenizer of a recording's lines: one pass over a line (one flat
 * JSON object, nested values skipped) finds where the value of each key the store
 * reads starts and ends, without allocating. The store then reads those values as
 * numbers, interned strings or one of a few words.
 *
 * Why: a 1M-event recording is about 100 MB of JSON; JSON.parse of all of it takes
 * seconds and leaves a million objects to the garbage collector, far over the 2 s
 * budget for opening it (DESIGN.md section 6). The tokenizer is lenient (it does not
 * validate what it skips): `tokenize` says false for a line it cannot read, which the
 * store hands to JSON.parse, whose error names the line.
 *
 * Keys and event names are found with one table read and one comparison (a tiny
 * hash of a word by its length, first and last byte) instead of a search.
 */
import type { StringInterner } from './string-interner';
import { CODE_NAMES, COLUMN_FIELDS, SPAWN_FIELDS, codeOf } from './event-codes';

const utf8 = new TextDecoder('utf-8');

/** The keys of every line: their indexes are fixed. */
export const K_T = 0;
export const K_EV = 1;
export const K_TASK = 2;
export const K_LEVEL = 3;
export const K_MESSAGE = 4;
export const K_TEXT = 5;
export const K_OK = 6;
export const K_ACTION = 7;
const BASE_KEYS = ['t', 'ev', 'task', 'level', 'message', 'text', 'ok', 'action'];

/** Every key the tokenizer keeps: the base keys, a spawn's fields and the table's columns. */
const KEY_NAMES: readonly string[] = [...new Set([...BASE_KEYS, ...SPAWN_FIELDS, ...COLUMN_FIELDS])];
const N_KEYS = KEY_NAMES.length;

/** The index of a key the tokenizer keeps (-1 for none). */
export function keyOf(name: string | null): number {
  return name === null ? -1 : KEY_NAMES.indexOf(name);
}

function wordSlot(len: number, first: number, last: number): number {
  return ((len * 31 + first) * 31 + last) & 1023;
}
interface WordTable {
  bytes: Array<Uint8Array | null>;
  value: Int32Array;
}
function wordTable(words: Array<[string, number]>): WordTable {
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
const KEY_TABLE = wordTable(KEY_NAMES.map((k, i) => [k, i]));
const EV_TABLE = wordTable(CODE_NAMES.filter((n) => codeOf(n) !== undefined).map((n) => [n, codeOf(n)!]));

/** Looks b[from, to) up in a word table; -1 when it is not there. */
function lookupWord(table: WordTable, b: Uint8Array, from: number, to: number): number {
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
const TRUE = 116; // t
const FALSE = 102; // f

/** The value positions of the keys of the line last tokenized (-1: absent). */
export class LineTokens {
  readonly vs = new Int32Array(N_KEYS);
  readonly ve = new Int32Array(N_KEYS);
  /** 1 when the (string) value has escapes. */
  readonly esc = new Uint8Array(N_KEYS);

  /**
   * Tokenizes b[from, to); false when the line needs JSON.parse (not an object, a key
   * with escapes). One pass over the bytes, no allocation: written as one function
   * with plain loops because it runs a million times when a big recording opens.
   */
  tokenize(b: Uint8Array, from: number, to: number): boolean {
    if (b[from] !== LBRACE || b[to - 1] !== RBRACE) return false;
    const vs = this.vs;
    const ve = this.ve;
    const esc = this.esc;
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
      if (key >= 0) {
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
    return true;
  }

  /** The code of the line's `ev`: -1 for a name of a newer type, -2 when `ev` is not a plain string. */
  eventCode(b: Uint8Array): number {
    const e0 = this.vs[K_EV];
    if (e0 < 0 || b[e0] !== Q || this.esc[K_EV]) return -2;
    return lookupWord(EV_TABLE, b, e0 + 1, this.ve[K_EV] - 1);
  }

  has(key: number): boolean {
    return this.vs[key] >= 0;
  }

  /** The number value of a key, NaN if absent or not a number. */
  num(b: Uint8Array, key: number): number {
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

  /** true or false for a boolean value, undefined otherwise. */
  bool(b: Uint8Array, key: number): boolean | undefined {
    const v = this.vs[key];
    return v < 0 ? undefined : b[v] === TRUE ? true : b[v] === FALSE ? false : undefined;
  }

  /** The interned id of a string value, -1 for null or absent. */
  sid(b: Uint8Array, key: number, strings: StringInterner): number {
    const v = this.vs[key];
    if (v < 0 || b[v] !== Q) return -1;
    const end = this.ve[key] - 1;
    if (this.esc[key]) {
      try {
        return strings.intern(JSON.parse(utf8.decode(b.subarray(v, end + 1))) as string);
      } catch {
        return -1;
      }
    }
    return strings.internBytes(b, v + 1, end);
  }

  /** The index of a string value in a short list of words, -1 if absent or another word. */
  pick(b: Uint8Array, key: number, words: readonly string[]): number {
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

  /** A string value as a string (for rare values: it allocates); undefined if absent or not a string. */
  text(b: Uint8Array, key: number): string | undefined {
    const v = this.vs[key];
    if (v < 0 || b[v] !== Q) return undefined;
    const raw = b.subarray(v, this.ve[key]);
    if (!this.esc[key]) return utf8.decode(raw.subarray(1, raw.length - 1));
    try {
      return JSON.parse(utf8.decode(raw)) as string;
    } catch {
      return undefined;
    }
  }
}
