/**
 * `tokio::select! { biased; shutdown_watcher() => .., condition => .. }` for a
 * service that answers a task: the answer is `shutdown` if the calling task is (or
 * becomes) asked to shut down before the condition holds. The losing branch is
 * dropped: `live()` turns false so that it does nothing more.
 */
import type { TaskRecord } from '../core/task-record';
import type { Pageserver } from './process';

export async function selectShutdown<T>(ps: Pageserver, caller: TaskRecord | null, branch: (live: () => boolean) => Promise<T>): Promise<T | 'shutdown'> {
  if (caller?.shutdownRequested) return 'shutdown';
  let over = false;
  const r = await Promise.race([ps.untilShutdown(caller), branch(() => !over)]);
  over = true;
  return r;
}

export const never = <T>() => new Promise<T>(() => {});
