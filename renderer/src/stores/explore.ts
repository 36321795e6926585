/**
 * The Explore view's state: what to explore (a library scenario or the file opened
 * in the Scenarios view) and how (strategy, runs, jitter, depth), the exploration
 * going on in the backend and its latest progress push, and the failing schedule
 * opened in the other views, or compared with its nearest passing run.
 *
 * The explorer runs in the backend; this store only sends requests and keeps the
 * last progress push (a shallowRef: one object replaced per push, at most a few times
 * a second, so that the view redraws once per push and scrolling stays smooth).
 * An opened schedule becomes a replay in the page (events source `file`), so that
 * Timeline, Shutdown, Tasks and Log all show it; `opened` says which failure it is,
 * where its trace shows the failure, and, when compared, where it parts from the
 * passing run: the banner and the timeline's marks read it.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { ExploreOptions, ExploreProgress, FailureGroup, ScheduleComparison, ScheduleRun } from '../../../shared/protocol/explore';
import type { ScenarioSource } from '../../../shared/protocol/lab';
import type { StrategyName } from '../../../shared/protocol/schedule';
import type { TraceEvent } from '../../../shared/trace/events';
import { useEventsStore } from './events';
import { useLabStore } from './lab';
import { useScenariosStore } from './scenarios';

/** A schedule replayed in every view. */
export interface OpenedSchedule {
  /** Which of a comparison's two runs is shown (a plain Open shows the failing one). */
  which: 'failing' | 'passing';
  /** The name the replay was opened under (the views show it while it is theirs). */
  name: string;
  scenario: string;
  signature: string | null;
  /** The failed properties, one line each (empty: this run passes). */
  failures: string[];
  explanation: string;
  /** Index of the first event that shows the failure, and its tick. */
  failedAt: number | null;
  failedTick: number | null;
  /** Where the failing and the passing run part (index and tick), when compared. */
  partsAt: number | null;
  partsTick: number | null;
}

const tickOf = (events: readonly TraceEvent[], i: number | null): number | null => (i === null ? null : (events[Math.min(i, events.length - 1)]?.t ?? null));

export const useExploreStore = defineStore('explore', () => {
  /** A library name, or '' for the file opened in the Scenarios view. */
  const scenario = ref<string | null>(null);
  const strategy = ref<StrategyName>('pct');
  const runs = ref(2000);
  const jitter = ref(0.2);
  const depth = ref(3);
  const seed = ref(1);

  const id = ref<string | null>(null);
  /** What the current exploration runs: Open and Compare replay its schedules on it, whatever is picked since. */
  let explored: ScenarioSource | null = null;
  const progress = shallowRef<ExploreProgress | null>(null);
  const starting = ref(false);
  /** Pushes received for the current exploration (the view shows how fresh they are). */
  const pushes = ref(0);
  const comparison = shallowRef<ScheduleComparison | null>(null);
  const comparing = ref<string | null>(null);
  const opened = shallowRef<OpenedSchedule | null>(null);

  const running = computed(() => progress.value !== null && (progress.value.state === 'running' || progress.value.state === 'shrinking'));

  function source(): ScenarioSource | null {
    const sc = useScenariosStore();
    if (scenario.value === '' && sc.file) return { text: sc.file.text, filename: sc.file.name };
    if (scenario.value) return { library: scenario.value };
    return null;
  }
  const scenarioLabel = computed(() => (scenario.value === '' ? (useScenariosStore().file?.name ?? '') : (scenario.value ?? '')));

  function options(): ExploreOptions {
    const o: ExploreOptions = { strategy: strategy.value, runs: Math.max(1, Math.round(runs.value)), jitter: Math.min(1, Math.max(0, jitter.value)), seed: seed.value };
    if (strategy.value === 'pct') o.depth = depth.value;
    return o;
  }

  /** A progress push from the backend, heard through the Lab store from creation on. */
  function onProgress(p: ExploreProgress): void {
    if (id.value !== null && p.id !== id.value) return;
    id.value = p.id;
    progress.value = markRaw(p);
    pushes.value++;
  }
  useLabStore().onExploreProgress(onProgress);

  async function start(): Promise<boolean> {
    const src = source();
    if (!src || running.value) return false;
    starting.value = true;
    comparison.value = null;
    progress.value = null;
    pushes.value = 0;
    id.value = null;
    explored = src;
    try {
      const r = await useLabStore().call({ type: 'exploreStart', scenario: src, options: options() });
      if (!r.ok) return false;
      // A push may have arrived before the answer; keep it if it is this one's.
      const early = progress.value as ExploreProgress | null;
      if (early && early.id !== r.value.id) progress.value = null;
      id.value = r.value.id;
      return true;
    } finally {
      starting.value = false;
    }
  }

  async function stop(): Promise<void> {
    if (id.value === null) return;
    await useLabStore().call({ type: 'exploreCancel', id: id.value });
  }

  /** Shows a replayed schedule in every view, the cursor on its failure (or at the end). */
  function show(run: ScheduleRun, which: OpenedSchedule['which'], group: FailureGroup | null, parts: { at: number | null } = { at: null }): void {
    const events = useEventsStore();
    const name = `${run.schedule.scenario} · ${which === 'failing' ? 'failing' : 'passing'} schedule`;
    events.reset(run.events, 'file', name);
    const failedAt = run.failedAt;
    opened.value = markRaw({
      which,
      name,
      scenario: run.schedule.scenario,
      signature: run.signature,
      failures: run.failures,
      explanation: group?.explanation ?? run.schedule.explanation?.join('; ') ?? '',
      failedAt,
      failedTick: tickOf(run.events, failedAt),
      partsAt: parts.at,
      partsTick: tickOf(run.events, parts.at),
    });
    const target = parts.at ?? failedAt;
    events.seek(target === null ? run.events.length : target + 1);
  }

  /** "Open": replays the group's (shrunk) schedule in every view. */
  async function open(group: FailureGroup): Promise<boolean> {
    const src = explored ?? source();
    if (!src) return false;
    const r = await useLabStore().call({ type: 'exploreOpen', scenario: src, schedule: group.schedule });
    if (!r.ok) return false;
    comparison.value = null;
    show(r.value, 'failing', group);
    return true;
  }

  /** "Compare with a passing run": the failing run and the nearest passing one, and where they part. */
  async function compare(group: FailureGroup): Promise<boolean> {
    const src = explored ?? source();
    if (!src) return false;
    comparing.value = group.signature;
    try {
      const r = await useLabStore().call({ type: 'exploreCompare', scenario: src, schedule: group.schedule });
      if (!r.ok) return false;
      comparison.value = markRaw(r.value);
      show(r.value.failing, 'failing', group, { at: r.value.partsAt });
      return true;
    } finally {
      comparing.value = null;
    }
  }

  /** Switches the views between the compared runs, the cursor where they part. */
  function showCompared(which: OpenedSchedule['which']): void {
    const c = comparison.value;
    if (!c) return;
    const run = which === 'failing' ? c.failing : c.passing;
    if (!run) return;
    const group = progress.value?.groups.find((g) => g.signature === c.failing.signature) ?? null;
    show(run, which, group, { at: c.partsAt });
  }

  /** The opened schedule is no longer what the views show (another recording, the Lab's log). */
  function forget(): void {
    opened.value = null;
  }

  return {
    scenario,
    strategy,
    runs,
    jitter,
    depth,
    seed,
    id,
    progress,
    starting,
    pushes,
    running,
    comparison,
    comparing,
    opened,
    scenarioLabel,
    source,
    onProgress,
    start,
    stop,
    open,
    compare,
    showCompared,
    forget,
  };
});
