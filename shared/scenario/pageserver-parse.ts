/**
 * Parsing of pageserver scenarios (`taskmgr-pageserver/1`, ./pageserver-types.ts)
 * with the rules and the one-line errors of ./parse.ts: unknown fields rejected,
 * every problem reported at its JSON path. The task templates and the v1 steps are
 * read by the v1 validator itself, so they mean exactly the same in both formats.
 * `parseAnyScenario` reads either format.
 */
import type { FlushLoopState, TenantState, TimelineState } from '../model/pageserver';
import { RUNTIME_NAMES } from '../model/runtime';
import { bool, oneOf, taskKind } from './values';
import {
  field,
  has,
  isObj,
  member,
  number,
  object,
  onlyFields,
  optString,
  quote,
  readScenarioText,
  ScenarioError,
  STEP_NAMES,
  string,
  Validator,
  parseScenarioValue,
  type Obj,
  type ParseOptions,
} from './parse';
import {
  PAGESERVER_FORMAT,
  type Expectation,
  type FailpointSpec,
  type PageserverScenario,
  type PageserverSetup,
  type PageserverStep,
  type Phase,
  type TaskSelector,
  type TenantConfSpec,
  type TenantSetup,
  type TimelineSetup,
} from './pageserver-types';
import type { Scenario, Step } from './types';

export type AnyScenario = Scenario | PageserverScenario;

export function isPageserverScenario(s: AnyScenario): s is PageserverScenario {
  return s.format === PAGESERVER_FORMAT;
}

/** Reads a scenario of either format from its text. */
export function parseAnyScenario(text: string, opts: ParseOptions = {}): AnyScenario {
  const value = readScenarioText(text, opts);
  if (isObj(value) && value.format === PAGESERVER_FORMAT) return parsePageserverScenarioValue(value);
  return parseScenarioValue(value);
}

const ROOT = ['format', 'name', 'title', 'description', 'catalog', 'issues', 'seed', 'live', 'pageserver', 'phases', 'tasks', 'steps', 'end_at', 'expect'];
const SETUP = ['remote_storage', 'second_ticks', 'durations', 'tenant_defaults', 'stuck_after', 'workers', 'tenants', 'failpoints'];
const CONF = ['compaction_period', 'gc_period', 'gc_horizon', 'checkpoint_distance', 'compaction_threshold'];
const DURATIONS = [
  'flushLayer', 'layerUpload', 'indexUpload', 'layerDelete', 'layerDownload', 'indexDownload', 'listTimelines', 'loadTimeline',
  'compaction', 'gc', 'sizeCalculation', 'timelineCreate', 'removeTimelineDir', 'getPage', 'basebackup', 'walConnect',
];
const FAILPOINT_ACTIONS = ['off', 'return', 'sleep', 'pause', 'panic', 'crash'] as const;
const TENANT_STATES = ['Loading', 'Attaching', 'Active', 'Paused', 'Broken', 'absent'] as const;
const TIMELINE_STATES = ['Active', 'Suspended', 'Paused', 'Broken', 'absent'] as const;

/** The fields of each pageserver step besides `at`, `do` and `label`. */
const PS_STEPS: Record<PageserverStep['do'], readonly string[]> = {
  attach: ['tenant'],
  detach: ['tenant'],
  create_tenant: ['tenant', 'conf'],
  create_timeline: ['tenant', 'timeline'],
  delete_timeline: ['tenant', 'timeline'],
  gc: ['tenant', 'timeline'],
  checkpoint: ['tenant', 'timeline'],
  compact: ['tenant', 'timeline'],
  timeline_detail: ['tenant', 'timeline'],
  page_requests: ['tenant', 'timeline', 'mode', 'requests', 'every'],
  wal: ['tenant', 'timeline', 'every'],
  signal: ['signal'],
  crash: [],
  restart: ['failpoints'],
  failpoint: ['name', 'action', 'ticks', 'times'],
  inject_into: ['kind', 'tenant', 'timeline', 'fault', 'message'],
};

function int(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ScenarioError(path, 'expected an integer >= 0');
  return v;
}

function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new ScenarioError(path, 'expected an array');
  return v;
}

function opt<T>(obj: Obj, key: string, path: string, read: (v: unknown, path: string) => T, dflt: T): T {
  return has(obj, key) && obj[key] !== null ? read(obj[key], member(path, key)) : dflt;
}

function conf(v: unknown, path: string): TenantConfSpec {
  const obj = object(v, path);
  onlyFields(obj, CONF, path);
  const out: TenantConfSpec = {};
  for (const k of CONF) if (has(obj, k)) (out as Record<string, number>)[k] = number(obj[k], member(path, k));
  return out;
}

