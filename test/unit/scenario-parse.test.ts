/**
 * Tests of the scenario parser (shared/scenario/parse.ts): every conformance
 * example parses, YAML and JSON give the same Scenario, defaults and step order,
 * and each malformed file under test/fixtures/malformed is rejected with exactly
 * the one-line message listed in test/fixtures/malformed/expected.json (the CLI
 * reuses that table to check its exit code 2).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { stringify } from 'yaml';
import { parseScenario, parseScenarioValue, ScenarioError } from '../../shared/scenario/parse';
import type { Scenario } from '../../shared/scenario/types';

const FIXTURES = join(__dirname, '..', 'fixtures');
const CONFORMANCE = join(FIXTURES, 'conformance');
const MALFORMED = join(FIXTURES, 'malformed');

const read = (path: string): string => readFileSync(path, 'utf8');

/** Runs `f`, which must throw a ScenarioError, and returns it. */
function scenarioError(f: () => unknown): ScenarioError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError, but the scenario was accepted');
}

/** A minimal valid scenario, to be modified by a test. */
function minimal(): Record<string, unknown> {
  return {
    format: 'taskmgr-scenario/1',
    tasks: {
      gc: { runtime: 'background', kind: 'GarbageCollector', body: [{ op: 'wait_shutdown' }] },
    },
    steps: [{ at: 0, do: 'spawn', task: 'gc' }],
    end_at: 10,
  };
}

const OUTCOMES_YAML = `
# The conformance example outcomes.json, written in YAML.
format: taskmgr-scenario/1
name: outcomes
description: >-
  Tasks that end by themselves: Ok, an error and a panic (each caught by the
  seed's task_wrapper and only logged). Each one leaves the registry as it
  ends; a task waiting for shutdown is still registered at the end.
tasks:
  compaction:
    runtime: background
    kind: Compaction
    tenant: t1
    timeline: null
    body:
      - { op: sleep, ticks: 10 }
      - { op: ok }
  gc:
    runtime: background
    kind: GarbageCollector
    tenant: t1
    timeline: ~
    body:
      - op: sleep
        ticks: 20
      - op: error
        message: "gc failed: disk full"
  attach:
    runtime: mgmt_request
    kind: Attach
    tenant: t2
    body:
      - { op: sleep, ticks: 30 }
      - { op: panic, message: "attach: index_part.json is corrupt" }
  walreceiver:
    runtime: walreceiver
    kind: WalReceiverManager
    tenant: t1
    timeline: l1
    body: [ { op: wait_shutdown } ]
steps:
  - { at: 0, do: spawn, task: compaction }
  - { at: 0, do: spawn, task: gc }
  - { at: 0, do: spawn, task: attach }
  - { at: 0, do: spawn, task: walreceiver }
  - { at: 5, do: snapshot, label: all four running }
  - { at: 15, do: snapshot, label: compaction gone }
  - { at: 25, do: snapshot, label: gc gone }
  - { at: 35, do: snapshot, label: attach gone }
end_at: 45
`;

describe('parseScenario: the conformance examples', () => {
  const files = readdirSync(CONFORMANCE).filter((f) => f.endsWith('.json'));

  it('finds the examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  for (const file of files) {
    it(`parses ${file}`, () => {
      const text = read(join(CONFORMANCE, file));
      const raw = JSON.parse(text) as { name: string; tasks: Record<string, unknown>; steps: unknown[] };
      const s = parseScenario(text);
      expect(s.format).toBe('taskmgr-scenario/1');
      expect(s.name).toBe(raw.name);
      expect(Object.keys(s.tasks)).toEqual(Object.keys(raw.tasks));
      expect(s.steps).toHaveLength(raw.steps.length);
      for (const [id, t] of Object.entries(s.tasks)) expect(t.id).toBe(id);
      // The same file in YAML, and as an already parsed value, give the same Scenario.
      expect(parseScenario(stringify(raw))).toEqual(s);
      expect(parseScenario(text, { format: 'yaml' })).toEqual(s);
      expect(parseScenarioValue(raw)).toEqual(s);
    });
  }

  it('reads a hand-written YAML version of outcomes.json as the same Scenario', () => {
    const fromJson = parseScenario(read(join(CONFORMANCE, 'outcomes.json')));
    const fromYaml = parseScenario(OUTCOMES_YAML);
    expect(fromYaml).toEqual(fromJson);
    expect(parseScenario(OUTCOMES_YAML, { format: 'yaml' })).toEqual(fromJson);
  });

  it('gives the full shape of a scenario', () => {
    const s = parseScenario(read(join(CONFORMANCE, 'pageserver-shutdown-order.json')));
    expect(s.tasks.libpq).toEqual({
      id: 'libpq',
      runtime: 'compute_request',
      kind: 'LibpqEndpointListener',
      tenant: null,
      timeline: null,
      name: 'libpq',
      shutdown_process_on_error: true,
      body: [{ op: 'wait_shutdown' }, { op: 'sleep', ticks: 5 }],
    });
    expect(s.steps[s.steps.length - 1]).toEqual({ at: 10, do: 'shutdown_pageserver', exit_code: 0 });
    expect(s.end_at).toBe(60);
  });
});

