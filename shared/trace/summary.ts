/**
 * Conformance summary of a trace: a TypeScript port of `untilExit`, `summarize`,
 * `check` and `diff` from conformance/compare.mjs (FORMAT.md, "Summary").
 *
 * Why a port: the Lab shows the summary and the checks in the UI and runs
 * `conform` without spawning node on the reference script, so it needs the same
 * reduction in pure TypeScript. The results must equal compare.mjs's, field order
 * included (diff lists fields in summary order); test/unit/trace-summary.test.ts
 * runs both on every example trace and on perturbed ones.
 *
 * Values are copied from the trace as they are, like compare.mjs does: the types
 * below describe a well-formed trace, a malformed one can put other JSON values in
 * the same places (the checks are what report such traces).
 *
 * One deliberate difference: compare.mjs keys plain objects by task names and
 * labels (`tasks[name] ??= ...`), so a name that is also an Object.prototype member
 * (`constructor`, `toString`, `__proto__`) makes it throw or write into the
 * prototype. The port reads and writes own properties only, so such names are
 * summarized like any other. For every other name the results are identical.
 */
import type { TraceEvent } from './events';

/**
 * A trace event as the summary reads it: a typed event, or any object with `ev`;
 * the reader adds `line` (1-based).
 */
export type SummaryInput =
  | TraceEvent
  | { readonly ev: string; readonly line?: number; readonly [key: string]: unknown };

export type SummaryOutcome = 'ok' | 'error' | 'panic' | 'running';

/** What happened to one task (FORMAT.md note 10). Field order is the order diff reports. */
export interface TaskSummary {
  id: number | null;
  parent: string | null;
  outcome: SummaryOutcome;
  message: string | null;
  /** Labels of the calls that signalled it, sorted. */
  signalled_by: string[];
  observed: boolean;
  tenant: string | null;
  timeline: string | null;
}

/** One `shutdown_tasks` call, by label; `victims`/`waited` are null until it ends. */
export interface ShutdownSummary {
  completed: boolean;
  victims: string[] | null;
  waited: string[] | null;
}

export interface SnapshotSummary {
  label: string;
  tasks: string[];
}

/** A `kind` or `check` observation, in trace order per task (or `(outside)`). */
export type Observation = ['kind', string | null] | ['check', boolean | null];

export interface InjectionSummary {
  task: string;
  fault: string;
  applied: boolean;
}

export interface ProcessShutdownSummary {
  code: number;
  cause: string | null;
}

export interface ProcessSummary {
  shutdowns: ProcessShutdownSummary[];
  exit_code: number | null;
}

export interface TraceSummary {
  tasks: Record<string, TaskSummary>;
  shutdowns: Record<string, ShutdownSummary>;
  snapshots: SnapshotSummary[];
  observations: Record<string, Observation[]>;
  injections: InjectionSummary[];
  process: ProcessSummary;
}

/** The observer key of the scenario driver (events with `task: null`). */
export const OUTSIDE = '(outside)';

type Fields = Record<string, unknown>;

/** Reads any field of an event by name (the input type promises only `ev`). */
function get(e: SummaryInput, key: string): unknown {
  return (e as unknown as Fields)[key];
}

/**
 * A value the trace is trusted to have in the documented type; like compare.mjs,
 * the summary copies it unchecked (see the module comment).
 */
function trusted<T>(value: unknown): T {
  return value as T;
}

