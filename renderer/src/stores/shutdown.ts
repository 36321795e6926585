/**
 * Shutdown calls at the cursor: the "why is it stuck" view (every unfinished call,
 * the victim it joins now, what that victim awaits, hung waits highlighted) and the
 * form that builds a shutdown_tasks filter for the Lab to run.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { TaskKind } from '../../../shared/model/task-kind';
import { callViews, ShutdownCallView } from '../model/shutdown-call';
import { useEventsStore } from './events';
import { useLabStore } from './lab';

export const useShutdownStore = defineStore('shutdown', () => {
  const events = useEventsStore();
  /** A join that lasts this many ticks is shown as hung. */
  const hungTicks = ref(20);

  // The filter form: null is the seed's None, a wildcard.
  const kind = ref<TaskKind | null>(null);
  const tenant = ref('');
  const timeline = ref('');
  const label = ref('');
  const exitCode = ref(0);
  let issued = 0;

  const calls = computed<ShutdownCallView[]>(() => {
    void events.revision;
    return callViews(events.state, events.log.store, events.now, hungTicks.value);
  });
  // The title bar and the navigation read the unfinished calls at every cursor move:
  // make views of those only (a long run has thousands of finished calls).
  const unfinished = computed(() => {
    void events.revision;
    const s = events.state;
    const out: ShutdownCallView[] = [];
    for (const c of s.calls) if (c.endT === null && c.abandonedT === null) out.push(new ShutdownCallView(c, events.now, s, events.log.store, hungTicks.value));
    return out;
  });
  const finished = computed(() => calls.value.filter((c) => c.finished).reverse());
  const hung = computed(() => unfinished.value.filter((c) => c.hung));

  /** The label the next call gets when the user leaves it empty. */
  const defaultLabel = computed(() => {
    const parts = [kind.value, tenant.value.trim() || null, timeline.value.trim() || null].filter((p) => p !== null);
    return `ui: ${parts.length > 0 ? parts.join(' ') : 'all tasks'} #${issued + 1}`;
  });

  async function runShutdownTasks(): Promise<boolean> {
    const lab = useLabStore();
    const l = label.value.trim() || defaultLabel.value;
    const ok = await lab.shutdownTasks(l, kind.value, tenant.value.trim() || null, timeline.value.trim() || null);
    if (ok) {
      issued++;
      label.value = '';
    }
    return ok;
  }

  async function runPageserverShutdown(): Promise<boolean> {
    return useLabStore().shutdownPageserver(exitCode.value);
  }

  return { hungTicks, kind, tenant, timeline, label, exitCode, calls, unfinished, finished, hung, defaultLabel, runShutdownTasks, runPageserverShutdown };
});
