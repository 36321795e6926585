/**
 * The Lab facade on the paced simulator: a run from the library or from text,
 * commands applied outside any task while it runs, catch-up, stop and restart,
 * recordings (append-only `.part`, saved atomically, flushed within a second),
 * replay of a cut-off recording, Perfetto export, and refusal of malformed
 * requests as data.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LabPush } from '../../shared/protocol/lab';
import type { TraceEvent } from '../../shared/trace/events';
import { Lab } from '../../electron/host/lab';
import { ok } from '../helpers/lab';
import { awaiting, until } from '../helpers/until';

let dir: string;
let lab: Lab;
let logged: string[];

const SLOW = JSON.stringify({
  format: 'taskmgr-scenario/1',
  name: 'slow',
  tasks: {
    worker: { runtime: 'background', kind: 'Compaction', tenant: 't1', body: [{ op: 'wait_shutdown' }] },
    other: { runtime: 'background', kind: 'GarbageCollector', tenant: 't2', body: [{ op: 'sleep_or_shutdown', ticks: 100000 }] },
  },
  steps: [
    { at: 0, do: 'spawn', task: 'worker' },
    { at: 0, do: 'spawn', task: 'other' },
  ],
  end_at: 100000,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'taskmgr-lab-'));
  logged = [];
  lab = new Lab({ recordingsDir: join(dir, 'rec'), live: false, logger: (l) => logged.push(l) });
});

afterEach(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A predicate over the Lab's events; it names the event awaited when an `until` times out. */
const has = (pred: (e: TraceEvent) => boolean) => awaiting(`an event where ${pred.toString()}`, () => lab.events().some(pred));