/** `obj[key]` for own properties only (see the module comment). */
function own<T>(obj: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** `obj[key] = value` as an own data property, also for `__proto__`. */
function setOwn<T>(obj: Record<string, T>, key: string, value: T): T {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/** The property key JavaScript makes of a value used as `obj[value]`. */
function keyOf(value: unknown): string {
  return String(value);
}

/** `[...(xs ?? [])]`: null and undefined are empty, anything else must be iterable. */
function spread(xs: unknown): unknown[] {
  if (xs === null || xs === undefined) return [];
  const iterator = (xs as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof iterator !== 'function') throw new TypeError(`${typeof xs} is not iterable`);
  return [...(xs as Iterable<unknown>)];
}

const sorted = (xs: unknown): string[] => spread(xs).map(String).sort();
const orNull = <T>(x: T | undefined): T | null => (x === undefined ? null : x);

/**
 * node's `util.isDeepStrictEqual` for the values a summary holds (JSON values plus
 * `undefined`): primitives by `Object.is`, arrays and objects by own enumerable
 * keys, and the same prototype.
 */
export function deepStrictEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const oa = a as Fields;
  const ob = b as Fields;
  for (const k of ka) {
    if (!Object.hasOwn(ob, k)) return false;
    if (!deepStrictEqual(oa[k], ob[k])) return false;
  }
  return true;
}

/**
 * The part of a trace that counts: process exit ends the scenario, so anything a
 * runner writes after `process_exit` (e.g. tasks it reports as killed) is left out.
 */
export function untilExit<E extends SummaryInput>(events: readonly E[]): E[] {
  const i = events.findIndex((e) => e.ev === 'process_exit');
  return i < 0 ? [...events] : events.slice(0, i + 1);
}

/** Reduces a trace to what must be equal between two runners. */
export function summarize(trace: readonly SummaryInput[]): TraceSummary {
  const events = untilExit(trace);
  const tasks: Record<string, TaskSummary> = {};
  const shutdowns: Record<string, ShutdownSummary> = {};
  const snapshots: SnapshotSummary[] = [];
  const observations: Record<string, Observation[]> = {};
  const injections: InjectionSummary[] = [];
  const proc: ProcessSummary = { shutdowns: [], exit_code: null };

  const task = (name: unknown): TaskSummary =>
    own(tasks, keyOf(name)) ??
    setOwn(tasks, keyOf(name), {
      id: null,
      parent: null,
      outcome: 'running',
      message: null,
      signalled_by: [],
      observed: false,
      tenant: null,
      timeline: null,
    });
  const observe = (who: unknown, entry: Observation): void => {
    const key = keyOf(who ?? OUTSIDE);
    (own(observations, key) ?? setOwn(observations, key, [])).push(entry);
  };

  for (const e of events) {
    switch (e.ev) {
      case 'spawn': {
        const t = task(get(e, 'task'));
        t.id = trusted(orNull(get(e, 'id')));
        t.parent = trusted(orNull(get(e, 'parent')));
        t.tenant = trusted(orNull(get(e, 'tenant')));
        t.timeline = trusted(orNull(get(e, 'timeline')));
        break;
      }
      case 'exit':
        // `killed` (ended by process exit) means it never ended by itself.
        if (get(e, 'outcome') !== 'killed') {
          const t = task(get(e, 'task'));
          t.outcome = trusted(get(e, 'outcome'));
          t.message = trusted(orNull(get(e, 'message')));
        }
        break;
      case 'signal': {
        const t = task(get(e, 'task'));
        const by = get(e, 'by');
        if (!(t.signalled_by as unknown[]).includes(by)) t.signalled_by = sorted([...t.signalled_by, by]);
        break;
      }
      case 'observe':
        task(get(e, 'task')).observed = true;
        break;
      case 'associate': {
        const t = task(get(e, 'task'));
        t.tenant = trusted(orNull(get(e, 'tenant')));
        t.timeline = trusted(orNull(get(e, 'timeline')));
        break;
      }
      case 'shutdown_begin': {
        const label = keyOf(get(e, 'label'));
        if (own(shutdowns, label) === undefined) {
          setOwn(shutdowns, label, { completed: false, victims: null, waited: null });
        }
        break;
      }
      case 'shutdown_end':
        setOwn(shutdowns, keyOf(get(e, 'label')), {
          completed: true,
          victims: sorted(get(e, 'victims')),
          waited: sorted(get(e, 'waited')),
        });
        break;
      case 'snapshot':
        snapshots.push({ label: trusted(get(e, 'label')), tasks: sorted(get(e, 'tasks')) });
        break;
      case 'kind':
        observe(get(e, 'task'), ['kind', trusted<string | null>(orNull(get(e, 'kind')))]);
        break;
      case 'check':
        observe(get(e, 'task'), ['check', trusted<boolean | null>(orNull(get(e, 'value')))]);
        break;
      case 'inject':
        injections.push({ task: trusted(get(e, 'task')), fault: trusted(get(e, 'fault')), applied: trusted(get(e, 'applied')) });
        break;
      case 'process_shutdown':
        proc.shutdowns.push({ code: trusted(get(e, 'code')), cause: trusted(orNull(get(e, 'cause'))) });
        break;
      case 'process_exit':
        proc.exit_code = trusted(get(e, 'code'));
        break;
      default:
        break; // unknown events are ignored
    }
  }
  return { tasks, shutdowns, snapshots, observations, injections, process: proc };
}

/** An event with the line number check() reports for it. */
interface Lined {
  e: SummaryInput;
  line: number;
}

/**
 * Checks one trace on its own; returns a list of problems (FORMAT.md note 11).
 * Problems name the event's `line`, or its index + 1 in `trace` when it has none.
 */
export function check(trace: readonly SummaryInput[]): string[] {
  const lined: Lined[] = trace.map((e, i) => {
    const line = get(e, 'line');
    return { e, line: typeof line === 'number' ? line : i + 1 };
  });
  const exitAt = lined.findIndex(({ e }) => e.ev === 'process_exit');
  const events = (exitAt < 0 ? lined : lined.slice(0, exitAt + 1)).filter(
    ({ e }) => !(e.ev === 'exit' && get(e, 'outcome') === 'killed'),
  );
  const problems: string[] = [];
  const begins = new Map<unknown, Lined>();
  const ends = new Map<unknown, Lined>();
  const exits = new Map<unknown, Lined>();
  const spawned = new Set<unknown>();
  const signalled = new Map<unknown, Set<unknown>>(); // label -> tasks
  for (const l of events) {
    const { e } = l;
    if (e.ev === 'shutdown_begin') {
      const label = get(e, 'label');
      if (begins.has(label)) problems.push(`line ${l.line}: a second call labelled "${String(label)}"`);
      else begins.set(label, l);
    } else if (e.ev === 'shutdown_end') {
      ends.set(get(e, 'label'), l);
    } else if (e.ev === 'exit') {
      if (!exits.has(get(e, 'task'))) exits.set(get(e, 'task'), l);
    } else if (e.ev === 'spawn') {
      spawned.add(get(e, 'task'));
    } else if (e.ev === 'signal') {
      const by = get(e, 'by');
      let set = signalled.get(by);
      if (!set) signalled.set(by, (set = new Set()));
      set.add(get(e, 'task'));
    }
  }

  for (const l of events) {
    const { e, line } = l;
    if (e.ev === 'signal') {
      const by = get(e, 'by');
      const who = String(get(e, 'task'));
      const begin = begins.get(by);
      const end = ends.get(by);
      if (!begin || begin.line > line) {
        problems.push(`line ${line}: ${who} signalled by "${String(by)}" before that call began`);
      } else if (end && end.line < line) {
        problems.push(`line ${line}: ${who} signalled by "${String(by)}" after that call ended`);
      }
    } else if (e.ev === 'shutdown_end') {
      const label = get(e, 'label');
      const begin = begins.get(label);
      if (!begin || begin.line > line) {
        problems.push(`line ${line}: call "${String(label)}" ended without beginning`);
      }
      const victims = new Set(spread(get(e, 'victims')));
      const signals = signalled.get(label) ?? new Set<unknown>();
      if (!deepStrictEqual(sorted([...signals]), sorted([...victims]))) {
        problems.push(
          `line ${line}: call "${String(label)}" reports victims ${JSON.stringify(sorted([...victims]))} ` +
            `but signalled ${JSON.stringify(sorted([...signals]))}`,
        );
      }
      for (const w of spread(get(e, 'waited'))) {
        if (!victims.has(w)) problems.push(`line ${line}: call "${String(label)}" waited for ${String(w)}, not a victim`);
        const exit = exits.get(w);
        if (!exit || exit.line > line) {
          problems.push(`line ${line}: call "${String(label)}" waited for ${String(w)}, which had not exited`);
        }
      }
    } else if (e.ev === 'end') {
      const running = sorted([...spawned].filter((t) => !exits.has(t)));
      const registry = sorted(get(e, 'registry'));
      if (!deepStrictEqual(registry, running)) {
        problems.push(
          `line ${line}: end registry ${JSON.stringify(registry)} ` +
            `but running tasks are ${JSON.stringify(running)}`,
        );
      }
      const pending = sorted([...begins.keys()].filter((label) => !ends.has(label)));
      const reported = sorted(get(e, 'pending'));
      if (!deepStrictEqual(reported, pending)) {
        problems.push(
          `line ${line}: end pending ${JSON.stringify(reported)} ` +
            `but unfinished calls are ${JSON.stringify(pending)}`,
        );
      }
    }
  }
  return problems;
}

const show = (v: unknown): string => JSON.stringify(v === undefined ? null : v);

/** Lists the differences between two summaries, in compare.mjs's words and order. */
export function diff(expected: TraceSummary, actual: TraceSummary): string[] {
  const out: string[] = [];
  const keys = (a: object, b: object): string[] => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const fieldsOf = (x: object): Fields => x as Fields;

  for (const name of keys(expected.tasks, actual.tasks)) {
    const e = own(expected.tasks, name);
    const a = own(actual.tasks, name);
    if (!e || !a) {
      out.push(`task ${name}: spawned: expected ${!!e}, actual ${!!a}`);
      continue;
    }
    for (const field of Object.keys(e)) {
      const ev = fieldsOf(e)[field];
      const av = fieldsOf(a)[field];
      if (!deepStrictEqual(ev, av)) out.push(`task ${name}: ${field}: expected ${show(ev)}, actual ${show(av)}`);
    }
  }
  for (const label of keys(expected.shutdowns, actual.shutdowns)) {
    const e = own(expected.shutdowns, label);
    const a = own(actual.shutdowns, label);
    if (!e || !a) {
      out.push(`shutdown "${label}": called: expected ${!!e}, actual ${!!a}`);
      continue;
    }
    for (const field of Object.keys(e)) {
      const ev = fieldsOf(e)[field];
      const av = fieldsOf(a)[field];
      if (!deepStrictEqual(ev, av)) out.push(`shutdown "${label}": ${field}: expected ${show(ev)}, actual ${show(av)}`);
    }
  }
  const lists: Array<[string, readonly unknown[], readonly unknown[]]> = [
    ['snapshot', expected.snapshots, actual.snapshots],
    ['injection', expected.injections, actual.injections],
    ['process_shutdown', expected.process.shutdowns, actual.process.shutdowns],
  ];
  for (const [what, e, a] of lists) {
    for (let i = 0; i < Math.max(e.length, a.length); i++) {
      if (!deepStrictEqual(e[i], a[i])) out.push(`${what} #${i + 1}: expected ${show(e[i])}, actual ${show(a[i])}`);
    }
  }
  for (const who of keys(expected.observations, actual.observations)) {
    const e = own(expected.observations, who) ?? [];
    const a = own(actual.observations, who) ?? [];
    if (!deepStrictEqual(e, a)) out.push(`observations of ${who}: expected ${show(e)}, actual ${show(a)}`);
  }
  if (expected.process.exit_code !== actual.process.exit_code) {
    out.push(
      `process: exit_code: expected ${show(expected.process.exit_code)}, actual ${show(actual.process.exit_code)}`,
    );
  }
  return out;
}

/** check() of both traces and diff() of their summaries, as `node compare.mjs` prints them. */
export function compareTraces(expected: readonly SummaryInput[], actual: readonly SummaryInput[]): string[] {
  return [
    ...check(expected).map((p) => `expected trace: ${p}`),
    ...check(actual).map((p) => `actual trace: ${p}`),
    ...diff(summarize(expected), summarize(actual)),
  ];
}