function failpoint(v: unknown, path: string): FailpointSpec {
  const obj = object(v, path);
  onlyFields(obj, ['action', 'ticks', 'times'], path);
  return failpointFields(obj, path);
}

function failpointFields(obj: Obj, path: string): FailpointSpec {
  const out: FailpointSpec = { action: oneOf(field(obj, 'action', path), FAILPOINT_ACTIONS, `${path}.action`) };
  if (has(obj, 'ticks')) out.ticks = number(obj.ticks, `${path}.ticks`);
  if (has(obj, 'times')) out.times = int(obj.times, `${path}.times`);
  if (out.action === 'sleep' && out.ticks === undefined) throw new ScenarioError(path, 'a "sleep" failpoint needs "ticks"');
  return out;
}

function failpoints(v: unknown, path: string): Record<string, FailpointSpec> {
  const obj = object(v, path);
  const out: Record<string, FailpointSpec> = {};
  for (const k of Object.keys(obj)) out[k] = failpoint(obj[k], member(path, k));
  return out;
}

function timelineSetup(v: unknown, path: string): TimelineSetup {
  const obj = object(v, path);
  onlyFields(obj, ['id', 'layers', 'wal_every', 'ancestor'], path);
  return {
    id: string(field(obj, 'id', path), `${path}.id`),
    layers: opt(obj, 'layers', path, int, 2),
    wal_every: opt(obj, 'wal_every', path, number, 0),
    ancestor: optString(obj, 'ancestor', path),
  };
}

function tenantSetup(v: unknown, path: string): TenantSetup {
  const obj = object(v, path);
  onlyFields(obj, ['id', 'location', 'conf', 'timelines'], path);
  return {
    id: string(field(obj, 'id', path), `${path}.id`),
    location: opt(obj, 'location', path, (x, p) => oneOf<TenantSetup['location']>(x, ['local', 'remote', 'local-only'], p), 'local'),
    conf: opt(obj, 'conf', path, conf, {}),
    timelines: opt(obj, 'timelines', path, (x, p) => array(x, p).map((t, i) => timelineSetup(t, `${p}[${i}]`)), []),
  };
}

function setup(v: unknown, path: string): PageserverSetup {
  const obj = object(v, path);
  onlyFields(obj, SETUP, path);
  const durations = opt(
    obj,
    'durations',
    path,
    (x, p) => {
      const d = object(x, p);
      onlyFields(d, DURATIONS, p);
      return Object.fromEntries(Object.keys(d).map((k) => [k, number(d[k], member(p, k))]));
    },
    {} as Record<string, number>,
  );
  const workers = opt(
    obj,
    'workers',
    path,
    (x, p) => {
      const w = object(x, p);
      onlyFields(w, RUNTIME_NAMES, p);
      return Object.fromEntries(Object.keys(w).map((k) => [k, int(w[k], member(p, k))]));
    },
    {},
  );
  const secondTicks = opt(obj, 'second_ticks', path, number, 10);
  if (secondTicks <= 0) throw new ScenarioError(`${path}.second_ticks`, 'must be > 0');
  return {
    remote_storage: opt(obj, 'remote_storage', path, bool, true),
    second_ticks: secondTicks,
    durations,
    tenant_defaults: opt(obj, 'tenant_defaults', path, conf, {}),
    stuck_after: opt(obj, 'stuck_after', path, number, 30),
    workers,
    tenants: opt(obj, 'tenants', path, (x, p) => array(x, p).map((t, i) => tenantSetup(t, `${p}[${i}]`)), []),
    failpoints: opt(obj, 'failpoints', path, failpoints, {}),
  };
}

function phase(v: unknown, path: string): Phase {
  const obj = object(v, path);
  onlyFields(obj, ['at', 'title', 'text'], path);
  return { at: number(field(obj, 'at', path), `${path}.at`), title: string(field(obj, 'title', path), `${path}.title`), text: opt(obj, 'text', path, string, '') };
}

