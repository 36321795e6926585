// @vitest-environment happy-dom
/**
 * The renderer's reducer over the event log: task states from events, shutdown
 * calls, keyframe seeks equal to a full reduction at random points, and robustness
 * to malformed and unknown events.
 */
import { describe, expect, it } from 'vitest';
import demoTrace from '../e2e/fixtures/demo.jsonl?raw';
import hungTrace from '../e2e/fixtures/hung.jsonl?raw';
import { synthTrace } from '../e2e/synth-trace';
import { EventLog } from '../../renderer/src/model/event-log';
import { BufferPool } from '../../renderer/src/model/buffer-pool';
import { type ColumnAlloc, columnBuffers, EventStore, type ScanDelta } from '../../renderer/src/model/event-store';
import { findTask, type LabState, reduceAll as reduceStore } from '../../renderer/src/model/lab-state';
import { ScanStore } from '../../renderer/src/model/scan-store';
import { eventMessage } from '../../renderer/src/model/shutdown-call';
import { stateOf } from '../../renderer/src/model/task';

type Ev = Record<string, unknown>;

function storeOf(text: string): EventStore {
  const st = new EventStore();
  st.appendText(text);
  return st;
}
const demoStore = storeOf(demoTrace);
const demo: Ev[] = Array.from({ length: demoStore.length }, (_, i) => demoStore.get(i) as unknown as Ev);
const hung = storeOf(hungTrace);
const synthTraceText = () => synthTrace({ events: 12_000, seed: 5, concurrency: 80, poolStatsEvery: 5 }).map((e) => JSON.stringify(e)).join('\n') + '\n';

/** Full reduction of the first `upTo` events (objects or a store). */
function reduceAll(events: Ev[] | EventStore, upTo?: number): LabState {
  if (events instanceof EventStore) return reduceStore(events, upTo);
  const st = new EventStore();
  st.appendObjects(events);
  return reduceStore(st, upTo);
}

/** A canonical, comparable picture of a state (every task and call, sorted). */
function picture(s: LabState): unknown {
  const tasks = [...s.live.values(), ...s.exited.slice(0, s.exitedCount)].map((r) => ({ ...r, signalledBy: [...r.signalledBy] })).sort((a, b) => a.id - b.id);
  return { index: s.index, t: s.t, scenario: s.scenario, tasks, calls: s.calls, process: s.process, end: s.end, errors: s.errors, spawned: s.spawned };
}

function indexOf(events: Ev[], pred: (e: Ev) => boolean): number {
  return events.findIndex(pred);
}

describe('task states from events', () => {
  it('a task is registered at spawn, running at start, shutdown requested at signal, exited ok at exit', () => {
    const spawn = indexOf(demo, (e) => e.ev === 'spawn' && e.task === 'gc t1');
    const start = indexOf(demo, (e) => e.ev === 'start' && e.task === 'gc t1');
    const signal = indexOf(demo, (e) => e.ev === 'signal' && e.task === 'gc t1');
    const exit = indexOf(demo, (e) => e.ev === 'exit' && e.task === 'gc t1');
    expect(findTask(reduceAll(demo, spawn), 'gc t1')).toBeUndefined();
    expect(stateOf(findTask(reduceAll(demo, spawn + 1), 'gc t1')!)).toBe('registered');
    expect(stateOf(findTask(reduceAll(demo, start + 1), 'gc t1')!)).toBe('running');
    expect(stateOf(findTask(reduceAll(demo, signal + 1), 'gc t1')!)).toBe('shutdown_requested');
    const done = findTask(reduceAll(demo, exit + 1), 'gc t1')!;
    expect(stateOf(done)).toBe('ok');
    expect(done.signalledBy).toEqual(['detach t1']);
    expect(done.observedVia).toBe('poll');
  });

  it('an injected panic ends the task as panicked with its message', () => {
    const s = reduceAll(demoStore);
    const r = findTask(s, 'compaction t2')!;
    expect(stateOf(r)).toBe('panic');
    expect(eventMessage(demoStore, r.exitIdx)).toBe('injected: compaction hit a bug');
    expect(r.injections).toBe(1);
    expect(r.lastInjection).toMatchObject({ fault: 'panic', applied: true });
  });

  it('associate changes the tenant and timeline a task is filtered by', () => {
    const s = reduceAll(demo);
    const r = findTask(s, 'page handler')!;
    expect([r.tenant, r.timeline]).toEqual(['t1', 'l1']);
    expect(r.parent).toBe('libpq listener');
  });

  it('start places a task on its runtime worker and await records what it awaits', () => {
    const s = reduceAll(hung);
    const load = findTask(s, 'load')!;
    expect(load.worker).toBe(0);
    expect(hung.get(load.awaitIdx)).toMatchObject({ ev: 'await', what: 'a future that never completes and ignores shutdown' });
    expect(stateOf(load)).toBe('shutdown_requested');
  });

  it('process shutdown and exit are recorded; tasks end by the time of process_exit', () => {
    const s = reduceAll(demo);
    expect(s.process.shutdownCode).toBe(0);
    expect(s.process.exitCode).toBe(0);
    expect(s.live.size).toBe(0);
    expect(s.spawned).toBe(12);
  });

  it('a shutdown call records its victims, the victim it waits on now, and its end', () => {
    const s = reduceAll(hung);
    expect(s.calls).toHaveLength(1);
    const c = s.calls[0];
    expect(c.victims).toEqual(['load', 'gc']);
    expect(c.waitingOn).toBe('load');
    expect(c.endT).toBeNull();
    const d = reduceAll(demo).calls.find((x) => x.label === 'detach t1')!;
    expect(d.endT).toBe(30);
    expect(d.waited).toHaveLength(5);
  });
});

