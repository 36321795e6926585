/**
 * The pageserver scenario format (`taskmgr-pageserver/1`): what it reads, defaults,
 * and one-line errors with their JSON path, as the v1 parser gives them.
 */
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../shared/scenario/parse';
import { parseAnyScenario, parsePageserverScenarioValue } from '../../shared/scenario/pageserver-parse';

const base = { format: 'taskmgr-pageserver/1', steps: [], end_at: 100 };
const err = (v: unknown) => {
  try {
    parsePageserverScenarioValue(v);
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error('no error');
};

describe('taskmgr-pageserver/1', () => {
  it('reads a minimal scenario with the defaults', () => {
    const s = parsePageserverScenarioValue(base);
    expect(s).toMatchObject({ title: '', catalog: [], issues: [], seed: 1, live: true, tasks: {}, phases: [], expect: [] });
    expect(s.pageserver).toMatchObject({ remote_storage: true, second_ticks: 10, stuck_after: 30, tenants: [], failpoints: {} });
  });

  it('reads tenants, pageserver steps beside v1 steps, phases and expectations; steps sorted by tick', () => {
    const s = parsePageserverScenarioValue({
      ...base,
      pageserver: { tenants: [{ id: 't1', location: 'remote', timelines: [{ id: 'l1' }] }] },
      tasks: { probe: { runtime: 'background', kind: 'Compaction', tenant: 't1', body: [{ op: 'wait_shutdown' }] } },
      steps: [
        { at: 20, do: 'detach', tenant: 't1' },
        { at: 10, do: 'spawn', task: 'probe' },
        { at: 30, do: 'inject_into', kind: 'Attach', tenant: 't1', fault: 'panic', message: 'm' },
        { at: 40, do: 'failpoint', name: 'before-upload-layer', action: 'sleep', ticks: 5 },
      ],
      phases: [{ at: 5, title: 'Detach' }],
      expect: [{ tenant: 't1', state: 'Paused' }, { http: 'detach t1', status: 'pending' }],
    });
    expect(s.steps.map((x) => x.do)).toEqual(['spawn', 'detach', 'inject_into', 'failpoint']);
    expect(s.pageserver.tenants[0]).toEqual({ id: 't1', location: 'remote', conf: {}, timelines: [{ id: 'l1', layers: 2, wal_every: 0, ancestor: null }] });
    expect(s.steps[2]).toMatchObject({ kind: 'Attach', tenant: 't1', timeline: null });
  });

  it('parseAnyScenario reads both formats', () => {
    expect(parseAnyScenario(JSON.stringify(base)).format).toBe('taskmgr-pageserver/1');
    expect(parseAnyScenario('{"format":"taskmgr-scenario/1","tasks":{},"steps":[],"end_at":1}').format).toBe('taskmgr-scenario/1');
  });

  it.each([
    [{ ...base, extra: 1 }, '$: unknown field "extra"'],
    [{ ...base, steps: [{ at: 1, do: 'detach' }] }, '$.steps[0]: missing "tenant"'],
    [{ ...base, steps: [{ at: 1, do: 'signal', signal: 'SIGHUP' }] }, '$.steps[0].signal: expected one of "SIGINT", "SIGTERM", "SIGQUIT", found "SIGHUP"'],
    [{ ...base, steps: [{ at: 1, do: 'nap' }] }, '$.steps[0].do: unknown step "nap"'],
    [{ ...base, steps: [{ at: 1, do: 'failpoint', name: 'x', action: 'sleep' }] }, '$.steps[0]: a "sleep" failpoint needs "ticks"'],
    [{ ...base, steps: [{ at: 1, do: 'inject_into', kind: 'Nope', fault: 'panic', message: 'm' }] }, '$.steps[0].kind: unknown task kind "Nope"'],
    [{ ...base, steps: [{ at: 200, do: 'crash' }] }, '$.steps[0].at: step at 200 comes after end_at 100'],
    [{ ...base, pageserver: { tenants: [{ id: 't1', location: 'moon' }] } }, '$.pageserver.tenants[0].location: expected one of "local", "remote", "local-only", found "moon"'],
    [{ ...base, pageserver: { durations: { flush: 3 } } }, '$.pageserver.durations: unknown field "flush"'],
    [{ ...base, expect: [{ tenant: 't1', timeline: 't1/l1', state: 'Active' }] }, '$.expect[0]: an expectation names exactly one of "tenant", "timeline", "flush_loop", "tasks", "http", "shutdown", "exit_code", "processes", "lint", "log", "disk", "upload_queue", "remote_lsn"'],
    [{ ...base, expect: [{ tenant: 't1', state: 'Stopping' }] }, '$.expect[0].state: expected one of "Loading", "Attaching", "Active", "Paused", "Broken", "absent", found "Stopping"'],
    [{ ...base, steps: [{ at: 1, do: 'spawn', task: 'ghost' }] }, '$.steps[0].task: no task template "ghost"'],
  ])('rejects %j with one line', (value, message) => {
    expect(err(value)).toBe(message);
  });
});
