/**
 * Issue 9's rules on the live executor, over real worker processes:
 * - rule 1: a task signalled in the coordinator turn that started it sees the signal
 *   at its first check, also when its start and the signal travel in separate
 *   batches of that turn (batch cap 1, and batching off);
 * - rule 3: under `--policy random` a live call joins its victims in an order drawn
 *   from the run's seed, as the simulator's is, so the outcomes that depend on it
 *   (which victims a self-joining call waits for) come out both ways;
 * - rule 4: a fault sent in the turn that started a task ends it before its first
 *   op, `shutdown_tasks`, scans anything, as the simulator does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioValue } from '../../shared/scenario/parse';
import { parseJsonl } from '../../shared/trace/jsonl';
import { compareTraces } from '../../shared/trace/summary';
import type { TraceEvent } from '../../shared/trace/events';
import { WorkerPools } from '../../electron/pools/worker-pools';
import { runScenarioLive } from '../../electron/run/run-scenario';
import { runScenarioSim } from '../../electron/run/run-scenario';
import { Rng } from '../../electron/sim/rng';

const DIR = path.join(__dirname, '../fixtures/conformance');
const withLines = (events: readonly TraceEvent[]) => events.map((e, i) => ({ ...e, line: i + 1 }));

describe('live: a signal in the turn that starts a task (rule 1)', () => {
  const scenario = parseScenario(readFileSync(path.join(DIR, 'signal-before-first-poll.json'), 'utf8'));
  const expected = parseJsonl(readFileSync(path.join(DIR, 'signal-before-first-poll.expected.jsonl'), 'utf8')).events;

  it.each([
    ['batches of one message', { batchCap: 1 }],
    ['batching off', { batching: false }],
  ])('is seen at the first check with %s', async (_what, options) => {
    const pools = new WorkerPools({ ...options, workers: { mgmt_request: 1 } });
    await pools.start();
    try {
      const sent = pools.all.map((w) => w.outbox.envelopes);
      const r = await runScenarioLive(scenario, { pools, tickMs: 20 });
      expect(compareTraces(expected, withLines(r.events))).toEqual([]);
      expect(r.events.find((e) => e.ev === 'check' && e.task === 'child')).toMatchObject({ value: true });
      // The start and the signal really went in separate envelopes.
      expect(pools.all.reduce((n, w, i) => n + w.outbox.envelopes - sent[i], 0)).toBeGreaterThanOrEqual(4);
    } finally {
      await pools.stop();
    }
  });
});

describe('live: a fault in the turn that starts a task (rule 4)', () => {
  /** The fault is injected right after the spawn, in the same tick: the stopper never scans. */
  const scenario = parseScenarioValue({
    format: 'taskmgr-scenario/1',
    name: 'fault-before-shutdown-call',
    tasks: {
      bystander: { runtime: 'background', kind: 'GarbageCollector', tenant: 't1', body: [{ op: 'wait_shutdown' }] },
      stopper: { runtime: 'mgmt_request', kind: 'Attach', tenant: 't2', body: [
        { op: 'check_shutdown' },
        { op: 'shutdown_tasks', label: 'stopper stops t1', kind: null, tenant: 't1', timeline: null },
      ] },
    },
    steps: [
      { at: 0, do: 'spawn', task: 'bystander' },
      { at: 5, do: 'spawn', task: 'stopper' },
      { at: 5, do: 'inject', task: 'stopper', fault: 'error', message: 'cut before the call' },
    ],
    end_at: 15,
  });
  const pools = new WorkerPools();
  beforeAll(() => pools.start());
  afterAll(() => pools.stop());

  it('drops the call before it scans, as the simulator does', async () => {
    const live = await runScenarioLive(scenario, { pools, tickMs: 20 });
    const sim = await runScenarioSim(scenario);
    expect(compareTraces(withLines(sim.events), withLines(live.events))).toEqual([]);
    expect(live.events.filter((e) => e.ev === 'shutdown_begin' || e.ev === 'signal')).toEqual([]);
    expect(live.events.find((e) => e.ev === 'exit' && e.task === 'stopper')).toMatchObject({ outcome: 'error', message: 'cut before the call' });
    expect(live.events.find((e) => e.ev === 'end')).toMatchObject({ registry: ['bystander'], pending: [] });
  });
});

