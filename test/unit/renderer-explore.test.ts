// @vitest-environment happy-dom
/**
 * The Explore view against the in-memory fake Lab, fed with real traces of
 * race-s08 (test/e2e/fixtures/race-s08-*.jsonl, written by the simulator: the
 * default schedule passes; with the compaction 10% longer it fails): the start
 * request carries the chosen options, progress pushes fill the figures and the
 * histogram, "Open" replays the failing run in every view with the banner and the
 * timeline's mark on the failure, "Compare" shows where the failing and the passing
 * run part, and the 9 key and the help overlay know the view.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import failingTrace from '../e2e/fixtures/race-s08-failing.jsonl?raw';
import passingTrace from '../e2e/fixtures/race-s08-passing.jsonl?raw';
import App from '../../renderer/src/App.vue';
import { FakeLab, idleStatus } from '../../renderer/src/api/fake-lab';
import { histogram, partingRows } from '../../renderer/src/model/explore-view';
import { useEventsStore } from '../../renderer/src/stores/events';
import { useExploreStore } from '../../renderer/src/stores/explore';
import { useLabStore } from '../../renderer/src/stores/lab';
import { useUiStore } from '../../renderer/src/stores/ui';
import type { ExploreProgress, FailureGroup, ScheduleRun } from '../../shared/protocol/explore';
import type { ScenarioInfo } from '../../shared/protocol/lab';
import { SCHEDULE_FORMAT, type ScheduleFile } from '../../shared/protocol/schedule';
import { formatEvent } from '../../shared/trace/jsonl';
import type { TraceEvent } from '../../shared/trace/events';

const NAME = 'race-s08-untracked-compaction-vs-detach';
const lines = (text: string): TraceEvent[] => text.trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);
const passing = lines(passingTrace);
const failing = lines(failingTrace);

const schedule: ScheduleFile = {
  format: SCHEDULE_FORMAT,
  scenario: NAME,
  scenario_hash: '0123456789abcdef',
  seed: 1,
  strategy: 'pct',
  jitter: 0.2,
  decisions: [{ pos: 12, kind: 'jitter', value: 10, note: 'compact t1/l1 took 110 ticks instead of 100' }],
};
const signature = 'expect: HTTP compact t1/l1 answers 200 | lint untracked-after-removal';
const group = (): FailureGroup => ({
  signature,
  count: 37,
  firstRun: 4,
  failures: ['HTTP compact t1/l1 answers 200: found 500 write layer …', 'lint untracked-after-removal: untracked work on t1/l1 …'],
  schedule,
  shrunk: true,
  decisions: 1,
  explanation: 'needs 1 decision: compact t1/l1 took 110 ticks instead of 100',
});
const firstFailure = (events: TraceEvent[]) => events.findIndex((e) => (e.ev === 'assertion' && !e.ok) || e.ev === 'lint');
const runOf = (events: TraceEvent[], bad: boolean): ScheduleRun => ({
  schedule,
  events,
  failures: bad ? group().failures : [],
  signature: bad ? signature : null,
  failedAt: bad ? firstFailure(events) : null,
});
const partsAt = () => failing.findIndex((e, i) => formatEvent(e) !== formatEvent(passing[i] ?? { ev: 'none' }));

function progress(partial: Partial<ExploreProgress>): ExploreProgress {
  return {
    id: 'x1',
    state: 'running',
    scenario: NAME,
    strategy: 'pct',
    runs: 0,
    total: 2000,
    runsPerS: 0,
    etaS: null,
    passed: 0,
    failures: 0,
    bySignature: [],
    groups: [],
    exhausted: false,
    verdict: null,
    error: null,
    ...partial,
  };
}

const library: ScenarioInfo[] = [
  { name: 's08-untracked-compaction-vs-detach', title: 'S8', description: 'the race as scripted', issues: [2851] } as ScenarioInfo,
  { name: NAME, title: 'Race: detach just after a manual compaction', description: 'timed to pass by default', issues: [2851] } as ScenarioInfo,
];

async function setup() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const fake = new FakeLab({
    listScenarios: () => ({ ok: true, value: library }),
    exploreStart: () => ({ ok: true, value: { id: 'x1' } }),
    exploreCancel: () => ({ ok: true, value: { cancelled: true } }),
    exploreOpen: () => ({ ok: true, value: runOf(failing, true) }),
    exploreCompare: () => ({
      ok: true,
      value: { failing: runOf(failing, true), passing: runOf(passing, false), putBack: schedule.decisions[0], partsAt: partsAt() },
    }),
  });
  fake.status = idleStatus();
  await useLabStore().init(fake, 'websocket');
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  useUiStore().show('explore');
  await flushPromises();
  return { fake, wrapper, ui: useUiStore(), ex: useExploreStore(), events: useEventsStore() };
}

describe('the Explore view', () => {
  let cleanup: (() => void) | null = null;
  afterEach(() => {
    cleanup?.();
    cleanup = null;
    document.body.innerHTML = '';
  });

  it('lists the race-* scenarios first and starts an exploration with the chosen options', async () => {
    const { fake, wrapper, ex } = await setup();
    cleanup = () => wrapper.unmount();
    const items = wrapper.findAll('[data-testid^=explore-scenario-]').map((b) => b.attributes('data-testid'));
    expect(items[0]).toBe(`explore-scenario-${NAME}`);
    expect(ex.scenario).toBe(NAME);
    await wrapper.get('[data-testid=explore-runs]').setValue('500');
    await wrapper.get('[data-testid=explore-jitter]').setValue('10');
    await wrapper.get('[data-testid=explore-strategy]').setValue('random');
    await wrapper.get('[data-testid=explore-start]').trigger('click');
    await flushPromises();
    const req = fake.requests.find((r) => r.type === 'exploreStart');
    expect(req).toMatchObject({ scenario: { library: NAME }, options: { strategy: 'random', runs: 500, jitter: 0.1 } });
  });

  it('shows pushed progress, the histogram by signature, and the failure groups; Stop cancels', async () => {
    const { fake, wrapper } = await setup();
    cleanup = () => wrapper.unmount();
    await wrapper.get('[data-testid=explore-start]').trigger('click');
    await flushPromises();
    fake.push({ type: 'explore', progress: progress({ runs: 400, runsPerS: 812, passed: 363, failures: 37, bySignature: [{ signature, count: 37 }], groups: [group()] }) });
    await flushPromises();
    expect(wrapper.get('[data-testid=explore-runs-done]').text()).toBe('400 / 2,000 runs');
    const hist = wrapper.get('[data-testid=explore-histogram]').text();
    expect(hist).toContain('passed');
    expect(hist).toContain('363');
    expect(hist).toContain(signature);
    expect(wrapper.get('[data-testid=explore-explanation]').text()).toBe('needs 1 decision: compact t1/l1 took 110 ticks instead of 100');
    await wrapper.get('[data-testid=explore-stop]').trigger('click');
    await flushPromises();
    expect(fake.requests.some((r) => r.type === 'exploreCancel' && r.id === 'x1')).toBe(true);
    fake.push({ type: 'explore', progress: progress({ state: 'cancelled', runs: 410, passed: 373, failures: 37, groups: [group()] }) });
    await flushPromises();
    expect(wrapper.get('[data-testid=explore-state]').text()).toBe('stopped');
    expect(wrapper.find('[data-testid=explore-stop]').attributes('disabled')).toBeDefined();
  });

  it('Open replays the failing schedule in every view, the failure marked on the banner and the timeline', async () => {
    const { fake, wrapper, ui, events } = await setup();
    cleanup = () => wrapper.unmount();
    await wrapper.get('[data-testid=explore-start]').trigger('click');
    fake.push({ type: 'explore', progress: progress({ state: 'done', runs: 2000, passed: 1800, failures: 200, bySignature: [{ signature, count: 200 }], groups: [group()] }) });
    await flushPromises();
    // Picking another scenario meanwhile does not change what the failure is replayed on.
    await wrapper.get('[data-testid=explore-scenario-s08-untracked-compaction-vs-detach]').trigger('click');
    await wrapper.get('[data-testid=explore-open]').trigger('click');
    await flushPromises();
    expect(fake.requests.find((r) => r.type === 'exploreOpen')).toMatchObject({ scenario: { library: NAME }, schedule });
    expect(ui.view).toBe('timeline');
    expect(events.source).toBe('file');
    expect(events.length).toBe(failing.length);
    expect(events.cursor).toBe(firstFailure(failing) + 1);
    expect(wrapper.get('[data-testid=explore-banner-failure]').text()).toContain('HTTP compact t1/l1 answers 200');
    expect(wrapper.find('[data-testid=timeline-mark-failure]').exists()).toBe(true);
    for (const v of ['shutdown', 'tasks', 'log'] as const) {
      ui.show(v);
      await flushPromises();
      expect(wrapper.find('[data-testid=explore-banner]').exists(), v).toBe(true);
    }
  });

  it('Compare shows the first event where the failing and the passing run part, and switches between them', async () => {
    const { fake, wrapper, ex, events } = await setup();
    cleanup = () => wrapper.unmount();
    await wrapper.get('[data-testid=explore-start]').trigger('click');
    fake.push({ type: 'explore', progress: progress({ state: 'done', runs: 2000, passed: 1800, failures: 200, groups: [group()] }) });
    await flushPromises();
    await wrapper.get('[data-testid=explore-compare]').trigger('click');
    await flushPromises();
    const at = partsAt();
    expect(at).toBeGreaterThan(0);
    const parts = wrapper.get('[data-testid=explore-diff] .parts');
    expect(parts.text()).toContain(String(at));
    expect(ex.opened?.partsAt).toBe(at);
    await wrapper.get('[data-testid=explore-show-passing]').trigger('click');
    await flushPromises();
    expect(ex.opened?.which).toBe('passing');
    expect(events.length).toBe(passing.length);
    expect(events.cursor).toBe(at + 1);
    expect(wrapper.find('[data-testid=timeline-mark-parts]').exists()).toBe(true);
    expect(wrapper.get('[data-testid=explore-banner]').text()).toContain('passes every property');
  });

  it('9 opens the view and the help overlay lists it', async () => {
    const { wrapper, ui } = await setup();
    cleanup = () => wrapper.unmount();
    ui.show('tasks');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '9' }));
    await flushPromises();
    expect(ui.view).toBe('explore');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '?' }));
    await flushPromises();
    expect(wrapper.get('[data-testid=help]').text()).toContain('Explore');
  });
});

describe('the Explore view model', () => {
  it('puts passing runs first in the histogram, as shares of the runs done', () => {
    const bars = histogram(progress({ runs: 10, passed: 6, bySignature: [{ signature: 'a', count: 3 }, { signature: 'b', count: 1 }] }));
    expect(bars.map((b) => [b.label, b.share])).toEqual([
      ['passed', 0.6],
      ['a', 0.3],
      ['b', 0.1],
    ]);
  });

  it('marks the parting row between the two runs', () => {
    const a = lines(failingTrace).slice(0, 3);
    const b = [a[0], { t: 1, ev: 'narration', title: 'Detach', text: 'now' }] as TraceEvent[];
    const rows = partingRows(a, b, 1, 1, 5);
    expect(rows.map((r) => [r.index, r.parts, r.passing === null])).toEqual([
      [0, false, false],
      [1, true, false],
      [2, false, true],
    ]);
    expect(rows[0].failing?.line).toBe(rows[0].passing?.line);
    expect(rows[1].passing?.line).toContain('Detach');
  });
});
