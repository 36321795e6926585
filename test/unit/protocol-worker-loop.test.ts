/**
 * The pool worker's side of the protocol, run in-process over a fake channel (no
 * fork): the messages a body's task API turns into, and the simulator's rules as a
 * worker keeps them (faults win over ready awaits, busy is not interruptible,
 * shutdown wakes watchers, a killed run goes silent).
 */
import { describe, expect, it } from 'vitest';
import type { Op, TaskTemplate } from '../../shared/scenario/types';
import { type Envelope, type FromWorker, WORKER_PROTOCOL } from '../../shared/protocol/worker';
import type { ParentChannel } from '../../electron/pools/parent-channel';
import { runWorker } from '../../electron/pools/worker-main';

function tpl(id: string, body: Op[], runtime: TaskTemplate['runtime'] = 'background'): TaskTemplate {
  return { id, runtime, kind: 'Compaction', tenant: 't1', timeline: null, name: id, shutdown_process_on_error: false, body };
}

function fakeWorker(templates: TaskTemplate[], tickMs = 1, t0?: number) {
  const out: FromWorker[] = [];
  let listener: (m: unknown) => void = () => {};
  let exitCode: number | null = null;
  /** Called after every batch the worker posts: wakes the helpers that wait for a message. */
  const watchers = new Set<() => void>();
  const channel: ParentChannel = {
    postMessage: (e) => {
      out.push(...(e as Envelope<FromWorker>).batch);
      for (const w of [...watchers]) w();
    },
    onMessage: (l) => (listener = l),
    onDisconnect: () => {},
  };
  runWorker(channel, (c) => (exitCode = c));
  const send = (...batch: unknown[]) => listener({ batch });
  send(
    { t: 'init', protocol: WORKER_PROTOCOL, runtime: 'background', worker: 0, stats_ms: 0, batching: true, batch_cap: 256 },
    { t: 'load', run: 1, tick_ms: tickMs, t0, templates: Object.fromEntries(templates.map((t) => [t.id, t])), workloads_module: null },
  );
  const start = (id: number, template: string, at?: number) =>
    send({ t: 'start', run: 1, task: { id, label: template, kind: 'Compaction', body: { type: 'template', template } }, at });
  const settle = (ms = 5) => new Promise((r) => setTimeout(r, ms));
  /**
   * Resolves when task `id` has exited; fails the test, naming the task and what it
   * said so far, if it has not within 10 s (a generous bound for a busy machine: the
   * bodies here take milliseconds).
   */
  const exited = (id: number) =>
    new Promise<void>((resolve, reject) => {
      const done = () => out.some((m) => m.t === 'exited' && m.id === id);
      if (done()) return resolve();
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`task ${id} did not exit within 10 s; its messages so far: [${of(id).join(', ')}]`));
      }, 10_000);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        watchers.delete(check);
        resolve();
      };
      watchers.add(check);
    });
  /** The messages about task `id`, shortened to their type (and event kind). */
  const of = (id: number) =>
    out.filter((m) => 'id' in m && m.id === id).map((m) => (m.t === 'event' ? `${m.event.ev}` : m.t === 'exited' ? `exited:${m.outcome}${m.message ? `:${m.message}` : ''}` : m.t));
  return { out, send, start, settle, exited, of, exitCode: () => exitCode };
}

