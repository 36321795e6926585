/**
 * The Lab API (DESIGN.md section 4.4): what the renderer may ask of the Lab and the
 * event stream it receives. One TypeScript contract for every transport: `window.lab`
 * from the Electron preload, a WebSocket client in the browser mode, an in-memory
 * fake in component tests. The renderer is untrusted: the backend validates every
 * request with `validateLabRequest` before acting on it, and errors cross the
 * boundary as data (`{ ok: false, error }`), never as thrown exceptions.
 */
import { isTaskKind, type TaskKind } from '../model/task-kind';
import type { TraceEvent } from '../trace/events';
import { validateExploreOptions, type ExploreOptions, type ExploreProgress, type ScheduleComparison, type ScheduleRun } from './explore';
import { validateScheduleFile, type ScheduleFile } from './schedule';

export type RunMode = 'sim' | 'live';

/** A scenario the Lab can run: from the built-in library or a file the user opened. */
export type ScenarioSource = { library: string } | { text: string; filename: string };

export interface ScenarioInfo {
  name: string;
  title: string;
  description: string;
  /** Issue numbers of the incident it reproduces, if any. */
  issues: number[];
}

export interface ScenarioParseError {
  /** The JSON path of the offending value (`$.tasks.gc.body[0].op`). */
  path: string;
  reason: string;
  message: string;
}

/** What the Lab is doing now. */
export interface LabStatus {
  /** `idle` before the first run; `replay` when a recording is open. */
  mode: 'idle' | RunMode | 'replay';
  /** The scenario (or recording file) shown. */
  title: string | null;
  /** A run is going on (its process has not exited, its end_at not reached). */
  running: boolean;
  /** Events in the current log. */
  events: number;
  /** The path of the recording being written, if recording. */
  recording: string | null;
  seed: number | null;
  tickMs: number;
}

/** An operation on the running pageserver model (pageserver scenarios only), as a scenario step without its tick. */
export type PageserverAction =
  | { do: 'attach' | 'detach'; tenant: string }
  | { do: 'create_timeline' | 'delete_timeline' | 'gc' | 'checkpoint' | 'compact'; tenant: string; timeline: string }
  | { do: 'signal'; signal: 'SIGINT' | 'SIGTERM' | 'SIGQUIT' }
  | { do: 'crash' }
  | { do: 'inject_into'; kind: TaskKind; tenant: string | null; timeline: string | null; fault: 'panic' | 'error'; message: string };

export type LabRequest =
  | { type: 'status' }
  | { type: 'listScenarios' }
  | { type: 'parseScenario'; text: string; filename: string }
  | { type: 'run'; scenario: ScenarioSource; mode: RunMode; seed?: number; policy?: 'fifo' | 'random'; tickMs?: number }
  | { type: 'stop' }
  | { type: 'restart' }
  | { type: 'inject'; task: string; fault: 'panic' | 'error'; message: string }
  | { type: 'shutdownTasks'; label: string; kind: TaskKind | null; tenant: string | null; timeline: string | null }
  | { type: 'shutdownPageserver'; exitCode: number }
  | { type: 'pageserver'; action: PageserverAction }
  /** Events from index `from` on (to catch up after a reconnect). */
  | { type: 'events'; from: number }
  /** The current log as a JSONL recording (the renderer saves or downloads it). */
  | { type: 'recording' }
  /** Opens a recording (JSONL text) for replay; a cut-off last line is dropped. */
  | { type: 'openRecording'; text: string; filename: string }
  | { type: 'exportPerfetto' }
  /** Starts exploring a scenario's schedules in the backend (docs/explorer.md); progress comes as `explore` pushes. */
  | { type: 'exploreStart'; scenario: ScenarioSource; options: ExploreOptions }
  /** Stops the exploration `id` (its last progress push says `cancelled`). */
  | { type: 'exploreCancel'; id: string }
  /** Replays a schedule and opens its trace in every view (as a recording), the failure marked. */
  | { type: 'exploreOpen'; scenario: ScenarioSource; schedule: ScheduleFile }
  /** Replays a failing schedule and the nearest passing one (one decision put back) and says where they part. */
  | { type: 'exploreCompare'; scenario: ScenarioSource; schedule: ScheduleFile };

