/**
 * The reduced state of a run at one point of its event log, and the reducer that
 * advances it by one event. Everything the views show at a cursor is derived from
 * this state (plus the append-only LogIndex), so "live" is just replay with the
 * cursor at the end (DESIGN.md section 2).
 *
 * Shape, chosen so that a keyframe (a snapshot of the state every N events) is cheap:
 * - `live` holds the records of tasks that have not exited; they are mutated in place
 *   by the reducer and copied when a keyframe is taken (O(live tasks), not O(all));
 * - `exited` is an append-only array shared by every state derived from one log: the
 *   k-th exit of the log always produces the same final record, so a state only
 *   remembers how many of them it has seen (`exitedCount`);
 * - shutdown calls are kept in begin order; finished calls are never mutated again and
 *   are shared between snapshots, unfinished ones are copied.
 *
 * The reducer reads events from the EventStore's columns (type, time, task, two small
 * fields) and decodes only the rare ones it needs whole. The renderer trusts nothing
 * it receives: a malformed event (a missing task name, a time that is not a number) is
 * skipped or read defensively, never thrown on, and events of types this build does
 * not know are ignored here (the LogIndex still keeps them for the inspector and the log).
 */
import type { RuntimeName } from '../../../shared/model/runtime';
import type { TaskOutcome } from '../../../shared/model/outcome';
import { EV, type EventStore, FAULTS, OUTCOMES, VIAS } from './event-store';

/** Everything the Lab knows about one task at a point of the log. */
export interface TaskRec {
  /** The task's name in the trace (the scenario template id); the key of every event. */
  name: string;
  id: number;
  kind: string;
  runtime: RuntimeName | string;
  tenant: string | null;
  timeline: string | null;
  parent: string | null;
  /** The name given to `spawn` (shown in log lines). */
  spawnName: string;
  shutdownProcessOnError: boolean;
  spawnT: number;
  spawnIdx: number;
  startT: number | null;
  worker: number | null;
  pid: number | null;
  /** First signal; later calls add their label to `signalledBy`. */
  signalT: number | null;
  signalledBy: string[];
  observeT: number | null;
  observedVia: string | null;
  exitT: number | null;
  exitIdx: number;
  outcome: TaskOutcome | null;
  /** The task's last `await` event (what it awaits now, its current op), -1 for none.
   *  The text is decoded from the log when shown. */
  awaitIdx: number;
  awaitT: number | null;
  /** Faults injected into it (applied or not), the last one kept (its message is in the event). */
  injections: number;
  lastInjection: { fault: string; applied: boolean; t: number; idx: number } | null;
}

/** One `shutdown_tasks` call (or a step of the pageserver shutdown) at a point of the log. */
export interface CallRec {
  /** Position in begin order (labels may repeat in long live runs). */
  seq: number;
  label: string;
  kind: string | null;
  tenant: string | null;
  timeline: string | null;
  caller: string | null;
  beginT: number;
  beginIdx: number;
  /** Signalled so far (phase 1), in signal order. */
  victims: string[];
  /** The victim the wait phase is at now, from the last `shutdown_wait`. */
  waitingOn: string | null;
  waitSince: number | null;
  tookHandle: boolean | null;
  /** Victims the call has reached in its wait phase, in order. */
  reached: string[];
  endT: number | null;
  endIdx: number;
  /** From shutdown_end: the victims it waited for. */
  waited: string[] | null;
  abandonedT: number | null;
}

export interface ProcessRec {
  shutdownT: number | null;
  shutdownCode: number | null;
  shutdownCause: string | null;
  exitT: number | null;
  exitCode: number | null;
  crash: { t: number; runtime: string; worker: number; pid: number | null; exitCode: number | null; signal: string | null } | null;
}

export interface ScenarioRec {
  name: string;
  tickMs: number;
  mode: string | null;
  seed: number | null;
  policy: string | null;
  workers: Partial<Record<string, number>> | null;
}

