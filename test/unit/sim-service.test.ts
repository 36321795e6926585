/**
 * Service calls: a body reaches coordinator-owned state (the pageserver model)
 * through `ctx.service`, answered now or later; a failed call is the body's Err.
 */
import { describe, expect, it } from 'vitest';
import { TaskError } from '../../electron/core/errors';
import { EventLog } from '../../electron/core/event-log';
import { TaskManager } from '../../electron/core/task-manager';
import { SimExecutor } from '../../electron/sim/sim-executor';
import { DRIVER } from '../../electron/sim/virtual-clock';
import type { TaskBody } from '../../electron/core/task-context';

function setup(bodies: Record<string, TaskBody>) {
  const exec = new SimExecutor((spec) => (spec.type === 'workload' ? bodies[spec.name] : bodies.none));
  const log = new EventLog(() => exec.now());
  const manager = new TaskManager(log);
  manager.attach(exec);
  exec.connect(manager);
  const spawn = (name: string) =>
    manager.spawn({ runtime: 'background', kind: 'Compaction', tenant: 't1', timeline: null, name, shutdownProcessOnError: false, body: { type: 'workload', name } });
  return { exec, log, manager, spawn };
}

describe('service calls', () => {
  it('resolve with a value answered later, on virtual time, and reject as an Err', async () => {
    const seen: unknown[] = [];
    const { exec, log, manager, spawn } = setup({
      caller: async (ctx) => {
        seen.push(await ctx.service('clock.later', { ticks: 7 }));
        try {
          await ctx.service('clock.fail');
        } catch (err) {
          seen.push(err instanceof TaskError ? err.message : 'not a TaskError');
        }
        await ctx.service('nope');
      },
    });
    manager.registerService('clock.later', (caller, args, reply) => {
      const { ticks } = args as { ticks: number };
      exec.clock.schedule(exec.now() + ticks, DRIVER, () => reply({ ok: true, value: `${caller.label} at ${exec.now()}` }));
    });
    manager.registerService('clock.fail', (_c, _a, reply) => reply({ ok: false, error: 'refused' }));
    exec.clock.schedule(0, DRIVER, () => spawn('caller'));
    await exec.run();
    expect(seen).toEqual(['caller at 7', 'refused']);
    expect(log.events.find((e) => e.ev === 'exit')).toMatchObject({ t: 7, outcome: 'error', message: 'no service "nope"' });
  });
});
