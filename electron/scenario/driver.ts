/**
 * The step driver: runs a scenario's steps at their ticks, outside any task (like
 * neon's signal handler on the main thread), then emits `end` at `end_at`. Steps
 * with the same tick run in file order, and a step that starts a call (or the
 * process shutdown) makes its scan before the next step runs; later steps do not
 * wait for it. The driver only needs a clock that can call it back at a tick, so it
 * runs unchanged on virtual time and on wall time.
 */
import type { Scenario, Step } from '../../shared/scenario/types';
import type { TaskManager } from '../core/task-manager';
import { currentTaskKind, isShutdownRequested, runWithLocals } from '../core/task-locals';
import { templateSpawnSpec } from './template-spec';

export interface DriverClock {
  /** Calls `fn` at tick `at` (steps scheduled earlier for the same tick run first). */
  at(tick: number, fn: () => void): void;
}

export function performStep(manager: TaskManager, scenario: Scenario, step: Step): void {
  const warn = (message: string) => manager.log.emit({ ev: 'log', level: 'warn', task: null, message });
  runWithLocals({ task: null, warn }, () => {
    switch (step.do) {
      case 'spawn':
        manager.spawn(templateSpawnSpec(scenario.tasks[step.task]));
        return;
      case 'shutdown_tasks':
        manager.shutdownTasks(step.label, { kind: step.kind, tenant: step.tenant, timeline: step.timeline }, null);
        return;
      case 'inject':
        manager.inject(step.task, step.fault, step.message);
        return;
      case 'snapshot':
        manager.snapshot(step.label);
        return;
      case 'check_shutdown':
        manager.log.emit({ ev: 'check', task: null, value: isShutdownRequested() });
        return;
      case 'record_kind':
        manager.log.emit({ ev: 'kind', task: null, kind: currentTaskKind() });
        return;
      case 'shutdown_pageserver':
        manager.shutdownPageserver(step.exit_code, null);
        return;
    }
  });
}

/** Schedules every step and the end of the run; `onEnd` runs after `end` is emitted. */
export function driveScenario(manager: TaskManager, scenario: Scenario, clock: DriverClock, onEnd: () => void): void {
  for (const step of scenario.steps) {
    clock.at(step.at, () => {
      if (!manager.isExited) performStep(manager, scenario, step);
    });
  }
  clock.at(scenario.end_at, () => {
    if (manager.isExited) return;
    manager.end();
    onEnd();
  });
}
