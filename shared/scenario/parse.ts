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
import { LineCounter, parseDocument, visit, isAlias, isScalar, type Document, type YAMLError } from 'yaml';
import type { FaultKind, ShutdownFilter } from '../model/outcome';
import { isRuntimeName, type RuntimeName } from '../model/runtime';
import { isTaskKind, type TaskKind } from '../model/task-kind';
import { SCENARIO_FORMAT, type Op, type Scenario, type Step, type TaskTemplate } from './types';
import { parseScenarioExpect } from './expect';
import { ScenarioError, field, has, member, number, object, onlyFields, optString, quote, string, type Obj } from './values';

export { ScenarioError, field, has, isObj, member, number, object, onlyFields, optString, quote, string, type Obj } from './values';

export interface ParseOptions {
  /** `auto` (the default): JSON when the first non-space character is `{`, else YAML. */
  format?: 'json' | 'yaml' | 'auto';
}

/** Parses a scenario file's text (JSON or YAML) and validates it. */
export function parseScenario(text: string, opts: ParseOptions = {}): Scenario {
  return parseScenarioValue(readScenarioText(text, opts));
}

/** Validates an already parsed value (e.g. from JSON.parse) as a scenario. */
export function parseScenarioValue(value: unknown): Scenario {
  return new Validator().scenario(value);
}

// ---------------------------------------------------------------------------
// Text to value

/** 1-based line and column of a UTF-16 offset. */
function lineCol(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: pos - lineStart + 1 };
}

/** Reads a scenario's text (JSON or YAML) into plain values, with the same errors as `parseScenario`. */
export function readScenarioText(text: string, opts: ParseOptions = {}): unknown {
  // A byte order mark is not part of the document (JSON.parse would reject it).
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let format = opts.format ?? 'auto';
  if (format === 'auto') format = body.trimStart().startsWith('{') ? 'json' : 'yaml';
  return format === 'json' ? readJson(body) : readYaml(body);
}

