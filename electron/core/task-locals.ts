/**
 * Task-locals, as the seed's `task_local! { SHUTDOWN_RX, CURRENT_TASK }`: an
 * AsyncLocalStorage holds the running task's context for the lifetime of its body,
 * and the free functions below read it, so that code deep inside a body asks
 * `isShutdownRequested()` exactly as pageserver code calls
 * `task_mgr::is_shutdown_requested()`. Outside any task (the driver, a signal
 * handler, an untracked HTTP request) there is no context: `isShutdownRequested()`
 * warns and says false, `shutdownWatcher()` fails with the seed's message.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TaskKind } from '../../shared/model';
import type { TaskContext } from './task-context';

/** The seed's `expect` message in `shutdown_watcher()`. */
export const SHUTDOWN_WATCHER_OUTSIDE_TASK = 'shutdown_requested() called in an unexpected task or thread';
/** The seed's `warn!` in `is_shutdown_requested()`. */
export const IS_SHUTDOWN_REQUESTED_OUTSIDE_TASK = 'is_shutdown_requested() called in an unexpected task or thread';

export interface LocalScope {
  /** The running task, or null for code that runs outside any task. */
  task: TaskContext | null;
  /** Where a warning from outside a task goes (the run's log). */
  warn?: (message: string) => void;
}

const storage = new AsyncLocalStorage<LocalScope>();

/** Runs `fn` with these task-locals (used by executors around a body, and by the driver). */
export function runWithLocals<T>(scope: LocalScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The running task's context, or null outside any task. */
export function currentTask(): TaskContext | null {
  return storage.getStore()?.task ?? null;
}

/** `task_mgr::current_task_kind()`: None outside a task. */
export function currentTaskKind(): TaskKind | null {
  return currentTask()?.kind ?? null;
}

/** `task_mgr::is_shutdown_requested()`: outside a task, warns and returns false. */
export function isShutdownRequested(): boolean {
  const scope = storage.getStore();
  if (scope?.task) return scope.task.isShutdownRequested();
  (scope?.warn ?? ((m: string) => process.emitWarning(m)))(IS_SHUTDOWN_REQUESTED_OUTSIDE_TASK);
  return false;
}

/** `task_mgr::shutdown_watcher()`: outside a task, an error with the seed's message. */
export function shutdownWatcher(what?: string): Promise<void> {
  const task = currentTask();
  if (!task) return Promise.reject(new Error(SHUTDOWN_WATCHER_OUTSIDE_TASK));
  return task.shutdownWatcher(what);
}

/** `task_mgr::associate_with()`: outside a task the seed panics (`CURRENT_TASK.with`). */
export function associateWith(tenant: string | null, timeline: string | null): void {
  const task = currentTask();
  if (!task) throw new Error('associate_with() called outside a task: cannot access a task-local storage value');
  task.associateWith(tenant, timeline);
}
