/**
 * Perfetto export: turns a trace into Chrome trace-event JSON
 * (`{"traceEvents": [...], "displayTimeUnit": "ms"}`), which ui.perfetto.dev and
 * chrome://tracing open (DESIGN.md section 2: every view derives from the log).
 *
 * Layout:
 * - one process per runtime, one thread per runtime worker ("background op worker 0")
 *   holding a complete slice (`X`) per task lifetime, from `start` (or `spawn`) to
 *   `exit` (or the end of the trace), and instants for what happened to the task;
 * - a `coordinator` process: the `driver` thread (process shutdown, process exit,
 *   snapshots, what the driver observed) and `shutdown_tasks` threads with one slice
 *   per call, from `shutdown_begin` to `shutdown_end` (or the end of the trace);
 * - flows (`s` -> `f`, `bp: "e"`) from a parent to the child it spawned and from a
 *   shutdown call to each victim it signalled.
 *
 * Why "lanes": tasks on one worker are concurrent (interleaved on one event loop),
 * so their lifetimes overlap without nesting, and Perfetto drops a complete slice
 * that partly overlaps another on the same thread. A worker therefore gets as many
 * threads as it needs so that the slices on each are disjoint: the first keeps the
 * worker's name, the others add "(2)", "(3)", ... The same holds for shutdown calls.
 *
 * Flow binding: Perfetto binds `s`, and `f` with `bp: "e"`, to the topmost open slice
 * on the thread when it reads the event (instants count as slices). So each flow end
 * on a task thread comes right after an anchor at the same time: the child's slice,
 * the `spawn <child>` instant on the parent, the `signal` instant on the victim.
 * Shutdown threads carry no instants, so a call's flows bind to the call's slice.
 *
 * Timestamps are microseconds: ts = t * tick_ms * 1000, tick_ms from the `scenario`
 * event (1 when absent), rounded to whole microseconds: every ts and dur is then an
 * exact integer, so a slice end and an instant at the same tick land on the same value
 * in every reader (they compare times as integers).
 */
import { RUNTIME_NAMES, RUNTIME_THREAD_NAMES, isRuntimeName } from '../model/runtime';
import type { TraceEvent } from './events';

/** What the export reads: a typed event, or any object with `ev` (fields are looked up by name). */
export type PerfettoInput =
  | TraceEvent
  | { readonly ev: string; readonly t?: unknown; readonly [key: string]: unknown };

export type ChromePhase = 'X' | 'i' | 's' | 'f' | 'M';

/** One Chrome trace event (the subset this export writes). */
export interface ChromeTraceEvent {
  name: string;
  ph: ChromePhase;
  /** Microseconds. */
  ts: number;
  pid: number;
  tid: number;
  cat?: string;
  /** Microseconds; `X` only. */
  dur?: number;
  /** Instant scope: thread. */
  s?: 't';
  /** Flow id; `s` and `f` of one flow share it (and their name and cat). */
  id?: number;
  /** Flow end binds to the enclosing slice. */
  bp?: 'e';
  args?: Record<string, unknown>;
}

export interface PerfettoTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ms';
}

export interface PerfettoOptions {
  /** Milliseconds per tick; overrides the `scenario` event's tick_ms. */
  tickMs?: number;
}

/** Category of the task slices (one per task lifetime). */
export const TASK_CATEGORY = 'task';
/** Category of the shutdown call slices. */
export const SHUTDOWN_CATEGORY = 'shutdown';
/** Category of the flows. */
export const FLOW_CATEGORY = 'flow';

const COORDINATOR_PID = 1;
const DRIVER_TID = 1;

type Fields = Record<string, unknown>;

const field = (e: PerfettoInput, key: string): unknown => (e as unknown as Fields)[key];
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Where a slice sits: a thread of a process. */
interface Track {
  pid: number;
  tid: number;
}

/** One lifetime of a task (a name spawned again after its exit gets a new one). */
interface TaskLife {
  name: string;
  seq: number;
  spawnAt: number | null; // µs
  startAt: number | null; // µs
  exitAt: number | null; // µs
  runtime: string;
  worker: number;
  args: Fields;
  parent: TaskLife | null;
  /** The flow from the parent's spawn, finished on this task's slice. */
  spawnFlow: number | null;
  track: Track | null;
  begin: number; // µs, slice
  end: number; // µs, slice
  occupied: number; // µs, first moment the lane is reserved (spawn)
}

