/**
 * The live pools as processes: a busy task holds its worker (and only its worker),
 * a malformed message from a worker is an `error` event and the run goes on, a
 * worker killed mid-run crashes the simulated pageserver (every task killed,
 * nothing hangs) and a restart brings up fresh processes, and stopping leaves no
 * process behind. One set of pools serves the whole file, behind a launcher that
 * can slip a message into a worker's channel; the crash test runs last and
 * restarts it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeName } from '../../shared/model';
import { parseScenario, parseScenarioValue } from '../../shared/scenario/parse';
import type { Scenario } from '../../shared/scenario/types';
import type { TraceEvent } from '../../shared/trace/events';
import { parseJsonl } from '../../shared/trace/jsonl';
import { compareTraces } from '../../shared/trace/summary';
import { checkScenarioExpect } from '../../shared/scenario/expect-check';
import { formatSummary } from '../../electron/cli/summary-report';
import { NodeLauncher, type ProcessLauncher, type WorkerChannel } from '../../electron/pools/launcher';
import { WorkerPools } from '../../electron/pools/worker-pools';
import { runScenarioLive } from '../../electron/run/run-scenario';
import { workLimitMessage } from '../../electron/core/work-limit';
import { alive } from '../helpers/process';

const TICK = 20;
const CONFORMANCE = path.join(__dirname, '../fixtures/conformance');

/** A channel that also delivers what the test slips in, as if the worker had sent it. */
class TamperedChannel implements WorkerChannel {
  private listeners: Array<(m: unknown) => void> = [];
  constructor(private inner: WorkerChannel) {
    inner.onMessage((m) => this.deliver(m));
  }
  get pid() {
    return this.inner.pid;
  }
  postMessage(m: unknown) {
    this.inner.postMessage(m);
  }
  onMessage(l: (m: unknown) => void) {
    this.listeners.push(l);
  }
  onExit(l: (code: number | null, signal: string | null) => void) {
    this.inner.onExit(l);
  }
  kill(signal?: NodeJS.Signals) {
    this.inner.kill(signal);
  }
  deliver(m: unknown) {
    for (const l of this.listeners) l(m);
  }
}

class TamperingLauncher implements ProcessLauncher {
  readonly channels: TamperedChannel[] = [];
  private inner = new NodeLauncher();
  launch(runtime: RuntimeName, index: number): WorkerChannel {
    const c = new TamperedChannel(this.inner.launch(runtime, index));
    this.channels.push(c);
    return c;
  }
}

function scenario(tasks: Record<string, Record<string, unknown>>, steps: unknown[], end_at: number): Scenario {
  const full: Record<string, unknown> = {};
  for (const [id, t] of Object.entries(tasks)) full[id] = { runtime: 'background', kind: 'Compaction', tenant: 't1', ...t };
  return parseScenarioValue({ format: 'taskmgr-scenario/1', name: 'pools-runtime', tasks: full, steps, end_at });
}

const conformance = (name: string) => ({
  scenario: parseScenario(readFileSync(path.join(CONFORMANCE, `${name}.json`), 'utf8')),
  expected: parseJsonl(readFileSync(path.join(CONFORMANCE, `${name}.expected.jsonl`), 'utf8')).events,
});
const conforms = (expected: ReturnType<typeof conformance>['expected'], events: TraceEvent[]) =>
  compareTraces(
    expected,
    events.map((e, i) => ({ ...e, line: i + 1 })),
  );

const ofTask = (events: TraceEvent[], ev: TraceEvent['ev'], task: string) => events.find((e) => e.ev === ev && 'task' in e && e.task === task) as (TraceEvent & { task: string }) | undefined;

