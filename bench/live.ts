/**
 * Live-pool figures for `npm run bench` (DESIGN.md section 6), measured on one set
 * of worker processes started through the same launcher as the Lab's:
 *
 * - ipc_raw_msgs_per_s: batched echo (the coordinator sends, the worker echoes back);
 *   messages carried per second, both directions counted;
 * - ipc_unbatched_msgs_per_s: the same with every message in its own envelope;
 * - live_tasks_per_s: trivial tasks (body: ok) across the four pools, spawn to exit,
 *   with a window of tasks in flight;
 * - messages_per_task: messages (both directions) one such task needed;
 * - live_shutdown_10k_ms: one shutdown_tasks over 10k tasks waiting on their watcher,
 *   wall ms from the call to its end.
 *
 * The task rate and the raw rate are measured in rounds, an echo run right before a
 * task run, after a long warm-up: the task rate keeps rising for some 150k tasks
 * (measured: 26k/s in the first run of 20k, a steady rate from the seventh), as eight
 * workers that each see an eighth of the traffic get compiled. The build machines are
 * shared and their speed drifts by 2x within seconds, so a ratio is only taken between
 * two rates of the same round; the figures reported are those of the round with the
 * median ratio of nine. The unbatched echo and the shutdown are the best of three
 * runs: the best is what the code can do.
 *
 * Budgets: live_tasks_per_s * messages_per_task within 3x of ipc_raw_msgs_per_s, and
 * the 10k shutdown under 100 ms. Prints nothing. `{ batching: false }` measures the
 * task figures without batching (the IPC figures are always both).
 */
import { RUNTIME_NAMES } from '../shared/model';
import type { TaskTemplate } from '../shared/scenario/types';
import { EventLog } from '../electron/core/event-log';
import { TaskManager } from '../electron/core/task-manager';
import type { ProcessLauncher } from '../electron/pools/launcher';
import { PoolExecutor } from '../electron/pools/pool-executor';
import { WorkerPools } from '../electron/pools/worker-pools';
import { templateSpawnSpec } from '../electron/scenario/template-spec';

export interface LiveFigures {
  ipc_raw_msgs_per_s: number;
  ipc_unbatched_msgs_per_s: number;
  live_tasks_per_s: number;
  live_shutdown_10k_ms: number;
  messages_per_task: number;
  /** ipc_raw_msgs_per_s / (live_tasks_per_s * messages_per_task), both from one round. */
  live_vs_raw_ratio: number;
}

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

/** One run on the pools with a silent log. */
function openRun(pools: WorkerPools, tpls: TaskTemplate[]) {
  const exec = new PoolExecutor(pools, { templates: Object.fromEntries(tpls.map((t) => [t.id, t])), tickMs: 10 });
  const log = new EventLog(() => 0, false);
  const manager = new TaskManager(log);
  manager.attach(exec);
  exec.connect(manager, log);
  const specs = tpls.map(templateSpawnSpec);
  return { exec, log, manager, spawn: (i: number) => manager.spawn(specs[i % specs.length]) };
}

/** Trivial tasks from spawn to exit, `window` in flight at a time. */
function tasksRate(pools: WorkerPools, n: number, window: number): Promise<{ rate: number; perTask: number }> {
  const run = openRun(pools, templates('ok', [{ op: 'ok' }]));
  const msgs0 = pools.sent + pools.received;
  return new Promise((resolve) => {
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
        run.exec.close();
        resolve({ rate: n / secs, perTask: (pools.sent + pools.received - msgs0) / n });
      } else if (!topping && spawned - exits < window / 2) {
        topping = true;
        queueMicrotask(topUp);
      }
    });
    topUp();
  });
}

/** One shutdown_tasks over `n` tasks parked on their watcher: wall ms from the call to its end. */
async function shutdownMs(pools: WorkerPools, n: number): Promise<number> {
  const run = openRun(pools, templates('wait', [{ op: 'wait_shutdown' }]));
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
  run.exec.close();
  return ms;
}

async function repeat<T>(times: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < times; i++) out.push(await fn());
  return out;
}

const best = (xs: number[]) => Math.max(...xs);

/** Rounds of echo then tasks, back to back: each round's ratio sees one state of the machine. */
const ROUNDS = 9;

export async function measureLive(options: LiveBenchOptions = {}): Promise<LiveFigures> {
  const batching = options.batching ?? true;
  const n = options.tasks ?? 20_000;
  const pools = new WorkerPools({ launcher: options.launcher, statsIntervalMs: 0 });
  await pools.start();
  try {
    await echoRate(pools, true, 50_000, 8192);
    const ipcUnbatched = best(await repeat(3, () => echoRate(pools, false, 30_000, 4096)));
    pools.setBatching(batching);
    await repeat(8, () => tasksRate(pools, n, WINDOW));
    const rounds: Array<{ raw: number; tasks: number; perTask: number; ratio: number }> = [];
    for (let i = 0; i < ROUNDS; i++) {
      const raw = await echoRate(pools, true, 200_000, WINDOW);
      pools.setBatching(batching);
      const t = await tasksRate(pools, n, WINDOW);
      rounds.push({ raw, tasks: t.rate, perTask: t.perTask, ratio: raw / (t.rate * t.perTask) });
    }
    // The round with the median ratio: its two rates were measured a moment apart.
    const mid = rounds.sort((a, b) => a.ratio - b.ratio)[ROUNDS >> 1];
    await repeat(2, () => shutdownMs(pools, 10_000));
    const shutdown = Math.min(...(await repeat(3, () => shutdownMs(pools, 10_000))));
    return {
      ipc_raw_msgs_per_s: Math.round(mid.raw),
      ipc_unbatched_msgs_per_s: Math.round(ipcUnbatched),
      live_tasks_per_s: Math.round(mid.tasks),
      live_shutdown_10k_ms: +shutdown.toFixed(1),
      messages_per_task: +mid.perTask.toFixed(2),
      live_vs_raw_ratio: +mid.ratio.toFixed(2),
    };
  } finally {
    pools.onEcho = null;
    await pools.stop();
  }
}
