/**
 * Runtime validators of the coordinator<->worker messages of ./worker.ts. The
 * coordinator checks everything a worker sends before acting on it: a worker runs
 * arbitrary bodies and may be buggy, and a malformed message must become an `error`
 * event in the log, never an exception that takes the coordinator down. The worker
 * checks what it receives the same way and reports a `problem`.
 *
 * An envelope is validated message by message: one bad message is rejected with a
 * reason (and its `run`, when that much could be read) and the others still count.
 * Pure TypeScript, hand-written checks (they run for every message of a hot path).
 */
import { isRuntimeName } from '../model/runtime';
import { isTaskKind } from '../model/task-kind';
import { LOG_LEVELS, type LogLevel } from '../trace/events';
import {
  type CallDoneMessage,
  type ExitedMessage,
  type FromWorker,
  type ToWorker,
  WORKER_PROTOCOL,
  type WireBodyEvent,
  type WireBodySpec,
  type WireServiceResult,
  type WireSpawnSpec,
  type WireStartRequest,
} from './worker';

export interface Rejected {
  /** Why, with the message type when it could be read: `exited: outcome: expected ok, error or panic`. */
  reason: string;
  /** The message's run, when it had a valid one. */
  run: number | null;
}

export interface Parsed<M> {
  messages: M[];
  rejected: Rejected[];
  /** The envelope said that more of the sender's turn follows (Envelope.more). */
  more?: true;
}

type Obj = Record<string, unknown>;

class Bad extends Error {}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const LEVELS: readonly LogLevel[] = LOG_LEVELS;

function fail(field: string, expected: string): never {
  throw new Bad(`${field}: expected ${expected}`);
}
function int(o: Obj, f: string, min = 0): number {
  const v = o[f];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(f, min > 0 ? `an integer >= ${min}` : 'a non-negative integer');
  return v;
}
function num(o: Obj, f: string): number {
  const v = o[f];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(f, 'a non-negative number');
  return v;
}
/** An optional time (`at`, `t0`): absent, or a finite number. */
function withTime<M extends object>(m: M, o: Obj, f: 'at' | 't0'): M {
  const v = o[f];
  if (v === undefined) return m;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(f, 'a finite number');
  (m as Record<string, unknown>)[f] = v;
  return m;
}
function str(o: Obj, f: string): string {
  const v = o[f];
  if (typeof v !== 'string') fail(f, 'a string');
  return v;
}
function optStr(o: Obj, f: string): string | null {
  const v = o[f];
  if (v !== null && typeof v !== 'string') fail(f, 'a string or null');
  return v;
}
function bool(o: Obj, f: string): boolean {
  const v = o[f];
  if (typeof v !== 'boolean') fail(f, 'a boolean');
  return v;
}
function obj(o: Obj, f: string): Obj {
  const v = o[f];
  if (!isObj(v)) fail(f, 'an object');
  return v;
}

function bodySpec(o: Obj, f: string): WireBodySpec {
  const b = obj(o, f);
  if (b.type === 'template') return { type: 'template', template: str(b, 'template') };
  if (b.type === 'workload') return { type: 'workload', name: str(b, 'name'), args: b.args };
  return fail(`${f}.type`, 'template or workload');
}

function runtime(o: Obj, f: string) {
  const v = o[f];
  if (!isRuntimeName(v)) fail(f, 'a runtime name');
  return v;
}
function kind(o: Obj, f: string) {
  const v = o[f];
  if (!isTaskKind(v)) fail(f, 'a task kind');
  return v;
}
function optKind(o: Obj, f: string) {
  const v = o[f];
  if (v !== null && !isTaskKind(v)) fail(f, 'a task kind or null');
  return v;
}

function serviceResult(r: Obj): WireServiceResult {
  if (r.ok === true) return { ok: true, value: r.value };
  if (r.ok === false) return { ok: false, error: str(r, 'error') };
  return fail('result.ok', 'a boolean');
}

