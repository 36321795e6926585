/**
 * Live-pool figures for `npm run bench` (DESIGN.md section 6), measured on one set
 * of worker processes started through the same launcher as the Lab's. Every run is
 * handed in; ./figures.ts reports the median and its spread (no best-of).
 *
 * Task runs log as the app logs a live run: every event is kept in the run's list
 * and appended to a recording (./app-log.ts, the Lab's Recorder writing JSONL to a
 * scratch directory). The same figures with a silent log (events neither kept nor
 * written) are given separately, as `*_silent`.
 *
 * The task rate and the raw rate are measured in rounds, an echo run right before a
 * task run, after a long warm-up: the task rate keeps rising for some 150k tasks
 * (measured: 26k/s in the first run of 20k, a steady rate from the seventh), as eight
 * workers that each see an eighth of the traffic get compiled; a long live session
 * runs warm. The build machines are shared and their speed drifts by 2x within
 * seconds, so a ratio is only taken between two rates of the same round, and the
 * ratio reported is the median of the rounds' ratios.
 *
 * Budgets: live_vs_raw_ratio at most 3, live_shutdown_10k_ms under 100 ms. Prints
 * nothing. `{ batching: false }` measures the task figures without batching.
 */
import { RUNTIME_NAMES } from '../shared/model';
import type { TaskTemplate } from '../shared/scenario/types';
import { EventLog } from '../electron/core/event-log';
import { TaskManager } from '../electron/core/task-manager';
import type { TraceEvent } from '../shared/trace/events';
import type { ProcessLauncher } from '../electron/pools/launcher';
import { PoolExecutor } from '../electron/pools/pool-executor';
import { WorkerPools } from '../electron/pools/worker-pools';
import { templateSpawnSpec } from '../electron/scenario/template-spec';
import { AppLog } from './app-log';
import { repeat, type Samples } from './figures';

export const LIVE_ABOUT: Record<string, string> = {
  ipc_raw_msgs_per_s: 'batched echo over the eight workers (the coordinator sends ~110-byte messages, the workers echo them), messages per second both directions counted, 16k in flight; one run of 200k messages per round, median of 9 rounds',
  ipc_unbatched_msgs_per_s: 'the same echo with every message in its own envelope, 4k in flight, runs of 30k messages; median of 5 runs',
  live_tasks_per_s: 'trivial tasks (body: ok) across the four pools, spawn to exit, 16k in flight, logged as the app logs a live run (kept and recorded to a file); runs of 20k after 8 unmeasured runs; median of 9 rounds',
  messages_per_task: 'messages (both directions) one such task needed; median of the 9 rounds',
  live_vs_raw_ratio: "ipc_raw_msgs_per_s / (live_tasks_per_s x messages_per_task), each round's two rates measured a moment apart; median of the 9 rounds' ratios",
  live_tasks_per_s_silent: 'live_tasks_per_s with a silent event log (events neither kept nor recorded): what the pools and the coordinator cost alone; median of 5 runs',
  live_shutdown_10k_ms: 'wall ms of one shutdown_tasks over 10k tasks parked on their watcher, from the call to its end, logged as the app logs; after 2 unmeasured runs, median of 5',
  live_shutdown_10k_ms_silent: 'live_shutdown_10k_ms with a silent event log; median of 5 runs',
  live_tasks_per_s_unbatched: 'live_tasks_per_s with batching off, runs of 5000 tasks',
  live_shutdown_10k_ms_unbatched: 'live_shutdown_10k_ms with batching off',
};

export interface LiveBenchOptions {
  /** Batch the task traffic (default true). */
  batching?: boolean;
  launcher?: ProcessLauncher;
  /** Trivial tasks to time (default 20k). */
  tasks?: number;
}

/** Messages (echo) or tasks (spawn to exit) in flight at a time: the same pipelining depth for both. */
const WINDOW = 16_384;

/** An echo payload of about the size of a task message (~110 bytes as JSON). */
const PAYLOAD = 'x'.repeat(80);

function echoRate(pools: WorkerPools, batching: boolean, total: number, window: number): Promise<number> {
  pools.setBatching(batching);
  const workers = pools.all;
  return new Promise((resolve) => {
    let sent = 0;
    let got = 0;
    const t0 = performance.now();
    const pump = () => {
      while (sent < total && sent - got < window) {
        workers[sent % workers.length].send({ t: 'echo', n: sent, data: PAYLOAD });
        sent++;
      }
    };
    pools.onEcho = () => {
      got++;
      if (got === total) {
        pools.onEcho = null;
        resolve((2 * total) / ((performance.now() - t0) / 1000));
      } else if (sent - got < window / 2) pump();
    };
    pump();
  });
}

function templates(prefix: string, body: TaskTemplate['body']): TaskTemplate[] {
  return RUNTIME_NAMES.map((runtime) => ({
    id: `${prefix}_${runtime}`,
    runtime,
    kind: 'Compaction',
    tenant: null,
    timeline: null,
    name: `${prefix}_${runtime}`,
    shutdown_process_on_error: false,
    body,
  }));
}