export type LabRequestType = LabRequest['type'];

/** What each request answers on success. */
export interface LabResponses {
  status: LabStatus;
  listScenarios: ScenarioInfo[];
  parseScenario: { ok: true; name: string; description: string; tasks: number; steps: number } | { ok: false; error: ScenarioParseError };
  run: LabStatus;
  stop: LabStatus;
  restart: LabStatus;
  inject: { applied: boolean };
  shutdownTasks: { label: string };
  shutdownPageserver: { started: boolean };
  pageserver: { done: true };
  events: { from: number; events: TraceEvent[] };
  recording: { filename: string; text: string };
  openRecording: { events: number; truncated: boolean };
  exportPerfetto: { filename: string; json: string };
  exploreStart: { id: string };
  exploreCancel: { cancelled: boolean };
  exploreOpen: ScheduleRun;
  exploreCompare: ScheduleComparison;
}

export type LabResult<T extends LabRequestType> = { ok: true; value: LabResponses[T] } | { ok: false; error: string };

/** Pushed by the backend: new events (batched, at most 30 times a second) or a new status. */
export type LabPush =
  | { type: 'events'; from: number; events: TraceEvent[]; reset: boolean }
  | { type: 'status'; status: LabStatus }
  /** An exploration's progress: at least 4 times a second while it runs, once more when it ends. */
  | { type: 'explore'; progress: ExploreProgress };

/** The one interface the renderer talks to, whatever the transport. */
export interface LabApi {
  request<T extends LabRequestType>(req: Extract<LabRequest, { type: T }>): Promise<LabResult<T>>;
  /** Subscribes to pushes; returns the unsubscribe function. */
  subscribe(listener: (push: LabPush) => void): () => void;
}

// ---- validation at the trust boundary ------------------------------------------

const MAX_TEXT = 64 * 1024 * 1024;
const MAX_LABEL = 200;

function str(v: unknown, field: string, max = MAX_LABEL): string {
  if (typeof v !== 'string') throw new Error(`${field}: expected a string`);
  if (v.length > max) throw new Error(`${field}: longer than ${max} characters`);
  return v;
}
function optStr(v: unknown, field: string): string | null {
  return v === null || v === undefined ? null : str(v, field);
}
function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Error(`${field}: expected an integer from ${min} to ${max}`);
  return v;
}
function only(o: Record<string, unknown>, allowed: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new Error(`unknown field "${k}"`);
}