/** One shutdown_tasks call. */
interface Call {
  label: string;
  seq: number;
  beginAt: number;
  endAt: number | null;
  args: Fields;
  track: Track | null;
  begin: number;
  end: number;
}

/** A binary min-heap (the lane assignment needs O(n log n) on traces with many tasks). */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  peek(): T | undefined {
    return this.items[0];
  }
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Spreads intervals over lanes so that the intervals of a lane are disjoint (a lane
 * is free again strictly after its last interval ended), each going to the lowest
 * free lane, in order of start.
 */
function assignLanes<T extends { seq: number }>(items: readonly T[], from: (x: T) => number, to: (x: T) => number): Map<T, number> {
  const order = [...items].sort((a, b) => from(a) - from(b) || a.seq - b.seq);
  const busy = new MinHeap<{ end: number; lane: number }>((a, b) => a.end < b.end);
  const free = new MinHeap<number>((a, b) => a < b);
  let lanes = 0;
  const out = new Map<T, number>();
  for (const item of order) {
    const start = from(item);
    for (let top = busy.peek(); top !== undefined && top.end < start; top = busy.peek()) {
      busy.pop();
      free.push(top.lane);
    }
    const lane = free.size > 0 ? (free.pop() as number) : lanes++;
    busy.push({ end: to(item), lane });
    out.set(item, lane);
  }
  return out;
}

/** Thread name of a lane: the worker's name, then "(2)", "(3)", ... */
const laneName = (base: string, lane: number): string => (lane === 0 ? base : `${base} (${lane + 1})`);

/** The fields of an event other than `t`/`ev`/`line`, as instant args. */
function argsOf(e: PerfettoInput): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(e as unknown as Fields)) {
    if (k !== 't' && k !== 'ev' && k !== 'line' && v !== undefined) out[k] = v;
  }
  return out;
}

