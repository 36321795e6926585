/**
 * Indexes over the event log that do not depend on the cursor: the log lines, the
 * pool statistics, who spawned whom, the tenants, timelines and kinds seen (for the
 * filters), and the timeline layout (a lane per runtime worker, a row per concurrent
 * task). Times and the events of one task are read from the EventStore's columns.
 *
 * Like the log itself they are append-only, so they grow with a live run and never
 * need rebuilding when the cursor moves; a view at cursor c reads the entries whose
 * event index is below c. Keeping them here and not in the reduced state keeps
 * keyframes small (DESIGN.md section 2).
 */
import { RUNTIME_NAMES } from '../../../shared/model/runtime';
import { IS_LOG_LINE } from './event-codes';
import { EV, type EventStore } from './event-store';

/** One timeline lane: the tasks a runtime worker ran, in start order, packed into rows. */
export interface Lane {
  key: string;
  runtime: string;
  /** Worker index; -1 for tasks that ended without ever starting. */
  worker: number;
  names: string[];
  startT: number[];
  startIdx: number[];
  row: number[];
  /** Per row: when the row is free again (Infinity while its last task runs). */
  freeAt: number[];
}

function runtimeOrder(runtime: string): number {
  const i = (RUNTIME_NAMES as readonly string[]).indexOf(runtime);
  return i < 0 ? RUNTIME_NAMES.length : i;
}

export class LogIndex {
  readonly logLines: number[] = [];
  readonly poolStats: number[] = [];
  /** `narration` events (scenario phases) and `lint` events (invariants of the pageserver model). */
  readonly narrations: number[] = [];
  readonly lints: number[] = [];
  readonly children = new Map<string, string[]>();
  readonly lanes: Lane[] = [];
  private readonly laneByKey = new Map<number, Lane>();
  // Per task, by the id of its interned name (dense small integers): no Map, no
  // object per task; a million events index in a fraction of the time.
  private laneOf: Array<Lane | undefined> = [];
  private slotOf = new Int32Array(1024).fill(-1);
  private runtimeOf = new Int32Array(1024).fill(-1);
  private spawnTOf = new Float64Array(1024);
  readonly tenants = new Set<string>();
  readonly timelines = new Set<string>();
  readonly kinds = new Set<string>();
  /** Bumped whenever the lane list or a lane's row count changes (the timeline re-measures). */
  laneRevision = 0;

  constructor(private readonly st: EventStore) {}

  private ensure(id: number): void {
    if (id < this.slotOf.length) return;
    let cap = this.slotOf.length;
    while (cap <= id) cap *= 2;
    const slot = new Int32Array(cap).fill(-1);
    slot.set(this.slotOf);
    this.slotOf = slot;
    const rt = new Int32Array(cap).fill(-1);
    rt.set(this.runtimeOf);
    this.runtimeOf = rt;
    const ts = new Float64Array(cap);
    ts.set(this.spawnTOf);
    this.spawnTOf = ts;
  }

  /** Indexes event `i` of the store (called once per event, in order). */
  add(i: number): void {
    const st = this.st;
    const code = st.code[i];
    if (IS_LOG_LINE[code]) this.logLines.push(i);
    switch (code) {
      case EV.narration:
        this.narrations.push(i);
        break;
      case EV.lint:
        this.lints.push(i);
        break;
      case EV.pool_stats:
        this.poolStats.push(i);
        break;
      case EV.spawn: {
        const id = st.task[i];
        const row = st.a[i];
        if (id < 0 || row < 0) break;
        const sp = st.spawns;
        this.ensure(id);
        this.runtimeOf[id] = sp.runtime[row];
        this.spawnTOf[id] = st.t[i];
        const parent = st.str(sp.parent[row]);
        if (parent !== null) {
          const kids = this.children.get(parent);
          if (kids) kids.push(st.strings[id]);
          else this.children.set(parent, [st.strings[id]]);
        }
        const tenant = st.str(sp.tenant[row]);
        if (tenant !== null) this.tenants.add(tenant);
        const timeline = st.str(sp.timeline[row]);
        if (timeline !== null) this.timelines.add(timeline);
        this.kinds.add(st.str(sp.kind[row]) ?? '?');
        break;
      }
      case EV.associate: {
        const tenant = st.str(st.a[i]);
        if (tenant !== null) this.tenants.add(tenant);
        const timeline = st.str(st.b[i]);
        if (timeline !== null) this.timelines.add(timeline);
        break;
      }
      case EV.start: {
        const id = st.task[i];
        if (id < 0) break;
        this.ensure(id);
        if (this.slotOf[id] >= 0) break;
        this.place(id, this.runtimeOf[id], Math.max(0, st.a[i]), st.t[i], i);
        break;
      }
      case EV.exit: {
        const id = st.task[i];
        if (id < 0) break;
        this.ensure(id);
        if (this.slotOf[id] < 0) {
          // Ended without starting (killed while registered): show it in the runtime's
          // "not started" lane, from its spawn to its exit.
          if (this.runtimeOf[id] < 0) break;
          this.place(id, this.runtimeOf[id], -1, this.spawnTOf[id], i);
        }
        const lane = this.laneOf[id]!;
        lane.freeAt[lane.row[this.slotOf[id]]] = st.t[i];
        break;
      }
      default:
        break;
    }
  }

  private place(id: number, runtimeId: number, worker: number, t: number, idx: number): void {
    const key = (runtimeId + 1) * 65536 + worker + 1;
    let lane = this.laneByKey.get(key);
    if (!lane) {
      const runtime = this.st.str(runtimeId) ?? '?';
      lane = { key: `${runtime}:${worker}`, runtime, worker, names: [], startT: [], startIdx: [], row: [], freeAt: [] };
      this.laneByKey.set(key, lane);
      this.lanes.push(lane);
      this.lanes.sort((a, b) => runtimeOrder(a.runtime) - runtimeOrder(b.runtime) || a.runtime.localeCompare(b.runtime) || a.worker - b.worker);
      this.laneRevision++;
    }
    const free = lane.freeAt;
    let row = 0;
    while (row < free.length && free[row] > t) row++;
    if (row === free.length) {
      free.push(Infinity);
      this.laneRevision++;
    } else {
      free[row] = Infinity;
    }
    const slot = lane.names.length;
    lane.names.push(this.st.strings[id]);
    lane.startT.push(t);
    lane.startIdx.push(idx);
    lane.row.push(row);
    this.laneOf[id] = lane;
    this.slotOf[id] = slot;
  }

  /** Where the timeline draws a task, if it has started (or ended without starting). */
  placement(task: string): { lane: Lane; slot: number } | undefined {
    const id = this.st.idOf(task);
    if (id < 0 || id >= this.slotOf.length || this.slotOf[id] < 0) return undefined;
    return { lane: this.laneOf[id]!, slot: this.slotOf[id] };
  }

  /** How many entries of a sorted index list are below `cursor`. */
  static countBelow(list: readonly number[], cursor: number): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid] < cursor) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