describe('parseScenario: defaults and normalisation', () => {
  it('fills in the defaults', () => {
    const s = parseScenarioValue(minimal());
    const expected: Scenario = {
      format: 'taskmgr-scenario/1',
      name: '',
      description: '',
      tasks: {
        gc: {
          id: 'gc',
          runtime: 'background',
          kind: 'GarbageCollector',
          tenant: null,
          timeline: null,
          name: 'gc',
          shutdown_process_on_error: false,
          body: [{ op: 'wait_shutdown' }],
        },
      },
      steps: [{ at: 0, do: 'spawn', task: 'gc' }],
      end_at: 10,
    };
    expect(s).toEqual(expected);
  });

  it('treats null like an absent optional field', () => {
    const v = minimal();
    v.name = null;
    v.description = null;
    v.tasks = {
      gc: {
        runtime: 'background',
        kind: 'GarbageCollector',
        tenant: null,
        timeline: null,
        name: null,
        shutdown_process_on_error: null,
        body: [],
      },
    };
    const s = parseScenarioValue(v);
    expect(s.name).toBe('');
    expect(s.description).toBe('');
    expect(s.tasks.gc.name).toBe('gc');
    expect(s.tasks.gc.shutdown_process_on_error).toBe(false);
  });

  it('fills in the wildcards of filters and the nones of associate', () => {
    const v = minimal();
    v.tasks = {
      gc: {
        runtime: 'background',
        kind: 'GarbageCollector',
        body: [
          { op: 'associate' },
          { op: 'shutdown_tasks', label: 'all' },
          { op: 'busy', ticks: 3 },
          { op: 'poll_shutdown', every: 0.5 },
        ],
      },
    };
    v.steps = [
      { at: 0, do: 'spawn', task: 'gc' },
      { at: 1, do: 'shutdown_tasks', label: 'by kind', kind: 'Compaction' },
    ];
    const s = parseScenarioValue(v);
    expect(s.tasks.gc.body).toEqual([
      { op: 'associate', tenant: null, timeline: null },
      { op: 'shutdown_tasks', label: 'all', kind: null, tenant: null, timeline: null },
      { op: 'busy', ticks: 3 },
      { op: 'poll_shutdown', every: 0.5 },
    ]);
    expect(s.steps[1]).toEqual({ at: 1, do: 'shutdown_tasks', label: 'by kind', kind: 'Compaction', tenant: null, timeline: null });
  });

  it('sorts steps by `at`, keeping the file order of equal `at` (stable)', () => {
    const v = minimal();
    v.end_at = 100;
    v.steps = [
      { at: 50, do: 'snapshot', label: 'a' },
      { at: 10, do: 'snapshot', label: 'b' },
      { at: 50, do: 'snapshot', label: 'c' },
      { at: 0, do: 'spawn', task: 'gc' },
      { at: 10, do: 'check_shutdown' },
      { at: 50, do: 'snapshot', label: 'd' },
      { at: 10, do: 'snapshot', label: 'e' },
      { at: 2.5, do: 'record_kind' },
    ];
    const s = parseScenarioValue(v);
    expect(s.steps.map((st) => [st.at, 'label' in st ? st.label : st.do])).toEqual([
      [0, 'spawn'],
      [2.5, 'record_kind'],
      [10, 'b'],
      [10, 'check_shutdown'],
      [10, 'e'],
      [50, 'a'],
      [50, 'c'],
      [50, 'd'],
    ]);
  });

  it('allows a step at end_at', () => {
    const v = minimal();
    v.steps = [{ at: 10, do: 'spawn', task: 'gc' }];
    expect(parseScenarioValue(v).steps).toHaveLength(1);
  });

  it('keeps templates in file order', () => {
    const v = minimal();
    const body = [{ op: 'ok' }];
    v.tasks = {
      zeta: { runtime: 'background', kind: 'Compaction', body },
      alpha: { runtime: 'background', kind: 'Compaction', body },
      mid: { runtime: 'background', kind: 'Compaction', body },
    };
    v.steps = [];
    expect(Object.keys(parseScenarioValue(v).tasks)).toEqual(['zeta', 'alpha', 'mid']);
    const yaml = 'format: taskmgr-scenario/1\ntasks:\n  zeta: {runtime: background, kind: Compaction, body: []}\n  alpha: {runtime: background, kind: Compaction, body: []}\nsteps: []\nend_at: 0\n';
    expect(Object.keys(parseScenario(yaml).tasks)).toEqual(['zeta', 'alpha']);
  });

  it('accepts a template id "__proto__" as an ordinary id', () => {
    const text =
      '{"format":"taskmgr-scenario/1","tasks":{"__proto__":{"runtime":"background","kind":"Compaction","body":[]}},' +
      '"steps":[{"at":0,"do":"spawn","task":"__proto__"}],"end_at":1}';
    const s = parseScenario(text);
    expect(Object.keys(s.tasks)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(s.tasks)).toBe(Object.prototype);
  });

  it('detects the format: JSON when the text starts with "{", else YAML', () => {
    const json = JSON.stringify(minimal());
    expect(parseScenario(`\n  ${json}`)).toEqual(parseScenarioValue(minimal()));
    expect(parseScenario(`\uFEFF${json}`)).toEqual(parseScenarioValue(minimal()));
    expect(parseScenario(stringify(minimal()))).toEqual(parseScenarioValue(minimal()));
    // Forced JSON: YAML text is a JSON syntax error.
    expect(scenarioError(() => parseScenario('format: x', { format: 'json' })).message).toBe(
      '$: invalid JSON at line 1, column 1: expected a value, found "f"',
    );
  });

  it('accepts negative and zero exit codes within the i32 range', () => {
    for (const code of [0, 1, -1, -2147483648, 2147483647]) {
      const v = minimal();
      v.steps = [{ at: 0, do: 'shutdown_pageserver', exit_code: code }];
      expect(parseScenarioValue(v).steps[0]).toEqual({ at: 0, do: 'shutdown_pageserver', exit_code: code });
    }
  });
});

