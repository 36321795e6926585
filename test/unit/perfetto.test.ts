/**
 * Perfetto export (shared/trace/perfetto.ts) and `taskmgr-lab export`.
 *
 * Besides the shape (one slice per task, named worker threads, paired flows), the
 * output is replayed through a small model of how Perfetto's JSON importer stacks
 * slices per thread: complete slices that partly overlap are dropped there, and a
 * flow binds to the topmost open slice of its thread. The model checks that no slice
 * would be dropped and that every flow binds where it is meant to.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../../electron/cli/commands/export';
import { parseJsonl, type ParsedEvent } from '../../shared/trace/jsonl';
import { type ChromeTraceEvent, type PerfettoTrace, toPerfetto } from '../../shared/trace/perfetto';

const DIR = join(__dirname, '../fixtures/conformance');
const load = (name: string): ParsedEvent[] => parseJsonl(readFileSync(join(DIR, `${name}.expected.jsonl`), 'utf8')).events;

const threadKey = (e: { pid: number; tid: number }): string => `${e.pid}/${e.tid}`;

/** Thread names by pid/tid, process names by pid. */
function names(trace: PerfettoTrace): { threads: Map<string, string>; processes: Map<number, string> } {
  const threads = new Map<string, string>();
  const processes = new Map<number, string>();
  for (const e of trace.traceEvents) {
    if (e.ph === 'M' && e.name === 'thread_name') threads.set(threadKey(e), String(e.args?.name));
    if (e.ph === 'M' && e.name === 'process_name') processes.set(e.pid, String(e.args?.name));
  }
  return { threads, processes };
}

interface Bound {
  start?: ChromeTraceEvent;
  end?: ChromeTraceEvent;
}

/**
 * Replays the events the way Perfetto's JSON importer does (sorted by ts, stable;
 * per-thread slice stacks as in SliceTracker::MaybeCloseStack; flows bound to the
 * topmost slice of the thread). Returns the dropped slices and the flow bindings.
 */
function replayLikePerfetto(trace: PerfettoTrace): { dropped: ChromeTraceEvent[]; flows: Map<number, Bound> } {
  const events = trace.traceEvents.filter((e) => e.ph !== 'M').sort((a, b) => a.ts - b.ts);
  const stacks = new Map<string, ChromeTraceEvent[]>();
  const dropped: ChromeTraceEvent[] = [];
  const flows = new Map<number, Bound>();
  const stackOf = (e: ChromeTraceEvent): ChromeTraceEvent[] => {
    let s = stacks.get(threadKey(e));
    if (!s) stacks.set(threadKey(e), (s = []));
    return s;
  };
  for (const e of events) {
    const stack = stackOf(e);
    if (e.ph === 'X' || e.ph === 'i') {
      const dur = e.ph === 'X' ? (e.dur ?? 0) : 0;
      let ok = true;
      for (let i = stack.length - 1; i >= 0; i--) {
        const top = stack[i];
        const topDur = top.ph === 'X' ? (top.dur ?? 0) : 0;
        const end = top.ts + topDur;
        if (end < e.ts || (end === e.ts && !(topDur === 0 && dur === 0))) {
          stack.pop();
          continue;
        }
        if (e.ts < end && e.ts + dur > end) ok = false;
      }
      if (ok) stack.push(e);
      else dropped.push(e);
    } else if (e.ph === 's' || e.ph === 'f') {
      const id = e.id ?? -1;
      const bound = flows.get(id) ?? {};
      const top = stack[stack.length - 1];
      if (e.ph === 's') bound.start = top;
      else bound.end = top;
      flows.set(id, bound);
    }
  }
  return { dropped, flows };
}

