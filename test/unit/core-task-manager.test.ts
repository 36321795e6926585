/**
 * The fidelity rules of DESIGN.md section 5, one test per behaviour of the seed's
 * task_mgr.rs, run on the simulator.
 */
import { describe, expect, it } from 'vitest';
import { IS_SHUTDOWN_REQUESTED_OUTSIDE_TASK, SHUTDOWN_WATCHER_OUTSIDE_TASK, shutdownWatcher } from '../../electron/core/task-locals';
import { scenario, sim } from '../helpers/sim';

const waiter = (extra: Record<string, unknown> = {}) => ({ body: [{ op: 'wait_shutdown' }], ...extra });

describe('spawn', () => {
  it('registers the task before its body runs, with ids counted from 1', async () => {
    const { q } = await sim(
      scenario({ a: waiter(), b: { body: [{ op: 'spawn', task: 'c' }, { op: 'wait_shutdown' }] }, c: waiter() }, [
        { at: 0, do: 'spawn', task: 'a' },
        { at: 0, do: 'spawn', task: 'b' },
      ]),
    );
    expect(q.of('spawn').map((e) => [e.task, e.id, e.parent])).toEqual([
      ['a', 1, null],
      ['b', 2, null],
      ['c', 3, 'b'],
    ]);
    for (const s of q.of('spawn')) {
      expect(q.index((e) => e.ev === 'spawn' && e.task === s.task)).toBeLessThan(q.index((e) => e.ev === 'start' && e.task === s.task));
    }
  });

  it('makes a task visible to a shutdown_tasks call in the same tick, before it started', async () => {
    const { q } = await sim(
      scenario({ a: { body: [{ op: 'check_shutdown' }, { op: 'wait_shutdown' }] } }, [
        { at: 5, do: 'spawn', task: 'a' },
        { at: 5, do: 'shutdown_tasks', label: 'now', kind: null, tenant: null, timeline: null },
      ]),
    );
    expect(q.end('now')).toMatchObject({ victims: ['a'], waited: ['a'] });
    expect(q.one('check').value).toBe(true);
  });
});