describe('Lab: runs', () => {
  it('runs a library scenario paced on the wall clock and pushes its events', async () => {
    const pushes: LabPush[] = [];
    lab.subscribe((p) => pushes.push(p));
    const status = ok(await lab.handle({ type: 'run', scenario: { library: 'demo' }, mode: 'sim', seed: 3, tickMs: 1 }));
    expect(status).toMatchObject({ mode: 'sim', title: 'demo', running: true, seed: 3, tickMs: 1 });
    await until(has((e) => e.ev === 'process_exit'));
    await until(() => !lab.status().running);
    const pushed = () => pushes.flatMap((p) => (p.type === 'events' ? p.events : []));
    await until(() => pushed().length === lab.events().length);
    expect(pushed()).toEqual(lab.events());
    expect(pushed()[0]).toMatchObject({ ev: 'scenario', name: 'demo', mode: 'sim', seed: 3 });
    await until(() => pushes.some((p) => p.type === 'status' && !p.status.running && p.status.recording === null));
  });

  it('applies inject, shutdown_tasks and shutdown_pageserver to the running coordinator', async () => {
    ok(await lab.handle({ type: 'run', scenario: { text: SLOW, filename: 'slow.json' }, mode: 'sim', tickMs: 5 }));
    await until(has((e) => e.ev === 'start' && e.task === 'other'));
    expect(ok(await lab.handle({ type: 'inject', task: 'other', fault: 'error', message: 'from the UI' }))).toEqual({ applied: true });
    expect(ok(await lab.handle({ type: 'inject', task: 'nobody', fault: 'panic', message: 'x' }))).toEqual({ applied: false });
    await until(has((e) => e.ev === 'exit' && e.task === 'other'));
    expect(lab.events().find((e) => e.ev === 'exit' && e.task === 'other')).toMatchObject({ outcome: 'error', message: 'from the UI' });

    expect(ok(await lab.handle({ type: 'shutdownTasks', label: 'detach', kind: null, tenant: 't1', timeline: null }))).toEqual({ label: 'detach' });
    await until(has((e) => e.ev === 'shutdown_end' && e.label === 'detach'));
    const begin = lab.events().find((e) => e.ev === 'shutdown_begin' && e.label === 'detach');
    expect(begin).toMatchObject({ caller: null, tenant: 't1' });
    expect(lab.events().find((e) => e.ev === 'shutdown_end')).toMatchObject({ victims: ['worker'], waited: ['worker'] });

    expect(ok(await lab.handle({ type: 'shutdownPageserver', exitCode: 0 }))).toEqual({ started: true });
    await until(has((e) => e.ev === 'process_exit'));
    await until(() => !lab.status().running);
    const r = await lab.handle({ type: 'inject', task: 'worker', fault: 'panic', message: 'late' });
    expect(r).toEqual({ ok: false, error: 'no run is going on' });
  });

  it('stops a run (end is logged), restarts it as a new log, and catches up from an index', async () => {
    ok(await lab.handle({ type: 'run', scenario: { text: SLOW, filename: 'slow.json' }, mode: 'sim', seed: 9, tickMs: 5 }));
    await until(has((e) => e.ev === 'start' && e.task === 'worker'));
    const stopped = ok(await lab.handle({ type: 'stop' }));
    expect(stopped.running).toBe(false);
    const last = lab.events().slice(-1)[0];
    expect(last).toMatchObject({ ev: 'end', registry: ['other', 'worker'] });

    const caught = ok(await lab.handle({ type: 'events', from: 2 }));
    expect(caught.from).toBe(2);
    expect(caught.events).toEqual(lab.events().slice(2));

    const pushes: LabPush[] = [];
    lab.subscribe((p) => pushes.push(p));
    const restarted = ok(await lab.handle({ type: 'restart' }));
    expect(restarted).toMatchObject({ mode: 'sim', running: true, seed: 9, title: 'slow' });
    await until(() => pushes.some((p) => p.type === 'events' && p.reset && p.events.some((e) => e.ev === 'scenario')));
    expect(lab.events()[0]).toMatchObject({ ev: 'scenario', name: 'slow', seed: 9 });
  });

  it('reports a malformed scenario with its JSON path, and runs nothing', async () => {
    const bad = JSON.stringify({ format: 'taskmgr-scenario/1', name: 'x', tasks: { a: { runtime: 'nope', kind: 'Compaction', body: [] } }, steps: [], end_at: 1 });
    const parsed = ok(await lab.handle({ type: 'parseScenario', text: bad, filename: 'x.json' }));
    expect(parsed).toMatchObject({ ok: false, error: { path: '$.tasks.a.runtime' } });
    const run = await lab.handle({ type: 'run', scenario: { text: bad, filename: 'x.json' }, mode: 'sim' });
    expect(run.ok).toBe(false);
    expect(run.ok ? '' : run.error).toContain('x.json: $.tasks.a.runtime');
    expect(lab.status().mode).toBe('idle');
    expect(ok(await lab.handle({ type: 'parseScenario', text: SLOW, filename: 'slow.json' }))).toMatchObject({ ok: true, name: 'slow', tasks: 2, steps: 2 });
  });

  it('refuses malformed requests as data and logs them', async () => {
    expect(await lab.handleRaw({ type: 'run', scenario: { library: 'demo' }, mode: 'fast' })).toEqual({ ok: false, error: expect.stringContaining('mode') });
    expect(await lab.handleRaw('status')).toEqual({ ok: false, error: expect.stringContaining('expected an object') });
    expect(await lab.handleRaw({ type: 'status', extra: 1 })).toEqual({ ok: false, error: expect.stringContaining('unknown field') });
    expect(logged.filter((l) => l.includes('rejected a malformed request'))).toHaveLength(3);
    expect(await lab.handle({ type: 'run', scenario: { library: '../../etc/passwd' }, mode: 'sim' })).toEqual({ ok: false, error: expect.stringContaining('no built-in scenario') });
    expect(await lab.handle({ type: 'restart' })).toEqual({ ok: false, error: expect.stringContaining('nothing to restart') });
  });
});

