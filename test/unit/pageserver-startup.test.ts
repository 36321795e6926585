/**
 * `init_tenant_mgr`'s decision tree at startup (neon-semantics.md 3.3), on a disk
 * prepared by hand: temp dirs removed, an empty dir removed, a marker resumes the
 * attach (or is Broken without remote storage), anything else is loaded; files and
 * names that are not tenant ids are skipped.
 */
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../electron/core/event-log';
import { modelConfig } from '../../electron/pageserver/config';
import { PageserverLab } from '../../electron/pageserver/lab';
import { simExecutors } from '../../electron/run/sim';
import { seedWorld } from '../../electron/pageserver/world';
import { PAGESERVER_WORKLOADS } from '../../electron/pageserver/workloads';
import { Query } from '../helpers/sim';

async function startup(remoteStorage: boolean, prepare: (lab: PageserverLab) => void, until = 100) {
  const exec = simExecutors({ drainCoordinator: true })({ templates: {}, workloads: PAGESERVER_WORKLOADS, tickMs: 10 });
  const log = new EventLog(() => exec.now());
  const lab = new PageserverLab(exec, modelConfig({ remoteStorage, tenantDefaults: { compaction_period: 0, gc_period: 0 } }), log);
  prepare(lab);
  exec.at(0, () => lab.start());
  exec.at(until, () => exec.endRun());
  await exec.go();
  return { lab, q: new Query(log.events), ps: lab.last! };
}

const tl = (id: string, layers = 2) => ({ id, layers, wal_every: 0, ancestor: null });

describe('init_tenant_mgr', () => {
  it('removes temporary tenant directories', async () => {
    const { lab, ps } = await startup(true, (lab) => {
      seedWorld(lab, [{ id: 't1', location: 'local', conf: {}, timelines: [tl('l1')] }]);
      lab.disk.createTenantDir('t9___temp');
    });
    expect(lab.disk.tenant('t9___temp')).toBeUndefined();
    expect([...ps.tenants.keys()]).toEqual(['t1']);
  });

  it('removes an empty tenant directory (a crash between mkdir and the marker) and does not know the tenant', async () => {
    const { lab, ps, q } = await startup(true, (lab) => void lab.disk.createTenantDir('t2'));
    expect(lab.disk.tenant('t2')).toBeUndefined();
    expect(ps.tenants.has('t2')).toBe(false);
    expect(q.of('log').some((e) => e.message.startsWith('removing empty tenant directory tenants/t2'))).toBe(true);
  });

  it('resumes the attach of a directory with the attaching marker when remote storage is configured', async () => {
    const { ps, q } = await startup(true, (lab) => {
      seedWorld(lab, [{ id: 't1', location: 'remote', conf: {}, timelines: [tl('l1')] }]);
      lab.disk.createTenantDir('t1');
      lab.disk.createMarker('t1');
    });
    expect(q.of('spawn').find((e) => e.kind === 'Attach')).toMatchObject({ tenant: 't1', runtime: 'background', parent: null });
    expect(q.of('tenant_state').filter((e) => e.tenant === 't1').map((e) => e.state)).toEqual(['Attaching', 'Active']);
    expect(ps.disk.tenant('t1')?.attaching).toBe(false);
  });

  it('makes a tenant with the marker Broken without remote storage, and spawns nothing for it', async () => {
    const { ps, q } = await startup(false, (lab) => {
      lab.disk.createTenantDir('t1');
      lab.disk.createMarker('t1');
    });
    expect(ps.tenants.get('t1')?.state).toBe('Broken');
    expect(q.of('spawn').filter((e) => e.tenant === 't1')).toEqual([]);
  });

  it('loads every other tenant with an InitialLoad task on the background runtime, without waiting for it', async () => {
    const { q } = await startup(true, (lab) => seedWorld(lab, [{ id: 't1', location: 'local', conf: {}, timelines: [tl('l1')] }]));
    const spawns = q.of('spawn');
    expect(spawns.map((e) => e.kind).slice(0, 3)).toEqual(['InitialLoad', 'HttpEndpointListener', 'LibpqEndpointListener']);
    expect(spawns[0]).toMatchObject({ task: 'load t1', id: 1, runtime: 'background', tenant: 't1', timeline: null });
    expect(q.of('tenant_state').map((e) => e.state)).toEqual(['Loading', 'Active']);
  });

  it('logs and skips entries that are files or not tenant ids', async () => {
    const { ps, q } = await startup(true, (lab) => {
      lab.disk.files.add('stray-file');
      seedWorld(lab, [{ id: 'not a tenant!', location: 'local', conf: {}, timelines: [tl('l1')] }]);
    });
    expect(ps.tenants.size).toBe(0);
    const errors = q.of('log').filter((e) => e.level === 'error').map((e) => e.message);
    expect(errors).toEqual([
      'Failed to collect tenant files from dir tenants/not a tenant!: not a tenant id',
      'Failed to collect tenant files from dir tenants/stray-file: not a directory',
    ]);
  });

  it('makes a tenant Broken when a timeline has no metadata file', async () => {
    const { ps } = await startup(true, (lab) => {
      seedWorld(lab, [{ id: 't1', location: 'local', conf: {}, timelines: [tl('l1'), tl('l2')] }]);
      lab.disk.removeMetadata('t1', 'l2');
    });
    expect(ps.tenants.get('t1')?.state).toBe('Broken');
  });
});

describe('tenant create (POST /v1/tenant)', () => {
  it('writes the tenant files, loads it on the mgmt runtime and answers once it is Active; a second create is a conflict', async () => {
    const { runPs } = await import('../helpers/pageserver');
    const { q, lab } = await runPs({
      pageserver: { tenant_defaults: { compaction_period: 0, gc_period: 0 } },
      steps: [
        { at: 10, do: 'create_tenant', tenant: 't5', conf: { gc_horizon: 8 } },
        { at: 30, do: 'create_tenant', tenant: 't5', label: 'again' },
      ],
      end_at: 60,
    });
    expect(q.of('spawn').find((e) => e.kind === 'InitialLoad')).toMatchObject({ runtime: 'mgmt_request', tenant: 't5' });
    const answers = q.of('http').filter((e) => e.phase === 'response');
    expect(answers.map((e) => [e.request, e.status])).toEqual([
      ['create_tenant t5', 201],
      ['again', 409],
    ]);
    expect(lab.disk.tenant('t5')?.config).toEqual({ gc_horizon: 8 });
    expect(lab.last!.tenants.get('t5')?.state).toBe('Active');
  });
});

describe('the self-join lint', () => {
  it('fires when a task calls shutdown_tasks with a filter that matches itself', async () => {
    const { runPs } = await import('../helpers/pageserver');
    const { q } = await runPs({
      tasks: { selfish: { runtime: 'background', kind: 'Compaction', tenant: 't1', body: [{ op: 'shutdown_tasks', label: 'my tenant', tenant: 't1' }] } },
      steps: [{ at: 5, do: 'spawn', task: 'selfish' }],
      end_at: 20,
    });
    expect(q.of('lint').map((e) => e.rule)).toEqual(['self-join']);
    expect(q.end('my tenant')).toBeUndefined();
  });
});