describe('shutdown_tasks', () => {
  it('signals a snapshot: tasks registered after the scan are not touched', async () => {
    const { q } = await sim(
      scenario({ slow: { body: [{ op: 'wait_shutdown' }, { op: 'sleep', ticks: 20 }] }, late: waiter({ tenant: 't1' }) }, [
        { at: 0, do: 'spawn', task: 'slow' },
        { at: 10, do: 'shutdown_tasks', label: 'all', kind: null, tenant: null, timeline: null },
        { at: 15, do: 'spawn', task: 'late' },
      ], 50),
    );
    expect(q.end('all')).toMatchObject({ victims: ['slow'] });
    expect(q.of('signal').filter((e) => e.task === 'late')).toEqual([]);
    expect(q.one('end').registry).toEqual(['late']);
  });

  it('treats a null filter field as a wildcard and a value as an exact match of the current association', async () => {
    const { q } = await sim(
      scenario(
        {
          gc: waiter({ tenant: 't1', timeline: null }),
          flush: waiter({ tenant: 't1', timeline: 'l1' }),
          other: waiter({ tenant: 't2', timeline: 'l1' }),
          page: waiter({ kind: 'PageRequestHandler', runtime: 'compute_request' }),
        },
        [
          { at: 0, do: 'spawn', task: 'gc' },
          { at: 0, do: 'spawn', task: 'flush' },
          { at: 0, do: 'spawn', task: 'other' },
          { at: 0, do: 'spawn', task: 'page' },
          { at: 10, do: 'shutdown_tasks', label: 'timeline', kind: null, tenant: 't1', timeline: 'l1' },
          { at: 20, do: 'shutdown_tasks', label: 'l1 anywhere', kind: null, tenant: null, timeline: 'l1' },
          { at: 30, do: 'shutdown_tasks', label: 'tenant', kind: null, tenant: 't1', timeline: null },
        ],
      ),
    );
    expect(q.end('timeline')!.victims).toEqual(['flush']);
    expect(q.end('l1 anywhere')!.victims).toEqual(['other']);
    expect(q.end('tenant')!.victims).toEqual(['gc']);
    expect(q.one('end').registry).toEqual(['page']);
  });

  it('lets only the first caller take a join handle: a second caller does not wait', async () => {
    const { q } = await sim(
      scenario({ slow: { body: [{ op: 'wait_shutdown' }, { op: 'sleep', ticks: 30 }] } }, [
        { at: 0, do: 'spawn', task: 'slow' },
        { at: 10, do: 'shutdown_tasks', label: 'first', kind: null, tenant: null, timeline: null },
        { at: 15, do: 'shutdown_tasks', label: 'second', kind: null, tenant: null, timeline: null },
      ]),
    );
    expect(q.end('second')).toMatchObject({ victims: ['slow'], waited: [] });
    expect(q.end('first')).toMatchObject({ victims: ['slow'], waited: ['slow'] });
    expect(q.end('second')!.t).toBe(15);
    expect(q.end('first')!.t).toBe(40);
  });

  it('has no timeout: a victim that never looks at the signal keeps the call pending for ever', async () => {
    const { q } = await sim(
      scenario({ stuck: { body: [{ op: 'hang' }] } }, [
        { at: 0, do: 'spawn', task: 'stuck' },
        { at: 10, do: 'shutdown_tasks', label: 'detach', kind: null, tenant: null, timeline: null },
      ], 100000),
    );
    expect(q.end('detach')).toBeUndefined();
    expect(q.one('end')).toMatchObject({ registry: ['stuck'], pending: ['detach'] });
  });

  it('sends one signal per victim and per call, even when the flag was already set', async () => {
    const { q } = await sim(
      scenario({ slow: { body: [{ op: 'wait_shutdown' }, { op: 'sleep', ticks: 30 }] } }, [
        { at: 0, do: 'spawn', task: 'slow' },
        { at: 10, do: 'shutdown_tasks', label: 'x', kind: null, tenant: null, timeline: null },
        { at: 15, do: 'shutdown_tasks', label: 'x', kind: null, tenant: null, timeline: null },
      ]),
    );
    expect(q.of('signal').map((e) => e.by)).toEqual(['x', 'x#2']);
  });

  it('returns at once when nothing matches', async () => {
    const { q } = await sim(scenario({}, [{ at: 3, do: 'shutdown_tasks', label: 'none', kind: 'Attach', tenant: null, timeline: null }], 10));
    expect(q.end('none')).toMatchObject({ t: 3, victims: [], waited: [] });
  });

  it('drops a call whose calling task gets a fault, and the handle it took is gone with it', async () => {
    const { q } = await sim(
      scenario(
        {
          victim: { tenant: 't1', body: [{ op: 'wait_shutdown' }, { op: 'sleep', ticks: 40 }] },
          caller: { body: [{ op: 'shutdown_tasks', label: 'inner', kind: null, tenant: 't1', timeline: null }] },
        },
        [
          { at: 0, do: 'spawn', task: 'victim' },
          { at: 5, do: 'spawn', task: 'caller' },
          { at: 10, do: 'inject', task: 'caller', fault: 'error', message: 'boom' },
          { at: 20, do: 'shutdown_tasks', label: 'outer', kind: null, tenant: 't1', timeline: null },
        ],
      ),
    );
    expect(q.one('shutdown_abandoned').label).toBe('inner');
    expect(q.index((e) => e.ev === 'shutdown_abandoned')).toBeLessThan(q.index((e) => e.ev === 'exit' && e.task === 'caller'));
    expect(q.end('inner')).toBeUndefined();
    expect(q.end('outer')).toMatchObject({ victims: ['victim'], waited: [] });
    expect(q.one('end').pending).toEqual(['inner']);
  });
});