function readJson(text: string): unknown {
  // Our own scan first: V8's messages do not always give a position (and differ
  // between versions), and JSON.parse silently keeps the last of duplicate keys.
  const problem = scanJson(text);
  if (problem) {
    const { line, col } = lineCol(text, problem.pos);
    throw new ScenarioError('$', `invalid JSON at line ${line}, column ${col}: ${problem.reason}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // Not expected once the scan has passed; kept so that nothing escapes untyped.
    throw new ScenarioError('$', `invalid JSON: ${oneLine(e instanceof Error ? e.message : String(e))}`);
  }
}

function oneLine(s: string): string {
  return s.split(/\r?\n/, 1)[0].trim();
}

/** A JSON number (sticky: matches only at lastIndex). */
const JSON_NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

interface JsonProblem {
  pos: number;
  reason: string;
}

/**
 * Checks JSON syntax (RFC 8259) and that no object has the same key twice.
 * Iterative, so deeply nested input cannot overflow the stack. Returns the
 * first problem or null.
 */
function scanJson(text: string): JsonProblem | null {
  const n = text.length;
  let i = 0;
  // One entry per open container: the keys seen so far for an object, null for an array.
  const stack: (Set<string> | null)[] = [];
  type Mode = 'value' | 'firstValue' | 'key' | 'firstKey' | 'after';
  let mode: Mode = 'value';

  const describe = (at: number): string => (at >= n ? 'the end of the input' : quote(text[at]));
  const fail = (reason: string, pos = i): JsonProblem => ({ pos, reason });
  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  /** Scans a string starting at text[i] === '"'; leaves i after the closing quote. */
  const scanString = (): JsonProblem | null => {
    const start = i;
    i++;
    for (;;) {
      if (i >= n) return fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c === 0x0a || c === 0x0d) return fail('unterminated string (a line break inside a string must be written \\n)');
      if (c < 0x20) return fail(`control character U+${c.toString(16).padStart(4, '0').toUpperCase()} in a string`);
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) return fail('unterminated string', start);
        if ('"\\/bfnrt'.includes(e)) {
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          i += 6;
        } else {
          return fail(`a backslash followed by ${quote(e)} is not a valid escape`);
        }
      } else {
        i++;
      }
    }
  };
  const scanNumber = (): JsonProblem | null => {
    const start = i;
    JSON_NUMBER.lastIndex = start;
    const m = JSON_NUMBER.exec(text);
    if (!m) return fail('invalid number');
    i += m[0].length;
    // `01`, `1.`, `1e`: the regex stopped early on something a number cannot hold.
    if (i < n && /[0-9.eE]/.test(text[i])) return fail('invalid number', start);
    return null;
  };

  for (;;) {
    skipWs();
    if (mode === 'value' || mode === 'firstValue') {
      if (i >= n) return fail('unexpected end of input');
      const c = text[i];
      if (mode === 'firstValue' && c === ']') {
        i++;
        stack.pop();
        mode = 'after';
      } else if (c === '{') {
        stack.push(new Set());
        i++;
        mode = 'firstKey';
      } else if (c === '[') {
        stack.push(null);
        i++;
        mode = 'firstValue';
      } else if (c === '"') {
        const p = scanString();
        if (p) return p;
        mode = 'after';
      } else if (c === '-' || (c >= '0' && c <= '9')) {
        const p = scanNumber();
        if (p) return p;
        mode = 'after';
      } else {
        const lit = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
        if (!lit) return fail(`expected a value, found ${describe(i)}`);
        i += lit.length;
        mode = 'after';
      }
      continue;
    }
    if (mode === 'key' || mode === 'firstKey') {
      if (mode === 'firstKey' && text[i] === '}') {
        i++;
        stack.pop();
        mode = 'after';
        continue;
      }
      if (text[i] !== '"') return fail(`expected a property name in double quotes, found ${describe(i)}`);
      const start = i;
      const p = scanString();
      if (p) return p;
      const key = JSON.parse(text.slice(start, i)) as string;
      const keys = stack[stack.length - 1];
      if (keys) {
        if (keys.has(key)) return fail(`duplicate key ${quote(key)}`, start);
        keys.add(key);
      }
      skipWs();
      if (text[i] !== ':') return fail(`expected ":" after the property name, found ${describe(i)}`);
      i++;
      mode = 'value';
      continue;
    }
    // mode === 'after': a complete value has been read.
    if (stack.length === 0) {
      return i < n ? fail(`unexpected ${describe(i)} after the end of the document`) : null;
    }
    const inObject = stack[stack.length - 1] !== null;
    const close = inObject ? '}' : ']';
    if (i >= n) return fail('unexpected end of input');
    if (text[i] === ',') {
      i++;
      mode = inObject ? 'key' : 'value';
    } else if (text[i] === close) {
      i++;
      stack.pop();
    } else {
      return fail(`expected "," or "${close}", found ${describe(i)}`);
    }
  }
}

/** The reason of a YAML error, in our own words where the library's wording names its own API. */
function describeYamlError(doc: Document.Parsed, err: YAMLError): string {
  if (err.code === 'MULTIPLE_DOCS') return 'a scenario is a single YAML document (found a second one)';
  if (err.code === 'DUPLICATE_KEY') {
    // The error points at the second key; name it.
    let key: string | undefined;
    visit(doc, {
      Pair(_key, pair) {
        const k = pair.key;
        if (isScalar(k) && k.range?.[0] === err.pos[0]) {
          key = String(k.value);
          return visit.BREAK;
        }
        return undefined;
      },
    });
    if (key !== undefined) return `duplicate key ${quote(key)}`;
  }
  return oneLine(err.message);
}

function readYaml(text: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    // Above `warn`, so that the library never prints to the console itself.
    logLevel: 'error',
  });
  const at = (pos: number): string => {
    const { line, col } = lineCounter.linePos(pos);
    return `line ${Math.max(line, 1)}, column ${col}`;
  };
  const first = doc.errors[0];
  if (first) {
    throw new ScenarioError('$', `invalid YAML at ${at(first.pos[0])}: ${describeYamlError(doc, first)}`);
  }
  // An alias to an anchor defined later (or never) only fails in toJS(), without
  // a position; find it first so that the error says where.
  let unresolved: { name: string; pos: number } | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.resolve(doc) === undefined) {
        unresolved = { name: node.source, pos: node.range?.[0] ?? 0 };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (unresolved) {
    throw new ScenarioError(
      '$',
      `invalid YAML at ${at(unresolved.pos)}: unresolved alias *${unresolved.name} (the anchor must be set before the alias)`,
    );
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    // e.g. too many aliases (a "billion laughs" document).
    throw new ScenarioError('$', `invalid YAML: ${oneLine(e instanceof Error ? e.message : String(e))}`);
  }
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
    const kind = this.kind(field(obj, 'kind', path), `${path}.kind`);
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

  kind(v: unknown, path: string): TaskKind {
    const s = string(v, path);
    if (!isTaskKind(s)) throw new ScenarioError(path, `unknown task kind ${quote(s)}`);
    return s;
  }

  private filter(obj: Obj, path: string): ShutdownFilter {
    const k = obj.kind;
    return {
      kind: !has(obj, 'kind') || k === null ? null : this.kind(k, `${path}.kind`),
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