function startRequest(o: Obj): WireStartRequest {
  const req: WireStartRequest = { id: int(o, 'id', 1), label: str(o, 'label'), kind: kind(o, 'kind'), body: bodySpec(o, 'body') };
  if (o.name !== undefined) req.name = str(o, 'name');
  return req;
}

function spawnSpec(o: Obj): WireSpawnSpec {
  const spec: WireSpawnSpec = {
    runtime: runtime(o, 'runtime'),
    kind: kind(o, 'kind'),
    tenant: optStr(o, 'tenant'),
    timeline: optStr(o, 'timeline'),
    name: str(o, 'name'),
    shutdownProcessOnError: bool(o, 'shutdownProcessOnError'),
    body: bodySpec(o, 'body'),
  };
  if (o.label !== undefined) spec.label = str(o, 'label');
  return spec;
}

function bodyEvent(e: Obj): WireBodyEvent {
  switch (e.ev) {
    case 'observe':
      if (e.via !== 'watcher' && e.via !== 'poll') fail('event.via', 'watcher or poll');
      return { ev: 'observe', via: e.via };
    case 'check':
      return { ev: 'check', value: bool(e, 'value') };
    case 'kind':
      return { ev: 'kind', kind: optKind(e, 'kind') };
    case 'await':
      return { ev: 'await', what: str(e, 'what') };
    case 'log':
      if (!LEVELS.includes(e.level as LogLevel)) fail('event.level', 'a log level');
      return { ev: 'log', level: e.level as LogLevel, message: str(e, 'message') };
    default:
      return fail('event.ev', 'observe, check, kind, await or log');
  }
}

/** One message from a worker; throws `Bad` with the reason. */
function fromWorker(m: Obj): FromWorker {
  switch (m.t) {
    case 'hello':
      if (m.protocol !== WORKER_PROTOCOL) fail('protocol', WORKER_PROTOCOL);
      return { t: 'hello', protocol: WORKER_PROTOCOL, pid: int(m, 'pid', 1) };
    case 'started':
      return { t: 'started', run: int(m, 'run', 1), id: int(m, 'id', 1) };
    case 'exited': {
      const outcome = m.outcome;
      if (outcome !== 'ok' && outcome !== 'error' && outcome !== 'panic') fail('outcome', 'ok, error or panic');
      const exited: ExitedMessage = { t: 'exited', run: int(m, 'run', 1), id: int(m, 'id', 1), outcome };
      if (m.message !== undefined) exited.message = str(m, 'message');
      return exited;
    }
    case 'spawn':
      return { t: 'spawn', run: int(m, 'run', 1), parent: int(m, 'parent', 1), spec: spawnSpec(obj(m, 'spec')) };
    case 'associate':
      return { t: 'associate', run: int(m, 'run', 1), id: int(m, 'id', 1), tenant: optStr(m, 'tenant'), timeline: optStr(m, 'timeline') };
    case 'shutdown_tasks': {
      const f = obj(m, 'filter');
      return {
        t: 'shutdown_tasks',
        run: int(m, 'run', 1),
        id: int(m, 'id', 1),
        call: int(m, 'call', 1),
        label: str(m, 'label'),
        filter: { kind: optKind(f, 'kind'), tenant: optStr(f, 'tenant'), timeline: optStr(f, 'timeline') },
      };
    }
    case 'service':
      return { t: 'service', run: int(m, 'run', 1), id: int(m, 'id', 1), call: int(m, 'call', 1), service: str(m, 'service'), args: m.args };
    case 'event':
      return { t: 'event', run: int(m, 'run', 1), id: int(m, 'id', 1), event: bodyEvent(obj(m, 'event')) };
    case 'stats':
      return { t: 'stats', cpu_ms: num(m, 'cpu_ms'), loop_delay_ms: num(m, 'loop_delay_ms'), tasks: int(m, 'tasks') };
    case 'echo':
      return { t: 'echo', n: int(m, 'n'), data: str(m, 'data') };
    case 'problem':
      return { t: 'problem', run: m.run === null ? null : int(m, 'run', 1), message: str(m, 'message') };
    default:
      return fail('t', 'a worker message type');
  }
}

