/**
 * A pool worker starts the bodies of a coordinator turn only once the whole turn has
 * landed (issue 9 rule 1), and a fault that is waiting ends a body before it makes a
 * `shutdown_tasks` request (rule 4). Run in-process over a fake channel; the
 * coordinator's side of the turn marking (the Outbox, and WorkerPools holding its
 * turn while a worker's turn is open) is tested here too, with workers played by
 * the test.
 */
import { describe, expect, it } from 'vitest';
import type { TaskTemplate } from '../../shared/scenario/types';
import { type Envelope, type FromWorker, WORKER_PROTOCOL } from '../../shared/protocol/worker';
import type { ParentChannel } from '../../electron/pools/parent-channel';
import { runWorker } from '../../electron/pools/worker-main';
import { Outbox } from '../../electron/pools/outbox';
import type { ProcessLauncher } from '../../electron/pools/launcher';
import { WorkerPools } from '../../electron/pools/worker-pools';
import { runScenarioLive } from '../../electron/run/run-scenario';
import { parseScenarioValue } from '../../shared/scenario/parse';
import { tpl } from '../helpers/pools';

function fakeWorker(templates: TaskTemplate[]) {
  const out: FromWorker[] = [];
  let listener: (m: unknown) => void = () => {};
  const channel: ParentChannel = {
    postMessage: (e) => out.push(...(e as Envelope<FromWorker>).batch),
    onMessage: (l) => (listener = l),
    onDisconnect: () => {},
  };
  runWorker(channel, () => {});
  const envelope = (more: boolean, ...batch: unknown[]) => listener(more ? { batch, more: true } : { batch });
  envelope(
    false,
    { t: 'init', protocol: WORKER_PROTOCOL, runtime: 'background', worker: 0, stats_ms: 0, batching: true, batch_cap: 256 },
    { t: 'load', run: 1, tick_ms: 1, templates: Object.fromEntries(templates.map((t) => [t.id, t])), workloads_module: null },
  );
  const start = (id: number, template: string) => ({ t: 'start', run: 1, task: { id, label: template, kind: 'Compaction', body: { type: 'template', template } } });
  /** Waits until task `id` has exited; fails the test, naming the task, after 5 s. */
  const exited = async (id: number) => {
    for (const t0 = performance.now(); !out.some((m) => m.t === 'exited' && m.id === id); await new Promise((r) => setTimeout(r, 2))) {
      if (performance.now() - t0 > 5000) throw new Error(`task ${id} did not exit within 5 s; it sent ${JSON.stringify(of(id))}`);
    }
  };
  const of = (id: number) =>
    out
      .filter((m) => 'id' in m && m.id === id)
      .map((m) => (m.t === 'event' ? (m.event.ev === 'check' ? `check:${m.event.value}` : m.event.ev) : m.t === 'exited' ? `exited:${m.outcome}${m.message ? `:${m.message}` : ''}` : m.t));
  /** Lets the worker's outbox send what it queued (it flushes when its turn ends). */
  const settle = () => new Promise((r) => setTimeout(r, 5));
  return { envelope, start, exited, of, settle };
}

describe('pool worker: the turn that starts a task', () => {
  const checker = tpl('a', [{ op: 'check_shutdown' }, { op: 'wait_shutdown' }]);

  it('applies a signal of the same batch before the body takes its first step', async () => {
    const w = fakeWorker([checker]);
    w.envelope(false, w.start(1, 'a'), { t: 'signal', run: 1, id: 1 });
    await w.exited(1);
    expect(w.of(1)).toEqual(['started', 'check:true', 'observe', 'exited:ok']);
  });

  it('holds the body until the turn ends when start and signal come in separate batches of one turn', async () => {
    const w = fakeWorker([checker]);
    w.envelope(true, w.start(1, 'a'));
    await w.settle();
    expect(w.of(1)).toEqual([]); // the turn goes on: the body has not started
    w.envelope(true, { t: 'signal', run: 1, id: 1 });
    await w.settle();
    expect(w.of(1)).toEqual([]);
    w.envelope(false);
    await w.exited(1);
    expect(w.of(1)).toEqual(['started', 'check:true', 'observe', 'exited:ok']);
  });

  it('starts the body at the end of its own turn: a signal of a later turn is seen at the next check', async () => {
    const w = fakeWorker([checker]);
    w.envelope(false, w.start(1, 'a'));
    await w.settle();
    expect(w.of(1)).toEqual(['started', 'check:false', 'await']);
    w.envelope(false, { t: 'signal', run: 1, id: 1 });
    await w.exited(1);
    expect(w.of(1)).toEqual(['started', 'check:false', 'await', 'observe', 'exited:ok']);
  });

  it('lets a fault of the same turn end the body before it makes a shutdown_tasks request', async () => {
    const w = fakeWorker([tpl('s', [{ op: 'check_shutdown' }, { op: 'shutdown_tasks', label: 'never', kind: null, tenant: 't1', timeline: null }])]);
    w.envelope(true, w.start(1, 's'));
    w.envelope(false, { t: 'inject', run: 1, id: 1, fault: 'error', message: 'cut before the call' });
    await w.exited(1);
    // The ops before the first await run (as in the seed); the call is never made.
    expect(w.of(1)).toEqual(['started', 'check:false', 'exited:error:cut before the call']);
  });

  it('lets a fault that waited through busy end the body before it makes a shutdown_tasks request', async () => {
    const w = fakeWorker([tpl('s', [{ op: 'busy', ticks: 5 }, { op: 'shutdown_tasks', label: 'never', kind: null, tenant: 't1', timeline: null }])]);
    w.envelope(false, w.start(1, 's')); // spins 5 ms right here
    w.envelope(false, { t: 'inject', run: 1, id: 1, fault: 'panic', message: 'during busy' });
    await w.exited(1);
    expect(w.of(1)).toEqual(['started', 'await', 'exited:panic:during busy']);
  });
});

