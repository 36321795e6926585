/**
 * Services for the timeline-level work: the flush loop's channels (section 5.3),
 * `layer_removal_cs`, the steps of compaction and GC that touch files and the
 * upload queue (5.1, 5.2), the upload tasks (4.4) and the size calculation (5.7).
 */
import { TimelineState } from '../../../shared/model';
import type { TaskRecord } from '../../core/task-record';
import { uploadBackoffSeconds } from '../config';
import { messageOf } from '../errors';
import type { Pageserver } from '../process';
import { selectShutdown } from '../select';
import { layerName, parseLayer, type Timeline } from '../timeline';
import { clientObj, timelineObj } from './lookup';

/** A write by untracked work into a directory that a detach or delete removed: the S8/S9 lint. */
function noteUntracked<T>(ps: Pageserver, caller: TaskRecord | null, tl: Timeline, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (caller === null && !ps.disk.timeline(tl.tenant.id, tl.id)) ps.lints?.untrackedAfterRemoval(ps, `untracked work on ${tl.path}`, tl.tenant.id, messageOf(err));
    throw err;
  }
}

export function registerTimelineServices(ps: Pageserver): void {
  // ---- the flush loop -----------------------------------------------------------------

  ps.register('pageserver.flush.wait_start', ({ tl, seen }: { tl: number; seen: number }, caller) => {
    const t = timelineObj(ps, tl);
    return selectShutdown(ps, caller, async () => {
      const counter = await t.untilFlushRequested(seen);
      return { counter, layers: t.frozen.length, work: ps.config.durations.flushLayer };
    });
  });

  ps.register('pageserver.flush.layer', ({ tl }: { tl: number }, caller) => {
    const t = timelineObj(ps, tl);
    return { flushed: t.flushOneLayer(caller) };
  });

  ps.register('pageserver.flush.done', ({ tl, counter, error }: { tl: number; counter: number; error: string | null }) => {
    timelineObj(ps, tl).flushCycleDone(counter, error);
  });

  ps.register('pageserver.flush.exited', ({ tl }: { tl: number }) => {
    timelineObj(ps, tl).flushLoopExited();
  });

  // ---- layer_removal_cs ------------------------------------------------------------------

  ps.register('pageserver.timeline.lock_layer_removal', ({ tl, who }: { tl: number; who: string }) => timelineObj(ps, tl).layerRemovalCs.lock(who));
  ps.register('pageserver.timeline.unlock_layer_removal', ({ tl }: { tl: number }) => timelineObj(ps, tl).layerRemovalCs.unlock());

  // ---- compaction -------------------------------------------------------------------------

  ps.register('pageserver.compaction.plan', ({ tl }: { tl: number }) => {
    const t = timelineObj(ps, tl);
    const l0 = [...t.layers.keys()].filter((n) => parseLayer(n)?.level === 0).sort((a, b) => parseLayer(a)!.from - parseLayer(b)!.from);
    return { paused: t.state === TimelineState.Paused, l0, threshold: t.tenant.conf.compaction_threshold, work: ps.config.durations.compaction };
  });

  ps.register('pageserver.compaction.write_l1', ({ tl, l0 }: { tl: number; l0: string[] }, caller) => {
    const t = timelineObj(ps, tl);
    const ranges = l0.map((n) => parseLayer(n)!);
    const from = Math.min(...ranges.map((r) => r.from));
    const to = Math.max(...ranges.map((r) => r.to));
    const l1 = layerName(1, from, to);
    noteUntracked(ps, caller, t, () => ps.disk.writeLayer(t.tenant.id, t.id, l1, to - from));
    t.layers.set(l1, to - from);
    return { l1 };
  });

  ps.register('pageserver.compaction.finish', ({ tl, l0, l1 }: { tl: number; l0: string[]; l1: string }, caller) => {
    const t = timelineObj(ps, tl);
    t.client?.scheduleLayerUpload(caller, l1, t.layers.get(l1) ?? 0);
    for (const name of l0) {
      noteUntracked(ps, caller, t, () => ps.disk.removeLayer(t.tenant.id, t.id, name));
      t.layers.delete(name);
    }
    t.client?.scheduleLayerDeletion(caller, l0);
  });

  // ---- GC ---------------------------------------------------------------------------------

  const cutoffOf = (t: Timeline) => Math.max(t.gcCutoff, t.lastRecordLsn - t.tenant.conf.gc_horizon);

  ps.register('pageserver.gc.plan', ({ tl }: { tl: number }) => {
    const t = timelineObj(ps, tl);
    const cutoff = cutoffOf(t);
    const l1 = [...t.layers.keys()].filter((n) => parseLayer(n)?.level === 1).sort((a, b) => parseLayer(a)!.to - parseLayer(b)!.to);
    // Keep the newest L1 layer; older ones entirely below the cutoff are garbage.
    const remove = l1.slice(0, -1).filter((n) => parseLayer(n)!.to <= cutoff);
    return { paused: t.state === TimelineState.Paused, remove, work: ps.config.durations.gc };
  });

  ps.register('pageserver.gc.update_cutoff', ({ tl }: { tl: number }, caller) => {
    const t = timelineObj(ps, tl);
    t.gcCutoff = cutoffOf(t);
    noteUntracked(ps, caller, t, () => ps.disk.writeMetadata(t.tenant.id, t.id, t.metadata));
    t.client?.scheduleIndexUpload(caller, t.metadata);
  });

  ps.register('pageserver.gc.finish', ({ tl, remove }: { tl: number; remove: string[] }, caller) => {
    const t = timelineObj(ps, tl);
    for (const name of remove) {
      noteUntracked(ps, caller, t, () => ps.disk.removeLayer(t.tenant.id, t.id, name));
      t.layers.delete(name);
    }
    t.client?.scheduleLayerDeletion(caller, remove);
  });

  // ---- the upload queue --------------------------------------------------------------------

  ps.register('pageserver.upload.wait_completion', ({ tl }: { tl: number }, caller) => {
    const t = timelineObj(ps, tl);
    if (!t.client) return undefined;
    return t.client.waitCompletion(caller);
  });

  ps.register('pageserver.upload.perform', async ({ client, task, failures }: { client: number; task: number; failures: number }, caller) => {
    const r = await clientObj(ps, client).perform(task, caller);
    return r.ok ? r : { ...r, backoff: ps.seconds(uploadBackoffSeconds(failures + 1)) };
  });

  ps.register('pageserver.upload.complete', ({ client, task }: { client: number; task: number }, caller) => {
    clientObj(ps, client).complete(task, caller);
  });

  ps.register('pageserver.upload.stop', ({ client, task }: { client: number; task?: number }, caller) => {
    clientObj(ps, client).stop(caller, task ?? null);
  });

  // ---- the initial logical size ----------------------------------------------------------

  /**
   * `select! { spawn_blocking(calculate_logical_size), timeline state watcher }`: the
   * blocking computation is not cancelled when the state branch wins; it runs on.
   */
  ps.register('pageserver.size.calculate', ({ tl }: { tl: number }) => {
    const t = timelineObj(ps, tl);
    let returned = false;
    const computation = (async () => {
      await ps.sleep(ps.config.durations.sizeCalculation, 'the logical size calculation');
      if (returned) {
        ps.logLine('info', null, `initial size calculation of ${t.path} finished in spawn_blocking after its task had returned (the blocking work was leaked)`);
      }
      await ps.failpoint('logical-size-calculation', null);
      t.logicalSize = 'exact';
      return 'done' as const;
    })();
    const stopped = t.untilState((s) => s === TimelineState.Broken || s === TimelineState.Paused || s === TimelineState.Suspended).then(() => 'state' as const);
    return Promise.race([computation, stopped]).finally(() => {
      returned = true;
    });
  });
}