function psStep(obj: Obj, what: PageserverStep['do'], path: string): PageserverStep {
  onlyFields(obj, ['at', 'do', 'label', ...PS_STEPS[what]], path);
  const at = number(field(obj, 'at', path), `${path}.at`);
  const base = { at, ...(has(obj, 'label') ? { label: string(obj.label, `${path}.label`) } : {}) };
  const str = (k: string) => string(field(obj, k, path), `${path}.${k}`);
  switch (what) {
    case 'attach':
    case 'detach':
      return { ...base, do: what, tenant: str('tenant') };
    case 'create_tenant':
      return { ...base, do: what, tenant: str('tenant'), conf: opt(obj, 'conf', path, conf, {}) };
    case 'create_timeline':
    case 'delete_timeline':
    case 'gc':
    case 'checkpoint':
    case 'compact':
    case 'timeline_detail':
      return { ...base, do: what, tenant: str('tenant'), timeline: str('timeline') };
    case 'page_requests':
      return {
        ...base,
        do: what,
        tenant: str('tenant'),
        timeline: str('timeline'),
        mode: opt(obj, 'mode', path, (x, p) => oneOf<'pagestream' | 'basebackup'>(x, ['pagestream', 'basebackup'], p), 'pagestream'),
        requests: opt(obj, 'requests', path, int, 1),
        every: opt(obj, 'every', path, number, 5),
      };
    case 'wal':
      return { ...base, do: what, tenant: str('tenant'), timeline: str('timeline'), every: number(field(obj, 'every', path), `${path}.every`) };
    case 'signal':
      return { ...base, do: what, signal: oneOf<'SIGINT' | 'SIGTERM' | 'SIGQUIT'>(field(obj, 'signal', path), ['SIGINT', 'SIGTERM', 'SIGQUIT'], `${path}.signal`) };
    case 'crash':
      return { ...base, do: what };
    case 'restart':
      return { ...base, do: what, failpoints: opt(obj, 'failpoints', path, failpoints, {}) };
    case 'failpoint':
      return { ...base, do: what, name: str('name'), ...failpointFields(obj, path) };
    case 'inject_into': {
      const fault = oneOf<'panic' | 'error'>(field(obj, 'fault', path), ['panic', 'error'], `${path}.fault`);
      return {
        ...base,
        do: what,
        kind: taskKind(field(obj, 'kind', path), `${path}.kind`),
        tenant: optString(obj, 'tenant', path),
        timeline: optString(obj, 'timeline', path),
        fault,
        message: str('message'),
      };
    }
  }
}

function selector(v: unknown, path: string): TaskSelector {
  const obj = object(v, path);
  onlyFields(obj, ['kind', 'tenant', 'timeline', 'label', 'process'], path);
  const out: TaskSelector = {};
  if (has(obj, 'kind')) out.kind = taskKind(obj.kind, `${path}.kind`);
  if (has(obj, 'tenant')) out.tenant = optString(obj, 'tenant', path);
  if (has(obj, 'timeline')) out.timeline = optString(obj, 'timeline', path);
  if (has(obj, 'label')) out.label = string(obj.label, `${path}.label`);
  if (has(obj, 'process')) out.process = int(obj.process, `${path}.process`);
  return out;
}

const SUBJECTS = ['tenant', 'timeline', 'flush_loop', 'tasks', 'http', 'shutdown', 'exit_code', 'processes', 'lint', 'log', 'disk', 'upload_queue', 'remote_lsn'] as const;

function expectation(v: unknown, path: string): Expectation {
  const obj = object(v, path);
  const subjects = SUBJECTS.filter((k) => has(obj, k));
  if (subjects.length !== 1) throw new ScenarioError(path, `an expectation names exactly one of ${SUBJECTS.map(quote).join(', ')}`);
  const subject = subjects[0];
  const common = { ...(has(obj, 'at') ? { at: number(obj.at, `${path}.at`) } : {}), ...(has(obj, 'why') ? { why: string(obj.why, `${path}.why`) } : {}) };
  const only = (...keys: string[]) => onlyFields(obj, ['at', 'why', subject, ...keys], path);
  const str = (k: string) => string(field(obj, k, path), `${path}.${k}`);
  switch (subject) {
    case 'tenant':
      only('state');
      return { ...common, tenant: str('tenant'), state: oneOf<TenantState | 'absent'>(field(obj, 'state', path), TENANT_STATES, `${path}.state`) };
    case 'timeline':
      only('state');
      return { ...common, timeline: str('timeline'), state: oneOf<TimelineState | 'absent'>(field(obj, 'state', path), TIMELINE_STATES, `${path}.state`) };
    case 'flush_loop':
      only('state');
      return { ...common, flush_loop: str('flush_loop'), state: oneOf<FlushLoopState>(field(obj, 'state', path), ['NotStarted', 'Running', 'Exited'], `${path}.state`) };
    case 'tasks': {
      only('outcome', 'count');
      const tasks = selector(obj.tasks, `${path}.tasks`);
      const count = has(obj, 'count') ? int(obj.count, `${path}.count`) : undefined;
      if (!has(obj, 'outcome')) {
        if (count === undefined) throw new ScenarioError(path, 'a "tasks" expectation needs "outcome" or "count"');
        return { ...common, tasks, count };
      }
      const outcome = oneOf<'ok' | 'error' | 'panic' | 'killed' | 'running'>(obj.outcome, ['ok', 'error', 'panic', 'killed', 'running'], `${path}.outcome`);
      return { ...common, tasks, outcome, ...(count !== undefined ? { count } : {}) };
    }
    case 'http': {
      only('status');
      const st = field(obj, 'status', path);
      if (!(st === null || st === 'pending' || (typeof st === 'number' && Number.isInteger(st)))) {
        throw new ScenarioError(`${path}.status`, 'expected an HTTP status, null (no answer but the connection closed) or "pending"');
      }
      return { ...common, http: str('http'), status: st as number | null | 'pending' };
    }
    case 'shutdown':
      only('completed');
      return { ...common, shutdown: str('shutdown'), completed: bool(field(obj, 'completed', path), `${path}.completed`) };
    case 'exit_code': {
      only('process');
      const c = obj.exit_code;
      if (!(c === null || (typeof c === 'number' && Number.isInteger(c)))) throw new ScenarioError(`${path}.exit_code`, 'expected an integer or null (still running)');
      return { ...common, exit_code: c as number | null, ...(has(obj, 'process') ? { process: int(obj.process, `${path}.process`) } : {}) };
    }
    case 'processes':
      only();
      return { ...common, processes: int(obj.processes, `${path}.processes`) };
    case 'lint':
      only('raised');
      return { ...common, lint: str('lint'), raised: bool(field(obj, 'raised', path), `${path}.raised`) };
    case 'log':
      only('min', 'max');
      return {
        ...common,
        log: str('log'),
        ...(has(obj, 'min') ? { min: int(obj.min, `${path}.min`) } : {}),
        ...(has(obj, 'max') ? { max: int(obj.max, `${path}.max`) } : {}),
      };
    case 'disk':
      only('exists', 'marker');
      return {
        ...common,
        disk: str('disk'),
        exists: bool(field(obj, 'exists', path), `${path}.exists`),
        ...(has(obj, 'marker') ? { marker: bool(obj.marker, `${path}.marker`) } : {}),
      };
    case 'upload_queue':
      only('state');
      return { ...common, upload_queue: str('upload_queue'), state: oneOf<'Uninitialized' | 'Initialized' | 'Stopped'>(field(obj, 'state', path), ['Uninitialized', 'Initialized', 'Stopped'], `${path}.state`) };
    case 'remote_lsn':
      only('behind_local');
      return { ...common, remote_lsn: str('remote_lsn'), behind_local: bool(field(obj, 'behind_local', path), `${path}.behind_local`) };
  }
}

