/**
 * The words for an event: its level (as a tracing line of the seed would have) and
 * one sentence in two parts, `what` happened and the `text` of who and how. The CLI's
 * timeline (electron/cli/timeline.ts) and the app's Log view (renderer/src/stores/logs.ts)
 * both print these, so a user reads the same words in a terminal and in a window; the
 * renderer's event store files each event's level with `eventLevel` as it reads it.
 *
 * Events are untrusted here (a recording from disk, a type newer than this build):
 * every field is read defensively, and an unknown event is described by its name and
 * its `message` or `text`.
 */
import { type AnyEvent, type EventName, LOG_LEVELS, type LogLevel } from './events';

export interface EventWords {
  level: LogLevel;
  /** What happened, a few words: `spawn`, `exit panic`, `process crashed`; empty for a `log` line (its level says it). */
  what: string;
  /** Who and how. A `log` line's task is not in it: each reader shows the task its own way. */
  text: string;
}

type Fields = Record<string, unknown>;

/** The fields the level of an event depends on (the event store reads just these). */
export interface LevelFields {
  level?: unknown;
  ok?: unknown;
  action?: unknown;
  outcome?: unknown;
}

/**
 * The level of every event type the Lab writes: `satisfies` makes a new type in
 * ./events.ts fail the typecheck here until it has one. A function reads the few
 * fields the level depends on.
 */
const LEVEL = {
  scenario: 'info',
  spawn: 'info',
  start: 'debug',
  signal: 'info',
  observe: 'info',
  exit: (f) => (f.outcome === 'ok' ? 'info' : f.outcome === 'killed' ? 'warn' : 'error'),
  shutdown_begin: 'info',
  shutdown_end: 'info',
  shutdown_abandoned: 'warn',
  shutdown_wait: 'debug',
  associate: 'info',
  kind: 'info',
  check: 'info',
  inject: 'warn',
  snapshot: 'info',
  process_shutdown: 'info',
  process_exit: 'info',
  end: 'info',
  await: 'debug',
  log: (f) => levelField(f.level) ?? 'info',
  process_crash: 'error',
  pool_stats: 'debug',
  error: 'error',
  process_start: 'info',
  process_signal: 'info',
  tenant_state: 'info',
  timeline_state: 'info',
  flush_loop: 'debug',
  upload_queue: (f) => (f.action === 'stopped' || f.action === 'dropped' ? 'info' : 'debug'),
  http: 'info',
  storage: 'trace',
  lint: 'warn',
  narration: 'info',
  assertion: (f) => (f.ok === false ? 'error' : 'info'),
} as const satisfies Record<EventName, LogLevel | ((f: LevelFields) => LogLevel)>;

function levelField(v: unknown): LogLevel | null {
  return typeof v === 'string' && (LOG_LEVELS as readonly string[]).includes(v) ? (v as LogLevel) : null;
}

/** Is `ev` an event type the Lab writes? (How a recording of ours is told from other JSON lines.) */
export function isEventName(ev: string): ev is EventName {
  return Object.prototype.hasOwnProperty.call(LEVEL, ev);
}

/** The level of an event of type `ev`; a type newer than this build keeps its own `level`, or is info. */
export function eventLevel(ev: string, f: LevelFields): LogLevel {
  if (!isEventName(ev)) return levelField(f.level) ?? 'info';
  const l: LogLevel | ((f: LevelFields) => LogLevel) = LEVEL[ev];
  return typeof l === 'function' ? l(f) : l;
}

/** True when the level of `ev` depends on no field (the event store keeps no level for these). */
export function levelIsFixed(ev: EventName): boolean {
  return typeof LEVEL[ev] === 'string';
}

// ---- the sentences --------------------------------------------------------------------

const s = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '?' : String(v));
/** An Option of the seed: a value or `None`. */
const opt = (v: unknown): string => (typeof v === 'string' ? v : 'None');
const list = (v: unknown): string => `[${Array.isArray(v) ? v.map(s).join(', ') : ''}]`;
/** The seed's state name, with the later name beside `Paused` (PR #2959). */
const stateName = (v: unknown): string => (v === 'Paused' ? 'Paused (Stopping)' : s(v));
const change = (f: Fields): string => `${f.from === null || f.from === undefined ? '' : `${stateName(f.from)} -> `}${stateName(f.state)}`;

