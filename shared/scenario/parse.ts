/**
 * Parsing and validation of scenario files (`taskmgr-scenario/1`, see
 * docs/scenario-format.md). A scenario may be written in JSON or YAML; both are
 * read into plain values and then checked by the same rules as the reference
 * oracle (conformance/oracle/src/scenario.rs), plus the Lab's own: the `busy` op,
 * unknown fields are rejected, duplicate keys are rejected. Anything malformed
 * is reported as a ScenarioError, one line: the JSONPath of the offending value
 * and the reason, e.g. `$.tasks.gc.body[0].op: unknown op "sleeep"`.
 *
 * Pure TypeScript (no Node or DOM APIs), so the renderer, the CLI and the
 * simulator can all use it.
 */
import type { FaultKind, ShutdownFilter } from '../model/outcome';
import { isRuntimeName, type RuntimeName } from '../model/runtime';
import { SCENARIO_FORMAT, type Op, type Scenario, type Step, type TaskTemplate } from './types';
import { parseScenarioExpect } from './expect';
import { readScenarioText, type ParseOptions } from './read-text';
import { ScenarioError, field, has, member, number, object, onlyFields, optString, quote, string, taskKind, type Obj } from './values';

export { ScenarioError, field, has, isObj, member, number, object, onlyFields, optString, quote, string, taskKind, type Obj } from './values';

export { readScenarioText, type ParseOptions } from './read-text';

/** Parses a scenario file's text (JSON or YAML) and validates it. */
export function parseScenario(text: string, opts: ParseOptions = {}): Scenario {
  return parseScenarioValue(readScenarioText(text, opts));
}

/** Validates an already parsed value (e.g. from JSON.parse) as a scenario. */
export function parseScenarioValue(value: unknown): Scenario {
  return new Validator().scenario(value);
}

// ---------------------------------------------------------------------------
// Value to Scenario

const ROOT_FIELDS = ['format', 'name', 'description', 'tasks', 'steps', 'end_at', 'expect'];
const TEMPLATE_FIELDS = ['runtime', 'kind', 'tenant', 'timeline', 'name', 'shutdown_process_on_error', 'body'];
const FILTER_FIELDS = ['kind', 'tenant', 'timeline'];

/** The fields each op may have besides `op`. */
const OP_FIELDS: Record<Op['op'], readonly string[]> = {
  sleep: ['ticks'],
  sleep_or_shutdown: ['ticks'],
  wait_shutdown: [],
  poll_shutdown: ['every'],
  check_shutdown: [],
  record_kind: [],
  associate: ['tenant', 'timeline'],
  spawn: ['task'],
  shutdown_tasks: ['label', ...FILTER_FIELDS],
  hang: [],
  busy: ['ticks'],
  ok: [],
  error: ['message'],
  panic: ['message'],
};

/** The fields each step may have besides `at` and `do`. */
const STEP_FIELDS: Record<Step['do'], readonly string[]> = {
  spawn: ['task'],
  shutdown_tasks: ['label', ...FILTER_FIELDS],
  inject: ['task', 'fault', 'message'],
  snapshot: ['label'],
  check_shutdown: [],
  record_kind: [],
  shutdown_pageserver: ['exit_code'],
};

/** The names of the v1 steps. */
export const STEP_NAMES: readonly string[] = Object.keys(STEP_FIELDS);

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;

export class Validator {
  /** Template ids, known before any body or step is read. */
  private readonly ids = new Set<string>();
  /** Where each template is spawned from, in reading order. */
  private readonly spawnSites = new Map<string, string[]>();