describe('live: the victim order of a call under --policy random (rule 3)', () => {
  /** `self` joins its own handle and waits for ever: the victims after it in the order are never joined. */
  const scenario = parseScenarioValue({
    format: 'taskmgr-scenario/1',
    name: 'self-join-order',
    tasks: {
      x: { runtime: 'background', kind: 'Compaction', tenant: 't1', body: [{ op: 'wait_shutdown' }] },
      y: { runtime: 'walreceiver', kind: 'WalReceiverManager', tenant: 't1', body: [{ op: 'wait_shutdown' }] },
      self: { runtime: 'mgmt_request', kind: 'Attach', tenant: 't1', body: [
        { op: 'sleep', ticks: 2 },
        { op: 'shutdown_tasks', label: 'self stops t1', kind: null, tenant: 't1', timeline: null },
      ] },
    },
    steps: [
      { at: 0, do: 'spawn', task: 'x' },
      { at: 0, do: 'spawn', task: 'y' },
      { at: 0, do: 'spawn', task: 'self' },
    ],
    end_at: 100,
  });
  /** The tasks the call reached, in the order it joined them. */
  const joined = (events: readonly TraceEvent[]) => events.flatMap((e) => (e.ev === 'shutdown_wait' ? [e.task] : []));
  /** The order the seed's first draw gives victims x, y, self (registry order), up to `self`. */
  const predicted = (seed: number) => {
    const order = new Rng(seed).shuffle(['x', 'y', 'self']);
    return order.slice(0, order.indexOf('self') + 1);
  };
  const pools = new WorkerPools();
  beforeAll(() => pools.start());
  afterAll(() => pools.stop());

  it('joins in an order drawn from the seed, both ways over seeds, the same again for a seed, and in id order under fifo', async () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const [fifo, ...runs] = await Promise.all([
      runScenarioLive(scenario, { pools, tickMs: 20 }),
      ...seeds.map((seed) => runScenarioLive(scenario, { pools, tickMs: 20, policy: 'random', seed })),
      runScenarioLive(scenario, { pools, tickMs: 20, policy: 'random', seed: 1 }),
    ]);
    expect(joined(fifo.events)).toEqual(['x', 'y', 'self']);
    seeds.forEach((seed, i) => {
      expect(joined(runs[i].events), `seed ${seed}`).toEqual(predicted(seed));
      expect(runs[i].events[0]).toMatchObject({ ev: 'scenario', mode: 'live', seed, policy: 'random' });
    });
    expect(joined(runs[seeds.length].events)).toEqual(joined(runs[0].events));
    // Which victims the call waits for depends on the order: it came out more than one way.
    const outcomes = new Set(runs.map((r) => joined(r.events).join(',')));
    expect(outcomes.size).toBeGreaterThan(1);
    expect(outcomes).toContain('self');
  });

  it('keeps a scenario whose result does not depend on the order conforming under every seed', async () => {
    const name = 'victims-in-any-order';
    const s = parseScenario(readFileSync(path.join(DIR, `${name}.json`), 'utf8'));
    const expected = parseJsonl(readFileSync(path.join(DIR, `${name}.expected.jsonl`), 'utf8')).events;
    const runs = await Promise.all([1, 2, 3, 4].map((seed) => runScenarioLive(s, { pools, tickMs: 20, policy: 'random', seed })));
    for (const r of runs) expect(compareTraces(expected, withLines(r.events)).join('\n')).toBe('');
    // The orders differed between these runs.
    expect(new Set(runs.map((r) => joined(r.events).join(','))).size).toBeGreaterThan(1);
  });
});