describe('toPerfetto', () => {
  for (const name of ['pageserver-shutdown-order', 'shutdown-by-tenant']) {
    describe(name, () => {
      const events = load(name);
      const trace = toPerfetto(events);
      const spawned = events.filter((e) => e.ev === 'spawn').map((e) => String(e.task));

      it('is serializable Chrome trace JSON', () => {
        const json = JSON.stringify(trace);
        const back = JSON.parse(json) as PerfettoTrace;
        expect(Array.isArray(back.traceEvents)).toBe(true);
        expect(back.displayTimeUnit).toBe('ms');
        expect(back).toEqual(trace);
        for (const e of trace.traceEvents) {
          expect(typeof e.name).toBe('string');
          expect(['X', 'i', 's', 'f', 'M']).toContain(e.ph);
          expect(Number.isFinite(e.ts)).toBe(true);
          expect(Number.isInteger(e.pid) && Number.isInteger(e.tid)).toBe(true);
        }
      });

      it('has exactly one complete slice per task, with dur >= 0 and the task args', () => {
        const slices = trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'task');
        expect(slices.map((e) => e.name).sort()).toEqual([...spawned].sort());
        for (const s of slices) {
          expect(s.dur).toBeGreaterThanOrEqual(0);
          expect(Object.keys(s.args ?? {})).toEqual(
            expect.arrayContaining(['id', 'kind', 'tenant', 'timeline', 'outcome', 'message']),
          );
        }
      });

      it('names the runtime processes and workers', () => {
        const { threads, processes } = names(trace);
        const runtimes = new Set(events.filter((e) => e.ev === 'spawn').map((e) => String(e.runtime)));
        for (const runtime of runtimes) expect([...processes.values()]).toContain(`${runtime} runtime`);
        expect(processes.get(1)).toBe('coordinator');
        for (const s of trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'task')) {
          const thread = threads.get(threadKey(s));
          expect(thread, s.name).toMatch(/^(compute request|mgmt request|walreceiver|background op) worker 0( \(\d+\))?$/);
          const runtime = String(s.args?.runtime);
          expect(processes.get(s.pid)).toBe(`${runtime} runtime`);
        }
        expect([...threads.values()]).toContain('background op worker 0');
      });

      it('pairs every flow start with one finish of the same id, name and category', () => {
        const starts = trace.traceEvents.filter((e) => e.ph === 's');
        const finishes = trace.traceEvents.filter((e) => e.ph === 'f');
        expect(starts.length).toBeGreaterThan(0);
        expect(starts.map((e) => e.id).sort()).toEqual(finishes.map((e) => e.id).sort());
        expect(new Set(starts.map((e) => e.id)).size).toBe(starts.length);
        for (const f of finishes) {
          expect(f.bp).toBe('e');
          const s = starts.find((x) => x.id === f.id);
          expect(s?.name).toBe(f.name);
          expect(s?.cat).toBe(f.cat);
          expect(f.ts).toBeGreaterThanOrEqual(s?.ts ?? Infinity);
        }
        // One signal flow per (call, victim).
        const signals = events.filter((e) => e.ev === 'signal').length;
        expect(starts.filter((e) => e.name === 'signal')).toHaveLength(signals);
      });

      it('has shutdown calls as slices on the coordinator and the process events as instants', () => {
        const calls = trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'shutdown');
        const labels = events.filter((e) => e.ev === 'shutdown_begin').map((e) => String(e.label));
        expect(calls.map((e) => e.name)).toEqual(labels);
        for (const c of calls) {
          expect(c.pid).toBe(1);
          expect(c.dur).toBeGreaterThanOrEqual(0);
        }
        const instants = trace.traceEvents.filter((e) => e.ph === 'i');
        for (const i of instants) expect(i.s).toBe('t');
        for (const ev of ['process_shutdown', 'process_exit']) {
          const n = events.filter((e) => e.ev === ev).length;
          expect(instants.filter((e) => e.name.startsWith(ev) && e.pid === 1)).toHaveLength(n);
        }
        expect(instants.filter((e) => e.name.startsWith('signal by '))).toHaveLength(
          events.filter((e) => e.ev === 'signal').length,
        );
        expect(instants.filter((e) => e.name.startsWith('observe'))).toHaveLength(
          events.filter((e) => e.ev === 'observe').length,
        );
      });

      it('uses ts = t * tick_ms * 1000 microseconds', () => {
        const begin = events.find((e) => e.ev === 'shutdown_begin') as ParsedEvent;
        const call = trace.traceEvents.find((e) => e.ph === 'X' && e.name === begin.label);
        expect(call?.ts).toBe(Math.round((begin.t as number) * 10 * 1000));
      });

      it('would be read by Perfetto without dropped slices, each flow bound as meant', () => {
        const { dropped, flows } = replayLikePerfetto(trace);
        expect(dropped).toEqual([]);
        for (const [id, { start, end }] of flows) {
          expect(start, `flow ${id} start`).toBeDefined();
          expect(end, `flow ${id} end`).toBeDefined();
        }
        const starts = trace.traceEvents.filter((e) => e.ph === 's');
        for (const s of starts.filter((e) => e.name === 'signal')) {
          const bound = flows.get(s.id ?? -1);
          expect(bound?.start?.cat).toBe('shutdown'); // the call's slice
          expect(bound?.end?.name).toMatch(/^signal by /); // the instant on the victim's thread
          expect(bound?.end?.name).toBe(`signal by ${bound?.start?.name}`);
        }
      });
    });
  }

  it('draws a flow from a parent to the child it spawned, and lanes for overlapping tasks', () => {
    const ev = (t: number, e: Record<string, unknown> & { ev: string }) => ({ t, ...e });
    const spawn = (t: number, task: string, parent: string | null) =>
      ev(t, { ev: 'spawn', task, id: 1, kind: 'Compaction', runtime: 'background', tenant: 't1', timeline: null, parent });
    const events = [
      ev(0, { ev: 'scenario', name: 'x', tick_ms: 1 }),
      spawn(1, 'parent', null),
      ev(1, { ev: 'start', task: 'parent', runtime: 'background', worker: 0 }),
      ev(2, { ev: 'check', task: 'parent', value: false }),
      spawn(3, 'child', 'parent'),
      ev(3, { ev: 'start', task: 'child', runtime: 'background', worker: 0 }),
      ev(4, { ev: 'kind', task: 'child', kind: 'Compaction' }),
      ev(5, { ev: 'exit', task: 'parent', outcome: 'panic', message: 'boom' }),
      spawn(6, 'late', null),
      ev(6, { ev: 'start', task: 'late', runtime: 'background', worker: 1 }),
      ev(7, { ev: 'kind', task: null, kind: null }),
      ev(9, { ev: 'inject', task: 'late', fault: 'error', applied: true, message: 'x' }),
      ev(9, { ev: 'exit', task: 'late', outcome: 'error', message: 'x' }),
    ];
    const trace = toPerfetto(events);
    const { threads } = names(trace);
    const slices = trace.traceEvents.filter((e) => e.ph === 'X');
    const byName = new Map(slices.map((s) => [s.name, s]));
    expect(byName.get('parent')).toMatchObject({ ts: 1000, dur: 4000 });
    // child still runs at the end of the trace: closed at the last event time.
    expect(byName.get('child')).toMatchObject({ ts: 3000, dur: 6000 });
    expect(threads.get(threadKey(byName.get('parent') as ChromeTraceEvent))).toBe('background op worker 0');
    expect(threads.get(threadKey(byName.get('child') as ChromeTraceEvent))).toBe('background op worker 0 (2)');
    expect(threads.get(threadKey(byName.get('late') as ChromeTraceEvent))).toBe('background op worker 1');

    const { dropped, flows } = replayLikePerfetto(trace);
    expect(dropped).toEqual([]);
    const spawnFlow = trace.traceEvents.find((e) => e.ph === 's' && e.name === 'spawn');
    const bound = flows.get(spawnFlow?.id ?? -1);
    expect(bound?.start?.name).toBe('spawn child');
    expect(threadKey(bound?.start as ChromeTraceEvent)).toBe(threadKey(byName.get('parent') as ChromeTraceEvent));
    expect(bound?.end).toBe(byName.get('child'));

    const instants = trace.traceEvents.filter((e) => e.ph === 'i').map((e) => e.name);
    expect(instants).toEqual(expect.arrayContaining(['check false', 'kind Compaction', 'panic', 'kind null', 'inject error', 'error']));
    const driverKind = trace.traceEvents.find((e) => e.name === 'kind null');
    expect(threads.get(threadKey(driverKind as ChromeTraceEvent))).toBe('driver');
  });

  it('defaults to one tick = 1 ms and handles an empty trace', () => {
    const trace = toPerfetto([
      { t: 2, ev: 'spawn', task: 'a', id: 1, kind: 'Compaction', runtime: 'background', tenant: null, timeline: null, parent: null },
      { t: 2.5, ev: 'exit', task: 'a', outcome: 'ok', message: null },
    ]);
    expect(trace.traceEvents.find((e) => e.ph === 'X')).toMatchObject({ name: 'a', ts: 2000, dur: 500 });
    expect(toPerfetto([]).traceEvents.filter((e) => e.ph !== 'M')).toEqual([]);
  });

  it('puts a task spawned again after its exit in a second slice', () => {
    const spawn = { ev: 'spawn', task: 'a', id: 1, kind: 'Compaction', runtime: 'background', tenant: null, timeline: null, parent: null };
    const trace = toPerfetto([
      { t: 1, ...spawn },
      { t: 2, ev: 'exit', task: 'a', outcome: 'ok', message: null },
      { t: 3, ...spawn, id: 2 },
      { t: 4, ev: 'exit', task: 'a', outcome: 'ok', message: null },
    ]);
    const slices = trace.traceEvents.filter((e) => e.ph === 'X');
    expect(slices.map((s) => [s.ts, s.dur, s.args?.id])).toEqual([
      [1000, 1000, 1],
      [3000, 1000, 2],
    ]);
  });
});