/** What happened and how, per event type (the level comes from LEVEL). */
const WORDS = {
  scenario: (f) => ['scenario', `${s(f.name)} (${typeof f.mode === 'string' ? f.mode : 'sim'}${typeof f.seed === 'number' ? `, seed ${f.seed}` : ''}${typeof f.policy === 'string' && f.policy ? `, ${f.policy}` : ''}, tick ${s(f.tick_ms)} ms)`],
  spawn: (f) => ['spawn', `${s(f.task)} #${s(f.id)} ${s(f.kind)} on ${s(f.runtime)} (tenant ${opt(f.tenant)}, timeline ${opt(f.timeline)})${typeof f.parent === 'string' ? ` by ${f.parent}` : ''}`],
  start: (f) => ['start', `${s(f.task)} on ${s(f.runtime)} worker ${s(f.worker)}${typeof f.pid === 'number' ? ` (pid ${f.pid})` : ''}`],
  signal: (f) => ['signal', `${s(f.task)} <- ${s(f.by)}`],
  observe: (f) => ['observe', `${s(f.task)} saw shutdown via ${s(f.via)}`],
  exit: (f) => [`exit ${s(f.outcome)}`, `${s(f.task)}${typeof f.message === 'string' && f.message ? `: ${f.message}` : ''}`],
  shutdown_begin: (f) => ['shutdown_tasks', `${s(f.label)} (kind ${opt(f.kind)}, tenant ${opt(f.tenant)}, timeline ${opt(f.timeline)})${typeof f.caller === 'string' ? ` from ${f.caller}` : ''}`],
  shutdown_end: (f) => ['shutdown done', `${s(f.label)} victims ${list(f.victims)} waited ${list(f.waited)}`],
  shutdown_abandoned: (f) => ['shutdown dropped', `${s(f.label)} (its caller ${opt(f.caller)} ended)`],
  shutdown_wait: (f) => ['waiting for', `${s(f.label)} -> ${s(f.task)}${f.took_handle === true ? '' : ' (handle already taken: not waiting)'}`],
  associate: (f) => ['associate', `${s(f.task)} -> tenant ${opt(f.tenant)}, timeline ${opt(f.timeline)}`],
  kind: (f) => ['current kind', `${typeof f.task === 'string' ? f.task : '(outside any task)'}: ${opt(f.kind)}`],
  check: (f) => ['is_shutdown_requested', `${typeof f.task === 'string' ? f.task : '(outside any task)'}: ${s(f.value)}`],
  inject: (f) => [`inject ${s(f.fault)}`, `${s(f.task)}${f.applied === true ? '' : ' (not running: not applied)'}${typeof f.message === 'string' && f.message ? `: ${f.message}` : ''}`],
  snapshot: (f) => ['snapshot', `${s(f.label)}: ${list(f.tasks)}`],
  process_shutdown: (f) => ['process shutdown', `shutdown_pageserver(exit_code=${s(f.code)})${typeof f.cause === 'string' ? ` after ${f.cause} failed` : ''}`],
  process_exit: (f) => ['process exit', `code ${s(f.code)}`],
  // A worker process died: the whole simulated pageserver crashed (DESIGN.md section 1).
  process_crash: (f) => ['process crashed', `${s(f.runtime)} worker ${s(f.worker)} (pid ${s(f.pid)}) died: ${typeof f.signal === 'string' ? f.signal : `exit code ${s(f.exit_code)}`}`],
  end: (f) => ['end', `registry ${list(f.registry)} pending ${list(f.pending)}`],
  await: (f) => ['awaits', `${s(f.task)}: ${s(f.what)}`],
  log: (f) => ['', typeof f.message === 'string' ? f.message : ''],
  pool_stats: (f) => ['pool stats', `${Array.isArray(f.workers) ? f.workers.length : 0} workers`],
  error: (f) => ['Lab error', `${typeof f.source === 'string' ? `(${f.source}) ` : ''}${s(f.message)}`],
  process_start: (f) => ['process start', `pageserver process ${s(f.process)}${typeof f.label_suffix === 'string' && f.label_suffix.trim() ? ` (its labels end in "${f.label_suffix.trim()}")` : ''}`],
  process_signal: (f) => [
    s(f.signal),
    f.effect === 'graceful_shutdown' ? 'graceful shutdown (code 0) from the main thread' : f.effect === 'kill' ? `process killed${typeof f.cause === 'string' ? ` by ${f.cause}` : ''}` : 'immediate exit',
  ],
  tenant_state: (f) => ['tenant state', `${s(f.tenant)}: ${change(f)}`],
  timeline_state: (f) => ['timeline state', `${s(f.tenant)}/${s(f.timeline)}: ${change(f)}`],
  flush_loop: (f) => ['flush loop', `${s(f.tenant)}/${s(f.timeline)}: ${s(f.state)}`],
  upload_queue: (f) => ['upload queue', `${s(f.tenant)}/${s(f.timeline)}: ${s(f.action)} ${s(f.op)}${typeof f.task === 'string' ? ` (${f.task})` : ''}`],
  http: (f) => (f.phase === 'response' ? ['http response', `${s(f.request)}: ${typeof f.status === 'number' ? f.status : 'no status'} ${s(f.body)}`] : ['http request', s(f.request)]),
  storage: (f) => [s(f.where), `${s(f.op)} ${s(f.path)}`],
  lint: (f) => [`lint ${s(f.rule)}`, s(f.message)],
  narration: (f) => [`== ${s(f.title)} ==`, typeof f.text === 'string' ? f.text : ''],
  assertion: (f) => [f.ok === true ? 'expect ok' : 'expect FAILED', `${s(f.description)}${typeof f.detail === 'string' ? `: found ${f.detail}` : ''}`],
} as const satisfies Record<EventName, (f: Fields) => [string, string]>;

/** The level and the words of an event. */
export function describeEvent(e: AnyEvent): EventWords {
  const f = e as unknown as Fields;
  const ev = typeof f.ev === 'string' ? f.ev : '?';
  const level = eventLevel(ev, f);
  if (isEventName(ev)) {
    const [what, text] = WORDS[ev](f);
    return { level, what, text };
  }
  return { level, what: ev, text: typeof f.message === 'string' ? f.message : typeof f.text === 'string' ? f.text : '' };
}

