/**
 * The `expect` block of `taskmgr-scenario/1` (shared/scenario/expect.ts and
 * expect-check.ts): it parses with exact one-line errors, a file without it parses
 * as before, and each subject holds or fails on a real simulated run's trace.
 */
import { describe, expect, it } from 'vitest';
import { checkScenarioExpect } from '../../shared/scenario/expect-check';
import { parseScenarioValue, ScenarioError } from '../../shared/scenario/parse';
import { runScenarioSim } from '../../electron/run/run-scenario';

function base(expectBlock?: unknown): Record<string, unknown> {
  const v: Record<string, unknown> = {
    format: 'taskmgr-scenario/1',
    name: 'expect-test',
    tasks: {
      gc: { runtime: 'background', kind: 'GarbageCollector', tenant: 't1', body: [{ op: 'poll_shutdown', every: 4 }] },
      flush: { runtime: 'background', kind: 'LayerFlushTask', tenant: 't1', timeline: 'l1', body: [{ op: 'wait_shutdown' }] },
      upload: { runtime: 'background', kind: 'RemoteUploadTask', tenant: 't2', body: [{ op: 'sleep', ticks: 100 }] },
      boom: { runtime: 'background', kind: 'Compaction', tenant: 't2', body: [{ op: 'sleep', ticks: 5 }, { op: 'panic', message: 'bug' }] },
    },
    steps: [
      { at: 0, do: 'spawn', task: 'gc' },
      { at: 0, do: 'spawn', task: 'flush' },
      { at: 0, do: 'spawn', task: 'upload' },
      { at: 0, do: 'spawn', task: 'boom' },
      { at: 10, do: 'shutdown_tasks', label: 'detach t1', tenant: 't1' },
      { at: 20, do: 'shutdown_tasks', label: 'stop t2', tenant: 't2' },
    ],
    end_at: 50,
  };
  if (expectBlock !== undefined) v.expect = expectBlock;
  return v;
}

function parseError(v: unknown): string {
  try {
    parseScenarioValue(v);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('the expect block of taskmgr-scenario/1', () => {
  it('is absent from the parsed scenario when the file has none', () => {
    expect('expect' in parseScenarioValue(base())).toBe(false);
  });

  it('parses every subject, with defaults', () => {
    const s = parseScenarioValue(
      base([
        { shutdown: 'detach t1', completed: true, why: 'w' },
        { tasks: { tenant: 't1' }, outcome: 'ok' },
        { tasks: { kind: 'Compaction', timeline: null }, count: 1, at: 5 },
        { observed: 'gc' },
        { observed: 'flush', via: 'watcher' },
        { exit_code: null },
      ]),
    );
    expect(s.expect).toEqual([
      { shutdown: 'detach t1', completed: true, why: 'w' },
      { tasks: { tenant: 't1' }, outcome: 'ok' },
      { tasks: { kind: 'Compaction', timeline: null }, count: 1, at: 5 },
      { observed: 'gc', via: 'any' },
      { observed: 'flush', via: 'watcher' },
      { exit_code: null },
    ]);
  });

  it.each([
    ['not an array', {}, '$.expect: expected an array'],
    ['no subject', [{ why: 'x' }], '$.expect[0]: expected exactly one of "shutdown", "tasks", "observed", "exit_code"'],
    ['two subjects', [{ shutdown: 'a', exit_code: 0, completed: true }], '$.expect[0]: expected exactly one of "shutdown", "tasks", "observed", "exit_code", found "shutdown" and "exit_code"'],
    ['unknown field', [{ shutdown: 'a', completed: true, status: 1 }], '$.expect[0]: unknown field "status"'],
    ['missing completed', [{ shutdown: 'a' }], '$.expect[0]: missing "completed"'],
    ['unknown template', [{ observed: 'gcc' }], '$.expect[0].observed: no task template "gcc"'],
    ['unknown template in tasks', [{ tasks: { task: 'x' }, outcome: 'ok' }], '$.expect[0].tasks.task: no task template "x"'],
    ['bad outcome', [{ tasks: {}, outcome: 'done' }], '$.expect[0].outcome: expected one of "ok", "error", "panic", "killed", "running", found "done"'],
    ['no outcome nor count', [{ tasks: {} }], '$.expect[0]: missing "outcome" (or "count")'],
    ['bad via', [{ observed: 'gc', via: 'signal' }], '$.expect[0].via: expected one of "watcher", "poll", "any", "never", found "signal"'],
    ['fractional count', [{ tasks: {}, count: 1.5 }], '$.expect[0].count: expected an integer >= 0'],
    ['at after end', [{ exit_code: 0, at: 60 }], '$.expect[0].at: expectation at 60 comes after end_at 50'],
    ['exit code text', [{ exit_code: '0' }], '$.expect[0].exit_code: expected an integer or null'],
  ])('rejects %s with one line', (_name, block, message) => {
    expect(parseError(base(block))).toBe(message);
  });

  it('each subject holds or fails on the trace of a run', async () => {
    const scenario = parseScenarioValue(
      base([
        { shutdown: 'detach t1', completed: true },
        { shutdown: 'stop t2', completed: false, why: 'upload sleeps through it' },
        { tasks: { tenant: 't1' }, outcome: 'ok' },
        { tasks: { task: 'boom' }, outcome: 'panic' },
        { tasks: { tenant: 't2' }, outcome: 'running', count: 1 },
        { tasks: {}, count: 4 },
        { observed: 'gc', via: 'poll' },
        { observed: 'flush', via: 'watcher' },
        { observed: 'upload', via: 'never' },
        { exit_code: null },
        { shutdown: 'detach t1', completed: false, at: 9 },
        // These must fail:
        { shutdown: 'detach t1', completed: false },
        { observed: 'gc', via: 'watcher' },
        { tasks: { tenant: 't2' }, outcome: 'ok' },
        { exit_code: 0 },
        { tasks: { kind: 'Attach' }, outcome: 'ok' },
      ]),
    );
    const run = await runScenarioSim(scenario);
    const results = checkScenarioExpect(scenario.expect, run.events);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, true, true, true, true, true, false, false, false, false, false, false]);
    expect(results.slice(10).map((r) => `${r.description}: ${r.detail}`)).toEqual([
      'shutdown_tasks detach t1 never returns at tick 9: it never began',
      'shutdown_tasks detach t1 never returns: it returned',
      'gc observes shutdown via watcher: it observed shutdown via poll',
      'every task of tenant t2 ended ok: upload: running, boom: panic',
      'the process exits with code 0: still running',
      'every Attach ended ok: no such task',
    ]);
    expect(results[1].description).toBe('shutdown_tasks stop t2 never returns (upload sleeps through it)');
  });
});
