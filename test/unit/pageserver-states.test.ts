/**
 * The tenant and timeline state machines of the seed (neon-semantics.md 3.1, 3.2)
 * and the flush loop's states (5.3), as tables and in runs.
 */
import { describe, expect, it } from 'vitest';
import { tenantTransition, timelineTransition } from '../../electron/pageserver/states';
import type { TenantState, TimelineState } from '../../shared/model';
import { runPs, quiet, tenantStates } from '../helpers/pageserver';

const TENANT: TenantState[] = ['Loading', 'Attaching', 'Active', 'Paused', 'Broken'];

describe('TenantState transitions (section 3.1)', () => {
  const table: Record<string, Array<[TenantState | null, string | null]>> = {
    // from:          Loading           Attaching          Active                              Paused         Broken
    activate: [['Active', null], ['Active', null], [null, 'Tenant is already active'], [null, null], [null, 'Could not activate tenant because it is in broken state']],
    set_paused: [['Paused', null], ['Paused', null], ['Paused', null], [null, null], [null, null]],
    set_broken: [['Broken', null], ['Broken', null], ['Broken', null], ['Broken', null], [null, null]],
  };
  for (const [call, row] of Object.entries(table)) {
    TENANT.forEach((from, i) => {
      const [to, error] = row[i];
      it(`${call}() on ${from} gives ${to ?? 'no change'}${error ? ` and the error "${error}"` : ''}`, () => {
        const t = tenantTransition('t1', from, call as 'activate');
        expect(t.to).toBe(to);
        expect(t.error).toBe(error);
      });
    });
  }

  it('makes activate() on Paused a silent Ok with an info line (PR #2910), not an error', () => {
    const t = tenantTransition('t1', 'Paused', 'activate');
    expect(t).toMatchObject({ to: null, error: null, log: { level: 'info', message: 'Tenant t1 is already in Paused state, skipping activation' } });
  });

  it('warns when an Active or Paused tenant becomes Broken, and keeps Broken sticky', () => {
    expect(tenantTransition('t1', 'Active', 'set_broken').log?.level).toBe('warn');
    expect(tenantTransition('t1', 'Paused', 'set_broken').log?.level).toBe('warn');
    for (const call of ['activate', 'set_paused', 'set_broken'] as const) expect(tenantTransition('t1', 'Broken', call).to).toBeNull();
  });
});

describe('TimelineState transitions (section 3.2)', () => {
  const STATES: TimelineState[] = ['Active', 'Suspended', 'Paused', 'Broken'];
  it('ignores an equal state, never leaves Broken, and never activates a Paused timeline', () => {
    for (const from of STATES) {
      for (const to of STATES) {
        const t = timelineTransition('l1', from, to);
        const expected = from === to || from === 'Broken' || (from === 'Paused' && to === 'Active') ? null : to;
        expect([from, to, t.to]).toEqual([from, to, expected]);
      }
    }
  });

  it('lets set_paused move a Paused timeline to Suspended, as send_replace does', () => {
    expect(timelineTransition('l1', 'Paused', 'Suspended').to).toBe('Suspended');
  });
});

describe('states in a run', () => {
  it('loads a tenant Loading -> Active with its timeline Suspended -> Active and the flush loop Running', async () => {
    const { q } = await runPs({ pageserver: { tenant_defaults: quiet, tenants: [{ id: 't1', timelines: [{ id: 'l1' }] }] }, end_at: 50 });
    expect(tenantStates(q, 't1')).toEqual(['Loading', 'Active']);
    expect(q.of('timeline_state').map((e) => e.state)).toEqual(['Suspended', 'Active']);
    expect(q.of('flush_loop').map((e) => e.state)).toEqual(['Running']);
  });

  it('on detach: Paused, timelines Suspended, the flush loop Exited; a later activate() is a no-op', async () => {
    const { q } = await runPs({
      pageserver: { tenant_defaults: quiet, tenants: [{ id: 't1', timelines: [{ id: 'l1' }] }] },
      steps: [{ at: 20, do: 'detach', tenant: 't1' }],
      end_at: 80,
    });
    expect(tenantStates(q, 't1')).toEqual(['Loading', 'Active', 'Paused']);
    expect(q.of('timeline_state').map((e) => e.state)).toEqual(['Suspended', 'Active', 'Suspended']);
    expect(q.of('flush_loop').map((e) => e.state)).toEqual(['Running', 'Exited']);
  });

  it('keeps the flush loop Running when the flush task panics (S18a)', async () => {
    const { q } = await runPs({
      pageserver: { durations: { flushLayer: 30 }, tenant_defaults: { ...quiet, checkpoint_distance: 2 }, tenants: [{ id: 't1', timelines: [{ id: 'l1', wal_every: 1 }] }] },
      steps: [{ at: 20, do: 'inject_into', kind: 'LayerFlushTask', tenant: 't1', timeline: 'l1', fault: 'panic', message: 'boom' }],
      end_at: 60,
    });
    expect(q.exit('flush t1/l1')?.outcome).toBe('panic');
    expect(q.of('flush_loop').map((e) => e.state)).toEqual(['Running']);
    expect(q.of('lint').map((e) => e.rule)).toContain('flush-loop-stuck');
  });
});