/** One message to a worker; throws `Bad` with the reason. */
function toWorker(m: Obj): ToWorker {
  switch (m.t) {
    case 'init':
      if (m.protocol !== WORKER_PROTOCOL) fail('protocol', WORKER_PROTOCOL);
      return {
        t: 'init',
        protocol: WORKER_PROTOCOL,
        runtime: runtime(m, 'runtime'),
        worker: int(m, 'worker'),
        stats_ms: num(m, 'stats_ms'),
        batching: bool(m, 'batching'),
        batch_cap: int(m, 'batch_cap', 1),
      };
    case 'config':
      return { t: 'config', batching: bool(m, 'batching'), batch_cap: int(m, 'batch_cap', 1) };
    case 'load': {
      const templates = obj(m, 'templates');
      for (const [id, tpl] of Object.entries(templates)) {
        if (!isObj(tpl) || !Array.isArray(tpl.body)) fail(`templates.${id}`, 'a task template with a body');
      }
      const tickMs = num(m, 'tick_ms');
      if (tickMs <= 0) fail('tick_ms', 'a positive number');
      const workloads = m.workloads_module === undefined ? null : optStr(m, 'workloads_module');
      return withTime({ t: 'load', run: int(m, 'run', 1), tick_ms: tickMs, templates: templates as Record<string, never>, workloads_module: workloads }, m, 't0');
    }
    case 'start':
      return withTime({ t: 'start', run: int(m, 'run', 1), task: startRequest(obj(m, 'task')) }, m, 'at');
    case 'signal':
      return withTime({ t: 'signal', run: int(m, 'run', 1), id: int(m, 'id', 1) }, m, 'at');
    case 'inject': {
      if (m.fault !== 'panic' && m.fault !== 'error') fail('fault', 'panic or error');
      return withTime({ t: 'inject', run: int(m, 'run', 1), id: int(m, 'id', 1), fault: m.fault, message: str(m, 'message') }, m, 'at');
    }
    case 'call_done': {
      const done: CallDoneMessage = { t: 'call_done', run: int(m, 'run', 1), id: int(m, 'id', 1), call: int(m, 'call', 1) };
      if (m.result !== undefined) done.result = serviceResult(obj(m, 'result'));
      return withTime(done, m, 'at');
    }
    case 'kill':
      return { t: 'kill', run: int(m, 'run', 1) };
    case 'echo':
      return { t: 'echo', n: int(m, 'n'), data: str(m, 'data') };
    case 'stop':
      return { t: 'stop' };
    default:
      return fail('t', 'a coordinator message type');
  }
}

function parseEnvelope<M>(raw: unknown, one: (m: Obj) => M): Parsed<M> {
  const messages: M[] = [];
  const rejected: Rejected[] = [];
  if (!isObj(raw) || !Array.isArray(raw.batch)) {
    rejected.push({ reason: 'not an envelope ({ batch: [...] })', run: null });
    return { messages, rejected };
  }
  for (const m of raw.batch) {
    if (!isObj(m)) {
      rejected.push({ reason: 'not an object', run: null });
      continue;
    }
    try {
      messages.push(one(m));
    } catch (err) {
      if (!(err instanceof Bad)) throw err;
      const type = typeof m.t === 'string' ? `${m.t.slice(0, 40)}: ` : '';
      const run = typeof m.run === 'number' && Number.isInteger(m.run) && m.run >= 1 ? m.run : null;
      rejected.push({ reason: type + err.message, run });
    }
  }
  return raw.more === true ? { messages, rejected, more: true } : { messages, rejected };
}

/** Validates an envelope received from a worker. */
export function parseFromWorker(raw: unknown): Parsed<FromWorker> {
  return parseEnvelope(raw, fromWorker);
}

/** Validates an envelope received from the coordinator. */
export function parseToWorker(raw: unknown): Parsed<ToWorker> {
  return parseEnvelope(raw, toWorker);
}