/** Checks an untrusted request; returns it typed, or throws an Error saying what is wrong. */
export function validateLabRequest(raw: unknown): LabRequest {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('request: expected an object');
  const r = raw as Record<string, unknown>;
  switch (r.type) {
    case 'status':
    case 'listScenarios':
    case 'stop':
    case 'restart':
    case 'recording':
    case 'exportPerfetto':
      only(r, ['type']);
      return { type: r.type };
    case 'parseScenario':
      only(r, ['type', 'text', 'filename']);
      return { type: 'parseScenario', text: str(r.text, 'text', MAX_TEXT), filename: str(r.filename, 'filename') };
    case 'run': {
      only(r, ['type', 'scenario', 'mode', 'seed', 'policy', 'tickMs']);
      const scenario = scenarioSource(r.scenario);
      if (r.mode !== 'sim' && r.mode !== 'live') throw new Error('mode: expected "sim" or "live"');
      const out: LabRequest = { type: 'run', scenario, mode: r.mode };
      if (r.seed !== undefined) out.seed = int(r.seed, 'seed', 0, 2 ** 32 - 1);
      if (r.policy !== undefined) {
        if (r.policy !== 'fifo' && r.policy !== 'random') throw new Error('policy: expected "fifo" or "random"');
        out.policy = r.policy;
      }
      if (r.tickMs !== undefined) out.tickMs = int(r.tickMs, 'tickMs', 1, 10_000);
      return out;
    }
    case 'inject':
      only(r, ['type', 'task', 'fault', 'message']);
      if (r.fault !== 'panic' && r.fault !== 'error') throw new Error('fault: expected "panic" or "error"');
      return { type: 'inject', task: str(r.task, 'task'), fault: r.fault, message: str(r.message, 'message', 1000) };
    case 'shutdownTasks': {
      only(r, ['type', 'label', 'kind', 'tenant', 'timeline']);
      const kind = r.kind === null || r.kind === undefined ? null : r.kind;
      if (kind !== null && !isTaskKind(kind)) throw new Error(`kind: unknown task kind ${JSON.stringify(kind)}`);
      return { type: 'shutdownTasks', label: str(r.label, 'label'), kind, tenant: optStr(r.tenant, 'tenant'), timeline: optStr(r.timeline, 'timeline') };
    }
    case 'shutdownPageserver':
      only(r, ['type', 'exitCode']);
      return { type: 'shutdownPageserver', exitCode: int(r.exitCode, 'exitCode', -2147483648, 2147483647) };
    case 'pageserver':
      only(r, ['type', 'action']);
      return { type: 'pageserver', action: validatePageserverAction(r.action) };
    case 'events':
      only(r, ['type', 'from']);
      return { type: 'events', from: int(r.from, 'from', 0, Number.MAX_SAFE_INTEGER) };
    case 'openRecording':
      only(r, ['type', 'text', 'filename']);
      return { type: 'openRecording', text: str(r.text, 'text', MAX_TEXT * 8), filename: str(r.filename, 'filename') };
    case 'exploreStart':
      only(r, ['type', 'scenario', 'options']);
      return { type: 'exploreStart', scenario: scenarioSource(r.scenario), options: validateExploreOptions(r.options) };
    case 'exploreCancel':
      only(r, ['type', 'id']);
      return { type: 'exploreCancel', id: str(r.id, 'id') };
    case 'exploreOpen':
    case 'exploreCompare':
      only(r, ['type', 'scenario', 'schedule']);
      return { type: r.type, scenario: scenarioSource(r.scenario), schedule: validateScheduleFile(r.schedule, 'schedule') };
    default:
      throw new Error(`type: unknown request ${JSON.stringify(r.type)}`);
  }
}

function scenarioSource(raw: unknown): ScenarioSource {
  const s = raw as Record<string, unknown> | null;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new Error('scenario: expected an object');
  if ('library' in s) {
    only(s, ['library']);
    return { library: str(s.library, 'scenario.library') };
  }
  only(s, ['text', 'filename']);
  return { text: str(s.text, 'scenario.text', MAX_TEXT), filename: str(s.filename, 'scenario.filename') };
}

function validatePageserverAction(raw: unknown): PageserverAction {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('action: expected an object');
  const a = raw as Record<string, unknown>;
  switch (a.do) {
    case 'attach':
    case 'detach':
      only(a, ['do', 'tenant']);
      return { do: a.do, tenant: str(a.tenant, 'action.tenant') };
    case 'create_timeline':
    case 'delete_timeline':
    case 'gc':
    case 'checkpoint':
    case 'compact':
      only(a, ['do', 'tenant', 'timeline']);
      return { do: a.do, tenant: str(a.tenant, 'action.tenant'), timeline: str(a.timeline, 'action.timeline') };
    case 'signal':
      only(a, ['do', 'signal']);
      if (a.signal !== 'SIGINT' && a.signal !== 'SIGTERM' && a.signal !== 'SIGQUIT') throw new Error('action.signal: expected SIGINT, SIGTERM or SIGQUIT');
      return { do: 'signal', signal: a.signal };
    case 'crash':
      only(a, ['do']);
      return { do: 'crash' };
    case 'inject_into': {
      only(a, ['do', 'kind', 'tenant', 'timeline', 'fault', 'message']);
      if (!isTaskKind(a.kind)) throw new Error(`action.kind: unknown task kind ${JSON.stringify(a.kind)}`);
      if (a.fault !== 'panic' && a.fault !== 'error') throw new Error('action.fault: expected "panic" or "error"');
      return {
        do: 'inject_into',
        kind: a.kind,
        tenant: optStr(a.tenant, 'action.tenant'),
        timeline: optStr(a.timeline, 'action.timeline'),
        fault: a.fault,
        message: str(a.message, 'action.message', 1000),
      };
    }
    default:
      throw new Error(`action.do: unknown pageserver action ${JSON.stringify(a.do)}`);
  }
}