describe('Lab: pageserver scenarios', () => {
  it('lists them with their title and issues', async () => {
    const list = ok(await lab.handle({ type: 'listScenarios' }));
    const demo = list.find((s) => s.name === 'pageserver-demo');
    expect(demo?.title.length).toBeGreaterThan(0);
    expect(Array.isArray(demo?.issues)).toBe(true);
  });

  it('restarts an exited pageserver process in the same run, from the same disk', async () => {
    ok(await lab.handle({ type: 'run', scenario: { library: 'pageserver-demo' }, mode: 'sim', tickMs: 5 }));
    await until(has((e) => e.ev === 'process_start'));
    expect(ok(await lab.handle({ type: 'shutdownPageserver', exitCode: 0 }))).toEqual({ started: true });
    await until(has((e) => e.ev === 'process_exit'));
    expect(lab.status().running).toBe(true);
    expect(await lab.handle({ type: 'inject', task: 'gc t1', fault: 'panic', message: 'x' })).toEqual({ ok: false, error: expect.stringContaining('restart it') });
    const before = lab.events().length;
    ok(await lab.handle({ type: 'restart' }));
    await until(has((e) => e.ev === 'process_start' && e.process === 2));
    expect(lab.events().length).toBeGreaterThan(before);
    expect(lab.events()[0]).toMatchObject({ ev: 'scenario', name: 'pageserver-demo' });
    ok(await lab.handle({ type: 'stop' }));
    expect(lab.events().slice(-1)[0]).toMatchObject({ ev: 'end', stopped: true });
    expect(logged.filter((l) => l.includes('failed'))).toEqual([]);
  });
});

describe('Lab: the first start', () => {
  it('runs the interactive demo in the simulator, once, and only when nothing has run', async () => {
    await lab.runDemo();
    expect(lab.status()).toMatchObject({ mode: 'sim', title: 'pageserver-demo-interactive', running: true, tickMs: 100 });
    const first = lab.status().recording;
    await lab.runDemo();
    expect(lab.status().recording).toBe(first);
    ok(await lab.handle({ type: 'stop' }));
    await lab.runDemo();
    expect(lab.status().running).toBe(false);
  });

  it('the interactive demo is the scripted one without its SIGTERM: it keeps working past tick 400', async () => {
    const list = ok(await lab.handle({ type: 'listScenarios' }));
    expect(list.find((s) => s.name === 'pageserver-demo')?.title).toContain('scripted: SIGTERM at tick 400');
    expect(list.find((s) => s.name === 'pageserver-demo-interactive')?.title).toContain('until you stop it');
    const loaded = lab.library.load('pageserver-demo-interactive');
    if (!loaded.ok || !('pageserver' in loaded.scenario)) throw new Error('no interactive demo');
    expect(loaded.scenario.steps.map((s) => s.do)).not.toContain('signal');
    expect(loaded.scenario.end_at).toBeGreaterThanOrEqual(10_000_000);
    ok(await lab.handle({ type: 'run', scenario: { library: 'pageserver-demo-interactive' }, mode: 'sim', tickMs: 1 }));
    await until(() => (lab.events().at(-1)?.t ?? 0) > 450, 20_000);
    expect(lab.events().some((e) => e.ev === 'process_signal' || e.ev === 'process_exit' || e.ev === 'end')).toBe(false);
    expect(lab.status().running).toBe(true);
    expect(lab.events().some((e) => e.ev === 'flush_loop' || e.ev === 'upload_queue')).toBe(true);
    ok(await lab.handle({ type: 'stop' }));
  });
});

describe('Lab: pageserver operations from the UI', () => {
  it('detaches a tenant, injects by kind and crashes the process of a running pageserver scenario', async () => {
    ok(await lab.handle({ type: 'run', scenario: { library: 'pageserver-demo' }, mode: 'sim', tickMs: 5 }));
    await until(has((e) => e.ev === 'tenant_state' && e.tenant === 't1' && e.state === 'Active'));
    ok(await lab.handle({ type: 'pageserver', action: { do: 'detach', tenant: 't1' } }));
    await until(has((e) => e.ev === 'tenant_state' && e.tenant === 't1' && e.state === 'Paused'));
    await until(has((e) => e.ev === 'http' && e.request.includes('detach') && e.phase === 'response'));
    ok(await lab.handle({ type: 'pageserver', action: { do: 'inject_into', kind: 'Compaction', tenant: 't2', timeline: null, fault: 'panic', message: 'from the UI' } }));
    await until(has((e) => e.ev === 'exit' && e.outcome === 'panic' && e.message === 'from the UI'));
    ok(await lab.handle({ type: 'pageserver', action: { do: 'crash' } }));
    await until(has((e) => e.ev === 'process_signal' && e.signal === 'SIGKILL'));
    expect(await lab.handle({ type: 'pageserver', action: { do: 'detach', tenant: 't2' } })).toEqual({ ok: false, error: expect.stringContaining('restart it') });
    ok(await lab.handle({ type: 'stop' }));
  });

  it('refuses a pageserver operation on a plain task_mgr scenario, and a malformed one', async () => {
    ok(await lab.handle({ type: 'run', scenario: { text: SLOW, filename: 'slow.json' }, mode: 'sim', tickMs: 5 }));
    expect(await lab.handle({ type: 'pageserver', action: { do: 'crash' } })).toEqual({ ok: false, error: expect.stringContaining('not a pageserver scenario') });
    const bad = await lab.handleRaw({ type: 'pageserver', action: { do: 'format_disk' } });
    expect(bad).toEqual({ ok: false, error: expect.stringContaining('unknown pageserver action') });
  });
});