describe('pool worker loop', () => {
  it('says hello with its pid, then runs a body to its end', async () => {
    const w = fakeWorker([tpl('a', [{ op: 'sleep', ticks: 2 }, { op: 'record_kind' }])]);
    expect(w.out[0]).toEqual({ t: 'hello', protocol: WORKER_PROTOCOL, pid: process.pid });
    w.start(1, 'a');
    await w.exited(1);
    expect(w.of(1)).toEqual(['started', 'await', 'kind', 'exited:ok']);
    expect(w.out.find((m) => m.t === 'event' && m.event.ev === 'kind')).toMatchObject({ event: { kind: 'Compaction' } });
  });

  it('wakes a watcher on signal, and shutdown wins over the end of a sleep', async () => {
    const w = fakeWorker([tpl('a', [{ op: 'wait_shutdown' }]), tpl('b', [{ op: 'sleep_or_shutdown', ticks: 1000 }, { op: 'panic', message: 'not reached' }])]);
    w.start(1, 'a');
    w.start(2, 'b');
    w.send({ t: 'signal', run: 1, id: 1 }, { t: 'signal', run: 1, id: 2 });
    await w.exited(1);
    await w.exited(2);
    expect(w.of(1)).toEqual(['started', 'await', 'observe', 'exited:ok']);
    expect(w.of(2)).toEqual(['started', 'await', 'observe', 'exited:ok']);
  });

  it('rejects the current await with an injected fault', async () => {
    const w = fakeWorker([tpl('a', [{ op: 'sleep', ticks: 1000 }])]);
    w.start(1, 'a');
    w.send({ t: 'inject', run: 1, id: 1, fault: 'error', message: 'injected: io error' });
    await w.exited(1);
    expect(w.of(1)).toEqual(['started', 'await', 'exited:error:injected: io error']);
  });

  it('keeps a fault during busy for the next await, where it wins over a ready shutdown', async () => {
    const w = fakeWorker([tpl('a', [{ op: 'busy', ticks: 10 }, { op: 'wait_shutdown' }])]);
    const t0 = performance.now();
    w.start(1, 'a'); // spins 10 ms right here: the worker is one thread
    expect(performance.now() - t0).toBeGreaterThanOrEqual(9);
    w.send({ t: 'signal', run: 1, id: 1 }, { t: 'inject', run: 1, id: 1, fault: 'panic', message: 'late' });
    await w.exited(1);
    expect(w.of(1)).toEqual(['started', 'await', 'exited:panic:late']);
  });

  it('turns spawn, associate_with and shutdown_tasks into requests, in order', async () => {
    const w = fakeWorker([
      tpl('a', [
        { op: 'associate', tenant: 't2', timeline: 'l2' },
        { op: 'spawn', task: 'c' },
        { op: 'shutdown_tasks', label: 'mine', kind: null, tenant: 't2', timeline: null },
      ]),
      tpl('c', [{ op: 'ok' }], 'walreceiver'),
    ]);
    w.start(1, 'a');
    await w.settle();
    expect(w.of(1)).toEqual(['started', 'associate', 'shutdown_tasks', 'await']);
    const spawn = w.out.find((m) => m.t === 'spawn');
    expect(spawn).toMatchObject({ parent: 1, spec: { label: 'c', runtime: 'walreceiver', body: { type: 'template', template: 'c' } } });
    expect(w.out.indexOf(spawn!)).toBeGreaterThan(w.out.findIndex((m) => m.t === 'associate'));
    const call = w.out.find((m) => m.t === 'shutdown_tasks');
    expect(call).toMatchObject({ call: 1, label: 'mine', filter: { kind: null, tenant: 't2', timeline: null } });
    w.send({ t: 'call_done', run: 1, id: 1, call: 1 });
    await w.exited(1);
    expect(w.of(1).at(-1)).toBe('exited:ok');
  });

  it('counts sleeps from the logical time of their cause, not from when the message landed', async () => {
    const t0 = performance.timeOrigin + performance.now() - 1000; // the run began a second ago
    const w = fakeWorker([tpl('a', [{ op: 'sleep', ticks: 300 }, { op: 'sleep', ticks: 400 }])], 1, t0);
    const begin = performance.now();
    w.start(1, 'a', 250); // spawned at 250 ms: the sleeps end at 550 and 950 ms, both already past
    await w.exited(1);
    expect(performance.now() - begin).toBeLessThan(250);
    expect(w.of(1)).toEqual(['started', 'await', 'await', 'exited:ok']);
    w.start(2, 'a', 1000 - 650); // ends at 350 + 700 = 1050 ms of the run: some 50 ms from now
    await w.exited(2);
    // Not before its logical end (1 ms of slack for the clock's rounding), however late the message landed.
    expect(performance.timeOrigin + performance.now() - t0).toBeGreaterThanOrEqual(1049);
  });

  it('goes silent for a killed run', async () => {
    const w = fakeWorker([tpl('a', [{ op: 'sleep', ticks: 2 }])]);
    w.start(1, 'a');
    w.send({ t: 'kill', run: 1 });
    w.start(2, 'a');
    await w.settle(30); // its 2 ms sleep is long over
    expect(w.of(1)).toEqual(['started', 'await']);
    expect(w.of(2)).toEqual([]);
  });

  it('reports a malformed message as a problem and goes on', async () => {
    const w = fakeWorker([tpl('a', [{ op: 'ok' }])]);
    w.send({ t: 'signal', run: 1, id: 'x' }, { t: 'start', run: 1, task: { id: 1, label: 'a', kind: 'Compaction', body: { type: 'template', template: 'a' } } });
    await w.exited(1);
    expect(w.out.filter((m) => m.t === 'problem').map((m) => (m as { message: string }).message)).toEqual([
      'malformed message from the coordinator: signal: id: expected an integer >= 1',
    ]);
    expect(w.of(1)).toEqual(['started', 'exited:ok']);
  });

  it('exits on stop', () => {
    const w = fakeWorker([]);
    w.send({ t: 'stop' });
    expect(w.exitCode()).toBe(0);
  });
});
