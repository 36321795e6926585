/**
 * The simulator's own guarantees: determinism, workers held by blocking code,
 * placement, and a clear failure for a body that awaits something foreign.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../shared/scenario/parse';
import { runScenarioSim } from '../../electron/run/run-scenario';
import { FOREIGN_AWAIT, SimExecutor } from '../../electron/sim/sim-executor';
import { DRIVER } from '../../electron/sim/virtual-clock';
import { EventLog } from '../../electron/core/event-log';
import { TaskManager } from '../../electron/core/task-manager';
import type { TaskBody } from '../../electron/core/task-context';
import { scenario, sim } from '../helpers/sim';

const FIXTURES = join(__dirname, '..', 'fixtures', 'conformance');
const trace = (events: unknown[]) => events.map((e) => JSON.stringify(e)).join('\n');

describe('determinism', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));

  it('gives a byte-identical trace for the same scenario, seed and policy, over many seeds', async () => {
    for (const f of files) {
      const s = parseScenario(readFileSync(join(FIXTURES, f), 'utf8'));
      for (let seed = 1; seed <= 25; seed++) {
        const a = await runScenarioSim(s, { seed, policy: 'random' });
        const b = await runScenarioSim(s, { seed, policy: 'random' });
        expect(trace(b.events), `${f} seed ${seed}`).toBe(trace(a.events));
      }
    }
  });

  it('explores different interleavings with different seeds under the random policy', async () => {
    const s = scenario(
      Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`t${i}`, { body: [{ op: 'sleep', ticks: 1 }, { op: 'check_shutdown' }] }])),
      Array.from({ length: 8 }, (_, i) => ({ at: 0, do: 'spawn', task: `t${i}` })),
      10,
    );
    const orders = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      const r = await runScenarioSim(s, { seed, policy: 'random' });
      orders.add(r.events.filter((e) => e.ev === 'check').map((e) => (e as { task: string }).task).join(','));
    }
    expect(orders.size).toBeGreaterThan(1);
  });
});

describe('virtual workers', () => {
  it('lets busy(N) hold its worker: the other task of that worker waits, another worker and another runtime do not', async () => {
    // With one worker per runtime hog and victim share background worker 0.
    const { q } = await sim(
      scenario(
        {
          hog: { body: [{ op: 'sleep', ticks: 5 }, { op: 'busy', ticks: 30 }] },
          victim: { body: [{ op: 'sleep', ticks: 10 }, { op: 'check_shutdown' }] },
          other: { runtime: 'compute_request', kind: 'PageRequestHandler', body: [{ op: 'sleep', ticks: 10 }, { op: 'check_shutdown' }] },
        },
        [
          { at: 0, do: 'spawn', task: 'hog' },
          { at: 0, do: 'spawn', task: 'victim' },
          { at: 0, do: 'spawn', task: 'other' },
        ],
      ),
      { workers: { background: 1 } },
    );
    expect(q.one('check', (e) => e.task === 'victim').t).toBe(35);
    expect(q.one('check', (e) => e.task === 'other').t).toBe(10);

    const two = await sim(
      scenario(
        {
          hog: { body: [{ op: 'sleep', ticks: 5 }, { op: 'busy', ticks: 30 }] },
          victim: { body: [{ op: 'sleep', ticks: 10 }, { op: 'check_shutdown' }] },
        },
        [
          { at: 0, do: 'spawn', task: 'hog' },
          { at: 0, do: 'spawn', task: 'victim' },
        ],
      ),
    );
    // Two workers: the tasks are placed on different workers, so the victim is not held up.
    expect(two.q.of('start').map((e) => e.worker)).toEqual([0, 1]);
    expect(two.q.one('check').t).toBe(10);
  });

  it('keeps a fault injected during busy for the next await: blocking code cannot be interrupted', async () => {
    const { q } = await sim(
      scenario({ a: { body: [{ op: 'busy', ticks: 20 }, { op: 'check_shutdown' }, { op: 'sleep', ticks: 5 }] } }, [
        { at: 0, do: 'spawn', task: 'a' },
        { at: 10, do: 'inject', task: 'a', fault: 'error', message: 'x' },
      ]),
    );
    expect(q.one('check').t).toBe(20);
    expect(q.exit('a')).toMatchObject({ t: 20, outcome: 'error' });
  });

  it('places a task on the least-loaded worker of its runtime and keeps it there', async () => {
    const { q } = await sim(
      scenario(
        Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [n, { body: [{ op: 'sleep', ticks: 5 }, { op: 'sleep', ticks: 5 }] }])),
        ['a', 'b', 'c', 'd'].map((task) => ({ at: 0, do: 'spawn', task })),
        20,
      ),
      { workers: { background: 3 } },
    );
    expect(q.of('start').map((e) => e.worker)).toEqual([0, 1, 2, 0]);
  });
});

describe('foreign awaits', () => {
  it('fails a body that awaits a real timer at once, with an error naming the task, and goes on', async () => {
    const exec = new SimExecutor((spec) => (spec.type === 'workload' && spec.name === 'bad' ? badBody : goodBody));
    const log = new EventLog(() => exec.now());
    const manager = new TaskManager(log);
    manager.attach(exec);
    exec.connect(manager);
    const spawn = (name: string) =>
      manager.spawn({ runtime: 'background', kind: 'Compaction', tenant: null, timeline: null, name, shutdownProcessOnError: false, body: { type: 'workload', name } });
    exec.clock.schedule(0, DRIVER, () => {
      spawn('bad');
      spawn('good');
    });
    await exec.run();
    const exits = log.events.filter((e) => e.ev === 'exit');
    expect(exits).toEqual([
      expect.objectContaining({ task: 'bad', outcome: 'panic', t: 2, message: `task bad (id 1) ${FOREIGN_AWAIT}` }),
      expect.objectContaining({ task: 'good', outcome: 'ok', t: 4 }),
    ]);
    expect(exec.problems).toHaveLength(1);
  });
});

const badBody: TaskBody = async (ctx) => {
  await ctx.sleep(2);
  await new Promise((resolve) => setTimeout(resolve, 5));
  await ctx.sleep(1);
};
const goodBody: TaskBody = async (ctx) => {
  await ctx.sleep(4);
};