describe('pool worker: a message that lands after a sleep ran out, before the task resumed (rule 2)', () => {
  /** Blocks this thread (as a busy task does) until both timers below have run out. */
  const block = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // the worker thread is held
    }
  };
  const sleeper = tpl('a', [{ op: 'sleep_or_shutdown', ticks: 5 }, { op: 'check_shutdown' }, { op: 'wait_shutdown' }]);

  it.each([
    ['a signal wins over the ended sleep', { t: 'signal', run: 1, id: 1 }, ['started', 'await', 'observe', 'exited:ok']],
    ['a fault wins over the ended sleep', { t: 'inject', run: 1, id: 1, fault: 'error', message: 'cut' }, ['started', 'await', 'exited:error:cut']],
  ])('%s', async (_what, message, expected) => {
    const w = fakeWorker([sleeper]); // tick_ms 1: the sleep runs out 5 ms after the start
    w.envelope(false, w.start(1, 'a'));
    // The message lands in the same timers phase, just after the sleep's timer: as a
    // message read from the channel after the timers would, once the thread is free.
    setTimeout(() => w.envelope(false, message), 6);
    block(20);
    await w.exited(1);
    expect(w.of(1)).toEqual(expected);
  });
});

describe('Outbox: where a turn ends', () => {
  const collect = (batching: boolean, cap: number) => {
    const sent: Envelope<number>[] = [];
    return { sent, box: new Outbox<number>((e) => sent.push(e), { batching, cap }) };
  };
  const turnEnd = () => new Promise((r) => setImmediate(r));

  it('sends a turn that fits in one batch as one envelope without more', async () => {
    const { sent, box } = collect(true, 4);
    box.push(1);
    box.push(2);
    await turnEnd();
    expect(sent).toEqual([{ batch: [1, 2] }]);
    await turnEnd();
    expect(sent).toHaveLength(1);
  });

  it('marks the batches cut at the cap with more, and ends the turn with the rest', async () => {
    const { sent, box } = collect(true, 2);
    for (const n of [1, 2, 3, 4, 5]) box.push(n);
    expect(sent).toEqual([{ batch: [1, 2], more: true }, { batch: [3, 4], more: true }]);
    await turnEnd();
    expect(sent.at(-1)).toEqual({ batch: [5] });
  });

  it('ends a turn whose last batch was cut exactly at the cap with an empty envelope', async () => {
    const { sent, box } = collect(true, 2);
    box.push(1);
    box.push(2);
    await turnEnd();
    expect(sent).toEqual([{ batch: [1, 2], more: true }, { batch: [] }]);
  });

  it('sends each message alone when unbatched, and says where the turn ended', async () => {
    const { sent, box } = collect(false, 256);
    box.push(1);
    box.push(2);
    await turnEnd();
    expect(sent).toEqual([{ batch: [1], more: true }, { batch: [2], more: true }, { batch: [] }]);
    expect([box.messages, box.envelopes]).toEqual([2, 3]);
  });
});

