/**
 * The per-timeline upload queue (neon-semantics.md section 4): the launch rules of
 * `launch_queued_tasks`, barriers, `stop()`, the backoff, and in a run: one task per
 * op, successors launched by a successful task as new tasks, the first task that
 * sees shutdown stopping the queue.
 */
import { describe, expect, it } from 'vitest';
import { uploadBackoffSeconds } from '../../electron/pageserver/config';
import { describeUploadOp, UploadQueue } from '../../electron/pageserver/upload-queue';
import { runPs } from '../helpers/pageserver';

const md = (lsn: number) => ({ disk_consistent_lsn: lsn, gc_cutoff_lsn: 0, ancestor: null });

function queue() {
  const q = new UploadQueue();
  q.initForEmptyRemote(md(0));
  return q;
}
const launched = (q: UploadQueue, barriers: string[] = []) => q.launch(() => barriers.push('Barrier')).map((s) => describeUploadOp(s.op));

describe('UploadQueue launch rules', () => {
  it('launches layer uploads at once, in parallel', () => {
    const q = queue();
    q.scheduleLayerUpload('a', 1);
    q.scheduleLayerUpload('b', 1);
    expect(launched(q)).toEqual(['UploadLayer a', 'UploadLayer b']);
    expect(q.inprogress.size).toBe(2);
  });

  it('starts an index upload only after everything before it, and blocks the head of the queue meanwhile', () => {
    const q = queue();
    q.scheduleLayerUpload('a', 1);
    q.scheduleIndexUpload(md(8));
    q.scheduleLayerUpload('b', 1);
    expect(launched(q)).toEqual(['UploadLayer a']);
    expect(q.queued.map(describeUploadOp)).toEqual(['UploadMetadata lsn 8', 'UploadLayer b']);
    q.complete(1);
    // A layer upload may run beside an in-flight index upload once it is at the head.
    expect(launched(q)).toEqual(['UploadMetadata lsn 8', 'UploadLayer b']);
  });

  it('builds an index from latest_files at scheduling time, and advances the LSN when it completes', () => {
    const q = queue();
    q.scheduleLayerUpload('a', 3);
    const op = q.scheduleIndexUpload(md(8));
    expect(op).toMatchObject({ kind: 'UploadMetadata', lsn: 8, index: { timeline_layers: { a: 3 } } });
    launched(q);
    q.complete(1);
    expect(q.lastUploadedConsistentLsn).toBe(0);
    launched(q);
    q.complete(2);
    expect(q.lastUploadedConsistentLsn).toBe(8);
  });

  it('schedules a deletion as an index without the files first, then deletes that run only beside other deletes', () => {
    const q = queue();
    q.scheduleLayerUpload('a', 1);
    q.scheduleLayerUpload('b', 1);
    launched(q);
    q.complete(1);
    q.complete(2);
    q.scheduleLayerUpload('c', 1);
    q.scheduleLayerDeletion(['a', 'b']);
    expect(q.queued.map(describeUploadOp)).toEqual(['UploadLayer c', 'UploadMetadata lsn 0', 'Delete a', 'Delete b']);
    expect((q.queued[1] as { index: { timeline_layers: object } }).index.timeline_layers).toEqual({ c: 1 });
    expect(launched(q)).toEqual(['UploadLayer c']);
    q.complete(3);
    expect(launched(q)).toEqual(['UploadMetadata lsn 0']);
    q.complete(4);
    expect(launched(q)).toEqual(['Delete a', 'Delete b']);
  });

  it('completes a barrier in place once nothing is in progress; it never becomes a task', () => {
    const q = queue();
    const reached: boolean[] = [];
    q.scheduleLayerUpload('a', 1);
    q.pushBarrier((ok) => reached.push(ok));
    const barriers: string[] = [];
    expect(launched(q, barriers)).toEqual(['UploadLayer a']);
    expect(barriers).toEqual([]);
    q.complete(1);
    expect(launched(q, barriers)).toEqual([]);
    expect(barriers).toEqual(['Barrier']);
  });

  it('stop(): Stopped for good, queued ops dropped, in-progress forgotten, scheduling refused', () => {
    const q = queue();
    q.scheduleLayerUpload('a', 1);
    q.scheduleIndexUpload(md(8));
    q.pushBarrier(() => {});
    launched(q);
    const dropped = q.stop();
    expect(dropped.map(describeUploadOp)).toEqual(['UploadMetadata lsn 8', 'Barrier']);
    expect(q.state).toBe('Stopped');
    expect(q.inprogress.size).toBe(0);
    expect(() => q.scheduleLayerUpload('b', 1)).toThrow('queue is in state Stopped');
    expect(q.stop()).toEqual([]);
    expect(() => new UploadQueue().scheduleIndexUpload(md(1))).toThrow('queue is in state Uninitialized');
  });

  it('backs off 0 s after the first failure, then min(1.1^n, 3) s, forever', () => {
    expect([1, 2, 3, 4].map(uploadBackoffSeconds)).toEqual([0, 1.1, 1.1 ** 2, 1.1 ** 3]);
    expect(uploadBackoffSeconds(13)).toBe(3);
    expect(uploadBackoffSeconds(100)).toBe(3);
  });
});

