/**
 * Which view is shown, and the focus requests that keyboard shortcuts make
 * ("/" focuses the filter of the current view).
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type ViewName = 'tasks' | 'timeline' | 'pools' | 'shutdown' | 'log' | 'scenarios' | 'recording' | 'pageserver' | 'explore';

export const VIEWS: ReadonlyArray<{ name: ViewName; label: string; key: string }> = [
  { name: 'tasks', label: 'Tasks', key: '1' },
  { name: 'timeline', label: 'Timeline', key: '2' },
  { name: 'pools', label: 'Pools', key: '3' },
  { name: 'shutdown', label: 'Shutdown', key: '4' },
  { name: 'log', label: 'Log', key: '5' },
  { name: 'scenarios', label: 'Scenarios', key: '6' },
  { name: 'recording', label: 'Recording', key: '7' },
  { name: 'pageserver', label: 'Pageserver', key: '8' },
  { name: 'explore', label: 'Explore', key: '9' },
];

export const useUiStore = defineStore('ui', () => {
  const view = ref<ViewName>('scenarios');
  /** Bumped to ask the current view to focus its filter box. */
  const focusFilter = ref(0);
  /** The help panel (Help ▸ User guide, or ?) and the seed dialog (Run ▸ Run simulated with seed…). */
  const help = ref(false);
  const seedDialog = ref(false);

  function show(v: ViewName): void {
    view.value = v;
  }
  function requestFilterFocus(): void {
    focusFilter.value++;
  }
  return { view, focusFilter, help, seedDialog, show, requestFilterFocus };
});