/** Validates an already parsed value as a pageserver scenario. */
export function parsePageserverScenarioValue(root: unknown): PageserverScenario {
  const obj = object(root, '$');
  onlyFields(obj, ROOT, '$');
  const format = string(field(obj, 'format', '$'), '$.format');
  if (format !== PAGESERVER_FORMAT) throw new ScenarioError('$.format', `expected ${quote(PAGESERVER_FORMAT)}, found ${quote(format)}`);
  const v = new Validator();
  const tasks = v.tasks(opt(obj, 'tasks', '$', object, {}));
  const steps = array(field(obj, 'steps', '$'), '$.steps').map((s, i): Step | PageserverStep => {
    const path = `$.steps[${i}]`;
    const so = object(s, path);
    const what = string(field(so, 'do', path), `${path}.do`);
    if (STEP_NAMES.includes(what)) return v.step(so, path);
    if (!has(PS_STEPS, what)) throw new ScenarioError(`${path}.do`, `unknown step ${quote(what)}`);
    return psStep(so, what as PageserverStep['do'], path);
  });
  const endAt = number(field(obj, 'end_at', '$'), '$.end_at');
  steps.forEach((s, i) => {
    if (s.at > endAt) throw new ScenarioError(`$.steps[${i}].at`, `step at ${s.at} comes after end_at ${endAt}`);
  });
  v.checkTemplates(tasks);
  steps.sort((a, b) => a.at - b.at);
  const phases = opt(obj, 'phases', '$', (x, p) => array(x, p).map((ph, i) => phase(ph, `${p}[${i}]`)), []);
  phases.sort((a, b) => a.at - b.at);
  return {
    format: PAGESERVER_FORMAT,
    name: opt(obj, 'name', '$', string, ''),
    title: opt(obj, 'title', '$', string, ''),
    description: opt(obj, 'description', '$', string, ''),
    catalog: opt(obj, 'catalog', '$', (x, p) => array(x, p).map((c, i) => string(c, `${p}[${i}]`)), []),
    issues: opt(obj, 'issues', '$', (x, p) => array(x, p).map((c, i) => int(c, `${p}[${i}]`)), []),
    seed: opt(obj, 'seed', '$', int, 1),
    live: opt(obj, 'live', '$', bool, true),
    pageserver: setup(opt(obj, 'pageserver', '$', (x) => x, {}), '$.pageserver'),
    phases,
    tasks,
    steps,
    end_at: endAt,
    expect: opt(obj, 'expect', '$', (x, p) => array(x, p).map((e, i) => expectation(e, `${p}[${i}]`)), []),
  };
}