describe('cooperative, level-triggered shutdown', () => {
  it('lets a watcher created after the signal complete at once, and a poller see it at its next poll', async () => {
    const { q } = await sim(
      scenario(
        {
          late: { body: [{ op: 'sleep', ticks: 20 }, { op: 'wait_shutdown' }] },
          poller: { body: [{ op: 'poll_shutdown', every: 7 }] },
        },
        [
          { at: 0, do: 'spawn', task: 'late' },
          { at: 0, do: 'spawn', task: 'poller' },
          { at: 10, do: 'shutdown_tasks', label: 's', kind: null, tenant: null, timeline: null },
        ],
      ),
    );
    expect(q.one('observe', (e) => e.task === 'late')).toMatchObject({ t: 20, via: 'watcher' });
    expect(q.one('observe', (e) => e.task === 'poller')).toMatchObject({ t: 14, via: 'poll' });
    expect(q.end('s')!.t).toBe(20);
  });

  it('lets shutdown win over the end of a sleep at the same tick in sleep_or_shutdown', async () => {
    const { q } = await sim(
      scenario({ a: { body: [{ op: 'sleep_or_shutdown', ticks: 10 }, { op: 'check_shutdown' }] } }, [
        { at: 0, do: 'spawn', task: 'a' },
        { at: 10, do: 'shutdown_tasks', label: 's', kind: null, tenant: null, timeline: null },
      ]),
    );
    expect(q.of('observe')).toHaveLength(1);
    expect(q.of('check')).toHaveLength(0);
  });

  it('says false and warns for is_shutdown_requested outside a task, and fails shutdown_watcher there with the seed message', async () => {
    const { q } = await sim(scenario({}, [{ at: 1, do: 'check_shutdown' }, { at: 2, do: 'record_kind' }], 5));
    expect(q.one('check')).toMatchObject({ task: null, value: false });
    expect(q.one('kind')).toMatchObject({ task: null, kind: null });
    expect(q.one('log', (e) => e.level === 'warn').message).toBe(IS_SHUTDOWN_REQUESTED_OUTSIDE_TASK);
    await expect(shutdownWatcher()).rejects.toThrow(SHUTDOWN_WATCHER_OUTSIDE_TASK);
  });

  it('reports current_task_kind and the flag inside a task before and after its signal', async () => {
    const { q } = await sim(
      scenario({ a: { kind: 'WalReceiverManager', runtime: 'walreceiver', body: [{ op: 'record_kind' }, { op: 'check_shutdown' }, { op: 'sleep', ticks: 20 }, { op: 'check_shutdown' }] } }, [
        { at: 0, do: 'spawn', task: 'a' },
        { at: 10, do: 'shutdown_tasks', label: 's', kind: 'WalReceiverManager', tenant: null, timeline: null },
      ]),
    );
    expect(q.one('kind')).toMatchObject({ task: 'a', kind: 'WalReceiverManager' });
    expect(q.of('check').map((e) => e.value)).toEqual([false, true]);
  });

  it('lets associate_with overwrite both tenant and timeline of the running task', async () => {
    const { q } = await sim(
      scenario({ page: { kind: 'PageRequestHandler', runtime: 'compute_request', tenant: 't9', timeline: 'l9', body: [{ op: 'associate', tenant: 't1', timeline: null }, { op: 'wait_shutdown' }] } }, [
        { at: 0, do: 'spawn', task: 'page' },
        { at: 10, do: 'shutdown_tasks', label: 'old', kind: null, tenant: 't9', timeline: null },
        { at: 20, do: 'shutdown_tasks', label: 'new', kind: null, tenant: 't1', timeline: null },
      ]),
    );
    expect(q.one('associate')).toMatchObject({ tenant: 't1', timeline: null });
    expect(q.end('old')!.victims).toEqual([]);
    expect(q.end('new')!.victims).toEqual(['page']);
  });
});