describe('upload tasks in a run', () => {
  const world = (extra: Record<string, unknown> = {}) => ({
    tenant_defaults: { checkpoint_distance: 4, compaction_period: 0, gc_period: 0 },
    durations: { layerUpload: 10 },
    tenants: [{ id: 't1', timelines: [{ id: 'l1', layers: 1, wal_every: 1 }] }],
    ...extra,
  });

  it('runs one RemoteUploadTask per op; a successful task launches its successors as new tasks', async () => {
    const { q } = await runPs({ pageserver: world(), end_at: 60 });
    const uploads = q.of('spawn').filter((e) => e.kind === 'RemoteUploadTask');
    expect(uploads[0].parent).toBe('flush t1/l1');
    const byUpload = uploads.filter((e) => e.parent?.startsWith('upload t1/l1'));
    expect(byUpload.length).toBeGreaterThan(0);
    for (const s of byUpload) {
      const parentExit = q.index((e) => e.ev === 'exit' && e.task === s.parent);
      expect(q.index((e) => e.ev === 'spawn' && e.task === s.task)).toBeLessThan(parentExit);
    }
  });

  it('retries a failing upload forever with the seed backoff', async () => {
    const { q } = await runPs({
      pageserver: world({ failpoints: { 'before-upload-layer': { action: 'return' } } }),
      steps: [{ at: 20, do: 'wal', tenant: 't1', timeline: 'l1', every: 0 }],
      end_at: 200,
    });
    const retries = q.of('log').filter((e) => e.task === 'upload t1/l1 UploadLayer' && e.message.startsWith('failed to perform remote task'));
    expect(retries.map((e) => e.t)).toEqual([retries[0].t, retries[0].t, retries[0].t + 11, retries[0].t + 11 + 12.1, ...retries.slice(4).map((e) => e.t)]);
    expect(retries.length).toBeGreaterThan(8);
    expect(q.exit('upload t1/l1 UploadLayer')).toBeUndefined();
  });

  it('lets the first task that sees shutdown at its loop head stop the queue, dropping the queued ops', async () => {
    const { q } = await runPs({
      pageserver: world({ failpoints: { 'before-upload-layer': { action: 'return' } } }),
      steps: [{ at: 60, do: 'shutdown_tasks', label: 'stop uploads', kind: 'RemoteUploadTask', tenant: 't1', timeline: 'l1' }],
      end_at: 100,
    });
    expect(q.of('upload_queue').filter((e) => e.action === 'stopped')).toEqual([expect.objectContaining({ t: 60, task: 'upload t1/l1 UploadLayer' })]);
    expect(q.of('upload_queue').filter((e) => e.action === 'dropped').length).toBeGreaterThan(0);
    expect(q.of('log').some((e) => e.message === 'upload task cancelled by shutdown request')).toBe(true);
    expect(q.end('stop uploads')).toMatchObject({ waited: ['upload t1/l1 UploadLayer'] });
    expect(q.of('log').some((e) => e.task === 'flush t1/l1' && e.message.includes('queue is in state Stopped'))).toBe(true);
  });

  it('does not wait for the queue to drain at a graceful shutdown: successors spawned after the catch-all are killed', async () => {
    const { q } = await runPs({
      pageserver: world({ failpoints: { 'before-upload-layer': { action: 'sleep', ticks: 30 } } }),
      steps: [{ at: 60, do: 'signal', signal: 'SIGTERM' }],
      end_at: 300,
    });
    expect(q.one('process_exit').code).toBe(0);
    expect(q.of('exit').filter((e) => e.outcome === 'killed' && e.task.startsWith('upload')).length).toBeGreaterThan(0);
    expect(q.of('lint').some((e) => e.rule === 'late-spawn')).toBe(true);
  });
});