describe('robustness', () => {
  it('skips malformed events and ignores unknown ones without throwing', () => {
    const events = [
      { t: 0, ev: 'spawn' }, // no task
      { t: 'x', ev: 'spawn', task: 'a', id: 1, kind: 'Compaction', runtime: 'background', tenant: null, timeline: null, parent: null },
      { t: 1, ev: 'narration', text: 'the tenant is being detached' },
      { t: 2, ev: 'tenant_state', tenant: 't1', state: 'Stopping' },
      { t: 3, ev: 'exit', task: 'nobody', outcome: 'ok', message: null },
      { t: 4, ev: 'exit', task: 'a', outcome: 'weird', message: 7 },
    ];
    const log = new EventLog(2);
    expect(() => log.append([...events, null, 42])).not.toThrow();
    expect(log.length).toBe(events.length);
    const a = findTask(log.head, 'a')!;
    expect(a.spawnT).toBe(0);
    expect(a.outcome).toBe('error');
    expect(eventMessage(log.store, a.exitIdx)).toBeNull();
    expect(log.index.logLines).toContain(2); // the narration has text: it is a log line
  });
});

describe('keyframes', () => {
  it('seeking to any index equals the full reduction up to it (random points, both directions)', () => {
    const events = synthTrace({ events: 20_000, seed: 7, concurrency: 60 }) as unknown as Ev[];
    const log = new EventLog(256);
    // Appended in uneven batches, as pushes arrive.
    for (let i = 0; i < events.length; ) {
      const n = 1 + ((i * 7919) % 700);
      log.append(events.slice(i, i + n));
      i += n;
    }
    expect(log.keyframes.length).toBeGreaterThan(10);
    let seed = 3;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const points = [0, 1, events.length, events.length - 1, ...Array.from({ length: 40 }, () => Math.floor(rnd() * events.length))];
    for (const p of points) {
      expect(picture(log.stateAt(p)), `at ${p}`).toEqual(picture(reduceAll(events, p)));
    }
    // Stepping back one event at a time from a random point.
    const from = Math.floor(events.length / 2);
    for (let p = from; p > from - 30; p--) expect(picture(log.stateAt(p))).toEqual(picture(reduceAll(events, p)));
    expect(picture(log.head)).toEqual(picture(reduceAll(events)));
  });

  it('a seek does not disturb the head or the keyframes', () => {
    const log = new EventLog(8);
    log.appendText(demoTrace);
    const before = JSON.stringify(picture(log.head));
    const kfs = log.keyframes.map((k) => JSON.stringify(picture(k)));
    for (const p of [5, 100, 40, 170, 3]) log.stateAt(p);
    expect(JSON.stringify(picture(log.head))).toBe(before);
    expect(log.keyframes.map((k) => JSON.stringify(picture(k)))).toEqual(kfs);
  });

  it('the keyframe interval grows with the number of running tasks', () => {
    const events = synthTrace({ events: 30_000, seed: 2, concurrency: 400 });
    const log = new EventLog(64);
    log.append(events);
    const gaps = log.keyframes.slice(1).map((k, i) => k.index - log.keyframes[i].index);
    expect(Math.max(...gaps)).toBeGreaterThan(64 * 4);
  });
});