describe('taskmgr-lab export', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'taskmgr-export-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const run = async (argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await exportCommand(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out, err };
  };

  it('writes the Perfetto JSON and says what it wrote', async () => {
    const trace = join(DIR, 'pageserver-shutdown-order.expected.jsonl');
    const out = join(tmp, 'nested', 'out.json');
    const r = await run([trace, '--perfetto', out]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([`wrote ${out} (50 events, 7 tasks)`]);
    const written = JSON.parse(readFileSync(out, 'utf8')) as PerfettoTrace;
    expect(written).toEqual(toPerfetto(load('pageserver-shutdown-order')));
  });

  it('exports a recording cut off mid-line up to its last whole line', async () => {
    const text = readFileSync(join(DIR, 'shutdown-by-tenant.expected.jsonl'), 'utf8');
    const cut = join(tmp, 'cut.jsonl');
    writeFileSync(cut, text.slice(0, text.indexOf('"ev":"shutdown_end"') + 10));
    const out = join(tmp, 'cut.json');
    const r = await run(['--perfetto', out, cut]);
    expect(r.code).toBe(0);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/cut off; exported up to line 21$/);
    expect(r.out).toEqual([`wrote ${out} (21 events, 5 tasks)`]);
  });

  it('exits 2 with one line on usage errors', async () => {
    for (const argv of [[], ['trace.jsonl'], ['--perfetto', 'out.json'], ['a', 'b', '--perfetto', 'o'], ['a', '--perfetto'], ['a', '--bogus', 'x']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toHaveLength(1);
      expect(r.err[0]).toContain('usage: taskmgr-lab export TRACE --perfetto OUT.json');
      expect(r.out).toEqual([]);
    }
  });

  it('exits 2 with one clear line on unreadable or malformed traces', async () => {
    const missing = await run([join(tmp, 'nope.jsonl'), '--perfetto', join(tmp, 'x.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toEqual([`taskmgr-lab export: cannot read ${join(tmp, 'nope.jsonl')}: no such file or directory`]);

    const dir = await run([tmp, '--perfetto', join(tmp, 'x.json')]);
    expect(dir.code).toBe(2);
    expect(dir.err).toEqual([`taskmgr-lab export: cannot read ${tmp}: is a directory`]);

    const bad = join(tmp, 'bad.jsonl');
    writeFileSync(bad, '{"t":0,"ev":"scenario","name":"x","tick_ms":1}\n{oops\n{"t":1,"ev":"end","registry":[],"pending":[]}\n');
    const malformed = await run([bad, '--perfetto', join(tmp, 'x.json')]);
    expect(malformed.code).toBe(2);
    expect(malformed.err).toHaveLength(1);
    expect(malformed.err[0]).toMatch(/^taskmgr-lab export: .*bad\.jsonl: line 2: not valid JSON/);
  });
});