  scenario(root: unknown): Scenario {
    const obj = object(root, '$');
    onlyFields(obj, ROOT_FIELDS, '$');
    const format = string(field(obj, 'format', '$'), '$.format');
    if (format !== SCENARIO_FORMAT) {
      throw new ScenarioError('$.format', `expected ${quote(SCENARIO_FORMAT)}, found ${quote(format)}`);
    }
    const name = optString(obj, 'name', '$') ?? '';
    const description = optString(obj, 'description', '$') ?? '';

    const tasks = this.tasks(object(field(obj, 'tasks', '$'), '$.tasks'));

    const stepsVal = field(obj, 'steps', '$');
    if (!Array.isArray(stepsVal)) throw new ScenarioError('$.steps', 'expected an array');
    const steps = stepsVal.map((s: unknown, i) => this.step(s, `$.steps[${i}]`));

    const endAt = number(field(obj, 'end_at', '$'), '$.end_at');
    steps.forEach((s, i) => {
      if (s.at > endAt) throw new ScenarioError(`$.steps[${i}].at`, `step at ${s.at} comes after end_at ${endAt}`);
    });

    this.checkTemplates(tasks);

    // Array.prototype.sort is stable (ES2019): same `at` keeps file order.
    steps.sort((a, b) => a.at - b.at);
    const out: Scenario = { format: SCENARIO_FORMAT, name, description, tasks, steps, end_at: endAt };
    // Only when given, so that a file without it parses (and hashes) as before.
    if (has(obj, 'expect')) out.expect = parseScenarioExpect(obj.expect, this.ids, endAt);
    return out;
  }

