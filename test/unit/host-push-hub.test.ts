/**
 * Pushes to subscribers: batched at most 30 times a second, a slow subscriber's
 * events coalesced into its next batch (nothing buffered per subscriber), a flood
 * cut into bounded batches, and a new log announced with `reset`.
 */
import { describe, expect, it } from 'vitest';
import type { LabPush, LabStatus } from '../../shared/protocol/lab';
import type { TraceEvent } from '../../shared/trace/events';
import { PushHub, type PushSink } from '../../electron/host/push-hub';

/** A hand-driven clock: timers fire only when `advance` passes them. */
function fakeTime() {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return t;
    },
    clearTimer: (h: unknown) => {
      timers = timers.filter((t) => t !== h);
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = Math.max(now, due.at);
        due.fn();
      }
      now = end;
    },
  };
}

const status: LabStatus = { mode: 'sim', title: 't', running: true, events: 0, recording: null, seed: 1, tickMs: 10 };
const ev = (i: number): TraceEvent => ({ t: i, ev: 'log', level: 'info', task: null, message: `e${i}` });

function setup(options: { maxBatch?: number } = {}) {
  const time = fakeTime();
  const log: TraceEvent[] = [];
  const hub = new PushHub({ events: () => log, status: () => status }, { ...time, ...options });
  return { time, log, hub };
}

function sink(ready: () => boolean = () => true) {
  const pushes: LabPush[] = [];
  const s: PushSink = { send: (p) => pushes.push(p), ready };
  const events = () => pushes.filter((p): p is Extract<LabPush, { type: 'events' }> => p.type === 'events');
  return { s, pushes, events };
}

describe('PushHub', () => {
  it('sends a new subscriber the whole log with reset, then the status', () => {
    const { time, log, hub } = setup();
    log.push(ev(0), ev(1));
    const a = sink();
    hub.add(a.s);
    time.advance(0);
    expect(a.pushes[0]).toEqual({ type: 'events', from: 0, events: [ev(0), ev(1)], reset: true });
    expect(a.pushes[1]).toEqual({ type: 'status', status });
  });

  it('pushes events at most 30 times a second, however many arrive', () => {
    const { time, log, hub } = setup();
    const a = sink();
    hub.add(a.s);
    for (let ms = 0; ms < 1000; ms++) {
      log.push(ev(ms));
      hub.appended();
      time.advance(1);
    }
    time.advance(100);
    const batches = a.events();
    expect(batches.length).toBeLessThanOrEqual(31);
    expect(batches.length).toBeGreaterThanOrEqual(25);
    expect(batches.flatMap((b) => b.events)).toEqual(log);
    for (let i = 1; i < batches.length; i++) expect(batches[i].from).toBe(batches[i - 1].from + batches[i - 1].events.length);
  });

  it('skips a subscriber that is not ready and coalesces what it missed into its next batch', () => {
    const { time, log, hub } = setup();
    let ready = true;
    const slow = sink(() => ready);
    const fast = sink();
    hub.add(slow.s);
    hub.add(fast.s);
    time.advance(0);
    ready = false;
    for (let i = 0; i < 100; i++) {
      log.push(ev(i));
      hub.appended();
      time.advance(10);
    }
    time.advance(50);
    expect(fast.events().flatMap((b) => b.events)).toHaveLength(100);
    const slowBefore = slow.pushes.length;
    ready = true;
    time.advance(50);
    const after = slow.events().slice(-1)[0];
    expect(slow.pushes.length - slowBefore).toBe(1);
    expect(after).toEqual({ type: 'events', from: 0, events: log, reset: false });
  });

  it('cuts a flood into batches of at most maxBatch events', () => {
    const { time, log, hub } = setup({ maxBatch: 1000 });
    for (let i = 0; i < 4500; i++) log.push(ev(i));
    const a = sink();
    hub.add(a.s);
    time.advance(1000);
    const batches = a.events();
    expect(batches.map((b) => b.events.length)).toEqual([1000, 1000, 1000, 1000, 500]);
    expect(batches.map((b) => b.reset)).toEqual([true, false, false, false, false]);
  });

  it('announces a replaced log with reset from 0', () => {
    const { time, log, hub } = setup();
    const a = sink();
    hub.add(a.s);
    log.push(ev(0), ev(1), ev(2));
    hub.appended();
    time.advance(100);
    log.length = 0;
    log.push(ev(7));
    hub.reset();
    time.advance(100);
    expect(a.events().slice(-1)[0]).toEqual({ type: 'events', from: 0, events: [ev(7)], reset: true });
  });

  it('stops pushing to a removed subscriber', () => {
    const { time, log, hub } = setup();
    const a = sink();
    const remove = hub.add(a.s);
    time.advance(100);
    remove();
    log.push(ev(0));
    hub.appended();
    time.advance(100);
    expect(a.events().flatMap((b) => b.events)).toEqual([]);
    expect(hub.size).toBe(0);
  });
});
