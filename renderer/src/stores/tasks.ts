/**
 * Task view models at the cursor, and the Tasks table's settings: the filter (text
 * and facets), the sort (any column, inverted on demand), how long finished tasks stay
 * listed (tokio-console's --retain-for, 6 s by default), the warning threshold, and
 * the selected task shown by the inspector.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { findTask } from '../model/lab-state';
import { LogIndex } from '../model/log-index';
import { callIndex, type LintContext, summarizeWarnings } from '../model/lints';
import { awaitText, eventMessage } from '../model/shutdown-call';
import { facetCounts, type Facets, NO_FACETS, parseTaskFilter, sortTasks, type SortKey, type SortSpec, taskMatcher } from '../model/table-query';
import { Task } from '../model/task';
import { useEventsStore } from './events';

export const RETAIN_CHOICES: ReadonlyArray<{ label: string; seconds: number | null }> = [
  { label: '1 s', seconds: 1 },
  { label: '6 s', seconds: 6 },
  { label: '30 s', seconds: 30 },
  { label: '5 min', seconds: 300 },
  { label: 'forever', seconds: null },
];

export const useTasksStore = defineStore('tasks', () => {
  const events = useEventsStore();

  const text = ref('');
  const facets = ref<Facets>({ ...NO_FACETS });
  const sort = ref<SortSpec>({ key: 'id', descending: false });
  /** Finished tasks stay listed this long after they exit (null: for ever). */
  const retainSeconds = ref<number | null>(6);
  /** A signal not observed, or a join, for this many ticks is worth a warning. */
  const thresholdTicks = ref(20);
  const selected = ref<string | null>(null);

  /** `lint` events up to the cursor, by the tasks they name. */
  const traceLints = computed(() => {
    void events.revision;
    const log = events.log;
    const out = new Map<string, string[]>();
    const n = LogIndex.countBelow(log.index.lints, events.cursor);
    for (let k = 0; k < n; k++) {
      const e = log.store.get(log.index.lints[k]) as unknown as { rule?: unknown; message?: unknown; tasks?: unknown };
      if (!Array.isArray(e.tasks)) continue;
      const text = `lint ${String(e.rule)}: ${String(e.message)}`;
      for (const name of e.tasks) if (typeof name === 'string') out.set(name, [...(out.get(name) ?? []), text]);
    }
    return out;
  });

  const lintContext = computed<LintContext>(() => {
    void events.revision;
    const store = events.log.store;
    const calls = events.state.calls;
    return { thresholdTicks: thresholdTicks.value, calls, callIndex: callIndex(calls), awaitText: (i) => awaitText(store, i), exitMessage: (i) => eventMessage(store, i), traceLints: traceLints.value };
  });

  /** Every task at the cursor that is alive or finished within the retention. */
  const all = computed<Task[]>(() => {
    void events.revision;
    const s = events.state;
    const now = events.now;
    const ctx = lintContext.value;
    const out: Task[] = [];
    let from = 0;
    if (retainSeconds.value !== null) {
      const horizon = now - (retainSeconds.value * 1000) / events.tickMs;
      // exited[] is in exit order, so its exit times never decrease.
      let lo = 0;
      let hi = s.exitedCount;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((s.exited[mid].exitT ?? 0) < horizon) lo = mid + 1;
        else hi = mid;
      }
      from = lo;
    }
    for (let i = from; i < s.exitedCount; i++) out.push(new Task(s.exited[i], now, ctx));
    for (const r of s.live.values()) out.push(new Task(r, now, ctx));
    return out;
  });

  /** Why the filter text is not applied (null when it parses). */
  const filterError = computed(() => {
    const p = parseTaskFilter(text.value);
    return p.ok ? null : p.error;
  });

  const visible = computed<Task[]>(() => {
    const match = taskMatcher(text.value, facets.value);
    const rows = all.value.filter(match);
    return sortTasks(rows, sort.value);
  });

  const counts = computed(() => facetCounts(all.value));
  const warningSummary = computed(() => summarizeWarnings(all.value));
  const warningCount = computed(() => all.value.reduce((n, t) => n + (t.warnings.length > 0 ? 1 : 0), 0));

  /** The selected task at the cursor (also when it is past the retention or not spawned yet: undefined). */
  const selectedTask = computed<Task | undefined>(() => {
    void events.revision;
    const name = selected.value;
    if (name === null) return undefined;
    const r = findTask(events.state, name);
    return r ? new Task(r, events.now, lintContext.value) : undefined;
  });

  /** Any task by name at the cursor (the inspector's links). */
  function taskAt(name: string): Task | undefined {
    const r = findTask(events.state, name);
    return r ? new Task(r, events.now, lintContext.value) : undefined;
  }

  function sortBy(key: SortKey): void {
    sort.value = sort.value.key === key ? { key, descending: !sort.value.descending } : { key, descending: false };
  }
  function setFacet<K extends keyof Facets>(key: K, value: Facets[K]): void {
    facets.value = { ...facets.value, [key]: value };
  }
  function clearFilters(): void {
    text.value = '';
    facets.value = { ...NO_FACETS };
  }
  function select(name: string | null): void {
    selected.value = name;
  }

  // The table scroll position survives view switches.
  const scrollTop = shallowRef(0);

  return {
    text,
    filterError,
    facets,
    sort,
    retainSeconds,
    thresholdTicks,
    selected,
    all,
    visible,
    counts,
    warningSummary,
    warningCount,
    selectedTask,
    taskAt,
    sortBy,
    setFacet,
    clearFilters,
    select,
    scrollTop,
  };
});
