// @vitest-environment happy-dom
/**
 * The Pageserver view against the in-memory fake Lab: tenant_state and timeline_state
 * events become the tenant list (Paused shown as "Paused (Stopping)"), Detach sends the
 * pageserver action, the backend's errors are shown inline, a crash and a restart show
 * in the process line, and a run that is not a pageserver scenario says how to open one.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../renderer/src/App.vue';
import { FakeLab, idleStatus } from '../../renderer/src/api/fake-lab';
import { pageserverView } from '../../renderer/src/model/pageserver';
import { useLabStore } from '../../renderer/src/stores/lab';
import { useUiStore } from '../../renderer/src/stores/ui';
import type { TraceEvent } from '../../shared/trace/events';

const START: TraceEvent[] = [
  { t: 0, ev: 'scenario', name: 'pageserver-demo', tick_ms: 10, mode: 'sim', seed: 1, policy: 'fifo' },
  { t: 0, ev: 'process_start', process: 1, label_suffix: '' },
  { t: 0, ev: 'tenant_state', tenant: 't1', from: null, state: 'Loading' },
  { t: 0, ev: 'tenant_state', tenant: 't2', from: null, state: 'Loading' },
  { t: 6, ev: 'timeline_state', tenant: 't1', timeline: 'l1', from: null, state: 'Suspended' },
  { t: 6, ev: 'timeline_state', tenant: 't1', timeline: 'l1', from: 'Suspended', state: 'Active' },
  { t: 6, ev: 'timeline_state', tenant: 't2', timeline: 'l1', from: null, state: 'Suspended' },
  { t: 6, ev: 'timeline_state', tenant: 't2', timeline: 'l1', from: 'Suspended', state: 'Active' },
  { t: 6, ev: 'tenant_state', tenant: 't2', from: 'Loading', state: 'Active' },
  { t: 12, ev: 'timeline_state', tenant: 't1', timeline: 'l2', from: null, state: 'Suspended' },
  { t: 12, ev: 'timeline_state', tenant: 't1', timeline: 'l2', from: 'Suspended', state: 'Active' },
  { t: 12, ev: 'tenant_state', tenant: 't1', from: 'Loading', state: 'Active' },
];

async function setup(events: TraceEvent[] = START) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const fake = new FakeLab({ pageserver: () => ({ ok: true, value: { done: true } }) });
  fake.status = idleStatus({ mode: 'sim', running: true, title: 'pageserver-demo' });
  await useLabStore().init(fake, 'websocket');
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  fake.pushEvents(events, true);
  await wrapper.get('[data-testid=nav-pageserver]').trigger('click');
  await flushPromises();
  return { fake, wrapper, ui: useUiStore() };
}

type Wrapper = Awaited<ReturnType<typeof setup>>['wrapper'];
const tenants = (w: Wrapper) =>
  w.findAll('[data-testid=ps-tenant]').map((t) => ({
    tenant: t.attributes('data-tenant'),
    state: t.get('[data-testid=ps-tenant-state]').text(),
    timelines: t.findAll('[data-testid=ps-timeline]').map((l) => l.attributes('data-timeline')),
  }));

describe('the Pageserver view with a fake Lab', () => {
  let wrapper: Wrapper | null = null;
  afterEach(() => {
    wrapper?.unmount();
    wrapper = null;
    document.body.innerHTML = '';
  });

  it('lists the tenants and their timelines from the events, and the running process', async () => {
    const s = await setup();
    wrapper = s.wrapper;
    expect(tenants(wrapper)).toEqual([
      { tenant: 't1', state: 'Active', timelines: ['t1/l1', 't1/l2'] },
      { tenant: 't2', state: 'Active', timelines: ['t2/l1'] },
    ]);
    expect(wrapper.get('[data-testid=ps-process]').text()).toContain('process 1 running');
    expect(wrapper.find('[data-testid=ps-not-pageserver]').exists()).toBe(false);
  });

  it('Detach sends the pageserver action; a Paused tenant shows as detached with Attach', async () => {
    const s = await setup();
    wrapper = s.wrapper;
    await wrapper.get('[data-tenant=t1] [data-testid=ps-detach]').trigger('click');
    await flushPromises();
    expect(s.fake.requests.filter((r) => r.type === 'pageserver')).toEqual([{ type: 'pageserver', action: { do: 'detach', tenant: 't1' } }]);

    s.fake.pushEvents([{ t: 20, ev: 'tenant_state', tenant: 't1', from: 'Active', state: 'Paused' }]);
    await flushPromises();
    const t1 = wrapper.get('[data-tenant=t1]');
    expect(t1.get('[data-testid=ps-tenant-state]').text()).toBe('Paused (Stopping)');
    expect(t1.find('[data-testid=ps-detached]').exists()).toBe(true);
    await t1.get('[data-testid=ps-attach]').trigger('click');
    await flushPromises();
    expect(s.fake.requests.at(-1)).toEqual({ type: 'pageserver', action: { do: 'attach', tenant: 't1' } });
  });

  it('shows the backend\'s error inline', async () => {
    const s = await setup();
    wrapper = s.wrapper;
    s.fake.handlers.pageserver = () => ({ ok: false, error: 'the pageserver process is not running (restart it)' });
    await wrapper.get('[data-testid=ps-sigterm]').trigger('click');
    await flushPromises();
    expect(s.fake.requests.at(-1)).toEqual({ type: 'pageserver', action: { do: 'signal', signal: 'SIGTERM' } });
    expect(wrapper.get('[data-testid=ps-error]').text()).toBe('SIGTERM: the pageserver process is not running (restart it)');
  });

  it('a crash shows the process crashed; Restart sends restart and process 2 starts from an empty tenant list', async () => {
    const s = await setup();
    wrapper = s.wrapper;
    await wrapper.get('[data-testid=ps-crash]').trigger('click');
    expect(s.fake.requests.at(-1)).toEqual({ type: 'pageserver', action: { do: 'crash' } });
    s.fake.pushEvents([
      { t: 30, ev: 'process_signal', signal: 'SIGKILL', effect: 'kill', cause: null },
      { t: 30, ev: 'process_exit', code: 137 },
    ]);
    await flushPromises();
    expect(wrapper.get('[data-testid=ps-process]').text()).toContain('process 1 crashed (SIGKILL)');
    expect(wrapper.get('[data-testid=ps-detach]').attributes('disabled')).toBeDefined();
    s.fake.handlers.restart = () => ({ ok: true, value: s.fake.status });
    await wrapper.get('[data-testid=ps-restart]').trigger('click');
    await flushPromises();
    expect(s.fake.requests.filter((r) => r.type === 'restart')).toEqual([{ type: 'restart' }]);
    s.fake.pushEvents([
      { t: 40, ev: 'process_start', process: 2, label_suffix: ' @2' },
      { t: 40, ev: 'tenant_state', tenant: 't2', from: null, state: 'Loading' },
    ]);
    await flushPromises();
    expect(wrapper.get('[data-testid=ps-process]').text()).toContain('process 2 running');
    expect(tenants(wrapper)).toEqual([{ tenant: 't2', state: 'Loading', timelines: [] }]);
  });

  it('the inject form sends inject_into with the kind, tenant and fault', async () => {
    const s = await setup();
    wrapper = s.wrapper;
    await wrapper.get('[data-testid=ps-inject-kind]').setValue('GarbageCollector');
    await wrapper.get('[data-testid=ps-inject-tenant]').setValue('t2');
    await wrapper.get('[data-testid=ps-inject-form]').trigger('submit');
    await flushPromises();
    expect(s.fake.requests.at(-1)).toEqual({
      type: 'pageserver',
      action: { do: 'inject_into', kind: 'GarbageCollector', tenant: 't2', timeline: null, fault: 'panic', message: 'injected from the Pageserver panel' },
    });
  });

  it('a run that is not a pageserver scenario says so and how to open one', async () => {
    const s = await setup([{ t: 0, ev: 'scenario', name: 'demo', tick_ms: 10 }]);
    wrapper = s.wrapper;
    const msg = wrapper.get('[data-testid=ps-not-pageserver]').text();
    expect(msg).toContain('not a pageserver scenario');
    expect(msg).toContain('pageserver-demo');
    await wrapper.get('[data-testid=ps-open-scenarios]').trigger('click');
    expect(s.ui.view).toBe('scenarios');
  });
});

describe('pageserverView', () => {
  it('a tenant Paused by a graceful shutdown is not shown as detached', () => {
    const v = pageserverView([
      ...START,
      { t: 400, ev: 'process_signal', signal: 'SIGTERM', effect: 'graceful_shutdown' },
      { t: 400, ev: 'tenant_state', tenant: 't1', from: 'Active', state: 'Paused' },
      { t: 416, ev: 'process_exit', code: 0 },
    ]);
    expect(v.process).toEqual({ number: 1, status: 'exited', exitCode: 0, signal: 'SIGTERM' });
    expect(v.tenants[0]).toMatchObject({ tenant: 't1', state: 'Paused', label: 'Paused (Stopping)', detached: false });
  });
});