  /** Reads the `tasks` object: every id is known before any body or step is read. */
  tasks(tasksObj: Obj): Record<string, TaskTemplate> {
    const ids = Object.keys(tasksObj);
    for (const id of ids) this.ids.add(id);
    const tasks: Record<string, TaskTemplate> = {};
    for (const id of ids) {
      // defineProperty: an id such as "__proto__" must become an own property.
      Object.defineProperty(tasks, id, {
        value: this.template(id, tasksObj[id], member('$.tasks', id)),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return tasks;
  }

  /** After the steps: each template spawned at most once, names unique. */
  checkTemplates(tasks: Record<string, TaskTemplate>): void {
    const ids = Object.keys(tasks);
    for (const id of ids) {
      const sites = this.spawnSites.get(id) ?? [];
      if (sites.length > 1) {
        throw new ScenarioError(
          member('$.tasks', id),
          `task ${quote(id)} is spawned more than once (${sites.join(', ')}); each template is spawned at most once`,
        );
      }
    }
    const byName = new Map<string, string>();
    for (const id of ids) {
      const t = tasks[id];
      const other = byName.get(t.name);
      if (other !== undefined) {
        throw new ScenarioError(
          member('$.tasks', id),
          `tasks ${quote(other)} and ${quote(id)} have the same name ${quote(t.name)}; names must be unique`,
        );
      }
      byName.set(t.name, id);
    }
  }

  template(id: string, v: unknown, path: string): TaskTemplate {
    const obj = object(v, path);
    onlyFields(obj, TEMPLATE_FIELDS, path);
    const rt = string(field(obj, 'runtime', path), `${path}.runtime`);
    if (!isRuntimeName(rt)) throw new ScenarioError(`${path}.runtime`, `unknown runtime ${quote(rt)}`);
    const runtime: RuntimeName = rt;
    const kind = taskKind(field(obj, 'kind', path), `${path}.kind`);
    const tenant = optString(obj, 'tenant', path);
    const timeline = optString(obj, 'timeline', path);
    const name = optString(obj, 'name', path) ?? id;
    let shutdownProcessOnError = false;
    const spoe = obj.shutdown_process_on_error;
    if (has(obj, 'shutdown_process_on_error') && spoe !== null) {
      if (typeof spoe !== 'boolean') {
        throw new ScenarioError(`${path}.shutdown_process_on_error`, 'expected a boolean');
      }
      shutdownProcessOnError = spoe;
    }
    const bodyVal = field(obj, 'body', path);
    if (!Array.isArray(bodyVal)) throw new ScenarioError(`${path}.body`, 'expected an array');
    const body = bodyVal.map((op: unknown, i) => this.op(op, `${path}.body[${i}]`, id));
    return {
      id,
      runtime,
      kind,
      tenant,
      timeline,
      name,
      shutdown_process_on_error: shutdownProcessOnError,
      body,
    };
  }

  private filter(obj: Obj, path: string): ShutdownFilter {
    const k = obj.kind;
    return {
      kind: !has(obj, 'kind') || k === null ? null : taskKind(k, `${path}.kind`),
      tenant: optString(obj, 'tenant', path),
      timeline: optString(obj, 'timeline', path),
    };
  }

  private taskRef(obj: Obj, path: string): string {
    const id = string(field(obj, 'task', path), `${path}.task`);
    if (!this.ids.has(id)) throw new ScenarioError(`${path}.task`, `no task template ${quote(id)}`);
    return id;
  }

  private spawnedFrom(id: string, site: string): void {
    const sites = this.spawnSites.get(id);
    if (sites) sites.push(site);
    else this.spawnSites.set(id, [site]);
  }

  private op(v: unknown, path: string, owner: string): Op {
    const obj = object(v, path);
    const op = string(field(obj, 'op', path), `${path}.op`);
    if (!has(OP_FIELDS, op)) throw new ScenarioError(`${path}.op`, `unknown op ${quote(op)}`);
    const name = op as Op['op'];
    onlyFields(obj, ['op', ...OP_FIELDS[name]], path);
    const num = (key: string): number => number(field(obj, key, path), `${path}.${key}`);
    const message = (): string => string(field(obj, 'message', path), `${path}.message`);
    switch (name) {
      case 'sleep':
      case 'sleep_or_shutdown':
      case 'busy':
        return { op: name, ticks: num('ticks') };
      case 'poll_shutdown': {
        const every = num('every');
        if (every <= 0) throw new ScenarioError(`${path}.every`, 'must be > 0');
        return { op: name, every };
      }
      case 'wait_shutdown':
      case 'check_shutdown':
      case 'record_kind':
      case 'hang':
      case 'ok':
        return { op: name };
      case 'associate':
        return { op: name, tenant: optString(obj, 'tenant', path), timeline: optString(obj, 'timeline', path) };
      case 'spawn': {
        const task = this.taskRef(obj, path);
        this.spawnedFrom(task, `by task ${quote(owner)}`);
        return { op: name, task };
      }
      case 'shutdown_tasks': {
        const label = string(field(obj, 'label', path), `${path}.label`);
        return { op: name, label, ...this.filter(obj, path) };
      }
      case 'error':
      case 'panic':
        return { op: name, message: message() };
    }
  }

  step(v: unknown, path: string): Step {
    const obj = object(v, path);
    const what = string(field(obj, 'do', path), `${path}.do`);
    if (!has(STEP_FIELDS, what)) throw new ScenarioError(`${path}.do`, `unknown step ${quote(what)}`);
    const name = what as Step['do'];
    onlyFields(obj, ['at', 'do', ...STEP_FIELDS[name]], path);
    const at = number(field(obj, 'at', path), `${path}.at`);
    const str = (key: string): string => string(field(obj, key, path), `${path}.${key}`);
    switch (name) {
      case 'spawn': {
        const task = this.taskRef(obj, path);
        this.spawnedFrom(task, `by step at ${at}`);
        return { at, do: name, task };
      }
      case 'shutdown_tasks': {
        const label = str('label');
        return { at, do: name, label, ...this.filter(obj, path) };
      }
      case 'inject': {
        const task = this.taskRef(obj, path);
        const f = str('fault');
        if (f !== 'panic' && f !== 'error') {
          throw new ScenarioError(`${path}.fault`, `expected "panic" or "error", found ${quote(f)}`);
        }
        const fault: FaultKind = f;
        return { at, do: name, task, fault, message: str('message') };
      }
      case 'snapshot':
        return { at, do: name, label: str('label') };
      case 'check_shutdown':
      case 'record_kind':
        return { at, do: name };
      case 'shutdown_pageserver': {
        const code = field(obj, 'exit_code', path);
        if (typeof code !== 'number' || !Number.isInteger(code) || code < I32_MIN || code > I32_MAX) {
          throw new ScenarioError(`${path}.exit_code`, `expected an integer from ${I32_MIN} to ${I32_MAX}`);
        }
        return { at, do: name, exit_code: code + 0 };
      }
    }
  }
}