export interface LabState {
  /** Events applied: the state is the reduction of events[0 .. index). */
  index: number;
  /** Time (ticks) of the last applied event. */
  t: number;
  scenario: ScenarioRec | null;
  live: Map<string, TaskRec>;
  /** Shared, append-only: the final records of exited tasks in exit order. */
  exited: TaskRec[];
  exitedCount: number;
  /** Shared with `exited`: task name to its position there (the latest, if a name repeats). */
  exitOrd: Map<string, number>;
  /** In begin order; the array and unfinished calls belong to this state (copied by cloneState). */
  calls: CallRec[];
  /** Unfinished calls by label (the latest, when a label repeats). */
  openCalls: Map<string, CallRec>;
  process: ProcessRec;
  /** The `end` event, if the run reached end_at or was stopped from the Lab (`stopped`). */
  end: { t: number; registry: string[]; pending: string[]; stopped: boolean } | null;
  /** Lab errors (`error` events) seen so far. */
  errors: number;
  /** Tasks ever spawned. */
  spawned: number;
}

export function emptyState(): LabState {
  return {
    index: 0,
    t: 0,
    scenario: null,
    live: new Map(),
    exited: [],
    exitedCount: 0,
    exitOrd: new Map(),
    calls: [],
    openCalls: new Map(),
    process: { shutdownT: null, shutdownCode: null, shutdownCause: null, exitT: null, exitCode: null, crash: null },
    end: null,
    errors: 0,
    spawned: 0,
  };
}

/** A copy of a live task's record (field by field: much faster than a spread, and keyframes copy thousands). */
function copyRec(r: TaskRec): TaskRec {
  return {
    name: r.name,
    id: r.id,
    kind: r.kind,
    runtime: r.runtime,
    tenant: r.tenant,
    timeline: r.timeline,
    parent: r.parent,
    spawnName: r.spawnName,
    shutdownProcessOnError: r.shutdownProcessOnError,
    spawnT: r.spawnT,
    spawnIdx: r.spawnIdx,
    startT: r.startT,
    worker: r.worker,
    pid: r.pid,
    signalT: r.signalT,
    signalledBy: r.signalledBy.length === 0 ? [] : r.signalledBy.slice(),
    observeT: r.observeT,
    observedVia: r.observedVia,
    exitT: r.exitT,
    exitIdx: r.exitIdx,
    outcome: r.outcome,
    awaitIdx: r.awaitIdx,
    awaitT: r.awaitT,
    injections: r.injections,
    lastInjection: r.lastInjection,
  };
}

/**
 * A copy that the reducer may advance without touching `s`: live task records and
 * unfinished calls are copied, exited records and finished calls are shared.
 */
export function cloneState(s: LabState): LabState {
  const live = new Map<string, TaskRec>();
  // Arrays are copied too: the reducer appends to them in place.
  for (const [k, r] of s.live) live.set(k, copyRec(r));
  const openCalls = new Map<string, CallRec>();
  const calls = s.calls.map((c) => {
    if (c.endT !== null || c.abandonedT !== null) return c;
    const copy = { ...c, victims: c.victims.slice(), reached: c.reached.slice() };
    openCalls.set(copy.label, copy);
    return copy;
  });
  return {
    index: s.index,
    t: s.t,
    scenario: s.scenario,
    live,
    exited: s.exited,
    exitedCount: s.exitedCount,
    exitOrd: s.exitOrd,
    calls,
    openCalls,
    process: { ...s.process },
    end: s.end,
    errors: s.errors,
    spawned: s.spawned,
  };
}

// ---- defensive field readers (events are untrusted) --------------------------------

type Fields = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The latest unfinished call with this label (labels may repeat). */
function openCall(s: LabState, label: string | null): CallRec | undefined {
  return label === null ? undefined : s.openCalls.get(label);
}

function closeCall(s: LabState, call: CallRec): void {
  if (s.openCalls.get(call.label) === call) s.openCalls.delete(call.label);
}

