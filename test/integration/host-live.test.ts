/**
 * The Lab's live mode on real worker processes (child_process.fork): a run's bodies
 * run in the pools, a command from the UI reaches the running coordinator, a stop
 * ends the run with `end` and keeps the pools for the next run; a pageserver
 * scenario's workloads run in the workers too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../shared/trace/events';
import { Lab } from '../../electron/host/lab';
import { ok } from '../helpers/lab';
import { awaiting, untilWithin } from '../helpers/until';

const SCENARIO = JSON.stringify({
  format: 'taskmgr-scenario/1',
  name: 'live-lab',
  tasks: {
    listener: { runtime: 'mgmt_request', kind: 'HttpEndpointListener', body: [{ op: 'wait_shutdown' }] },
    gc: { runtime: 'background', kind: 'GarbageCollector', tenant: 't1', body: [{ op: 'poll_shutdown', every: 2 }] },
  },
  steps: [
    { at: 0, do: 'spawn', task: 'listener' },
    { at: 0, do: 'spawn', task: 'gc' },
  ],
  end_at: 100000,
});

let dir: string;
let lab: Lab;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'taskmgr-live-'));
  lab = new Lab({ recordingsDir: join(dir, 'rec'), logger: () => {}, live: { workers: { compute_request: 1, mgmt_request: 1, walreceiver: 1, background: 1 } } });
});

afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

const until = untilWithin(15_000, () => `last events: ${lab.events().slice(-30).map((e) => e.ev).join(' ')}`);
/** A predicate over the Lab's events; it names the event awaited when an `until` times out. */
const has = (pred: (e: TraceEvent) => boolean) => awaiting(`an event where ${pred.toString()}`, () => lab.events().some(pred));

describe('Lab: live mode', () => {
  it('runs bodies in worker processes, applies a shutdown from the UI, and stops', async () => {
    const status = ok(await lab.handle({ type: 'run', scenario: { text: SCENARIO, filename: 'live.json' }, mode: 'live', tickMs: 10 }));
    expect(status).toMatchObject({ mode: 'live', running: true, seed: null });
    await until(has((e) => e.ev === 'start' && e.task === 'gc'));
    const start = lab.events().find((e) => e.ev === 'start' && e.task === 'gc');
    expect(start).toMatchObject({ runtime: 'background' });
    expect(start && 'pid' in start && typeof start.pid === 'number' && start.pid !== process.pid).toBe(true);

    expect(ok(await lab.handle({ type: 'shutdownTasks', label: 'stop gc', kind: 'GarbageCollector', tenant: null, timeline: null }))).toEqual({ label: 'stop gc' });
    await until(has((e) => e.ev === 'shutdown_end' && e.label === 'stop gc'));
    expect(lab.events().find((e) => e.ev === 'exit' && e.task === 'gc')).toMatchObject({ outcome: 'ok' });

    const stopped = ok(await lab.handle({ type: 'stop' }));
    expect(stopped.running).toBe(false);
    expect(lab.events().slice(-1)[0]).toMatchObject({ ev: 'end', registry: ['listener'] });
  });

  it('runs again on the same pools', async () => {
    ok(await lab.handle({ type: 'restart' }));
    await until(has((e) => e.ev === 'start' && e.task === 'listener'));
    expect(lab.events()[0]).toMatchObject({ ev: 'scenario', mode: 'live', name: 'live-lab' });
    ok(await lab.handle({ type: 'shutdownPageserver', exitCode: 0 }));
    await until(has((e) => e.ev === 'process_exit'));
    await until(() => !lab.status().running);
  });

  it('runs live under the random policy with the seed of its victim orders, shown and recorded', async () => {
    const status = ok(await lab.handle({ type: 'run', scenario: { text: SCENARIO, filename: 'live.json' }, mode: 'live', tickMs: 10, policy: 'random', seed: 9 }));
    expect(status).toMatchObject({ mode: 'live', running: true, seed: 9 });
    await until(has((e) => e.ev === 'start' && e.task === 'gc'));
    expect(lab.events()[0]).toMatchObject({ ev: 'scenario', mode: 'live', seed: 9, policy: 'random' });
    expect(ok(await lab.handle({ type: 'stop' })).running).toBe(false);
  });

  it('runs a pageserver scenario live, its workloads in the workers, detaches a tenant from the UI, and stops it', async () => {
    ok(await lab.handle({ type: 'run', scenario: { library: 'pageserver-demo' }, mode: 'live', tickMs: 10 }));
    await until(has((e) => e.ev === 'start' && 'pid' in e && typeof e.pid === 'number'));
    await until(has((e) => e.ev === 'process_start'));
    await until(has((e) => e.ev === 'tenant_state' && e.tenant === 't1' && e.state === 'Active'));
    ok(await lab.handle({ type: 'pageserver', action: { do: 'detach', tenant: 't1' } }));
    await until(has((e) => e.ev === 'tenant_state' && e.tenant === 't1' && e.state === 'Paused'));
    expect(ok(await lab.handle({ type: 'stop' })).running).toBe(false);
    expect(lab.events().slice(-1)[0]).toMatchObject({ ev: 'end' });
  });
});
