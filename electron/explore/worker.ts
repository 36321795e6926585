/**
 * The explorer's worker thread: runs its share of the schedules (every `step`-th
 * index from `start`, or the whole dfs sequence) and posts what it found in small
 * batches (passing runs only as counts), so that the coordinator can group failures
 * and report progress while the runs go on; or finishes failure groups (shrinking
 * them), one message per group.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ScheduleRunner, type RunVerdict } from './engine';
import { finishGroup } from './groups';
import type { WorkerMessage, WorkerTask } from './explore';

const BATCH_MS = 100;

async function main(task: WorkerTask): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('the explorer worker runs in a worker thread');
  const post = (m: WorkerMessage): void => port.postMessage(m);
  const runner = new ScheduleRunner(task.spec);
  await runner.init();
  let done = 0;
  let events = 0;
  let failing: RunVerdict[] = [];
  let last = Date.now();
  const flush = (): void => {
    if (done === 0 && failing.length === 0) return;
    post({ type: 'batch', done, events, failing });
    done = 0;
    events = 0;
    failing = [];
    last = Date.now();
  };
  const take = (v: RunVerdict): void => {
    done++;
    events += v.events;
    if (v.signature !== null) failing.push(v);
    if (Date.now() - last >= BATCH_MS) flush();
  };
  let exhausted = false;
  if (task.indices === 'finish') {
    for (const g of task.groups ?? []) post({ type: 'finished', groups: await finishGroup(runner, g) });
  } else if (task.indices === 'dfs') {
    exhausted = (await runner.dfs(take, () => false)).exhausted;
  } else {
    const { start, step, end } = task.indices;
    for (let i = start; i < end; i += step) take(await runner.run(i));
  }
  flush();
  post({ type: 'done', exhausted });
}

main(workerData as WorkerTask).catch((err: unknown) => {
  parentPort?.postMessage({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies WorkerMessage);
});
