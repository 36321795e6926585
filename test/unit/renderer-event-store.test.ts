/**
 * The event store's one table (renderer/src/model/event-codes.ts): every event type
 * has a code of its own, and both ways into the store (pushed objects and a
 * recording's tokenized bytes) fill the same columns from it; a spawn row decodes to
 * the same fields for the reducer and the inspector; a scan worker's deltas absorbed
 * by the page give the store a direct read gives.
 */
import { describe, expect, it } from 'vitest';
import { CODE_NAMES, EV, IS_LOG_LINE } from '../../renderer/src/model/event-codes';
import { EventStore } from '../../renderer/src/model/event-store';
import { findTask, reduceAll } from '../../renderer/src/model/lab-state';
import { ScanStore } from '../../renderer/src/model/scan-store';
import type { TraceEvent } from '../../shared/trace/events';
import { SAMPLES } from '../helpers/event-samples';

const ALL: TraceEvent[] = Object.values(SAMPLES).flat();
const text = (events: readonly object[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

function columns(st: EventStore): unknown[] {
  return Array.from({ length: st.length }, (_, i) => ({
    ev: CODE_NAMES[st.code[i]],
    t: st.t[i],
    task: st.str(st.task[i]),
    a: st.code[i] === EV.spawn ? st.spawnAt(i) : st.a[i] >= 0 && [EV.signal, EV.shutdown_wait, EV.shutdown_abandoned, EV.associate].includes(st.code[i]) ? st.str(st.a[i]) : st.a[i],
    b: st.code[i] === EV.associate ? st.str(st.b[i]) : st.b[i],
  }));
}

describe('the event store table', () => {
  it('gives every event type a code of its own, and none of them reads as unknown', () => {
    const st = new EventStore();
    st.appendObjects(ALL);
    ALL.forEach((e, i) => expect(CODE_NAMES[st.code[i]]).toBe(e.ev));
    expect(new Set(CODE_NAMES).size).toBe(CODE_NAMES.length);
  });

  it('fills the same columns from a pushed object and from its line in a recording', () => {
    const pushed = new EventStore();
    pushed.appendObjects(ALL);
    const read = new EventStore();
    read.appendText(text(ALL));
    expect(columns(read)).toEqual(columns(pushed));
    // Spot checks that the columns hold what the table says.
    const at = (ev: string) => ALL.findIndex((e) => e.ev === ev);
    expect([read.a[at('start')], read.b[at('start')]]).toEqual([2, 4242]);
    expect([read.str(read.a[at('signal')]), read.str(read.a[at('associate')]), read.str(read.b[at('associate')])]).toEqual(['detach t1', 't1', 'tl1']);
    expect(read.b[at('shutdown_wait')]).toBe(0);
    expect(read.spawnAt(at('spawn'))).toEqual({ task: 'compaction', id: 1, kind: 'Compaction', runtime: 'background', tenant: 't1', timeline: null, parent: 'mgmt', name: 'compactor', shutdownProcessOnError: false });
  });

  it('the reducer builds a task from the same spawn row the inspector reads', () => {
    const st = new EventStore();
    st.appendText(text(SAMPLES.spawn));
    const rec = findTask(reduceAll(st), 'compaction')!;
    const sp = st.spawnAt(0)!;
    expect({ name: rec.name, id: rec.id, kind: rec.kind, runtime: rec.runtime, tenant: rec.tenant, timeline: rec.timeline, parent: rec.parent, spawnName: rec.spawnName }).toEqual({
      name: sp.task,
      id: sp.id,
      kind: sp.kind,
      runtime: sp.runtime,
      tenant: sp.tenant,
      timeline: sp.timeline,
      parent: sp.parent,
      spawnName: sp.name,
    });
  });

  it('a restarted pageserver (process_start) clears what the title bar said of the old process', () => {
    const st = new EventStore();
    st.appendObjects([SAMPLES.process_shutdown[0], SAMPLES.process_exit[0]]);
    expect(reduceAll(st).process.exitCode).toBe(1);
    st.appendObjects(SAMPLES.process_start);
    expect(reduceAll(st).process).toMatchObject({ shutdownT: null, exitT: null, exitCode: null });
  });

  it('newer event types are kept: with text as a log line, without as unknown', () => {
    const st = new EventStore();
    st.appendText(text([{ t: 1, ev: 'compaction_level', level: 'warn', message: 'L0 has 40 layers' }, { t: 2, ev: 'mystery' }]));
    expect([CODE_NAMES[st.code[0]], CODE_NAMES[st.code[1]]]).toEqual(['unknown_text', 'unknown']);
    expect([IS_LOG_LINE[st.code[0]], IS_LOG_LINE[st.code[1]]]).toEqual([1, 0]);
  });

  it("a scan worker's deltas, absorbed in two parts with strings mapped, give the columns of a direct read", () => {
    const events = [...ALL, ...ALL.map((e) => ({ ...e, t: e.t + 100 }))];
    const bytes = new TextEncoder().encode(text(events));
    const mid = bytes.indexOf(10, bytes.length >> 1) + 1;
    const page = new EventStore();
    const scanPart = (b: Uint8Array) => {
      const w = new ScanStore();
      w.beginRecording(b.length);
      w.feed(b);
      w.finishRecording();
      return { delta: w.takeDelta(), lines: w.physicalLines };
    };
    const first = scanPart(bytes.slice(0, mid));
    page.absorb(first.delta);
    page.absorbedLines += first.lines;
    page.absorb(scanPart(bytes.slice(mid)).delta, page.baseForNextPart());
    const direct = new EventStore();
    direct.appendText(text(events));
    expect(columns(page)).toEqual(columns(direct));
    expect(page.lineOf(events.length - 1)).toBe(events.length);
    expect(page.get(events.length - 1)).toEqual(events[events.length - 1]);
  });
});
