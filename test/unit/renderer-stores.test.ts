// @vitest-environment happy-dom
/**
 * Stores that no view test reached directly, on the in-memory FakeLab: the Scenarios
 * store (the library loaded with the running scenario selected, an opened file
 * checked by the Lab's parser before it can run, the run request each mode sends)
 * and the Logs store (the lines up to the cursor, by level, task and text).
 */
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../shared/trace/events';
import { FakeLab, idleStatus } from '../../renderer/src/api/fake-lab';
import { useEventsStore } from '../../renderer/src/stores/events';
import { useLabStore } from '../../renderer/src/stores/lab';
import { useLogsStore } from '../../renderer/src/stores/logs';
import { useScenariosStore } from '../../renderer/src/stores/scenarios';

const info = (name: string) => ({ name, title: name, description: '', issues: [] });

async function connect(fake: FakeLab): Promise<void> {
  setActivePinia(createPinia());
  await useLabStore().init(fake, 'websocket');
  await flushPromises();
}

describe('scenarios store', () => {
  let fake: FakeLab;
  beforeEach(async () => {
    fake = new FakeLab({
      listScenarios: () => ({ ok: true, value: [info('demo'), info('s01-detach-while-attaching')] }),
      parseScenario: (req) =>
        req.text.includes('bad')
          ? { ok: true, value: { ok: false, error: { path: '$.tasks', reason: 'expected an object', message: '$.tasks: expected an object' } } }
          : { ok: true, value: { ok: true, name: 'mine', description: '', tasks: 1, steps: 1 } },
      run: (req) => ({ ok: true, value: idleStatus({ mode: req.mode, running: true }) }),
    });
    fake.status = idleStatus({ mode: 'sim', running: true, title: 's01-detach-while-attaching' });
    await connect(fake);
  });

  it('loads the library and selects the scenario the Lab is running', async () => {
    const sc = useScenariosStore();
    await sc.load();
    expect(sc.loaded).toBe(true);
    expect(sc.library.map((s) => s.name)).toEqual(['demo', 's01-detach-while-attaching']);
    expect(sc.selected).toBe('s01-detach-while-attaching');
    expect(sc.canRun).toBe(true);
  });

  it('lets an opened file run only once the Lab has parsed it without error', async () => {
    const sc = useScenariosStore();
    await sc.openFile('bad.json', '{"bad": true}');
    expect(sc.selected).toBe('');
    expect(sc.parsed).toMatchObject({ ok: false, error: { path: '$.tasks' } });
    expect(sc.canRun).toBe(false);
    await sc.openFile('mine.yaml', 'good');
    expect(sc.canRun).toBe(true);
    expect(fake.requests.filter((r) => r.type === 'parseScenario')).toEqual([
      { type: 'parseScenario', text: '{"bad": true}', filename: 'bad.json' },
      { type: 'parseScenario', text: 'good', filename: 'mine.yaml' },
    ]);
  });

  it('runs the selection with a seed and policy in sim mode, and only the tick in live mode', async () => {
    const sc = useScenariosStore();
    await sc.load();
    sc.seed = 7;
    sc.policy = 'random';
    sc.tickMs = 20;
    expect(await sc.run()).toBe(true);
    sc.mode = 'live';
    expect(await sc.run()).toBe(true);
    await sc.openFile('mine.yaml', 'good');
    await sc.run();
    const runs = fake.requests.filter((r) => r.type === 'run');
    expect(runs).toEqual([
      { type: 'run', scenario: { library: 's01-detach-while-attaching' }, mode: 'sim', seed: 7, policy: 'random', tickMs: 20 },
      { type: 'run', scenario: { library: 's01-detach-while-attaching' }, mode: 'live', tickMs: 20 },
      { type: 'run', scenario: { text: 'good', filename: 'mine.yaml' }, mode: 'live', tickMs: 20 },
    ]);
  });
});

describe('logs store', () => {
  const ev = (t: number, level: string, task: string | null, message: string) => ({ t, ev: 'log', level, task, message }) as unknown as TraceEvent;
  const spawn = (task: string, id: number) => ({ t: 0, ev: 'spawn', task, id, kind: 'Compaction', runtime: 'background', tenant: 't1', timeline: null, parent: null }) as unknown as TraceEvent;

  it('shows the lines up to the cursor, filtered by level, task and text', async () => {
    const fake = new FakeLab();
    fake.status = idleStatus({ mode: 'sim', running: false, title: 'x' });
    await connect(fake);
    fake.pushEvents([spawn('a', 1), spawn('b', 2), ev(1, 'debug', 'a', 'Starting task a'), ev(2, 'info', 'b', 'flushed layer'), ev(3, 'warn', 'a', 'slow upload'), ev(4, 'error', null, 'disk full')], true);
    await flushPromises();
    const events = useEventsStore();
    const logs = useLogsStore();
    const messages = () => logs.lines.map((i) => logs.line(i).message);
    expect(messages()).toEqual(['Starting task a', 'flushed layer', 'slow upload', 'disk full']);
    logs.minLevel = 'warn';
    expect(messages()).toEqual(['slow upload', 'disk full']);
    logs.minLevel = 'debug';
    logs.task = 'a';
    expect(messages()).toEqual(['Starting task a', 'slow upload']);
    logs.task = null;
    logs.text = 'LAYER';
    expect(messages()).toEqual(['flushed layer']);
    logs.text = '';
    events.seek(4); // the cursor before the warning
    expect(messages()).toEqual(['Starting task a', 'flushed layer']);
  });
});