describe('task_finish', () => {
  it('catches a panic and an error per task, logs them as the seed does (the panic payload as Any { .. }), and removes the task from the registry', async () => {
    const { q, exitCode } = await sim(
      scenario({ p: { body: [{ op: 'panic', message: 'bug' }] }, e: { body: [{ op: 'error', message: 'io' }] } }, [
        { at: 0, do: 'spawn', task: 'p' },
        { at: 0, do: 'spawn', task: 'e' },
        { at: 5, do: 'snapshot', label: 'after' },
      ], 10),
    );
    expect(q.exit('p')).toMatchObject({ outcome: 'panic', message: 'bug' });
    expect(q.exit('e')).toMatchObject({ outcome: 'error', message: 'io' });
    expect(q.one('snapshot').tasks).toEqual([]);
    expect(q.of('log').filter((e) => e.level === 'error').map((e) => e.message)).toEqual([
      "thread 'background op worker' panicked at 'bug'",
      "Task 'p' tenant_id: None, timeline_id: None panicked: Any { .. }",
      "Task 'e' tenant_id: None, timeline_id: None exited with error: io",
    ]);
    expect(exitCode).toBeNull();
  });

  it('runs the process shutdown with code 1 when a shutdown_process_on_error task fails, after it left the registry', async () => {
    const { q, exitCode } = await sim(
      scenario(
        {
          listener: { kind: 'LibpqEndpointListener', runtime: 'compute_request', shutdown_process_on_error: true, body: [{ op: 'sleep', ticks: 10 }, { op: 'error', message: 'accept failed' }] },
          gc: waiter({ tenant: 't1' }),
        },
        [
          { at: 0, do: 'spawn', task: 'listener' },
          { at: 0, do: 'spawn', task: 'gc' },
        ],
      ),
    );
    expect(exitCode).toBe(1);
    expect(q.one('process_shutdown')).toMatchObject({ code: 1, cause: 'listener' });
    expect(q.end('pageserver:libpq')!.victims).toEqual([]);
    expect(q.one('shutdown_begin', (e) => e.label === 'pageserver:libpq').caller).toBe('listener');
    expect(q.end('pageserver:all')!.victims).toEqual(['gc']);
    expect(q.one('log', (e) => e.level === 'error').message).toMatch(/^Shutting down: task 'listener'/);
  });

  it('never completes the join handle of a task whose failure escalated, so a call waiting on it stays pending until exit', async () => {
    const { q, exitCode } = await sim(
      scenario(
        { listener: { kind: 'HttpEndpointListener', runtime: 'mgmt_request', shutdown_process_on_error: true, body: [{ op: 'wait_shutdown' }, { op: 'sleep', ticks: 5 }, { op: 'panic', message: 'on the way out' }] } },
        [
          { at: 0, do: 'spawn', task: 'listener' },
          { at: 10, do: 'shutdown_tasks', label: 'http only', kind: 'HttpEndpointListener', tenant: null, timeline: null },
        ],
      ),
    );
    expect(exitCode).toBe(1);
    expect(q.end('http only')).toBeUndefined();
    expect(q.events.at(-1)).toMatchObject({ ev: 'process_exit', code: 1 });
  });

  it('ends every task at process exit (outcome killed) and runs nothing after it', async () => {
    const { q, exitCode } = await sim(
      scenario(
        { hung: { body: [{ op: 'hang' }] }, fast: waiter() },
        [
          { at: 0, do: 'spawn', task: 'hung' },
          { at: 0, do: 'spawn', task: 'fast' },
          { at: 10, do: 'shutdown_pageserver', exit_code: 0 },
          { at: 20, do: 'snapshot', label: 'never' },
        ],
      ),
    );
    // `hung` never exits, so the sequence never reaches exit: the run ends at end_at.
    expect(exitCode).toBeNull();
    expect(q.one('end').pending).toEqual(['pageserver:all']);

    const second = await sim(
      scenario({ a: { body: [{ op: 'wait_shutdown' }, { op: 'sleep', ticks: 20 }] }, late: { body: [{ op: 'hang' }] } }, [
        { at: 0, do: 'spawn', task: 'a' },
        { at: 10, do: 'shutdown_pageserver', exit_code: 0 },
        { at: 15, do: 'spawn', task: 'late' },
        { at: 40, do: 'snapshot', label: 'never' },
      ]),
    );
    expect(second.exitCode).toBe(0);
    const exitAt = second.q.index((e) => e.ev === 'process_exit');
    expect(second.q.events[exitAt].t).toBe(30);
    expect(second.q.events.slice(exitAt + 1)).toEqual([{ t: 30, ev: 'exit', task: 'late', outcome: 'killed', message: null }]);
    expect(second.q.of('snapshot')).toEqual([]);
    expect(second.q.of('end')).toEqual([]);
  });
});

describe('injected faults', () => {
  it('ends a task at its current await and lets a fault win over an await that is ready at the same tick', async () => {
    const { q } = await sim(
      scenario({ a: { body: [{ op: 'sleep', ticks: 20 }, { op: 'check_shutdown' }] } }, [
        { at: 0, do: 'spawn', task: 'a' },
        { at: 20, do: 'inject', task: 'a', fault: 'panic', message: 'now' },
      ]),
    );
    expect(q.exit('a')).toMatchObject({ t: 20, outcome: 'panic', message: 'now' });
    expect(q.of('check')).toEqual([]);
  });

  it('does not apply a fault to a task that has exited or was never spawned', async () => {
    const { q } = await sim(
      scenario({ a: { body: [{ op: 'ok' }] }, b: { body: [] } }, [
        { at: 0, do: 'spawn', task: 'a' },
        { at: 5, do: 'inject', task: 'a', fault: 'error', message: 'late' },
        { at: 6, do: 'inject', task: 'b', fault: 'error', message: 'never' },
      ], 10),
    );
    expect(q.of('inject').map((e) => e.applied)).toEqual([false, false]);
    expect(q.exit('a')!.outcome).toBe('ok');
  });
});
