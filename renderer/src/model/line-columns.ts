/**
 * Reads a tokenized recording line's columns as the table of ./event-codes.ts says
 * (the byte-side twin of EventStore.appendObjects): its code, time, task, the `a` and
 * `b` columns, and for a spawn a row of the spawn table. Strings are interned from
 * their bytes. The results are left in fields, not returned as an object: this runs
 * once per line of a recording.
 */
import type { UploadQueueEvent } from '../../../shared/trace/events';
import type { LevelFields } from '../../../shared/trace/wording';
import { CODE_NAMES, COL_A, COL_B, COL_FLAG, COL_INT, COL_PICK, COL_STR, type CompiledColumn, EV, HAS_SPAWN_ROW, LEVELS, levelIndex, SPAWN_FIELDS } from './event-codes';
import { K_ACTION, K_EV, K_LEVEL, K_MESSAGE, K_OK, K_T, K_TASK, K_TEXT, keyOf, LineTokens } from './json-line-scanner';
import type { SpawnTable } from './spawn-table';
import type { StringInterner } from './string-interner';

// The tokenizer's key of each code's `a` and `b` field, and of a spawn's fields.
const keysOf = (col: CompiledColumn): Int8Array => Int8Array.from(col.field, keyOf);
const A_KEY = keysOf(COL_A);
const B_KEY = keysOf(COL_B);
/**
 * The words an `action` is remembered by in the level memo (an upload_queue line's
 * level depends on it; a sixth of a pageserver recording's lines are upload_queue).
 * A line with an action not listed here is still read right, just not remembered.
 */
const ACTIONS = ['scheduled', 'launched', 'completed', 'dropped', 'stopped', 'barrier_reached'] as const satisfies ReadonlyArray<UploadQueueEvent['action']>;
/** Memo slots of one code: level (absent or one of LEVELS) x ok (absent, true, false) x action (absent or one of ACTIONS). */
const LEVEL_SLOTS = (LEVELS.length + 1) * 3 * (ACTIONS.length + 1);
const [KS_ID, KS_KIND, KS_RUNTIME, KS_TENANT, KS_TIMELINE, KS_PARENT, KS_NAME, KS_SPOE] = SPAWN_FIELDS.map(keyOf);

export class LineColumns {
  code = 0;
  t = 0;
  task = -1;
  a = -1;
  b = -1;
  private readonly tokens = new LineTokens();
  private readonly levelFields: LevelFields = {};
  private readonly levelMemo = new Int8Array(CODE_NAMES.length * LEVEL_SLOTS).fill(-1);

  constructor(
    private readonly interner: StringInterner,
    private readonly spawns: SpawnTable,
  ) {}

  /** Tokenizes one line and reads its columns; false when it needs JSON.parse. A spawn's row is added to the spawn table. */
  read(b: Uint8Array, from: number, to: number): boolean {
    const tk = this.tokens;
    if (!tk.tokenize(b, from, to)) return false;
    let code = tk.eventCode(b);
    if (code === -2) return false;
    if (code === -1) code = tk.has(K_MESSAGE) || tk.has(K_TEXT) ? EV.unknown_text : EV.unknown;
    this.code = code;
    if (HAS_SPAWN_ROW[code]) {
      const n = tk.num(b, KS_ID);
      const s = this.interner;
      this.a = this.spawns.add(Number.isFinite(n) ? n : 0, tk.sid(b, KS_KIND, s), tk.sid(b, KS_RUNTIME, s), tk.sid(b, KS_TENANT, s), tk.sid(b, KS_TIMELINE, s), tk.sid(b, KS_PARENT, s), tk.sid(b, KS_NAME, s), tk.bool(b, KS_SPOE) === true);
    } else this.a = this.field(COL_A, A_KEY, code, b);
    this.b = this.field(COL_B, B_KEY, code, b);
    this.t = tk.num(b, K_T);
    this.task = tk.sid(b, K_TASK, this.interner);
    return true;
  }

  /** Column `col` of the line just tokenized, as the table says. */
  private field(col: CompiledColumn, keys: Int8Array, code: number, b: Uint8Array): number {
    const kind = col.kind[code];
    if (kind === 0) return -1;
    const tk = this.tokens;
    const key = keys[code];
    switch (kind) {
      case COL_STR:
        return tk.sid(b, key, this.interner);
      case COL_INT: {
        const v = tk.num(b, key);
        return Number.isInteger(v) ? v : -1;
      }
      case COL_FLAG:
        return tk.bool(b, key) === true ? 1 : 0;
      case COL_PICK:
        return tk.pick(b, key, col.words[code]!);
      default:
        return this.level(code, b);
    }
  }

  /**
   * The level of the line just tokenized (shared/trace/wording.ts), remembered per
   * code, `level`, `ok` and `action`: log and upload_queue lines are a quarter of a
   * pageserver recording, and asking the wording for each (decoding every action)
   * cost the scan a fifth of its time.
   */
  private level(code: number, b: Uint8Array): number {
    const tk = this.tokens;
    const level = tk.pick(b, K_LEVEL, LEVELS);
    const ok = tk.bool(b, K_OK);
    const action = tk.pick(b, K_ACTION, ACTIONS);
    const slot = code * LEVEL_SLOTS + ((level + 1) * 3 + (ok === undefined ? 0 : ok ? 1 : 2)) * (ACTIONS.length + 1) + action + 1;
    const memo = code !== EV.unknown_text && (action >= 0 || !tk.has(K_ACTION));
    if (memo && this.levelMemo[slot] >= 0) return this.levelMemo[slot];
    const f = this.levelFields;
    f.level = level >= 0 ? LEVELS[level] : undefined;
    f.ok = ok;
    f.action = action >= 0 ? ACTIONS[action] : tk.text(b, K_ACTION);
    const l = levelIndex(code === EV.unknown_text ? (tk.text(b, K_EV) ?? '?') : CODE_NAMES[code], f);
    if (memo) this.levelMemo[slot] = l;
    return l;
  }
}