/** Converts a trace to Chrome trace-event JSON for Perfetto and chrome://tracing. */
export function toPerfetto(events: readonly PerfettoInput[], opts: PerfettoOptions = {}): PerfettoTrace {
  // Time: ticks -> whole microseconds; an event without a usable `t` keeps the previous one.
  const scenario = events.find((e) => e.ev === 'scenario');
  const scenarioTick = scenario ? finite(field(scenario, 'tick_ms')) : null;
  const positive = (v: number | null): number | null => (v !== null && v > 0 ? v : null);
  const tickMs = positive(finite(opts.tickMs)) ?? positive(scenarioTick) ?? 1;
  const at: number[] = [];
  let lastUs = 0;
  let endUs = 0;
  for (const e of events) {
    const t = finite(e.t);
    if (t !== null) lastUs = Math.round(t * tickMs * 1000);
    at.push(lastUs);
    endUs = Math.max(endUs, lastUs);
  }

  // Pass 1: task lifetimes and shutdown calls, and which of them each event is about.
  const lives: TaskLife[] = [];
  const current = new Map<string, TaskLife>();
  const calls: Call[] = [];
  const currentCall = new Map<string, Call>();
  const lifeOf: Array<TaskLife | null> = []; // per event: the task it is about, while alive
  const callOf: Array<Call | null> = []; // per event: the call it is about

  const newLife = (name: string, seq: number, runtime: string | null): TaskLife => {
    const life: TaskLife = {
      name,
      seq,
      spawnAt: null,
      startAt: null,
      exitAt: null,
      runtime: runtime ?? 'unknown',
      worker: 0,
      args: { task: name },
      parent: null,
      spawnFlow: null,
      track: null,
      begin: 0,
      end: 0,
      occupied: 0,
    };
    lives.push(life);
    current.set(name, life);
    return life;
  };
  const alive = (name: string | null, i: number): TaskLife | null => {
    const life = name === null ? undefined : current.get(name);
    if (!life) return null;
    return life.exitAt === null || life.exitAt >= at[i] ? life : null;
  };

  events.forEach((e, i) => {
    const name = str(field(e, 'task'));
    let life: TaskLife | null = null;
    let call: Call | null = null;
    switch (e.ev) {
      case 'spawn': {
        if (name === null) break;
        const parent = alive(str(field(e, 'parent')), i);
        life = newLife(name, i, str(field(e, 'runtime')));
        life.spawnAt = at[i];
        life.parent = parent;
        const spawnName = str(field(e, 'name'));
        Object.assign(life.args, {
          id: field(e, 'id') ?? null,
          kind: field(e, 'kind') ?? null,
          runtime: life.runtime,
          worker: 0,
          tenant: field(e, 'tenant') ?? null,
          timeline: field(e, 'timeline') ?? null,
          parent: field(e, 'parent') ?? null,
          outcome: 'running',
          message: null,
        });
        if (spawnName !== null && spawnName !== name) life.args.name = spawnName;
        break;
      }
      case 'start': {
        if (name === null) break;
        life = current.get(name) ?? null;
        if (!life || life.startAt !== null || life.exitAt !== null) life = newLife(name, i, null);
        life.startAt = at[i];
        const runtime = str(field(e, 'runtime'));
        const worker = finite(field(e, 'worker'));
        if (runtime !== null) life.runtime = runtime;
        if (worker !== null && worker >= 0) life.worker = Math.floor(worker);
        Object.assign(life.args, { runtime: life.runtime, worker: life.worker });
        break;
      }
      case 'exit': {
        life = alive(name, i);
        if (life && life.exitAt === null) {
          life.exitAt = at[i];
          life.args.outcome = field(e, 'outcome') ?? null;
          life.args.message = field(e, 'message') ?? null;
        }
        break;
      }
      case 'associate':
        life = alive(name, i);
        if (life) Object.assign(life.args, { tenant: field(e, 'tenant') ?? null, timeline: field(e, 'timeline') ?? null });
        break;
      case 'signal':
        life = alive(name, i);
        call = currentCall.get(str(field(e, 'by')) ?? '') ?? null;
        break;
      case 'shutdown_begin': {
        const label = str(field(e, 'label'));
        if (label === null) break;
        call = {
          label,
          seq: i,
          beginAt: at[i],
          endAt: null,
          args: {
            label,
            kind: field(e, 'kind') ?? null,
            tenant: field(e, 'tenant') ?? null,
            timeline: field(e, 'timeline') ?? null,
            caller: field(e, 'caller') ?? null,
            completed: false,
          },
          track: null,
          begin: at[i],
          end: at[i],
        };
        calls.push(call);
        currentCall.set(label, call);
        break;
      }
      case 'shutdown_end': {
        call = currentCall.get(str(field(e, 'label')) ?? '') ?? null;
        if (call && call.endAt === null) {
          call.endAt = at[i];
          Object.assign(call.args, { completed: true, victims: field(e, 'victims') ?? null, waited: field(e, 'waited') ?? null });
        }
        break;
      }
      case 'shutdown_abandoned':
        call = currentCall.get(str(field(e, 'label')) ?? '') ?? null;
        if (call) call.args.abandoned = true;
        break;
      default:
        life = alive(name, i);
        break;
    }
    lifeOf.push(life);
    callOf.push(call);
  });

  // Slices, then lanes.
  for (const life of lives) {
    life.begin = life.startAt ?? life.spawnAt ?? 0;
    life.end = Math.max(life.begin, life.exitAt ?? endUs);
    life.occupied = Math.min(life.begin, life.spawnAt ?? life.begin);
  }
  for (const call of calls) {
    call.begin = call.beginAt;
    call.end = Math.max(call.begin, call.endAt ?? endUs);
  }

  const meta: ChromeTraceEvent[] = [];
  const threadName = (pid: number, tid: number, name: string, sortIndex: number): void => {
    meta.push({ name: 'thread_name', ph: 'M', ts: 0, pid, tid, args: { name } });
    meta.push({ name: 'thread_sort_index', ph: 'M', ts: 0, pid, tid, args: { sort_index: sortIndex } });
  };
  const processName = (pid: number, tid: number, name: string): void => {
    meta.push({ name: 'process_name', ph: 'M', ts: 0, pid, tid, args: { name } });
    meta.push({ name: 'process_sort_index', ph: 'M', ts: 0, pid, tid, args: { sort_index: pid } });
  };
  let nextTid = DRIVER_TID;

  processName(COORDINATOR_PID, DRIVER_TID, 'coordinator');
  const driver: Track = { pid: COORDINATOR_PID, tid: nextTid++ };
  threadName(driver.pid, driver.tid, 'driver', 0);
  const callLanes = assignLanes(calls, (c) => c.begin, (c) => c.end);
  const callTracks: Track[] = [];
  for (const call of calls) {
    const lane = callLanes.get(call) ?? 0;
    while (callTracks.length <= lane) {
      const track = { pid: COORDINATOR_PID, tid: nextTid++ };
      threadName(track.pid, track.tid, laneName('shutdown_tasks', callTracks.length), callTracks.length + 1);
      callTracks.push(track);
    }
    call.track = callTracks[lane];
  }

  // Runtimes: the seed's four in their order, then any other name the trace uses.
  const runtimes = [...new Set(lives.map((l) => l.runtime))].sort((a, b) => {
    const ra = isRuntimeName(a) ? RUNTIME_NAMES.indexOf(a) : RUNTIME_NAMES.length;
    const rb = isRuntimeName(b) ? RUNTIME_NAMES.indexOf(b) : RUNTIME_NAMES.length;
    return ra - rb || (a < b ? -1 : a > b ? 1 : 0);
  });
  const byWorker = new Map<string, Map<number, TaskLife[]>>();
  for (const life of lives) {
    let workers = byWorker.get(life.runtime);
    if (!workers) byWorker.set(life.runtime, (workers = new Map()));
    let onWorker = workers.get(life.worker);
    if (!onWorker) workers.set(life.worker, (onWorker = []));
    onWorker.push(life);
  }
  runtimes.forEach((runtime, r) => {
    const pid = COORDINATOR_PID + 1 + r;
    // The process name rides on its first thread (tid 0 would add an empty thread).
    processName(pid, nextTid, `${runtime} runtime`);
    const base = isRuntimeName(runtime) ? RUNTIME_THREAD_NAMES[runtime] : `${runtime} worker`;
    const workers = byWorker.get(runtime) ?? new Map<number, TaskLife[]>();
    for (const worker of [...workers.keys()].sort((a, b) => a - b)) {
      const onWorker = workers.get(worker) ?? [];
      const lanes = assignLanes(onWorker, (l) => l.occupied, (l) => l.end);
      const tracks: Track[] = [];
      for (const life of onWorker) {
        const lane = lanes.get(life) ?? 0;
        while (tracks.length <= lane) {
          const track = { pid, tid: nextTid++ };
          threadName(pid, track.tid, laneName(`${base} ${worker}`, tracks.length), worker * 1000 + tracks.length);
          tracks.push(track);
        }
        life.track = tracks[lane];
      }
    }
  });

  // Pass 2: the events, in trace order; sorted by time at the end (stable).
  const timed: ChromeTraceEvent[] = [];
  let nextFlow = 1;
  const instant = (track: Track, time: number, name: string, cat: string, args: Fields): void => {
    timed.push({ name, ph: 'i', s: 't', ts: time, pid: track.pid, tid: track.tid, cat, args });
  };
  const flow = (ph: 's' | 'f', name: string, track: Track, time: number, id: number): void => {
    const e: ChromeTraceEvent = { name, ph, ts: time, pid: track.pid, tid: track.tid, cat: FLOW_CATEGORY, id };
    if (ph === 'f') e.bp = 'e';
    timed.push(e);
  };
  const taskSlice = (life: TaskLife): void => {
    if (!life.track) return;
    timed.push({
      name: life.name,
      ph: 'X',
      ts: life.begin,
      dur: life.end - life.begin,
      pid: life.track.pid,
      tid: life.track.tid,
      cat: TASK_CATEGORY,
      args: life.args,
    });
    if (life.spawnFlow !== null) flow('f', 'spawn', life.track, life.begin, life.spawnFlow);
  };
  const within = (time: number, from: number, to: number): boolean => time >= from && time <= to;
  /** The task's thread while the event is inside its lane time, else the driver's. */
  const trackFor = (life: TaskLife | null, time: number): Track =>
    life?.track && within(time, life.occupied, life.end) ? life.track : driver;

  events.forEach((e, i) => {
    const time = at[i];
    const life = lifeOf[i];
    const call = callOf[i];
    const args = argsOf(e);
    switch (e.ev) {
      case 'spawn': {
        if (!life) break;
        const parent = life.parent;
        if (parent?.track && within(time, parent.begin, parent.end) && life.begin >= time) {
          instant(parent.track, time, `spawn ${life.name}`, TASK_CATEGORY, { child: life.name });
          life.spawnFlow = nextFlow++;
          flow('s', 'spawn', parent.track, time, life.spawnFlow);
        }
        if (life.startAt === null) taskSlice(life);
        break;
      }
      case 'start':
        if (life) taskSlice(life);
        break;
      case 'exit': {
        const outcome = field(e, 'outcome');
        if (outcome === 'panic' || outcome === 'error' || outcome === 'killed') {
          instant(trackFor(life, time), time, String(outcome), TASK_CATEGORY, args);
        }
        break;
      }
      case 'signal': {
        const track = trackFor(life, time);
        const by = String(field(e, 'by'));
        const linked = life && track !== driver && call?.track && within(time, call.begin, call.end);
        const id = linked ? nextFlow++ : null;
        if (id !== null && call?.track) flow('s', 'signal', call.track, time, id);
        instant(track, time, `signal by ${by}`, TASK_CATEGORY, args);
        if (id !== null) flow('f', 'signal', track, time, id);
        break;
      }
      case 'observe':
        instant(trackFor(life, time), time, `observe (${String(field(e, 'via'))})`, TASK_CATEGORY, args);
        break;
      case 'check':
        instant(trackFor(life, time), time, `check ${String(field(e, 'value'))}`, TASK_CATEGORY, args);
        break;
      case 'kind':
        instant(trackFor(life, time), time, `kind ${String(field(e, 'kind'))}`, TASK_CATEGORY, args);
        break;
      case 'inject':
        instant(trackFor(life, time), time, `inject ${String(field(e, 'fault'))}`, TASK_CATEGORY, args);
        break;
      case 'shutdown_begin':
        if (call?.track) {
          timed.push({
            name: call.label,
            ph: 'X',
            ts: call.begin,
            dur: call.end - call.begin,
            pid: call.track.pid,
            tid: call.track.tid,
            cat: SHUTDOWN_CATEGORY,
            args: call.args,
          });
        }
        break;
      case 'shutdown_abandoned':
        instant(driver, time, `abandoned ${String(field(e, 'label'))}`, SHUTDOWN_CATEGORY, args);
        break;
      case 'process_shutdown':
        instant(driver, time, `process_shutdown ${String(field(e, 'code'))}`, SHUTDOWN_CATEGORY, args);
        break;
      case 'process_exit':
        instant(driver, time, `process_exit ${String(field(e, 'code'))}`, SHUTDOWN_CATEGORY, args);
        break;
      case 'process_crash':
        instant(driver, time, 'process_crash', SHUTDOWN_CATEGORY, args);
        break;
      case 'snapshot':
        instant(driver, time, `snapshot ${String(field(e, 'label'))}`, 'driver', args);
        break;
      default:
        break;
    }
  });

  const order = timed.map((e, seq) => ({ e, seq }));
  order.sort((a, b) => a.e.ts - b.e.ts || a.seq - b.seq);
  return { traceEvents: [...meta, ...order.map((o) => o.e)], displayTimeUnit: 'ms' };
}

/** Chrome trace JSON with one trace event per line: valid JSON that diffs and greps well. */
export function serializePerfetto(trace: PerfettoTrace): string {
  const lines = trace.traceEvents.map((e) => JSON.stringify(e));
  return `{"traceEvents":[\n${lines.join(',\n')}\n],"displayTimeUnit":${JSON.stringify(trace.displayTimeUnit)}}\n`;
}
