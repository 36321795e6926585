// @vitest-environment happy-dom
/**
 * The app against the in-memory fake Lab: pushed events become table rows, headers
 * sort, the filter filters, a click opens the inspector and Esc closes it, space
 * pauses the view while pushes keep arriving, a gap in the pushes is filled with an
 * `events` request, the stuck view names the task, and the WebSocket client answers
 * requests by number and reconnects.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import demoTrace from '../e2e/fixtures/demo.jsonl?raw';
import hungTrace from '../e2e/fixtures/hung.jsonl?raw';
import App from '../../renderer/src/App.vue';
import { FakeLab, idleStatus } from '../../renderer/src/api/fake-lab';
import { labSocketUrl, WsLab } from '../../renderer/src/api/ws-lab';
import { useEventsStore } from '../../renderer/src/stores/events';
import { useLabStore } from '../../renderer/src/stores/lab';
import { useTasksStore } from '../../renderer/src/stores/tasks';
import { useUiStore } from '../../renderer/src/stores/ui';
import type { TraceEvent } from '../../shared/trace/events';

const lines = (text: string): TraceEvent[] => text.trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);
const demo = lines(demoTrace);
const hung = lines(hungTrace);

async function setup(events: TraceEvent[] = demo) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const fake = new FakeLab();
  fake.status = idleStatus({ mode: 'sim', running: true, title: 'demo' });
  const lab = useLabStore();
  await lab.init(fake, 'websocket');
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  useUiStore().show('tasks');
  fake.pushEvents(events, true);
  await flushPromises();
  return { fake, wrapper, events: useEventsStore(), tasks: useTasksStore(), ui: useUiStore() };
}

const rowNames = (w: ReturnType<typeof mount>) => w.findAll('[data-task]').map((r) => r.attributes('data-task'));

describe('the app with a fake Lab', () => {
  let cleanup: (() => void) | null = null;
  afterEach(() => {
    cleanup?.();
    cleanup = null;
    document.body.innerHTML = '';
  });

  it('shows pushed tasks in the table and sorts on a header click, inverted on the second', async () => {
    const { wrapper, tasks } = await setup();
    cleanup = () => wrapper.unmount();
    tasks.retainSeconds = null;
    await flushPromises();
    expect(rowNames(wrapper)).toHaveLength(12);
    expect(rowNames(wrapper)[0]).toBe('libpq listener');
    await wrapper.get('[data-testid=sort-name]').trigger('click');
    expect(rowNames(wrapper)[0]).toBe('compaction t1');
    await wrapper.get('[data-testid=sort-name]').trigger('click');
    expect(rowNames(wrapper)[0]).toBe('walreceiver t2');
    expect(wrapper.get('[data-testid=mode-badge]').text()).toBe('SIM');
  });

  it('filters by text and by state facet', async () => {
    const { wrapper, tasks } = await setup();
    cleanup = () => wrapper.unmount();
    tasks.retainSeconds = null;
    await wrapper.get('[data-testid=task-filter]').setValue('tenant:t2');
    expect(rowNames(wrapper).sort()).toEqual(['compaction t2', 'flush t2/l1', 'gc t2', 'upload t2/l1', 'walreceiver t2']);
    await wrapper.get('[data-testid=task-filter]').setValue('');
    await wrapper.get('[data-testid=facet-state]').setValue('panic');
    expect(rowNames(wrapper)).toEqual(['compaction t2']);
    expect(wrapper.get('[data-testid=warning-summary]').text()).toContain('1 task panicked');
  });

  it('a row click opens the inspector; Esc closes it', async () => {
    const { wrapper, tasks } = await setup();
    cleanup = () => wrapper.unmount();
    tasks.retainSeconds = null;
    await flushPromises();
    await wrapper.get('[data-task="compaction t2"]').trigger('click');
    expect(wrapper.get('[data-testid=inspector]').text()).toContain('compaction t2');
    expect(wrapper.get('[data-testid=inspector-state]').text()).toBe('panicked');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await flushPromises();
    expect(wrapper.find('[data-testid=inspector]').exists()).toBe(false);
  });

  it('space pauses the view: new pushes do not move it until it resumes', async () => {
    const { wrapper, fake, events } = await setup(demo.slice(0, 50));
    cleanup = () => wrapper.unmount();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: ' ' }));
    await flushPromises();
    expect(events.follow).toBe(false);
    fake.pushEvents(demo.slice(50));
    await flushPromises();
    expect(events.length).toBe(demo.length);
    expect(events.cursor).toBe(50);
    expect(wrapper.find('[data-testid=paused-badge]').exists()).toBe(true);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft' }));
    await flushPromises();
    expect(events.cursor).toBe(49);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: ' ' }));
    await flushPromises();
    expect(events.follow).toBe(true);
    expect(events.cursor).toBe(demo.length);
  });

  it('a gap in the pushes is filled with an events request', async () => {
    const { wrapper, fake, events } = await setup(demo.slice(0, 20));
    cleanup = () => wrapper.unmount();
    // The Lab's log grows by 40 events but the push for 20..40 is lost.
    fake.events.push(...demo.slice(20, 40));
    fake.push({ type: 'events', from: 40, events: demo.slice(40, 60), reset: false });
    fake.events.push(...demo.slice(40, 60));
    await flushPromises();
    expect(fake.requests.some((r) => r.type === 'events' && r.from === 20)).toBe(true);
    expect(events.length).toBe(60);
  });

  it('the stuck view names the task a hung shutdown waits on', async () => {
    const { wrapper, ui } = await setup(hung);
    cleanup = () => wrapper.unmount();
    ui.show('shutdown');
    await flushPromises();
    expect(wrapper.get('[data-testid=stuck-victim]').text()).toBe('load');
    expect(wrapper.get('[data-testid=stuck-awaits]').text()).toBe('a future that never completes and ignores shutdown');
    expect(wrapper.get('[data-testid=stuck-call]').classes()).toContain('hung');
  });

  it('inject sends the command for the selected running task', async () => {
    const { wrapper, fake, tasks } = await setup(hung.slice(0, 9));
    cleanup = () => wrapper.unmount();
    fake.handlers.inject = () => ({ ok: true, value: { applied: true } });
    tasks.select('load');
    await flushPromises();
    await wrapper.get('[data-testid=inject-panic]').trigger('click');
    await flushPromises();
    expect(fake.requests.find((r) => r.type === 'inject')).toEqual({ type: 'inject', task: 'load', fault: 'panic', message: 'injected from the UI' });
  });

  it('the Electron menu\'s commands reach the page: pause the view, the help, the seed dialog', async () => {
    let send: ((c: string) => void) | null = null;
    window.labMenu = { onCommand: (l) => ((send = l as (c: string) => void), () => (send = null)) };
    const { wrapper, events, ui } = await setup();
    cleanup = () => {
      wrapper.unmount();
      delete window.labMenu;
    };
    expect(send).not.toBeNull();
    send!('pauseView');
    await flushPromises();
    expect(events.follow).toBe(false);
    send!('userGuide');
    await flushPromises();
    expect(wrapper.find('[data-testid=help]').exists()).toBe(true);
    ui.help = false;
    send!('runSimWithSeed');
    await flushPromises();
    expect(ui.seedDialog).toBe(true);
  });

  it('every view renders without errors', async () => {
    const { wrapper, ui } = await setup();
    cleanup = () => wrapper.unmount();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const v of ['tasks', 'timeline', 'pools', 'shutdown', 'log', 'scenarios', 'recording', 'pageserver'] as const) {
      ui.show(v);
      await flushPromises();
      expect(wrapper.find('main').element.children.length, v).toBe(1);
    }
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});

// ---- the WebSocket client -------------------------------------------------------

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(s: string): void {
    this.sent.push(s);
  }
  close(): void {
    this.readyState = 3;
    this.onclose?.();
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  answer(i: number, result: unknown): void {
    const { id } = JSON.parse(this.sent[i]) as { id: number };
    this.onmessage?.({ data: JSON.stringify({ id, result }) });
  }
}

describe('WsLab', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('builds the socket URL from the page token', () => {
    expect(labSocketUrl({ protocol: 'http:', host: '127.0.0.1:5000', search: '?token=a%20b' })).toBe('ws://127.0.0.1:5000/lab?token=a%20b');
    expect(labSocketUrl({ protocol: 'http:', host: 'x', search: '' })).toBeNull();
  });

  it('queues requests until open, answers by id, and reconnects with a fresh status', async () => {
    const lab = new WsLab('ws://x/lab?token=t', { socket: (u) => new FakeSocket(u) as unknown as WebSocket, minDelayMs: 10 });
    const pushes: unknown[] = [];
    lab.subscribe((p) => pushes.push(p));
    const r = lab.request({ type: 'status' });
    const s1 = FakeSocket.all[0];
    expect(s1.sent).toHaveLength(0);
    s1.open();
    expect(s1.sent).toHaveLength(1);
    s1.answer(0, { ok: true, value: idleStatus() });
    expect(await r).toEqual({ ok: true, value: idleStatus() });
    // A request in flight when the socket drops gets an error as data.
    const lost = lab.request({ type: 'listScenarios' });
    s1.close();
    expect(await lost).toEqual({ ok: false, error: 'connection to the Lab lost' });
    await vi.advanceTimersByTimeAsync(20);
    const s2 = FakeSocket.all[1];
    expect(s2).toBeDefined();
    s2.open();
    expect(JSON.parse(s2.sent[0]).req).toEqual({ type: 'status' });
    s2.answer(0, { ok: true, value: idleStatus({ events: 5 }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(pushes).toContainEqual({ type: 'status', status: idleStatus({ events: 5 }) });
    s2.onmessage?.({ data: JSON.stringify({ push: { type: 'events', from: 0, events: [], reset: true } }) });
    expect(pushes).toContainEqual({ type: 'events', from: 0, events: [], reset: true });
    lab.close();
  });
});

describe('TaskFilterFields', () => {
  it('offers None for the kind only when asked, and binds kind, tenant and timeline', async () => {
    const { default: TaskFilterFields } = await import('../../renderer/src/components/TaskFilterFields.vue');
    const model = { kind: 'Compaction' as string | null, tenant: '', timeline: '' };
    const make = (anyKind: boolean) =>
      mount(TaskFilterFields, {
        props: {
          anyKind,
          tenants: ['t1', 't2'],
          timelines: ['l1'],
          idPrefix: 'x',
          kind: model.kind,
          tenant: model.tenant,
          timeline: model.timeline,
          'onUpdate:kind': (v: string | null) => (model.kind = v),
          'onUpdate:tenant': (v: string) => (model.tenant = v),
          'onUpdate:timeline': (v: string) => (model.timeline = v),
        } as never,
      });
    const any = make(true);
    expect(any.get('[data-testid=x-kind]').findAll('option')[0].text()).toBe('None (any kind)');
    await any.get('[data-testid=x-kind]').setValue('');
    expect(model.kind).toBeNull();
    await any.get('[data-testid=x-tenant]').setValue('t2');
    await any.get('[data-testid=x-timeline]').setValue('l1');
    expect(model).toEqual({ kind: null, tenant: 't2', timeline: 'l1' });
    expect(any.findAll('#x-tenants option').map((o) => o.attributes('value'))).toEqual(['t1', 't2']);
    const some = make(false);
    expect(some.get('[data-testid=x-kind]').findAll('option').map((o) => o.text())).not.toContain('None (any kind)');
    await some.get('[data-testid=x-kind]').setValue('GarbageCollector');
    expect(model.kind).toBe('GarbageCollector');
  });
});
