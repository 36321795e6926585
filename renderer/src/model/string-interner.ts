/**
 * The string interner of the EventStore: strings that repeat in a log (task names,
 * call labels, kinds, tenants) are kept once, and a column holds their id. The
 * recording's scan interns names straight from their bytes, making a string only the
 * first time it meets a name: an open-addressing hash table over the strings (ids + 1,
 * 0 empty; no Map beside it), and in front of it a lossy cache keyed by a cheap hash
 * of the bytes (see `recent`).
 *
 * Ids are dense and in first-seen order, so a scan worker's interner and the page's
 * agree when the page takes the worker's new strings in order (`appendUnindexed`).
 */
const utf8 = new TextDecoder('utf-8');

/** Slots of StringInterner.recent (a power of two). */
const RECENT_SLOTS = 4096;

export class StringInterner {
  readonly strings: string[] = [];
  /** strings[0 .. indexed) are in `table` (the rest arrived in bulk from a worker). */
  private indexed = 0;
  /** Open-addressing hash table over `strings` (ids + 1; 0 is empty). */
  private table = new Int32Array(1 << 12);

  /** Takes a worker's new strings in its order, keeping its ids (hashed when next looked up). */
  appendUnindexed(strings: readonly string[]): void {
    for (const s of strings) this.strings.push(s);
  }

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
  internBytes(b: Uint8Array, from: number, to: number): number {
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
}
