/**
 * The simulator as a run's executors: one SimExecutor for the whole run (a
 * pageserver restart is a new coordinator on the same executor and virtual clock),
 * unpaced (the CLI, tests, the explorer: as fast as it can) or paced against the
 * wall clock (the Lab). Making one costs a few objects: no file, no timer.
 */
import { TaskManager } from '../core/task-manager';
import { makeBodyResolver } from '../scenario/bodies';
import type { ChoiceObserver } from '../sim/decisions';
import { SimExecutor, type SimOptions } from '../sim/sim-executor';
import { DRIVER } from '../sim/virtual-clock';
import type { ExecutorFactory, RunExecutors } from './executors';

/** The simulator's options; a seed and workers given here win over the scenario's. */
export interface SimExecutorsOptions extends SimOptions {
  /** Told the context of every choice (the explorer's explanations; ../sim/decisions.ts). */
  observer?: ChoiceObserver;
}

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

export function simExecutors(options: SimExecutorsOptions = {}): ExecutorFactory {
  return (needs): RunExecutors => {
    const { observer, ...simOptions } = options;
    const exec = new SimExecutor(makeBodyResolver(needs.templates, needs.workloads), {
      ...simOptions,
      seed: options.seed ?? needs.seed,
      workers: { ...needs.workers, ...options.workers },
      drainCoordinator: options.drainCoordinator ?? needs.drainCoordinator,
    });
    if (observer) exec.observer = observer;
    const pacer = needs.pacer ?? null;
    if (pacer) exec.setPacer(pacer);
    return {
      mode: 'sim',
      seed: exec.seed,
      problems: exec.problems,
      now: () => exec.now(),
      at: (tick, fn) => void exec.clock.schedule(tick, DRIVER, fn),
      scenarioEvent: (name) => ({ ev: 'scenario', name, tick_ms: needs.tickMs, mode: 'sim', seed: exec.seed, policy: exec.policy }),
      jitter: (ticks, task, what) => exec.jittered(ticks, task, what),
      newManager(log, labelSuffix) {
        const manager = new TaskManager(log, { victimOrder: (v) => exec.victimOrder(v), labelSuffix });
        manager.attach(exec);
        exec.connect(manager, log);
        return manager;
      },
      go: () => (pacer ? exec.run().finally(() => pacer.stop()) : exec.run()),
      async apply(fn) {
        if (!pacer) return fn();
        // The clock catches up with the wall first, then the command runs, then the
        // scheduler runs whatever the command made ready.
        pacer.poke();
        await nextMacrotask();
        try {
          return fn();
        } finally {
          pacer.poke();
        }
      },
      endRun() {
        exec.stop();
        pacer?.stop();
      },
    };
  };
}
