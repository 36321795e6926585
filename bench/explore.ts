/**
 * The explorer's figures for `npm run bench` (DESIGN.md section 6, issue 13): how
 * many schedules a second one job runs and how many events each has, what that is
 * beside the simulator's own event rate measured in the same process, how much a
 * second job adds, and how many schedules PCT needs to break the race-* scenarios
 * compared with the random walk.
 */
import { availableParallelism } from 'node:os';
import type { AnyScenario } from '../shared/scenario/pageserver-parse';
import { libraryNames, loadScenario } from '../electron/cli/load-scenario';
import { type ExploreSpec, ScheduleRunner } from '../electron/explore/engine';
import { explore } from '../electron/explore/explore';
import { defaultSeed } from '../electron/explore/schedule-file';
import { runScenarioSim } from '../electron/run/run-scenario';
import { median, type Samples } from './figures';
import { eventsScenario } from './sim';

const NAMED = 'race-s17-queue-used-after-stop';
const SCALING = 'demo';

export const EXPLORE_ABOUT: Record<string, string> = {
  explore_runs_per_s: `schedules per wall second, random strategy, one job in this thread, on ${NAMED}: each run assembled, simulated, recorded and judged (expectations, lints, hangs); 300 schedules after 30 unmeasured; median of 3`,
  explore_events_per_run: `trace events per schedule in the runs of explore_runs_per_s (${NAMED})`,
  explore_vs_sim_events:
    'explore_runs_per_s × explore_events_per_run over the simulator events rate (the sim group\'s generated 2000-task run) measured in the same process; the budget is 0.5; median of 3',
  explore_scaling_2_jobs: `runs per second of an exploration with 2 worker threads over 1 (random, ${SCALING}, 1000 schedules, no failure so no shrinking), counted from each exploration's first batch so that starting the threads is left out; median of 3 pairs`,
  explore_pct_vs_random:
    'for each race-* scenario, the schedules to its first failure (mean over seeds 1-5, at most 2000), median over the set: random divided by pct (depth 3); above 1: PCT finds races in fewer schedules',
};

function spec(scenario: AnyScenario, strategy: 'random' | 'pct', seed: number, runs: number): ExploreSpec {
  return { scenario, strategy, runs, jitter: 0.2, depth: 3, maxPreemptions: 2, seed, runSeed: defaultSeed(scenario), judge: {} };
}

async function runsPerSecond(scenario: AnyScenario): Promise<{ rate: number; eventsPerRun: number }> {
  const runner = new ScheduleRunner(spec(scenario, 'random', 1, 1_000_000));
  await runner.init();
  for (let i = 0; i < 30; i++) await runner.run(1_000_000 + i);
  let events = 0;
  const n = 300;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) events += (await runner.run(i)).events;
  return { rate: n / ((performance.now() - t0) / 1000), eventsPerRun: events / n };
}

async function simEventsPerSecond(): Promise<number> {
  const scenario = eventsScenario();
  await runScenarioSim(scenario, { keepEvents: false });
  let events = 0;
  const t0 = performance.now();
  await runScenarioSim(scenario, { keepEvents: false, onEvent: () => events++ });
  return events / ((performance.now() - t0) / 1000);
}

async function firstFailure(runner: ScheduleRunner, cap: number): Promise<number> {
  for (let i = 0; i < cap; i++) if ((await runner.run(i)).signature !== null) return i + 1;
  return cap;
}

export async function measureExplore(): Promise<Samples> {
  const named = loadScenario(NAMED).scenario;
  const rates: number[] = [];
  const perRun: number[] = [];
  const vsSim: number[] = [];
  for (let k = 0; k < 3; k++) {
    const { rate, eventsPerRun } = await runsPerSecond(named);
    const sim = await simEventsPerSecond();
    rates.push(rate);
    perRun.push(eventsPerRun);
    vsSim.push((rate * eventsPerRun) / sim);
  }

  const scaling: number[] = [];
  if (availableParallelism() >= 2) {
    const demo = loadScenario(SCALING).scenario;
    for (let k = 0; k < 3; k++) {
      const one = await explore(spec(demo, 'random', 1, 1000), { jobs: 1 });
      const two = await explore(spec(demo, 'random', 1, 1000), { jobs: 2 });
      scaling.push(two.steadyRunsPerS / one.steadyRunsPerS);
    }
  }

  const random: number[] = [];
  const pct: number[] = [];
  for (const name of libraryNames().filter((n) => n.startsWith('race-'))) {
    const scenario = loadScenario(name).scenario;
    const mean = async (strategy: 'random' | 'pct'): Promise<number> => {
      let sum = 0;
      for (let seed = 1; seed <= 5; seed++) {
        const runner = new ScheduleRunner(spec(scenario, strategy, seed, 2000));
        await runner.init();
        sum += await firstFailure(runner, 2000);
      }
      return sum / 5;
    };
    random.push(await mean('random'));
    pct.push(await mean('pct'));
  }
  const samples: Samples = {
    explore_runs_per_s: rates,
    explore_events_per_run: perRun,
    explore_vs_sim_events: vsSim,
    explore_pct_vs_random: [median(random) / median(pct)],
  };
  if (scaling.length) samples.explore_scaling_2_jobs = scaling;
  return samples;
}
