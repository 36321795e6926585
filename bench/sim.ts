/**
 * Simulator figures for `npm run bench`: trace events per second, trivial tasks per
 * second from spawn to exit, and the wall cost of one shutdown_tasks over 10k tasks
 * waiting on their watcher, and memory. Each is measured on generated scenarios,
 * in-process; every run is handed in (./figures.ts reports the median and spread).
 */
import { parseScenarioValue } from '../shared/scenario/parse';
import type { Scenario } from '../shared/scenario/types';
import { EventLog } from '../electron/core/event-log';
import type { Executor, SpawnSpec } from '../electron/core/executor';
import { TaskManager } from '../electron/core/task-manager';
import { runScenarioSim } from '../electron/run/run-scenario';
import { repeat, type Samples } from './figures';

function build(tasks: Record<string, unknown>, steps: unknown[], end_at: number): Scenario {
  return parseScenarioValue({ format: 'taskmgr-scenario/1', name: 'bench', tasks, steps, end_at });
}

function many(n: number, body: unknown[], runtime = (i: number) => ['compute_request', 'mgmt_request', 'walreceiver', 'background'][i % 4]) {
  const tasks: Record<string, unknown> = {};
  const steps: unknown[] = [];
  for (let i = 0; i < n; i++) {
    tasks[`t${i}`] = { runtime: runtime(i), kind: 'Compaction', tenant: `tenant${i % 10}`, body };
    steps.push({ at: 0, do: 'spawn', task: `t${i}` });
  }
  return { tasks, steps };
}

/**
 * The coordinator alone (DESIGN.md section 6: under 100 MB for 100k registered tasks):
 * a TaskManager whose executor keeps nothing, heap measured after `n` spawns.
 */
function coordinatorMemory(n: number): number {
  const idle: Executor = { start() {}, signal() {}, inject() {}, callDone() {}, endProcess() {} };
  const log = new EventLog(() => 0, false);
  const manager = new TaskManager(log);
  manager.attach(idle);
  const spec = (i: number): SpawnSpec => ({
    runtime: 'background',
    kind: 'Compaction',
    tenant: `tenant${i % 100}`,
    timeline: null,
    name: `compaction loop ${i}`,
    shutdownProcessOnError: false,
    body: { type: 'template', template: 'compaction' },
  });
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) manager.spawn(spec(i));
  globalThis.gc?.();
  const mb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  if (manager.registry.size !== n) throw new Error('coordinator memory: not every task registered');
  return mb;
}

export const SIM_ABOUT: Record<string, string> = {
  sim_events_per_s:
    'trace events per wall second: a generated run of 2000 tasks, each 25 rounds of a 1-tick sleep and a flag check, events counted by a listener and not kept; after 4 unmeasured runs (V8 optimises the paths); median of 5 runs',
  sim_events_per_cpu_s: 'the same runs per CPU second of this process (what a run costs on one core, whatever else the machine does)',
  sim_events: 'trace events in one run of the events figure (a count: the same every run)',
  sim_tasks_per_s: 'trivial tasks (body: ok) from spawn to exit per wall second, 20k tasks in one run; median of 3 runs',
  sim_shutdown_10k_ms: 'wall ms of one shutdown_tasks over 10k tasks waiting on their watcher, from shutdown_begin to shutdown_end; median of 3 runs',
  sim_mem_100k_mb:
    "heap growth with 100k tasks parked on their watcher at the end of a simulator run, after a forced collection (the simulator's parked bodies included: an upper bound of the coordinator's); one run",
  coord_mem_100k_mb: 'heap growth of a TaskManager alone after 100k spawns (its executor keeps nothing), after a forced collection; median of 3 runs',
};

/** The run of the events figure: 2000 tasks, each 25 rounds of a 1-tick sleep and a flag check. */
export function eventsScenario(): Scenario {
  const loop: unknown[] = [];
  for (let i = 0; i < 25; i++) loop.push({ op: 'sleep', ticks: 1 }, { op: 'check_shutdown' });
  const ev = many(2000, loop);
  return build(ev.tasks, ev.steps, 1000);
}

export async function measureSim(): Promise<Samples> {
  const evScenario = eventsScenario();
  // Steady state: V8 needs a few runs of this size before every path is optimised
  // (the first run is about 2.5x slower than the fifth).
  for (let i = 0; i < 4; i++) await runScenarioSim(evScenario, { keepEvents: false });
  const rates: number[] = [];
  const cpuRates: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < 5; i++) {
    let events = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await runScenarioSim(evScenario, { keepEvents: false, onEvent: () => events++ });
    const cpu = process.cpuUsage(cpu0);
    rates.push(events / ((performance.now() - t0) / 1000));
    cpuRates.push(events / ((cpu.user + cpu.system) / 1e6));
    counts.push(events);
  }

  // Tasks: 20k trivial tasks from spawn to exit.
  const triv = many(20000, [{ op: 'ok' }]);
  const trivScenario = build(triv.tasks, triv.steps, 10);
  const taskRates = await repeat(3, async () => {
    let exits = 0;
    const t0 = performance.now();
    await runScenarioSim(trivScenario, { keepEvents: false, onEvent: (e) => void (e.ev === 'exit' && exits++) });
    return exits / ((performance.now() - t0) / 1000);
  });

  // Shutdown: 10k tasks on the watcher, one shutdown_tasks over all of them.
  const waiting = many(10000, [{ op: 'wait_shutdown' }]);
  waiting.steps.push({ at: 5, do: 'shutdown_tasks', label: 'all', kind: null, tenant: null, timeline: null });
  const waitingScenario = build(waiting.tasks, waiting.steps, 10);
  const shutdowns = await repeat(3, async () => {
    let begin = 0;
    let end = 0;
    await runScenarioSim(waitingScenario, {
      keepEvents: false,
      onEvent: (e) => {
        if (e.ev === 'shutdown_begin') begin = performance.now();
        if (e.ev === 'shutdown_end') end = performance.now();
      },
    });
    return end - begin;
  });

  // Memory: 100k registered tasks waiting on their watcher, heap measured at the end of the run.
  const parked = many(100_000, [{ op: 'wait_shutdown' }]);
  const parkedScenario = build(parked.tasks, parked.steps, 10);
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let heapAtEnd = 0;
  await runScenarioSim(parkedScenario, {
    keepEvents: false,
    onEvent: (e) => {
      if (e.ev !== 'end') return;
      globalThis.gc?.();
      heapAtEnd = process.memoryUsage().heapUsed;
    },
  });
  const simMem = (heapAtEnd - heap0) / 2 ** 20;

  return {
    sim_events_per_s: rates,
    sim_events_per_cpu_s: cpuRates,
    sim_events: counts,
    sim_tasks_per_s: taskRates,
    sim_shutdown_10k_ms: shutdowns,
    sim_mem_100k_mb: [simMem],
    coord_mem_100k_mb: await repeat(3, () => coordinatorMemory(100_000)),
  };
}
