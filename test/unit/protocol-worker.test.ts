/**
 * The validators of the coordinator<->worker messages: well-formed messages pass
 * (unknown fields dropped), malformed ones are rejected one by one with a reason
 * and their run when it could be read, and nothing throws.
 */
import { describe, expect, it } from 'vitest';
import { WORKER_PROTOCOL } from '../../shared/protocol/worker';
import { parseFromWorker, parseToWorker } from '../../shared/protocol/worker-validate';

const env = (...batch: unknown[]) => ({ batch });

describe('messages from a worker', () => {
  it('accepts every well-formed message type', () => {
    const batch = [
      { t: 'hello', protocol: WORKER_PROTOCOL, pid: 42 },
      { t: 'started', run: 1, id: 3 },
      { t: 'exited', run: 1, id: 3, outcome: 'ok' },
      { t: 'exited', run: 1, id: 4, outcome: 'panic', message: 'boom' },
      {
        t: 'spawn',
        run: 1,
        parent: 3,
        spec: {
          runtime: 'background',
          kind: 'Compaction',
          tenant: 't1',
          timeline: null,
          name: 'c',
          label: 'c',
          shutdownProcessOnError: false,
          body: { type: 'template', template: 'c' },
        },
      },
      { t: 'associate', run: 1, id: 3, tenant: 't1', timeline: 'l1' },
      { t: 'shutdown_tasks', run: 1, id: 3, call: 1, label: 'x', filter: { kind: null, tenant: 't1', timeline: null } },
      { t: 'service', run: 1, id: 3, call: 2, service: 'tenant.attach', args: { tenant: 't1' } },
      { t: 'event', run: 1, id: 3, event: { ev: 'observe', via: 'poll' } },
      { t: 'event', run: 1, id: 3, event: { ev: 'check', value: true } },
      { t: 'event', run: 1, id: 3, event: { ev: 'kind', kind: null } },
      { t: 'event', run: 1, id: 3, event: { ev: 'await', what: 'sleep' } },
      { t: 'event', run: 1, id: 3, event: { ev: 'log', level: 'warn', message: 'hm' } },
      { t: 'stats', cpu_ms: 12, loop_delay_ms: 0.5, tasks: 2 },
      { t: 'echo', n: 7, data: 'xx' },
      { t: 'problem', run: null, message: 'oops' },
    ];
    const { messages, rejected } = parseFromWorker(env(...batch));
    expect(rejected).toEqual([]);
    expect(messages.map((m) => m.t)).toEqual(batch.map((m) => m.t));
    expect(messages[3]).toEqual({ t: 'exited', run: 1, id: 4, outcome: 'panic', message: 'boom' });
  });

  it('drops unknown fields (nothing a worker adds reaches the log)', () => {
    const { messages } = parseFromWorker(env({ t: 'event', run: 1, id: 3, extra: 1, event: { ev: 'check', value: false, task: 'forged', t: 99 } }));
    expect(messages).toEqual([{ t: 'event', run: 1, id: 3, event: { ev: 'check', value: false } }]);
  });

  it('rejects malformed messages one by one, keeping the good ones', () => {
    const { messages, rejected } = parseFromWorker(
      env(
        { t: 'started', run: 1, id: 1 },
        { t: 'exited', run: 2, id: 'x', outcome: 'ok' },
        'garbage',
        { t: 'exited', run: 1, id: 2, outcome: 'killed' },
        { t: 'nope', run: 1 },
        { t: 'event', run: 1, id: 1, event: { ev: 'exit' } },
        { t: 'spawn', run: 1, parent: 1, spec: { runtime: 'gpu', kind: 'Compaction' } },
        { t: 'started', run: 0, id: 1 },
        { t: 'hello', protocol: 'other/9', pid: 1 },
        { t: 'started', run: 1, id: 2 },
      ),
    );
    expect(messages).toEqual([
      { t: 'started', run: 1, id: 1 },
      { t: 'started', run: 1, id: 2 },
    ]);
    expect(rejected).toEqual([
      { reason: 'exited: id: expected an integer >= 1', run: 2 },
      { reason: 'not an object', run: null },
      { reason: 'exited: outcome: expected ok, error or panic', run: 1 },
      { reason: 'nope: t: expected a worker message type', run: 1 },
      { reason: 'event: event.ev: expected observe, check, kind, await or log', run: 1 },
      { reason: 'spawn: runtime: expected a runtime name', run: 1 },
      { reason: 'started: run: expected an integer >= 1', run: null },
      { reason: `hello: protocol: expected ${WORKER_PROTOCOL}`, run: null },
    ]);
  });

  it('rejects what is not an envelope', () => {
    for (const raw of [null, 'x', 42, [], { batch: 'no' }, { msgs: [] }]) {
      expect(parseFromWorker(raw)).toEqual({ messages: [], rejected: [{ reason: 'not an envelope ({ batch: [...] })', run: null }] });
    }
  });
});

