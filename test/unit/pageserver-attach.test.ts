/**
 * Attach and its crash points A1 to A7 (neon-semantics.md 3.6): a `crash`
 * failpoint kills the process right before each step; the disk left behind decides
 * what the next process does (unknown tenant, resumed attach, or a normal load).
 */
import { describe, expect, it } from 'vitest';
import { runPs } from '../helpers/pageserver';

const world = { tenant_defaults: { compaction_period: 0, gc_period: 0 }, tenants: [{ id: 't1', location: 'remote', timelines: [{ id: 'l1', layers: 3 }, { id: 'l2', layers: 2 }] }] };

async function crashAt(point: string) {
  return runPs({
    pageserver: { ...world, failpoints: { [point]: { action: 'crash' } } },
    steps: [
      { at: 10, do: 'attach', tenant: 't1' },
      { at: 150, do: 'restart' },
    ],
    end_at: 400,
  });
}

/** The disk right after the crash (the storage events of process 1). */
function diskAtCrash(r: Awaited<ReturnType<typeof crashAt>>) {
  const kill = r.q.index((e) => e.ev === 'process_signal' && e.signal === 'SIGKILL');
  const ops = r.events.slice(0, kill).filter((e) => e.ev === 'storage' && e.where === 'disk') as Array<{ op: string; path: string }>;
  const has = (path: string) => {
    let present = false;
    for (const o of ops) if (o.path === path) present = o.op !== 'remove' && o.op !== 'rmdir';
    return present;
  };
  return { dir: has('tenants/t1'), marker: has('tenants/t1/attaching'), layers: ops.filter((o) => /l\d-\d+-\d+$/.test(o.path)).length };
}

const statesOf = (r: Awaited<ReturnType<typeof crashAt>>, process: number) => {
  let p = 1;
  const out: string[] = [];
  for (const e of r.events) {
    if (e.ev === 'process_start') p = e.process;
    else if (e.ev === 'tenant_state' && e.tenant === 't1' && p === process) out.push(e.state);
  }
  return out;
};

describe('attach', () => {
  it('answers 202, writes the marker before downloading, removes it before activating', async () => {
    const r = await runPs({ pageserver: world, steps: [{ at: 10, do: 'attach', tenant: 't1' }], end_at: 200 });
    const http = r.q.of('http').find((e) => e.phase === 'response')!;
    expect(http).toMatchObject({ request: 'attach t1', status: 202, t: 10 });
    const paths = r.q.of('storage').filter((e) => e.where === 'disk').map((e) => `${e.op} ${e.path}`);
    expect(paths.indexOf('create tenants/t1/attaching')).toBeLessThan(paths.indexOf('write tenants/t1/timelines/l1/l0-0-8'));
    const activeAt = r.q.index((e) => e.ev === 'tenant_state' && e.state === 'Active');
    expect(r.q.index((e) => e.ev === 'storage' && e.path === 'tenants/t1/attaching' && e.op === 'remove')).toBeLessThan(activeAt);
    expect(r.lab.disk.snapshot().tenants.t1.timelines.l2.layers).toEqual({ 'l0-0-8': 8, 'l0-8-16': 8 });
  });

  it('refuses an attach of a tenant that exists, and without remote storage', async () => {
    const r = await runPs({
      pageserver: { ...world, tenants: [{ id: 't1', timelines: [{ id: 'l1' }] }] },
      steps: [{ at: 10, do: 'attach', tenant: 't1' }],
      end_at: 30,
    });
    expect(r.q.of('http').pop()).toMatchObject({ status: 409, body: 'tenant t1 already exists, current state: Active' });
    const r2 = await runPs({ pageserver: { ...world, remote_storage: false }, steps: [{ at: 10, do: 'attach', tenant: 't1' }], end_at: 30 });
    expect(r2.q.of('http').pop()?.status).toBe(400);
  });

  const cases: Array<{ point: string; dir: boolean; marker: boolean; after: string[] }> = [
    { point: 'attach:A1', dir: false, marker: false, after: [] },
    { point: 'attach:A1b', dir: true, marker: false, after: [] },
    { point: 'attach:A1c', dir: true, marker: true, after: ['Attaching', 'Active'] },
    { point: 'attach:A2', dir: true, marker: true, after: ['Attaching', 'Active'] },
    { point: 'attach:A3', dir: true, marker: true, after: ['Attaching', 'Active'] },
    { point: 'attach:A4', dir: true, marker: true, after: ['Attaching', 'Active'] },
    { point: 'attach:A5', dir: true, marker: true, after: ['Attaching', 'Active'] },
    { point: 'attach:A6', dir: true, marker: false, after: ['Loading', 'Active'] },
    { point: 'attach:A7', dir: true, marker: false, after: ['Loading', 'Active'] },
  ];
  for (const c of cases) {
    it(`crash at ${c.point}: ${c.dir ? (c.marker ? 'dir and marker: the restart resumes the attach' : c.after.length ? 'no marker: the restart loads it' : 'an empty dir: removed, tenant unknown') : 'nothing on disk: tenant unknown'}`, async () => {
      const r = await crashAt(c.point);
      expect(r.q.of('process_signal')[0]).toMatchObject({ signal: 'SIGKILL', cause: `failpoint ${c.point}` });
      expect(r.q.of('process_exit')[0].code).toBe(137);
      const d = diskAtCrash(r);
      expect({ dir: d.dir, marker: d.marker }).toEqual({ dir: c.dir, marker: c.marker });
      expect(statesOf(r, 2)).toEqual(c.after);
      expect(r.lab.disk.tenant('t1')?.attaching ?? false).toBe(false);
      if (c.after.length) expect(Object.keys(r.lab.disk.snapshot().tenants.t1.timelines)).toEqual(['l1', 'l2']);
      else expect(r.lab.disk.tenant('t1')).toBeUndefined();
    });
  }

  it('reuses the layers downloaded before a crash in A4 and downloads only the rest', async () => {
    const r = await runPs({
      pageserver: world,
      steps: [
        { at: 10, do: 'attach', tenant: 't1' },
        { at: 40, do: 'crash' },
        { at: 60, do: 'restart' },
      ],
      end_at: 300,
    });
    const writes = (from: number, to: number) =>
      r.events.filter((e) => e.t >= from && e.t < to && e.ev === 'storage' && e.op === 'write' && /l\d-\d+-\d+$/.test(e.path)).length;
    const before = writes(0, 40);
    expect(before).toBeGreaterThan(0);
    expect(before + writes(60, 300)).toBe(5);
    expect(r.lab.last!.tenants.get('t1')?.state).toBe('Active');
  });

  it('leaves the tenant Broken on a download error; a second attach is refused until a restart resumes it', async () => {
    const r = await runPs({
      pageserver: { ...world, failpoints: { 'remote-storage-download-pre-rename': { action: 'return' } } },
      steps: [
        { at: 10, do: 'attach', tenant: 't1' },
        { at: 50, do: 'attach', tenant: 't1', label: 'again' },
        { at: 60, do: 'signal', signal: 'SIGTERM' },
        { at: 100, do: 'restart' },
      ],
      end_at: 300,
    });
    expect(statesOf(r, 1)).toEqual(['Attaching', 'Broken']);
    expect(r.q.of('http').find((e) => e.request === 'again' && e.phase === 'response')).toMatchObject({ status: 409, body: 'tenant t1 already exists, current state: Broken' });
    expect(statesOf(r, 2)).toEqual(['Attaching', 'Active']);
  });
});
