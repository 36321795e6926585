/**
 * Process signals and lifetimes (neon-semantics.md 2.1 to 2.3): the first SIGINT or
 * SIGTERM runs the graceful shutdown from outside any task (code 0); a second one
 * exits 1 at once; SIGQUIT exits 111 at once; a crash kills every task, and a
 * restart starts a new process (ids from 1 again) from the disk that survived.
 */
import { describe, expect, it } from 'vitest';
import { quiet, runPs } from '../helpers/pageserver';

const world = { tenant_defaults: { ...quiet, checkpoint_distance: 4 }, tenants: [{ id: 't1', timelines: [{ id: 'l1', layers: 2, wal_every: 1 }] }, { id: 't2', timelines: [{ id: 'l1' }] }] };

describe('signals', () => {
  it('SIGTERM runs shutdown_pageserver(0) from the main thread, in the seed order, and exits 0', async () => {
    const { q, exitCode } = await runPs({ pageserver: world, steps: [{ at: 30, do: 'signal', signal: 'SIGTERM' }], end_at: 300 });
    expect(exitCode).toBe(0);
    expect(q.one('process_signal')).toMatchObject({ signal: 'SIGTERM', effect: 'graceful_shutdown' });
    expect(q.one('process_shutdown')).toMatchObject({ code: 0, cause: null });
    expect(q.of('shutdown_begin').map((e) => [e.label, e.caller])).toEqual([
      ['pageserver:libpq', null],
      ['pageserver:page', null],
      ['pageserver:walreceiver', null],
      ['pageserver:upload', null],
      ['pageserver:http', null],
      ['pageserver:all', null],
    ]);
    expect(q.of('log').some((e) => e.message === 'Shut down successfully completed')).toBe(true);
  });

  it('shutdown_all_tenants pauses only Active tenants, stops WAL receivers, then checkpoints (flushes) them', async () => {
    const { q } = await runPs({ pageserver: world, steps: [{ at: 30, do: 'signal', signal: 'SIGINT' }], end_at: 300 });
    const paused = q.index((e) => e.ev === 'tenant_state' && e.state === 'Paused');
    const walDone = q.index((e) => e.ev === 'shutdown_end' && e.label === 'pageserver:walreceiver');
    const flushed = q.index((e) => e.ev === 'storage' && e.t >= 30 && e.op === 'write' && /l0-\d+-\d+$/.test(e.path));
    const uploadStep = q.index((e) => e.ev === 'shutdown_begin' && e.label === 'pageserver:upload');
    expect(paused).toBeLessThan(walDone);
    expect(walDone).toBeLessThan(flushed);
    expect(flushed).toBeLessThan(uploadStep);
    // The loops are left to the catch-all.
    expect(q.of('signal').filter((e) => e.task === 'compaction t1').map((e) => e.by)).toEqual(['pageserver:all']);
  });

  it('a second SIGTERM while the first is handled exits 1 at once', async () => {
    const { q, exitCode } = await runPs({
      pageserver: { ...world, failpoints: { 'flush-frozen-before-sync': { action: 'sleep', ticks: 100 } } },
      steps: [
        { at: 30, do: 'signal', signal: 'SIGTERM' },
        { at: 40, do: 'signal', signal: 'SIGTERM' },
      ],
      end_at: 300,
    });
    expect(exitCode).toBe(1);
    expect(q.of('process_signal').map((e) => e.effect)).toEqual(['graceful_shutdown', 'exit']);
    expect(q.one('process_exit')).toMatchObject({ code: 1, t: 40 });
    expect(q.of('log').some((e) => e.message === 'Shut down successfully completed')).toBe(false);
  });

  it('SIGQUIT exits 111 at once: no shutdown, every task killed', async () => {
    const { q, exitCode } = await runPs({ pageserver: world, steps: [{ at: 30, do: 'signal', signal: 'SIGQUIT' }], end_at: 100 });
    expect(exitCode).toBe(111);
    expect(q.of('shutdown_begin')).toEqual([]);
    expect(q.of('exit').filter((e) => e.t === 30).every((e) => e.outcome === 'killed')).toBe(true);
  });

  it('SIGQUIT after a SIGTERM exits 1 (any TERM-class signal after the first)', async () => {
    const { exitCode } = await runPs({
      pageserver: { ...world, failpoints: { 'flush-frozen-before-sync': { action: 'sleep', ticks: 100 } } },
      steps: [
        { at: 30, do: 'signal', signal: 'SIGTERM' },
        { at: 40, do: 'signal', signal: 'SIGQUIT' },
      ],
      end_at: 300,
    });
    expect(exitCode).toBe(1);
  });
});

describe('crash and restart', () => {
  it('a crash kills every task with code 137; the restart is a new process from the same disk', async () => {
    const r = await runPs({
      pageserver: world,
      steps: [
        { at: 40, do: 'crash' },
        { at: 50, do: 'wal', tenant: 't1', timeline: 'l1', every: 0 },
        { at: 60, do: 'restart' },
      ],
      end_at: 120,
    });
    const { q } = r;
    expect(q.of('process_start').map((e) => [e.process, e.label_suffix, e.t])).toEqual([
      [1, '', 0],
      [2, ' @2', 60],
    ]);
    expect(q.one('process_exit')).toMatchObject({ code: 137, t: 40 });
    const killed = q.of('exit').filter((e) => e.t === 40);
    expect(killed.length).toBeGreaterThan(5);
    expect(killed.every((e) => e.outcome === 'killed')).toBe(true);
    const second = q.of('spawn').filter((e) => e.t >= 60);
    expect(second[0]).toMatchObject({ id: 1, task: 'load t1 @2' });
    expect(second.every((e) => e.task.endsWith(' @2'))).toBe(true);
    // The disk survived: layers flushed before the crash are loaded by the new process.
    const flushedBefore = q.of('storage').filter((e) => e.t < 40 && e.op === 'write' && /t1\/timelines\/l1\/l0-/.test(e.path)).length;
    expect(flushedBefore).toBeGreaterThan(0);
    expect(r.lab.last!.tenants.get('t1')?.state).toBe('Active');
    expect(r.lab.last!.tenants.get('t1')!.timelines.get('l1')!.layers.size).toBe(2 + flushedBefore);
  });

  it('is deterministic: the same scenario and seed give the same events', async () => {
    const spec = { pageserver: world, steps: [{ at: 40, do: 'crash' }, { at: 60, do: 'restart' }, { at: 100, do: 'signal', signal: 'SIGTERM' }], end_at: 300 };
    const a = await runPs(spec, 7);
    const b = await runPs(spec, 7);
    expect(JSON.stringify(a.events)).toBe(JSON.stringify(b.events));
  });
});
