/**
 * The simulator's corners where the seed's order of events is easy to get wrong
 * (issue 9 rules 2 and 4, issue 15 item 1): a task whose sleep has ended but which
 * has not resumed yet (its worker is held, or another task of its worker runs
 * first) and then gets a signal or a fault; and a fault that is already waiting
 * when a body is about to start `shutdown_tasks`.
 */
import { describe, expect, it } from 'vitest';
import { scenario, sim } from '../helpers/sim';

/** `hog` holds background worker 0 from tick 5 to 25; `a` shares that worker (one worker per runtime). */
const held = (a: unknown[], steps: unknown[]) =>
  scenario(
    {
      hog: { body: [{ op: 'sleep', ticks: 5 }, { op: 'busy', ticks: 20 }] },
      a: { kind: 'GarbageCollector', body: a },
    },
    [{ at: 0, do: 'spawn', task: 'hog' }, { at: 0, do: 'spawn', task: 'a' }, ...steps],
    50,
  );
const ONE_WORKER = { workers: { background: 1 } };

describe('a signal for a task whose sleep has ended but which has not resumed (rule 2)', () => {
  it('wins in sleep_or_shutdown when the worker was held by busy meanwhile', async () => {
    const { q } = await sim(
      held(
        [{ op: 'sleep_or_shutdown', ticks: 10 }, { op: 'check_shutdown' }, { op: 'wait_shutdown' }],
        [{ at: 15, do: 'shutdown_tasks', label: 'stop a', kind: 'GarbageCollector', tenant: null, timeline: null }],
      ),
      ONE_WORKER,
    );
    // The sleep ended at 10, the signal came at 15, a resumed at 25: both were due.
    expect(q.one('observe', (e) => e.task === 'a')).toMatchObject({ via: 'watcher', t: 25 });
    expect(q.of('check')).toEqual([]);
    expect(q.exit('a')).toMatchObject({ outcome: 'ok', t: 25 });
    expect(q.end('stop a')).toMatchObject({ victims: ['a'], waited: ['a'], t: 25 });
  });

  it('wins when another task of the same worker signals it in the same tick, before it resumes', async () => {
    const s = scenario(
      {
        b: { body: [{ op: 'sleep', ticks: 10 }, { op: 'shutdown_tasks', label: 'b stops a', kind: 'GarbageCollector', tenant: null, timeline: null }] },
        a: { kind: 'GarbageCollector', body: [{ op: 'sleep_or_shutdown', ticks: 10 }, { op: 'check_shutdown' }, { op: 'wait_shutdown' }] },
      },
      [
        { at: 0, do: 'spawn', task: 'b' },
        { at: 0, do: 'spawn', task: 'a' },
      ],
      30,
    );
    // fifo: both timers end at 10; b parked first, so b runs first and signals a.
    const fifo = await sim(s, ONE_WORKER);
    expect(fifo.q.of('check')).toEqual([]);
    expect(fifo.q.one('observe', (e) => e.task === 'a')).toMatchObject({ via: 'watcher', t: 10 });
    // random: either a runs first (it slept; its check is false, the signal follows)
    // or b does (a sees the shutdown). a never goes on past a shutdown that was due.
    const seen = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      const { q } = await sim(s, { ...ONE_WORKER, seed, policy: 'random' });
      const checks = q.of('check').map((e) => e.value);
      expect(checks, `seed ${seed}`).not.toContain(true);
      seen.add(checks.length ? 'a first' : 'b first');
      expect(q.exit('a'), `seed ${seed}`).toMatchObject({ outcome: 'ok' });
    }
    expect([...seen].sort()).toEqual(['a first', 'b first']);
  });
});

describe('a fault for a task whose sleep has ended but whose worker is held by busy (issue 15 item 1)', () => {
  it('ends the task at that sleep: the body runs no further op', async () => {
    const { q } = await sim(
      held([{ op: 'sleep', ticks: 10 }, { op: 'record_kind' }, { op: 'sleep', ticks: 100 }], [{ at: 15, do: 'inject', task: 'a', fault: 'error', message: 'cut' }]),
      ONE_WORKER,
    );
    expect(q.of('kind')).toEqual([]);
    expect(q.exit('a')).toMatchObject({ outcome: 'error', message: 'cut', t: 25 });
  });
});

describe('a fault already waiting when the body reaches shutdown_tasks (rule 4)', () => {
  const bystander = { tenant: 't1', body: [{ op: 'wait_shutdown' }] };
  const call = { op: 'shutdown_tasks', label: 'stopper stops t1', kind: null, tenant: 't1', timeline: null };

  it('drops the call before it scans when the fault came with the spawn, before the first poll', async () => {
    for (const policy of ['fifo', 'random'] as const) {
      const { q } = await sim(
        scenario({ bystander, stopper: { runtime: 'mgmt_request', kind: 'Attach', tenant: 't2', body: [call] } }, [
          { at: 0, do: 'spawn', task: 'bystander' },
          { at: 10, do: 'spawn', task: 'stopper' },
          { at: 10, do: 'inject', task: 'stopper', fault: 'error', message: 'cut before the call' },
        ], 30),
        { policy, seed: 3 },
      );
      expect(q.of('shutdown_begin'), policy).toEqual([]);
      expect(q.of('signal'), policy).toEqual([]);
      expect(q.exit('stopper'), policy).toMatchObject({ outcome: 'error', message: 'cut before the call', t: 10 });
      expect(q.one('end').registry, policy).toEqual(['bystander']);
    }
  });

  it('drops the call before it scans when the fault waited through a busy', async () => {
    const { q } = await sim(
      scenario({ bystander, stopper: { tenant: 't2', body: [{ op: 'busy', ticks: 10 }, call] } }, [
        { at: 0, do: 'spawn', task: 'bystander' },
        { at: 0, do: 'spawn', task: 'stopper' },
        { at: 5, do: 'inject', task: 'stopper', fault: 'panic', message: 'during busy' },
      ], 30),
    );
    expect(q.of('shutdown_begin')).toEqual([]);
    expect(q.of('signal')).toEqual([]);
    expect(q.exit('stopper')).toMatchObject({ outcome: 'panic', message: 'during busy', t: 10 });
  });
});