describe('Lab: recordings', () => {
  it('records every run append-only, flushed within a second, and saves it atomically at the end', async () => {
    const recDir = join(dir, 'rec');
    ok(await lab.handle({ type: 'run', scenario: { text: SLOW, filename: 'slow.json' }, mode: 'sim', tickMs: 5 }));
    const part = lab.status().recording!;
    expect(part.endsWith('.jsonl.part')).toBe(true);
    await until(has((e) => e.ev === 'start' && e.task === 'other'));
    await new Promise((r) => setTimeout(r, 1100));
    const written = readFileSync(part, 'utf8');
    expect(written.split('\n')[0]).toContain('"ev":"scenario"');
    expect(written).toContain('"ev":"start"');
    ok(await lab.handle({ type: 'stop' }));
    expect(existsSync(part)).toBe(false);
    const files = readdirSync(recDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/-slow-sim\.jsonl$/);
    const final = readFileSync(join(recDir, files[0]), 'utf8');
    expect(final).toBe(ok(await lab.handle({ type: 'recording' })).text);
    expect(ok(await lab.handle({ type: 'recording' })).filename).toBe(files[0]);
  });

  it('opens a recording cut off mid-line up to its last whole line, for replay', async () => {
    ok(await lab.handle({ type: 'run', scenario: { library: 'demo' }, mode: 'sim', tickMs: 1 }));
    await until(() => !lab.status().running && lab.status().recording === null);
    const text = ok(await lab.handle({ type: 'recording' })).text;
    const whole = text.split('\n').filter(Boolean);
    const cut = `${whole.slice(0, 10).join('\n')}\n${whole[10].slice(0, 15)}`;
    const pushes: LabPush[] = [];
    lab.subscribe((p) => pushes.push(p));
    expect(ok(await lab.handle({ type: 'openRecording', text: cut, filename: 'crashed.jsonl' }))).toEqual({ events: 10, truncated: true });
    expect(lab.status()).toMatchObject({ mode: 'replay', title: 'crashed.jsonl', running: false, events: 10 });
    expect(lab.events()[0]).toMatchObject({ ev: 'scenario', name: 'demo' });
    expect(lab.events()[0]).not.toHaveProperty('line');
    await until(() => pushes.some((p) => p.type === 'events' && p.reset && p.events.length === 10));

    const broken = await lab.handle({ type: 'openRecording', text: '{"ev":"scenario"}\nnot json\n{"ev":"end"}\n', filename: 'bad.jsonl' });
    expect(broken).toEqual({ ok: false, error: expect.stringContaining('bad.jsonl: line 2') });
    expect(lab.status().title).toBe('crashed.jsonl');
  });

  it('exports the current log as a Perfetto trace', async () => {
    ok(await lab.handle({ type: 'run', scenario: { library: 'demo' }, mode: 'sim', tickMs: 1 }));
    await until(() => !lab.status().running);
    const out = ok(await lab.handle({ type: 'exportPerfetto' }));
    expect(out.filename).toMatch(/\.perfetto\.json$/);
    const trace = JSON.parse(out.json) as { traceEvents: Array<{ ph: string; cat?: string }> };
    expect(trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'task').length).toBeGreaterThan(5);
  });
});