describe('parseScenario: malformed scenarios', () => {
  const expected = JSON.parse(read(join(MALFORMED, 'expected.json'))) as Record<string, string>;
  const files = readdirSync(MALFORMED).filter((f) => f !== 'expected.json');

  it('has an expected message for every malformed file, and a file for every message', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
    expect([...files].sort()).toEqual(Object.keys(expected).sort());
  });

  for (const file of files) {
    it(`rejects ${file}`, () => {
      const err = scenarioError(() => parseScenario(read(join(MALFORMED, file))));
      expect(err.message).toBe(expected[file]);
      expect(err.message).not.toMatch(/[\r\n]/);
      expect(err.message).toBe(`${err.path}: ${err.reason}`);
      expect(err.path.startsWith('$')).toBe(true);
      // The same when the format is chosen by the file's extension (as the CLI does).
      const format = file.endsWith('.json') ? 'json' : 'yaml';
      expect(scenarioError(() => parseScenario(read(join(MALFORMED, file)), { format })).message).toBe(expected[file]);
    });
  }
});

describe('parseScenarioValue: rejections', () => {
  /** The message for `minimal()` changed by `edit`. */
  function messageOf(edit: (v: Record<string, unknown>) => void): string {
    const v = minimal();
    edit(v);
    return scenarioError(() => parseScenarioValue(v)).message;
  }
  const gcWith = (t: Record<string, unknown>) => (v: Record<string, unknown>) => {
    v.tasks = { gc: { runtime: 'background', kind: 'GarbageCollector', body: [{ op: 'wait_shutdown' }], ...t } };
  };
  const bodyOf = (...body: unknown[]) => gcWith({ body });
  const stepsOf = (...steps: unknown[]) => (v: Record<string, unknown>) => {
    v.steps = [{ at: 0, do: 'spawn', task: 'gc' }, ...steps];
  };

  const cases: [string, (v: Record<string, unknown>) => void, string][] = [
    ['root not an object', (v) => Object.assign(v, { tasks: [] }), '$.tasks: expected an object'],
    ['missing format', (v) => delete v.format, '$: missing "format"'],
    ['format not a string', (v) => (v.format = 1), '$.format: expected a string'],
    ['name not a string', (v) => (v.name = 3), '$.name: expected a string or null'],
    ['missing tasks', (v) => delete v.tasks, '$: missing "tasks"'],
    ['missing steps', (v) => delete v.steps, '$: missing "steps"'],
    ['negative end_at', (v) => (v.end_at = -1), '$.end_at: expected a number >= 0'],
    ['infinite end_at', (v) => (v.end_at = Infinity), '$.end_at: expected a number >= 0'],
    ['NaN ticks', bodyOf({ op: 'sleep', ticks: NaN }), '$.tasks.gc.body[0].ticks: expected a number >= 0'],
    ['template not an object', (v) => (v.tasks = { gc: 'x' }), '$.tasks.gc: expected an object'],
    ['runtime missing', (v) => (v.tasks = { gc: { kind: 'Compaction', body: [] } }), '$.tasks.gc: missing "runtime"'],
    ['unknown template field', gcWith({ tenants: 't1' }), '$.tasks.gc: unknown field "tenants"'],
    ['body not an array', gcWith({ body: {} }), '$.tasks.gc.body: expected an array'],
    ['op not an object', bodyOf('sleep'), '$.tasks.gc.body[0]: expected an object'],
    ['op without op', bodyOf({ ticks: 1 }), '$.tasks.gc.body[0]: missing "op"'],
    ['op name not a string', bodyOf({ op: 7 }), '$.tasks.gc.body[0].op: expected a string'],
    ['extra field on a field-less op', bodyOf({ op: 'hang', ticks: 1 }), '$.tasks.gc.body[0]: unknown field "ticks"'],
    ['panic message not a string', bodyOf({ op: 'panic', message: 1 }), '$.tasks.gc.body[0].message: expected a string'],
    ['busy without ticks', bodyOf({ op: 'busy' }), '$.tasks.gc.body[0]: missing "ticks"'],
    ['negative poll period', bodyOf({ op: 'poll_shutdown', every: -1 }), '$.tasks.gc.body[0].every: expected a number >= 0'],
    ['label not a string', bodyOf({ op: 'shutdown_tasks', label: null }), '$.tasks.gc.body[0].label: expected a string'],
    ['filter timeline not a string', bodyOf({ op: 'shutdown_tasks', label: 'x', timeline: 2 }), '$.tasks.gc.body[0].timeline: expected a string or null'],
    ['associate tenant not a string', bodyOf({ op: 'associate', tenant: [] }), '$.tasks.gc.body[0].tenant: expected a string or null'],
    ['step not an object', stepsOf(3), '$.steps[1]: expected an object'],
    ['step without at', stepsOf({ do: 'record_kind' }), '$.steps[1]: missing "at"'],
    ['step without do', stepsOf({ at: 1 }), '$.steps[1]: missing "do"'],
    ['unknown step field', stepsOf({ at: 1, do: 'check_shutdown', label: 'x' }), '$.steps[1]: unknown field "label"'],
    ['inject into an unknown task', stepsOf({ at: 1, do: 'inject', task: 'gcc', fault: 'panic', message: 'm' }), '$.steps[1].task: no task template "gcc"'],
    ['exit code as a string', stepsOf({ at: 1, do: 'shutdown_pageserver', exit_code: '1' }), '$.steps[1].exit_code: expected an integer from -2147483648 to 2147483647'],
    ['spawned twice by steps', stepsOf({ at: 5, do: 'spawn', task: 'gc' }), '$.tasks.gc: task "gc" is spawned more than once (by step at 0, by step at 5); each template is spawned at most once'],
    ['default name clashes with an explicit one', (v) => {
      v.tasks = {
        gc: { runtime: 'background', kind: 'GarbageCollector', body: [] },
        other: { runtime: 'background', kind: 'Compaction', name: 'gc', body: [] },
      };
    }, '$.tasks.other: tasks "gc" and "other" have the same name "gc"; names must be unique'],
    ['an id that is not a plain word is quoted in the path', (v) => {
      v.tasks = { 'a.b': { runtime: 'nope', kind: 'Compaction', body: [] } };
      v.steps = [];
    }, '$.tasks["a.b"].runtime: unknown runtime "nope"'],
    ['a value with a line break stays on one line', bodyOf({ op: 'sle\nep' }), '$.tasks.gc.body[0].op: unknown op "sle\\nep"'],
  ];

  for (const [what, edit, message] of cases) {
    it(what, () => {
      expect(messageOf(edit)).toBe(message);
    });
  }

  it('rejects a root that is not an object', () => {
    for (const v of [null, 1, 'x', [], undefined]) {
      expect(scenarioError(() => parseScenarioValue(v)).message).toBe('$: expected an object');
    }
  });

  it('reports the first late step in file order', () => {
    const v = minimal();
    v.end_at = 20;
    v.steps = [
      { at: 0, do: 'spawn', task: 'gc' },
      { at: 40, do: 'record_kind' },
      { at: 30, do: 'record_kind' },
    ];
    const err = scenarioError(() => parseScenarioValue(v));
    expect(err.path).toBe('$.steps[1].at');
    expect(err.reason).toBe('step at 40 comes after end_at 20');
  });

  it('reports JSON syntax errors with line and column', () => {
    const cases: [string, string][] = [
      ['', '$: invalid JSON at line 1, column 1: unexpected end of input'],
      ['{', '$: invalid JSON at line 1, column 2: expected a property name in double quotes, found the end of the input'],
      ['{"a": 1}\n}', '$: invalid JSON at line 2, column 1: unexpected "}" after the end of the document'],
      ['{\n  "a": [1, 2,]\n}', '$: invalid JSON at line 2, column 14: expected a value, found "]"'],
      ['{\n  "a" 1\n}', '$: invalid JSON at line 2, column 7: expected ":" after the property name, found "1"'],
      ['{"a": 1 "b": 2}', '$: invalid JSON at line 1, column 9: expected "," or "}", found "\\""'],
      ['{"a": 01}', '$: invalid JSON at line 1, column 7: invalid number'],
      ['{"a": "x\ny"}', '$: invalid JSON at line 1, column 9: unterminated string (a line break inside a string must be written \\n)'],
      ['{"a": "\\x"}', '$: invalid JSON at line 1, column 8: a backslash followed by "x" is not a valid escape'],
      ['{"a": {"b": 1, "b": 2}}', '$: invalid JSON at line 1, column 16: duplicate key "b"'],
    ];
    for (const [text, message] of cases) {
      const err = scenarioError(() => parseScenario(text, { format: 'json' }));
      expect(err.message).toBe(message);
      expect(err.path).toBe('$');
    }
  });

  it('agrees with JSON.parse on which texts are JSON', () => {
    const texts = ['{}', '{"a":[]}', '{"a":-0.5e+3}', '{"a":"\\u00e9\\n"}', '{"a":1,}', '{"a":.5}', '{"a":-}', '{"a":1e}', '{"a":tru}', '{"a":"\t"}', '{"a" :\r\n null }'];
    for (const text of texts) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      let syntaxOk = true;
      try {
        parseScenario(text, { format: 'json' });
      } catch (e) {
        syntaxOk = !(e instanceof ScenarioError && e.reason.startsWith('invalid JSON'));
      }
      expect(syntaxOk, text).toBe(valid);
    }
  });

  it('reports YAML errors with line and column', () => {
    expect(scenarioError(() => parseScenario('format: a\nformat: b\n')).message).toBe(
      '$: invalid YAML at line 2, column 1: duplicate key "format"',
    );
    expect(scenarioError(() => parseScenario('a: *nowhere\n')).message).toBe(
      '$: invalid YAML at line 1, column 4: unresolved alias *nowhere (the anchor must be set before the alias)',
    );
    expect(scenarioError(() => parseScenario('format: a\n---\nformat: b\n')).message).toBe(
      '$: invalid YAML at line 2, column 1: a scenario is a single YAML document (found a second one)',
    );
    expect(scenarioError(() => parseScenario('')).message).toBe('$: expected an object');
  });
});
