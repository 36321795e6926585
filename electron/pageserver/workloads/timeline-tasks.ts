/**
 * The per-timeline tasks: the flush loop (section 5.3), the initial logical size
 * calculation (5.7) and one remote upload (4.4).
 *
 * The flush loop sees shutdown only between cycles; a cycle flushes every frozen
 * layer and reports `(counter, result)` to the waiters; the loop marks itself Exited
 * when it ends, which a panic skips (S18a). The size calculation has no task_mgr
 * C-point at all: it races its blocking computation against the timeline's state.
 * An upload task checks shutdown at the head of each attempt (the first one that
 * sees it stops the whole queue), retries forever with the seed's backoff, and after
 * a success launches what can follow as new, unsignalled tasks.
 */
import { isShutdownRequested } from '../../core/task-locals';
import type { Workload } from '../../scenario/bodies';
import { call, failpoint, log, observedShutdown } from './task-actor';

export const layerFlushTask: Workload = (args) => async (ctx) => {
  const { tl } = args as { tl: number };
  let seen = 0;
  for (;;) {
    const r = await call<'shutdown' | { counter: number; layers: number; work: number }>(
      ctx,
      'pageserver.flush.wait_start',
      { tl, seen },
      'select! { shutdown_watcher(), layer_flush_start_rx.changed() }',
    );
    if (r === 'shutdown') {
      observedShutdown(ctx);
      log(ctx, 'info', 'shutting down layer flush task');
      break;
    }
    seen = r.counter;
    let error: string | null = null;
    for (let i = 0; i < r.layers; i++) {
      await failpoint(ctx, 'flush-frozen-before-sync');
      await ctx.sleep(r.work, 'flush_frozen_layer: writing a delta layer (uninterruptible)');
      try {
        await call(ctx, 'pageserver.flush.layer', { tl });
      } catch (err) {
        error = (err as Error).message;
        log(ctx, 'error', `could not flush frozen layer: ${error}`);
        break;
      }
    }
    await call(ctx, 'pageserver.flush.done', { tl, counter: r.counter, error });
  }
  await call(ctx, 'pageserver.flush.exited', { tl });
};

export const sizeCalculation: Workload = (args) => async (ctx) => {
  const { tl } = args as { tl: number };
  const r = await call<'done' | 'state'>(ctx, 'pageserver.size.calculate', { tl }, 'select! { spawn_blocking(calculate_logical_size), timeline state change }');
  if (r === 'state') log(ctx, 'info', 'timeline is no longer active, stopping the initial size calculation (the blocking computation goes on)');
};

export const remoteUploadTask: Workload = (args) => async (ctx) => {
  const { client, task } = args as { client: number; task: number };
  let failures = 0;
  for (;;) {
    if (isShutdownRequested()) {
      log(ctx, 'info', 'upload task cancelled by shutdown request');
      ctx.emit({ ev: 'observe', via: 'poll' });
      await call(ctx, 'pageserver.upload.stop', { client, task });
      return;
    }
    const r = await call<{ ok: true } | { ok: false; error: string; backoff: number }>(
      ctx,
      'pageserver.upload.perform',
      { client, task, failures },
      'the remote operation (not interruptible)',
    );
    if (r.ok) break;
    failures++;
    log(ctx, 'error', `failed to perform remote task, will retry (attempt ${failures}): ${r.error}`);
    if (await ctx.sleepOrShutdown(r.backoff, 'select! { shutdown_watcher(), exponential_backoff() }')) observedShutdown(ctx);
  }
  if (failures) log(ctx, 'info', `remote task completed successfully after ${failures} retries`);
  await call(ctx, 'pageserver.upload.complete', { client, task });
};