describe('live pools as processes', () => {
  const launcher = new TamperingLauncher();
  const pools = new WorkerPools({ launcher });
  const everyPid = new Set<number>();

  beforeAll(async () => {
    await pools.start();
    for (const p of pools.pids()) everyPid.add(p);
  });

  afterAll(async () => {
    await pools.stop();
    for (const p of pools.pids()) everyPid.add(p);
    expect(everyPid.size).toBe(16); // the first set and the one the restart brought up
    expect([...everyPid].filter(alive)).toEqual([]);
  });

  it('busy(ticks) stalls the other tasks of its worker only', async () => {
    // Placement: hog -> background/0, other -> background/1, neighbour -> background/0 (least loaded, first of equals).
    const probe = [{ op: 'sleep', ticks: 10 }, { op: 'record_kind' }, { op: 'wait_shutdown' }];
    const s = scenario(
      {
        hog: { body: [{ op: 'sleep', ticks: 5 }, { op: 'busy', ticks: 30 }, { op: 'wait_shutdown' }] },
        other: { body: probe },
        neighbour: { body: probe },
        remote: { runtime: 'walreceiver', kind: 'WalReceiverManager', body: probe },
      },
      [
        { at: 0, do: 'spawn', task: 'hog' },
        { at: 0, do: 'spawn', task: 'other' },
        { at: 0, do: 'spawn', task: 'neighbour' },
        { at: 0, do: 'spawn', task: 'remote' },
        { at: 55, do: 'shutdown_tasks', label: 'all', kind: null, tenant: null, timeline: null },
      ],
      75,
    );
    const { events } = await runScenarioLive(s, { pools, tickMs: TICK });
    const start = (t: string) => ofTask(events, 'start', t) as TraceEvent & { worker: number; pid: number };
    expect(start('neighbour').pid).toBe(start('hog').pid);
    expect(start('other').pid).not.toBe(start('hog').pid);
    expect(start('other').worker).not.toBe(start('hog').worker);

    const kindAt = (t: string) => ofTask(events, 'kind', t)!.t;
    const busyAt = events.find((e) => e.ev === 'await' && e.task === 'hog' && e.what.startsWith('blocking code'))!.t;
    // Its sleep ended at tick 10, but its worker was spinning from ~5 to ~35.
    expect(kindAt('neighbour')).toBeGreaterThanOrEqual(busyAt + 30 - 1);
    // Same pool, other worker; and another pool: on time (~tick 10), long before the spin ended.
    expect(kindAt('other')).toBeLessThan(busyAt + 20);
    expect(kindAt('remote')).toBeLessThan(busyAt + 20);
    expect(events.find((e) => e.ev === 'shutdown_end')).toMatchObject({ victims: ['hog', 'neighbour', 'other', 'remote'] });

    // The stalled worker shows in pool_stats as a long event-loop delay.
    const hogWorker = start('hog').worker;
    const delays = events.flatMap((e) => (e.ev === 'pool_stats' ? e.workers.filter((w) => w.runtime === 'background' && w.worker === hogWorker) : []));
    expect(Math.max(...delays.map((w) => w.loop_delay_ms))).toBeGreaterThan(30 * TICK * 0.6);
  });

  it('turns a malformed message from a worker into an error event, and the run goes on', async () => {
    const { scenario: s, expected } = conformance('outcomes');
    let run = 0;
    const { events, problems } = await runScenarioLive(s, {
      pools,
      tickMs: TICK,
      onStart: ({ executor }) => (run = executor.run),
      onEvent: (e) => {
        if (e.ev !== 'snapshot' || e.label !== 'all four running') return;
        const channel = launcher.channels[launcher.channels.length - 1];
        channel.deliver('not an envelope');
        channel.deliver({ batch: [{ t: 'exited', run, id: 'one', outcome: 'ok' }, 42] });
        channel.deliver({ batch: [{ t: 'started', run, id: 999 }] }); // well-formed, but not a task of that worker
        channel.deliver({ batch: [{ t: 'started', run: run + 1000, id: 1 }] }); // a run that never began
      },
    });
    const errors = events.filter((e): e is Extract<TraceEvent, { ev: 'error' }> => e.ev === 'error');
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^malformed message from pool worker background\/1 \(pid \d+\): not an envelope/),
      expect.stringMatching(/exited: id: expected an integer >= 1$/),
      expect.stringMatching(/: not an object$/),
      expect.stringMatching(/sent "started" for task 999, which it does not run$/),
      expect.stringMatching(/sent "started" for run \d+, which never began$/),
    ]);
    expect(problems).toHaveLength(5);
    expect(conforms(expected, events)).toEqual([]);
  });

  it('stops a live run at the bound of its work (a poll every 1e-9 ticks), with one error event', async () => {
    const s = parseScenarioValue({
      format: 'taskmgr-scenario/1',
      name: 'poll',
      tasks: { p: { runtime: 'background', kind: 'Compaction', body: [{ op: 'poll_shutdown', every: 1e-9 }] } },
      steps: [{ at: 0, do: 'spawn', task: 'p' }],
      end_at: 1e9,
    });
    const { events, problems } = await runScenarioLive(s, { pools, tickMs: TICK, maxSteps: 500 });
    expect(problems).toEqual([workLimitMessage(500)]);
    expect(events.filter((e) => e.ev === 'error')).toEqual([expect.objectContaining({ message: workLimitMessage(500), source: 'pools' })]);
  });

  it('ends the run as a crash when a worker is SIGKILLed, kills every task, and restarts fresh', async () => {
    const waiter = { body: [{ op: 'sleep_or_shutdown', ticks: 5000 }] };
    const s = scenario(
      {
        page: { runtime: 'compute_request', kind: 'PageRequestHandler', ...waiter },
        http: { runtime: 'mgmt_request', kind: 'HttpEndpointListener', ...waiter },
        wal: { runtime: 'walreceiver', kind: 'WalReceiverManager', ...waiter },
        gc: { runtime: 'background', kind: 'GarbageCollector', ...waiter },
        hung: { runtime: 'background', kind: 'InitialLoad', body: [{ op: 'hang' }] },
      },
      [
        { at: 0, do: 'spawn', task: 'page' },
        { at: 0, do: 'spawn', task: 'http' },
        { at: 0, do: 'spawn', task: 'wal' },
        { at: 0, do: 'spawn', task: 'gc' },
        { at: 0, do: 'spawn', task: 'hung' },
        { at: 10, do: 'snapshot', label: 'kill now' },
        { at: 12, do: 'shutdown_tasks', label: 'stuck', kind: 'InitialLoad', tenant: null, timeline: null },
      ],
      2000,
    );
    const oldPids = pools.pids();
    let victim = 0;
    const t0 = performance.now();
    const r = await runScenarioLive(s, {
      pools,
      tickMs: TICK,
      onEvent: (e) => {
        if (e.ev === 'start' && e.task === 'wal') victim = e.pid!;
        if (e.ev === 'snapshot') process.kill(victim, 'SIGKILL');
      },
    });
    expect(performance.now() - t0).toBeLessThan(2000 * TICK * 0.25); // nowhere near end_at
    const crash = r.events.find((e) => e.ev === 'process_crash');
    expect(crash).toMatchObject({ ev: 'process_crash', runtime: 'walreceiver', pid: victim, exit_code: null, signal: 'SIGKILL' });
    expect(r.exitCode).toBe(137);
    const after = r.events.slice(r.events.indexOf(crash!) + 1);
    expect(after.map((e) => (e.ev === 'exit' ? `${e.task}:${e.outcome}` : e.ev)).sort()).toEqual([
      'gc:killed',
      'http:killed',
      'hung:killed',
      'page:killed',
      'wal:killed',
    ]);
    expect(r.events.some((e) => e.ev === 'end' || e.ev === 'shutdown_end')).toBe(false);
    expect(pools.state).toBe('crashed');
    // What the reports say: the process crashed; it is not running, nor did it exit with a code.
    const crashed = `crashed: walreceiver worker ${(crash as { worker: number }).worker} (pid ${victim}) died of SIGKILL, no exit code`;
    expect(formatSummary(r.events, false).at(-1)).toBe(`  process: ${crashed}`);
    expect(checkScenarioExpect([{ exit_code: null }, { exit_code: 0 }], r.events).map((x) => [x.ok, x.detail])).toEqual([
      [false, crashed],
      [false, crashed],
    ]);

    // Crashed pools refuse new runs; a restart starts fresh processes with an empty registry.
    await expect(runScenarioLive(s, { pools })).rejects.toThrow(/crashed: restart/);
    await pools.restart();
    expect(oldPids.filter(alive)).toEqual([]);
    for (const p of pools.pids()) everyPid.add(p);
    expect(pools.pids().filter((p) => oldPids.includes(p))).toEqual([]);
    const { scenario: again, expected } = conformance('shutdown-by-tenant');
    const r2 = await runScenarioLive(again, { pools, tickMs: TICK });
    expect(conforms(expected, r2.events)).toEqual([]);
  });

  it('crashes, stops and reaps its own pools when it owns them (the CLI default)', async () => {
    let pids: number[] = [];
    const r = await runScenarioLive(conformance('hung-task-pending').scenario, {
      tickMs: TICK,
      workers: { compute_request: 1, mgmt_request: 1, walreceiver: 1, background: 1 },
      onStart: ({ pools: own }) => (pids = own.pids()),
      onEvent: (e) => {
        if (e.ev === 'signal' && e.task === 'gc') process.kill(pids[3], 'SIGTERM'); // the background worker
      },
    });
    expect(r.events.find((e) => e.ev === 'process_crash')).toMatchObject({ runtime: 'background', worker: 0, signal: 'SIGTERM' });
    expect(r.exitCode).toBe(143);
    expect(r.events.filter((e) => e.ev === 'exit').map((e) => e.ev === 'exit' && `${e.task}:${e.outcome}`)).toEqual(['load:killed', 'gc:killed']);
    expect(pids).toHaveLength(4);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('ends a run whose pools are stopped under it, and leaves no process behind', async () => {
    const pids = pools.pids();
    let stopping: Promise<void> | null = null;
    const t0 = performance.now();
    const r = await runScenarioLive(conformance('hung-task-pending').scenario, {
      pools,
      tickMs: TICK,
      onEvent: (e) => {
        if (e.ev === 'shutdown_begin') stopping = pools.stop();
      },
    });
    expect(performance.now() - t0).toBeLessThan(40 * TICK);
    expect(r.events.some((e) => e.ev === 'end')).toBe(false);
    expect(r.events.filter((e) => e.ev === 'log' && e.level === 'warn' && /stopped while the run/.test(e.message))).toHaveLength(1);
    await stopping;
    expect(pools.state).toBe('stopped');
    expect(pids.filter(alive)).toEqual([]);
  });

  it('fails to start cleanly when a worker dies while starting', async () => {
    const inner = new NodeLauncher();
    const dying: ProcessLauncher = {
      launch(runtime, index) {
        const channel = inner.launch(runtime, index);
        if (runtime === 'walreceiver' && index === 1) channel.kill('SIGKILL');
        return channel;
      },
    };
    const broken = new WorkerPools({ launcher: dying, statsIntervalMs: 0 });
    await expect(broken.start()).rejects.toThrow(/walreceiver\/1 exited while starting \(code null, signal SIGKILL\)/);
    expect(broken.state).toBe('stopped');
    expect(broken.all).toHaveLength(8);
    expect(broken.all.every((w) => w.state === 'exited')).toBe(true);
    expect(broken.pids().filter(alive)).toEqual([]);
  });
});