describe('messages to a worker', () => {
  it('accepts every well-formed message type', () => {
    const batch = [
      { t: 'init', protocol: WORKER_PROTOCOL, runtime: 'walreceiver', worker: 1, stats_ms: 250, batching: true, batch_cap: 256 },
      { t: 'config', batching: false, batch_cap: 1 },
      { t: 'load', run: 1, tick_ms: 20, templates: { a: { id: 'a', body: [] } }, workloads_module: null },
      { t: 'load', run: 2, tick_ms: 20, t0: 1764030000123.25, templates: {}, workloads_module: '/abs/workloads.ts' },
      { t: 'start', run: 1, task: { id: 1, label: 'a', kind: 'Compaction', body: { type: 'template', template: 'a' } } },
      { t: 'start', run: 1, task: { id: 2, label: 'a#2', name: 'a', kind: 'Compaction', body: { type: 'workload', name: 'gc', args: [1] } }, at: 12.5 },
      { t: 'signal', run: 1, id: 1 },
      { t: 'signal', run: 1, id: 1, at: 40 },
      { t: 'inject', run: 1, id: 1, fault: 'error', message: 'io', at: 0 },
      { t: 'call_done', run: 1, id: 1, call: 3, at: 60.01 },
      { t: 'call_done', run: 1, id: 1, call: 4, result: { ok: false, error: 'no such tenant' } },
      { t: 'kill', run: 1 },
      { t: 'echo', n: 1, data: '' },
      { t: 'stop' },
    ];
    const { messages, rejected } = parseToWorker(env(...batch));
    expect(rejected).toEqual([]);
    expect(messages).toEqual(batch);
  });

  it('rejects malformed ones with a reason', () => {
    const { messages, rejected } = parseToWorker(
      env(
        { t: 'load', run: 1, tick_ms: 0, templates: {} },
        { t: 'load', run: 1, tick_ms: 5, templates: { a: { body: 'x' } } },
        { t: 'inject', run: 1, id: 1, fault: 'segfault', message: 'x' },
        { t: 'start', run: 1, task: { id: 1, label: 'a', kind: 'Nope', body: { type: 'template', template: 'a' } } },
        { t: 'call_done', run: 1, id: 1, call: 1, result: { ok: 'yes' } },
        { t: 'signal', run: 1, id: 1, at: '5' },
        { t: 'load', run: 1, tick_ms: 5, t0: null, templates: {} },
      ),
    );
    expect(messages).toEqual([]);
    expect(rejected.map((r) => r.reason)).toEqual([
      'load: tick_ms: expected a positive number',
      'load: templates.a: expected a task template with a body',
      'inject: fault: expected panic or error',
      'start: kind: expected a task kind',
      'call_done: result.ok: expected a boolean',
      'signal: at: expected a finite number',
      'load: t0: expected a finite number',
    ]);
  });
});
