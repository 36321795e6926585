/**
 * Compaction and GC iterations (sections 5.1, 5.2), written once for both the
 * loops and manual GC (tasks) and the HTTP checkpoint/compact handlers (untracked).
 * Per timeline they take `layer_removal_cs`, bail only if the timeline is Paused,
 * and wait for the upload queue (`wait_completion`) before deleting local layers;
 * that wait can last as long as uploads keep failing (S5). The only shutdown check
 * is GC's `is_shutdown_requested()` between timelines.
 */
import type { Actor } from '../actor';

interface CompactionPlan {
  paused: boolean;
  l0: string[];
  threshold: number;
  work: number;
}

interface GcPlan {
  paused: boolean;
  remove: string[];
  work: number;
}

async function withLayerRemovalLock(a: Actor, tl: number, fn: () => Promise<void>): Promise<void> {
  await a.call('pageserver.timeline.lock_layer_removal', { tl, who: a.label }, 'layer_removal_cs.lock()');
  try {
    await fn();
  } finally {
    await a.call('pageserver.timeline.unlock_layer_removal', { tl });
  }
}

/** `Timeline::compact()`: compact_level0 when enough L0 layers piled up. */
export async function compactTimeline(a: Actor, tl: number): Promise<void> {
  await withLayerRemovalLock(a, tl, async () => {
    const plan = await a.call<CompactionPlan>('pageserver.compaction.plan', { tl });
    if (plan.paused || plan.l0.length < plan.threshold) return;
    await a.sleep(plan.work, `compact_level0: writing L1 from ${plan.l0.length} L0 layers`);
    const { l1 } = await a.call<{ l1: string }>('pageserver.compaction.write_l1', { tl, l0: plan.l0 });
    await a.call('pageserver.upload.wait_completion', { tl }, 'wait_completion() before deleting L0 layers');
    await a.call('pageserver.compaction.finish', { tl, l0: plan.l0, l1 });
  });
}

/** `compaction_iteration`: every timeline of a snapshot, no shutdown check in between. */
export async function compactionIteration(a: Actor, tenant: number): Promise<void> {
  const { timelines } = await a.call<{ timelines: number[] }>('pageserver.compaction.begin', { tenant });
  for (const tl of timelines) await compactTimeline(a, tl);
}

/** `Timeline::gc()`. */
export async function gcTimeline(a: Actor, tl: number): Promise<void> {
  await withLayerRemovalLock(a, tl, async () => {
    const plan = await a.call<GcPlan>('pageserver.gc.plan', { tl });
    if (plan.paused) return;
    await a.call('pageserver.failpoint', { name: 'before-timeline-gc' });
    await a.sleep(plan.work, 'Timeline::gc: updating the gc cutoff');
    await a.call('pageserver.gc.update_cutoff', { tl });
    await a.call('pageserver.upload.wait_completion', { tl }, 'wait_completion() before removing layers');
    await a.call('pageserver.gc.finish', { tl, remove: plan.remove });
    await a.call('pageserver.failpoint', { name: 'after-timeline-gc-removed-layers' });
  });
}

/** `gc_iteration`: checks `is_shutdown_requested()` before each timeline. */
export async function gcIteration(a: Actor, tenant: number, timeline: string | null): Promise<void> {
  const { timelines } = await a.call<{ timelines: number[] }>('pageserver.gc.begin', { tenant, timeline });
  await a.call('pageserver.failpoint', { name: 'gc_iteration_internal_after_getting_gc_timelines' });
  for (const tl of timelines) {
    if (a.isShutdownRequested()) {
      a.log('info', 'gc_iteration: shutdown requested, skipping the remaining timelines');
      break;
    }
    await gcTimeline(a, tl);
  }
}