function finishTask(s: LabState, rec: TaskRec): void {
  s.live.delete(rec.name);
  // The k-th exit of one log is always the same record: reuse it when another
  // reduction of the same log (a seek from a keyframe) already produced it.
  const k = s.exitedCount;
  if (k < s.exited.length && s.exited[k].name === rec.name && s.exited[k].exitIdx === rec.exitIdx) {
    s.exitedCount = k + 1;
    return;
  }
  if (k < s.exited.length) s.exited.length = k; // a different log: should not happen, stay correct
  s.exited.push(rec);
  s.exitOrd.set(rec.name, k);
  s.exitedCount = k + 1;
}

/**
 * Advances `s` by event `i` of the store. Frequent events (spawn, start, signal,
 * observe, exit, await, shutdown_wait) are read from the columns; the few rare ones
 * the state needs whole are decoded; the rest change nothing here.
 */
export function reduce(s: LabState, st: EventStore, i: number): void {
  const t = st.t[i];
  s.index = i + 1;
  if (t > s.t) s.t = t;
  const code = st.code[i];
  const taskId = st.task[i];
  // Most log lines name a task, and none changes it: no lookup for them.
  const rec = taskId >= 0 && code !== EV.log ? s.live.get(st.strings[taskId]) : undefined;
  switch (code) {
    case EV.start:
      if (!rec) break;
      rec.startT = t;
      rec.worker = st.a[i] >= 0 ? st.a[i] : null;
      rec.pid = st.b[i] >= 0 ? st.b[i] : null;
      break;
    case EV.signal: {
      if (!rec) break;
      const by = st.str(st.a[i]) ?? '?';
      if (rec.signalT === null) rec.signalT = t;
      rec.signalledBy.push(by);
      const call = openCall(s, by);
      if (call) call.victims.push(rec.name);
      break;
    }
    case EV.observe:
      if (!rec || rec.observeT !== null) break;
      rec.observeT = t;
      rec.observedVia = st.a[i] >= 0 ? VIAS[st.a[i]] : 'other';
      break;
    case EV.exit: {
      if (!rec) break;
      rec.exitT = t;
      rec.exitIdx = i;
      const outcome = st.a[i] >= 0 ? OUTCOMES[st.a[i]] : 'error';
      rec.outcome = outcome;
      rec.awaitIdx = -1;
      rec.awaitT = null;
      finishTask(s, rec);
      break;
    }
    case EV.await:
      if (!rec) break;
      rec.awaitIdx = i;
      rec.awaitT = t;
      break;
    case EV.shutdown_wait: {
      const call = openCall(s, st.str(st.a[i]));
      if (!call || taskId < 0) break;
      const name = st.strings[taskId];
      call.waitingOn = name;
      call.waitSince = t;
      call.tookHandle = st.b[i] === 1;
      call.reached.push(name);
      break;
    }
    case EV.shutdown_abandoned: {
      const call = openCall(s, st.str(st.a[i]));
      if (!call) break;
      call.abandonedT = t;
      call.waitingOn = null;
      call.waitSince = null;
      closeCall(s, call);
      break;
    }
    case EV.error:
      s.errors++;
      break;
    case EV.associate:
      if (!rec) break;
      rec.tenant = st.str(st.a[i]);
      rec.timeline = st.str(st.b[i]);
      break;
    case EV.inject:
      if (!rec) break;
      rec.injections++;
      rec.lastInjection = { fault: st.a[i] >= 0 ? FAULTS[st.a[i]] : '?', applied: st.b[i] === 1, t, idx: i };
      break;
    case EV.spawn: {
      const sp = st.spawnAt(i);
      if (sp === null) break;
      s.spawned++;
      s.live.set(sp.task, {
        name: sp.task,
        id: sp.id,
        kind: sp.kind,
        runtime: sp.runtime,
        tenant: sp.tenant,
        timeline: sp.timeline,
        parent: sp.parent,
        spawnName: sp.name,
        shutdownProcessOnError: sp.shutdownProcessOnError,
        spawnT: t,
        spawnIdx: i,
        startT: null,
        worker: null,
        pid: null,
        signalT: null,
        signalledBy: [],
        observeT: null,
        observedVia: null,
        exitT: null,
        exitIdx: -1,
        outcome: null,
        awaitIdx: -1,
        awaitT: null,
        injections: 0,
        lastInjection: null,
      });
      break;
    }
    case EV.process_start:
      // A restarted pageserver is a new process: what the title bar says of the old one no longer holds.
      s.process = { shutdownT: null, shutdownCode: null, shutdownCause: null, exitT: null, exitCode: null, crash: null };
      break;
    case EV.scenario:
    case EV.shutdown_begin:
    case EV.shutdown_end:
    case EV.process_shutdown:
    case EV.process_exit:
    case EV.process_crash:
    case EV.end:
      reduceDecoded(s, st.peek(i) as unknown as Fields, code, i, t);
      break;
    default:
      // Nothing in the reduced state (the indexes and the views read the rest).
      break;
  }
}