describe('recording files', () => {
  it('a recording read line by line equals the same events pushed as objects', () => {
    const fromText = new EventLog(16);
    fromText.appendText(demoTrace);
    const fromObjects = new EventLog(16);
    fromObjects.append(demoTrace.trim().split('\n').map((l) => JSON.parse(l)));
    expect(picture(fromText.head)).toEqual(picture(fromObjects.head));
    for (let i = 0; i < fromText.length; i++) {
      expect([fromText.store.code[i], fromText.store.t[i], fromText.store.a[i], fromText.store.b[i]]).toEqual([fromObjects.store.code[i], fromObjects.store.t[i], fromObjects.store.a[i], fromObjects.store.b[i]]);
    }
  });

  it('two parts scanned apart (as by two workers) and absorbed give the same log as one scan', () => {
    const text = synthTraceText();
    const whole = new EventLog(64);
    whole.appendText(text);
    const bytes = new TextEncoder().encode(text);
    const mid = bytes.indexOf(10, Math.floor(bytes.length / 2)) + 1;
    // As a worker does: its store hands each delta's events off and reuses its columns,
    // and copies the columns into buffers from its pool, which the page gives back
    // once it has absorbed them (the first part; the second uses plain copies).
    const pool = new BufferPool();
    const page = new EventLog(64);
    const part = (b: Uint8Array, alloc: ColumnAlloc | undefined, absorb: (d: ScanDelta) => void) => {
      const st = new ScanStore();
      st.beginRecording(b.length);
      let deltas = 0;
      for (let p = 0; p < b.length; p += 777) {
        st.feed(b.slice(p, p + 777));
        if (p % (777 * 40) === 0) {
          absorb(st.takeDelta(alloc));
          deltas++;
        }
      }
      const r = st.finishRecording();
      absorb(st.takeDelta(alloc));
      return { deltas: deltas + 1, lines: st.physicalLines, truncated: r.truncated };
    };
    const a = part(bytes.slice(0, mid), pool.take, (d) => {
      page.store.absorb(d);
      pool.give(columnBuffers(d));
    });
    page.store.absorbedLines += a.lines;
    const base = page.store.baseForNextPart();
    part(bytes.slice(mid), undefined, (d) => page.store.absorb(d, base));
    expect(pool.reused).toBeGreaterThan(10);
    (page as unknown as { advance(from: number): void }).advance(0);
    expect(page.length).toBe(whole.length);
    expect(picture(page.head)).toEqual(picture(whole.head));
    expect(a.deltas).toBeGreaterThan(3);
    expect(Array.from(page.store.t.subarray(0, page.length))).toEqual(Array.from(whole.store.t.subarray(0, whole.length)));
    for (const i of [0, 1, 5000, whole.length - 1]) {
      expect(page.store.get(i)).toEqual(whole.store.get(i));
      expect(page.store.lineOf(i)).toBe(whole.store.lineOf(i));
      expect(page.store.str(page.store.task[i])).toBe(whole.store.str(whole.store.task[i]));
    }
  });

  it('a recording cut off mid-line opens up to its last whole line', () => {
    const cut = demoTrace.trimEnd().slice(0, -20);
    const st = new EventStore();
    expect(st.appendText(cut).truncated).toBe(true);
    expect(st.length).toBe(demo.length - 1);
  });

  it('a malformed line in the middle is reported with its line number', () => {
    const lines = demoTrace.split('\n');
    lines[4] = '{"t":0,"ev":';
    expect(() => new EventStore().appendText(lines.join('\n'))).toThrow(/^line 5:/);
    lines[4] = '[1,2]';
    expect(() => new EventStore().appendText(lines.join('\n'))).toThrow(/^line 5: not a JSON object/);
  });

  it('blank lines, CRLF and fields in any order are read', () => {
    const st = new EventStore();
    st.appendText(`\n${demoTrace.replace('\n', '\r\n\n')}\n\n`);
    expect(st.length).toBe(demo.length);
    expect(st.lineOf(1)).toBe(4);
    const odd = new EventStore();
    odd.appendText('{"task":"a b","ev":"start","worker":3,"t":2.5}\n{"ev":"log","level":"warn","message":"x\\"y","t":3,"task":"q\\"r"}\n');
    expect([odd.code[0], odd.t[0], odd.a[0], odd.str(odd.task[0])]).toEqual([2, 2.5, 3, 'a b']);
    expect([odd.a[1], odd.str(odd.task[1])]).toEqual([3, 'q"r']);
  });
});

describe('a restarted pageserver process', () => {
  it('clears what the title bar says of the process that crashed', () => {
    const lines = [
      { t: 0, ev: 'scenario', name: 'restart', tick_ms: 10 },
      { t: 0, ev: 'process_start', process: 1, label_suffix: '' },
      { t: 5, ev: 'process_crash', runtime: 'background', worker: 0, pid: 7, exit_code: null, signal: 'SIGKILL' },
      { t: 6, ev: 'process_exit', code: 137 },
      { t: 9, ev: 'process_start', process: 2, label_suffix: ' @2' },
    ];
    const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    const st = storeOf(text);
    expect(reduceStore(st, 4).process).toMatchObject({ exitCode: 137, crash: { signal: 'SIGKILL' } });
    expect(reduceStore(st).process).toMatchObject({ exitCode: null, exitT: null, crash: null });
    // The same events pushed by the Lab (objects, not lines).
    expect(reduceAll(lines, 4).process).toMatchObject({ exitCode: 137, crash: { signal: 'SIGKILL' } });
    expect(reduceAll(lines).process).toMatchObject({ exitCode: null, exitT: null, crash: null });
  });
});
