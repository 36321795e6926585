/**
 * The Scenarios view's state: the built-in library (listScenarios), a scenario file
 * the user opened (checked by the Lab's parser, whose errors carry a JSON path), and
 * how to run it: simulated with a seed and a scheduling policy, or live.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LabResponses, RunMode, ScenarioInfo, ScenarioSource } from '../../../shared/protocol/lab';
import { useLabStore } from './lab';

export type ParseOutcome = LabResponses['parseScenario'];

export const useScenariosStore = defineStore('scenarios', () => {
  const library = ref<ScenarioInfo[]>([]);
  const loaded = ref(false);
  /** A library name, or '' for the opened file. */
  const selected = ref<string | null>(null);
  const file = ref<{ name: string; text: string } | null>(null);
  const parsed = ref<ParseOutcome | null>(null);
  const mode = ref<RunMode>('sim');
  const seed = ref(1);
  const policy = ref<'fifo' | 'random'>('fifo');
  const tickMs = ref(10);

  const selectedInfo = computed(() => library.value.find((s) => s.name === selected.value) ?? null);
  const canRun = computed(() => (selected.value === '' ? parsed.value?.ok === true : selectedInfo.value !== null));

  async function load(): Promise<void> {
    const r = await useLabStore().call({ type: 'listScenarios' }, true);
    loaded.value = true;
    if (!r.ok) return;
    library.value = r.value;
    // The scenario the Lab runs (the demo on the first start) is the one shown.
    const running = useLabStore().status?.title;
    if (selected.value === null && r.value.length > 0) selected.value = r.value.find((s) => s.name === running)?.name ?? r.value[0].name;
  }

  async function openFile(name: string, text: string): Promise<void> {
    file.value = { name, text };
    selected.value = '';
    parsed.value = null;
    const r = await useLabStore().call({ type: 'parseScenario', text, filename: name });
    if (r.ok) parsed.value = r.value;
  }

  async function run(): Promise<boolean> {
    let source: ScenarioSource;
    if (selected.value === '' && file.value) source = { text: file.value.text, filename: file.value.name };
    else if (selected.value) source = { library: selected.value };
    else return false;
    const opts = mode.value === 'sim' ? { seed: seed.value, policy: policy.value, tickMs: tickMs.value } : { tickMs: tickMs.value };
    return useLabStore().run(source, mode.value, opts);
  }

  return { library, loaded, selected, file, parsed, mode, seed, policy, tickMs, selectedInfo, canRun, load, openFile, run };
});