/** The rarer events, read from the decoded object. */
function reduceDecoded(s: LabState, f: Fields, code: number, idx: number, t: number): void {
  switch (code) {
    case EV.scenario:
      s.scenario = {
        name: str(f.name) ?? '',
        tickMs: num(f.tick_ms) ?? 10,
        mode: str(f.mode),
        seed: num(f.seed),
        policy: str(f.policy),
        workers: f.workers !== null && typeof f.workers === 'object' ? (f.workers as Partial<Record<string, number>>) : null,
      };
      break;
    case EV.shutdown_begin: {
      const call: CallRec = {
        seq: s.calls.length,
        label: str(f.label) ?? '?',
        kind: str(f.kind),
        tenant: str(f.tenant),
        timeline: str(f.timeline),
        caller: str(f.caller),
        beginT: t,
        beginIdx: idx,
        victims: [],
        waitingOn: null,
        waitSince: null,
        tookHandle: null,
        reached: [],
        endT: null,
        endIdx: -1,
        waited: null,
        abandonedT: null,
      };
      s.calls.push(call);
      s.openCalls.set(call.label, call);
      break;
    }
    case EV.shutdown_end: {
      const call = openCall(s, str(f.label));
      if (!call) break;
      call.endT = t;
      call.endIdx = idx;
      call.waited = strList(f.waited);
      call.waitingOn = null;
      call.waitSince = null;
      closeCall(s, call);
      break;
    }
    case EV.process_shutdown:
      if (s.process.shutdownT === null) {
        s.process.shutdownT = t;
        s.process.shutdownCode = num(f.code);
        s.process.shutdownCause = str(f.cause);
      }
      break;
    case EV.process_exit:
      s.process.exitT = t;
      s.process.exitCode = num(f.code);
      break;
    case EV.process_crash:
      s.process.crash = {
        t,
        runtime: str(f.runtime) ?? '?',
        worker: num(f.worker) ?? -1,
        pid: num(f.pid),
        exitCode: num(f.exit_code),
        signal: str(f.signal),
      };
      break;
    case EV.end:
      s.end = { t, registry: strList(f.registry), pending: strList(f.pending), stopped: f.stopped === true };
      break;
    default:
      break;
  }
}

/** The state after the first `upTo` events of a store (a full reduction, no keyframes). */
export function reduceAll(st: EventStore, upTo = st.length): LabState {
  const s = emptyState();
  for (let i = 0; i < upTo; i++) reduce(s, st, i);
  return s;
}

/** Looks a task up at this state: a live one, or one that has exited by now. */
export function findTask(s: LabState, name: string): TaskRec | undefined {
  const live = s.live.get(name);
  if (live) return live;
  const k = s.exitOrd.get(name);
  return k !== undefined && k < s.exitedCount ? s.exited[k] : undefined;
}
