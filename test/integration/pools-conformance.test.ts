/**
 * Every conformance example conforms in live mode (tick_ms 20): real worker
 * processes forked through NodeLauncher, four pools of two. The examples run
 * side by side on one set of pools (each run is its own registry; workers host
 * several runs at once), which keeps the suite to about the length of the longest
 * example. The runs also carry `pool_stats`, and stopping the pools leaves no
 * worker process behind.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioValue } from '../../shared/scenario/parse';
import { parseJsonl } from '../../shared/trace/jsonl';
import { compareTraces } from '../../shared/trace/summary';
import type { PoolStatsEvent } from '../../shared/trace/events';
import { WorkerPools } from '../../electron/pools/worker-pools';
import { type RunResult, runScenarioSim } from '../../electron/run/run-scenario';
import { runScenarioLive } from '../../electron/run/run-scenario';
import { alive } from '../helpers/process';

const DIR = path.join(__dirname, '../fixtures/conformance');
const EXAMPLES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

/**
 * The request paths across processes, checked against the simulator: a spawn from a
 * body onto another pool, associate_with, shutdown_tasks from a body, a fault into a
 * task awaiting its own call (abandoned, its join handle gone with it), and a
 * failing shutdown_process_on_error task escalating to process exit. Every event is
 * a few ticks from the next, so both executors must agree on the summary.
 */
const ACROSS = parseScenarioValue({
  format: 'taskmgr-scenario/1',
  name: 'requests-across-processes',
  tasks: {
    parent: { runtime: 'mgmt_request', kind: 'Attach', tenant: 't1', body: [
      { op: 'spawn', task: 'child' },
      { op: 'associate', tenant: 't5', timeline: 'l5' },
      { op: 'sleep', ticks: 5 },
      { op: 'shutdown_tasks', label: 'parent stops t2', kind: null, tenant: 't2', timeline: null },
      { op: 'record_kind' },
    ] },
    child: { runtime: 'background', kind: 'Compaction', tenant: 't2', body: [{ op: 'poll_shutdown', every: 3 }, { op: 'check_shutdown' }] },
    stuck: { runtime: 'walreceiver', kind: 'WalReceiverManager', tenant: 't3', timeline: 'l3', body: [
      { op: 'sleep', ticks: 2 },
      { op: 'shutdown_tasks', label: 'stuck waits t4', kind: null, tenant: 't4', timeline: null },
    ] },
    sleeper: { runtime: 'background', kind: 'InitialLoad', tenant: 't4', body: [{ op: 'sleep', ticks: 45 }] },
    listener: { runtime: 'compute_request', kind: 'LibpqEndpointListener', shutdown_process_on_error: true, body: [
      { op: 'sleep', ticks: 40 },
      { op: 'error', message: 'listener failed' },
    ] },
  },
  steps: [
    { at: 0, do: 'spawn', task: 'parent' },
    { at: 0, do: 'spawn', task: 'stuck' },
    { at: 0, do: 'spawn', task: 'sleeper' },
    { at: 0, do: 'spawn', task: 'listener' },
    { at: 30, do: 'inject', task: 'stuck', fault: 'error', message: 'cut' },
    { at: 35, do: 'snapshot', label: 'before escalation' },
  ],
  end_at: 60,
});

const withLines = (events: readonly object[]) => events.map((e, i) => ({ ...(e as { ev: string }), line: i + 1 }));

describe('live pools: conformance examples at tick_ms 20', () => {
  const pools = new WorkerPools();
  const results = new Map<string, RunResult>();
  let across: RunResult;

  beforeAll(async () => {
    await pools.start();
    const runs = await Promise.all([
      ...EXAMPLES.map((name) => runScenarioLive(parseScenario(readFileSync(path.join(DIR, `${name}.json`), 'utf8')), { pools, tickMs: 20 })),
      runScenarioLive(ACROSS, { pools, tickMs: 20 }),
    ]);
    EXAMPLES.forEach((name, i) => results.set(name, runs[i]));
    across = runs[EXAMPLES.length];
  });

  afterAll(async () => {
    const pids = pools.pids();
    await pools.stop();
    expect(pids).toHaveLength(8);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('has the twelve public examples and the fidelity scenarios', () => {
    expect(EXAMPLES).toHaveLength(14);
  });

  it.each(EXAMPLES)('%s conforms', (name) => {
    const r = results.get(name)!;
    const expected = parseJsonl(readFileSync(path.join(DIR, `${name}.expected.jsonl`), 'utf8')).events;
    const actual = r.events.map((e, i) => ({ ...e, line: i + 1 }));
    // Joined, so that a failure prints the differences themselves.
    expect(compareTraces(expected, actual).join('\n')).toBe('');
    expect(r.problems).toEqual([]);
    expect(r.events[0]).toMatchObject({ ev: 'scenario', name, mode: 'live', tick_ms: 20 });
    expect(r.events.filter((e) => e.ev === 'error')).toEqual([]);
  });

  it('carries requests across processes as the simulator does', async () => {
    const sim = await runScenarioSim(ACROSS, { tickMs: 20 });
    expect(compareTraces(withLines(sim.events), withLines(across.events))).toEqual([]);
    // What the comparison covers, spelled out.
    const live = across.events;
    expect(live.find((e) => e.ev === 'spawn' && e.task === 'child')).toMatchObject({ parent: 'parent', runtime: 'background' });
    expect(live.find((e) => e.ev === 'shutdown_end' && e.label === 'parent stops t2')).toMatchObject({ victims: ['child'], waited: ['child'] });
    expect(live.find((e) => e.ev === 'shutdown_abandoned')).toMatchObject({ label: 'stuck waits t4', caller: 'stuck' });
    expect(live.find((e) => e.ev === 'shutdown_end' && e.label === 'pageserver:all')).toMatchObject({ victims: ['sleeper'], waited: [] });
    expect(live.find((e) => e.ev === 'process_exit')).toMatchObject({ code: 1 });
    expect(across.exitCode).toBe(1);
    expect(live.filter((e) => e.ev === 'exit' && e.outcome === 'killed').map((e) => e.ev === 'exit' && e.task)).toEqual(['sleeper']);
  });

  it('places each task on a worker process of its runtime', () => {
    const pidsByRuntime = new Map(pools.all.map((w) => [w.pid, w.runtime]));
    for (const r of results.values()) {
      for (const e of r.events) {
        if (e.ev !== 'start') continue;
        expect(pidsByRuntime.get(e.pid!)).toBe(e.runtime);
        expect(e.worker).toBeLessThan(2);
      }
    }
  });

  it('reports pool_stats for every worker', () => {
    const stats = [...results.values()].flatMap((r) => r.events.filter((e): e is PoolStatsEvent => e.ev === 'pool_stats'));
    expect(stats.length).toBeGreaterThanOrEqual(12);
    const last = stats.at(-1)!;
    expect(last.workers).toHaveLength(8);
    for (const w of last.workers) {
      expect(w.pid).toBeGreaterThan(0);
      expect(w.cpu_ms).toBeGreaterThan(0);
      expect(w.loop_delay_ms).toBeGreaterThanOrEqual(0);
    }
    expect(last.workers.reduce((n, w) => n + w.placed, 0)).toBeGreaterThan(0);
  });
});