/** One run on the pools; its events are logged as the app logs them, or not at all (`silent`). */
function openRun(pools: WorkerPools, tpls: TaskTemplate[], silent: boolean) {
  const exec = new PoolExecutor(pools, { templates: Object.fromEntries(tpls.map((t) => [t.id, t])), tickMs: 10 });
  const log = new EventLog(() => 0, false);
  const appLog = silent ? null : new AppLog();
  if (appLog) log.subscribe((e: TraceEvent) => appLog.append(e));
  const manager = new TaskManager(log);
  manager.attach(exec);
  exec.connect(manager, log);
  const specs = tpls.map(templateSpawnSpec);
  return {
    exec,
    log,
    manager,
    spawn: (i: number) => manager.spawn(specs[i % specs.length]),
    /** Ends the run; its recording is finished (synced, renamed) and removed. */
    close: async () => {
      exec.close();
      await appLog?.close();
    },
  };
}

/** Trivial tasks from spawn to exit, `window` in flight at a time. */
async function tasksRate(pools: WorkerPools, n: number, window: number, silent = false): Promise<{ rate: number; perTask: number }> {
  const run = openRun(pools, templates('ok', [{ op: 'ok' }]), silent);
  const msgs0 = pools.sent + pools.received;
  const measured = await new Promise<{ rate: number; perTask: number }>((resolve) => {
    let spawned = 0;
    let exits = 0;
    let topping = false;
    const t0 = performance.now();
    const topUp = () => {
      topping = false;
      while (spawned < n && spawned - exits < window) run.spawn(spawned++);
    };
    run.log.subscribe((e) => {
      if (e.ev !== 'exit') return;
      exits++;
      if (exits === n) {
        const secs = (performance.now() - t0) / 1000;
        resolve({ rate: n / secs, perTask: (pools.sent + pools.received - msgs0) / n });
      } else if (!topping && spawned - exits < window / 2) {
        topping = true;
        queueMicrotask(topUp);
      }
    });
    topUp();
  });
  await run.close();
  return measured;
}

/** One shutdown_tasks over `n` tasks parked on their watcher: wall ms from the call to its end. */
async function shutdownMs(pools: WorkerPools, n: number, silent = false): Promise<number> {
  const run = openRun(pools, templates('wait', [{ op: 'wait_shutdown' }]), silent);
  let parked = 0;
  const allParked = new Promise<void>((resolve) => {
    run.log.subscribe((e) => {
      if (e.ev === 'await' && ++parked === n) resolve();
    });
  });
  for (let i = 0; i < n; i++) run.spawn(i);
  await allParked;
  await new Promise((r) => setTimeout(r, 50));
  const ms = await new Promise<number>((resolve) => {
    const t0 = performance.now();
    run.manager.shutdownTasks('bench', { kind: null, tenant: null, timeline: null }, null, () => resolve(performance.now() - t0));
  });
  await run.close();
  return ms;
}

/** Rounds of echo then tasks, back to back: each round's ratio sees one state of the machine. */
const ROUNDS = 9;

export async function measureLive(options: LiveBenchOptions = {}): Promise<Samples> {
  const batching = options.batching ?? true;
  const n = options.tasks ?? 20_000;
  const pools = new WorkerPools({ launcher: options.launcher, statsIntervalMs: 0 });
  await pools.start();
  try {
    await echoRate(pools, true, 50_000, 8192);
    const ipcUnbatched = await repeat(5, () => echoRate(pools, false, 30_000, 4096));
    pools.setBatching(batching);
    await repeat(8, () => tasksRate(pools, n, WINDOW));
    const raw: number[] = [];
    const rates: number[] = [];
    const perTask: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const r = await echoRate(pools, true, 200_000, WINDOW);
      pools.setBatching(batching);
      const t = await tasksRate(pools, n, WINDOW);
      raw.push(r);
      rates.push(t.rate);
      perTask.push(t.perTask);
      ratios.push(r / (t.rate * t.perTask));
    }
    const silentRates = await repeat(5, async () => (await tasksRate(pools, n, WINDOW, true)).rate);
    await repeat(2, () => shutdownMs(pools, 10_000));
    const shutdowns = await repeat(5, () => shutdownMs(pools, 10_000));
    const silentShutdowns = await repeat(5, () => shutdownMs(pools, 10_000, true));
    return {
      ipc_raw_msgs_per_s: raw,
      ipc_unbatched_msgs_per_s: ipcUnbatched,
      live_tasks_per_s: rates,
      messages_per_task: perTask,
      live_vs_raw_ratio: ratios,
      live_tasks_per_s_silent: silentRates,
      live_shutdown_10k_ms: shutdowns,
      live_shutdown_10k_ms_silent: silentShutdowns,
    };
  } finally {
    pools.onEcho = null;
    await pools.stop();
  }
}