describe('Outbox: a held turn', () => {
  it('does not end while held, and ends when resumed, with what was queued meanwhile', async () => {
    const sent: Envelope<number>[] = [];
    let hold = true;
    const box = new Outbox<number>((e) => sent.push(e), { batching: true, cap: 3 }, () => hold);
    for (const n of [1, 2, 3, 4]) box.push(n); // cut at the cap after 3
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([{ batch: [1, 2, 3], more: true }]);
    box.push(5);
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([{ batch: [1, 2, 3], more: true }]);
    hold = false;
    box.resumeTurn();
    expect(sent).toEqual([{ batch: [1, 2, 3], more: true }, { batch: [4, 5] }]);
  });

  it('ends the turn at once on endTurnNow, held or not', () => {
    const sent: Envelope<number>[] = [];
    const box = new Outbox<number>((e) => sent.push(e), { batching: true, cap: 256 }, () => true);
    box.push(1);
    box.endTurnNow();
    expect(sent).toEqual([{ batch: [1] }]);
  });
});

describe('WorkerPools: the coordinator turn lasts while a worker turn it hears is open', () => {
  /** Workers played by the test: it sees what the coordinator posts to each and speaks for them. */
  function fakeLauncher() {
    const posted = new Map<string, Envelope<{ t: string; id?: number }>[]>();
    const speak = new Map<string, (raw: unknown) => void>();
    const launcher: ProcessLauncher = {
      launch(runtime, index) {
        const name = `${runtime}/${index}`;
        posted.set(name, []);
        let exit: (code: number | null, signal: string | null) => void = () => {};
        let listener: (raw: unknown) => void = () => {};
        speak.set(name, (raw) => listener(raw));
        queueMicrotask(() => listener({ batch: [{ t: 'hello', protocol: WORKER_PROTOCOL, pid: 1000 + posted.size }] }));
        return {
          pid: undefined,
          postMessage: (e) => {
            posted.get(name)!.push(e as Envelope<{ t: string }>);
            if ((e as Envelope<{ t: string }>).batch.some((m) => m.t === 'stop')) queueMicrotask(() => exit(0, null));
          },
          onMessage: (l) => (listener = l),
          onExit: (l) => (exit = l),
          kill: () => queueMicrotask(() => exit(null, 'SIGKILL')),
        };
      },
    };
    return { launcher, posted, speak };
  }

  it('sends a start and the signal of the same body poll to the child worker in one turn, though the poll came in two batches', async () => {
    const { launcher, posted, speak } = fakeLauncher();
    const pools = new WorkerPools({ launcher, statsIntervalMs: 0, workers: { compute_request: 1, mgmt_request: 1, walreceiver: 1, background: 1 } });
    await pools.start();
    const scenario = parseScenarioValue({
      format: 'taskmgr-scenario/1',
      name: 'turns',
      tasks: {
        parent: { runtime: 'mgmt_request', kind: 'Attach', tenant: 't1', body: [{ op: 'hang' }] },
        child: { runtime: 'background', kind: 'Compaction', tenant: 't2', body: [{ op: 'hang' }] },
      },
      steps: [{ at: 0, do: 'spawn', task: 'parent' }],
      end_at: 10,
    });
    const run = runScenarioLive(scenario, { pools, tickMs: 10 });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const background = posted.get('background/0')!;
    const mgmt = posted.get('mgmt_request/0')!;
    while (!mgmt.some((e) => e.batch.some((m) => m.t === 'start'))) await sleep(1);
    const runId = (mgmt.flatMap((e) => e.batch).find((m) => m.t === 'start') as unknown as { run: number }).run;
    const before = background.length;
    // The parent's poll: spawn (its worker's batch was cut here), ...
    speak.get('mgmt_request/0')!({
      batch: [
        { t: 'started', run: runId, id: 1 },
        { t: 'spawn', run: runId, parent: 1, spec: { runtime: 'background', kind: 'Compaction', tenant: 't2', timeline: null, name: 'child', label: 'child', shutdownProcessOnError: false, body: { type: 'template', template: 'child' } } },
      ],
      more: true,
    });
    await sleep(30);
    // ... the coordinator has not ended its turn towards the child's worker yet ...
    expect(background.slice(before).filter((e) => !e.more)).toEqual([]);
    // ... then shutdown_tasks in the batch that ends the parent's turn.
    speak.get('mgmt_request/0')!({ batch: [{ t: 'shutdown_tasks', run: runId, id: 1, call: 1, label: 'parent stops t2', filter: { kind: null, tenant: 't2', timeline: null } }] });
    await sleep(30);
    const sent = background.slice(before);
    const turnEnd = sent.findIndex((e) => !e.more);
    const firstTurn = sent.slice(0, turnEnd + 1).flatMap((e) => e.batch.map((m) => m.t));
    expect(firstTurn).toEqual(['start', 'signal']);
    await run;
    await pools.stop();
  });
});
