/**
 * The log sync (renderer/src/model/log-sync.ts) against a fake Lab log and a fake
 * renderer log: pushes append in order, a gap is filled from the last index held, a
 * status with fewer events than held refetches a new log from 0, one with more waits
 * for the pushes before fetching, the Lab's slices are fetched until an empty one,
 * and a file shown in the page is left alone and marked behind.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BEHIND_GRACE_MS, LogSync, type SyncedLog } from '../../renderer/src/model/log-sync';

const ev = (n: number) => ({ t: n, ev: 'log', level: 'info', task: null, message: `m${n}` });

class FakeLog implements SyncedLog {
  source = 'lab';
  held: unknown[] = [];
  behind = false;
  resets = 0;
  get length(): number {
    return this.held.length;
  }
  reset(events: readonly unknown[]): void {
    this.resets++;
    this.held = [...events];
  }
  appendFromLab(from: number, events: readonly unknown[]): boolean {
    if (from > this.held.length) return false;
    this.held.push(...events.slice(this.held.length - from));
    return true;
  }
  markBehind(): void {
    this.behind = true;
  }
}

/** The Lab's log and its `events` request, in slices of `slice` events. */
function fakeLab(count: number, slice = 3) {
  const lab = { events: Array.from({ length: count }, (_, i) => ev(i)), requests: [] as number[] };
  const fetch = async (from: number) => {
    lab.requests.push(from);
    return { from, events: lab.events.slice(from, from + slice) };
  };
  return { lab, fetch };
}

describe('log sync', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('appends pushes in order and fills a gap from the last index held, slice by slice', async () => {
    const { lab, fetch } = fakeLab(10);
    const log = new FakeLog();
    const sync = new LogSync(log, fetch);
    sync.onEvents({ from: 0, events: lab.events.slice(0, 2) });
    sync.onEvents({ from: 2, events: lab.events.slice(2, 3) });
    expect(lab.requests).toEqual([]);
    sync.onEvents({ from: 6, events: lab.events.slice(6, 7) }); // 3..5 were missed
    await vi.runAllTimersAsync();
    expect(lab.requests).toEqual([3, 6, 9, 10]);
    expect(log.held).toEqual(lab.events);
  });

  it('a status with fewer events than held fetches a new log from 0', async () => {
    const { lab, fetch } = fakeLab(2);
    const log = new FakeLog();
    log.held = [ev(0), ev(1), ev(2), ev(3)];
    new LogSync(log, fetch).onStatus(2);
    await vi.runAllTimersAsync();
    expect([log.resets, lab.requests[0]]).toEqual([1, 0]);
    expect(log.held).toEqual(lab.events);
  });

  it('a status with more events waits for their pushes, and fetches only what did not come', async () => {
    const { lab, fetch } = fakeLab(6);
    const log = new FakeLog();
    const sync = new LogSync(log, fetch);
    sync.onStatus(2);
    sync.onEvents({ from: 0, events: lab.events.slice(0, 2) });
    await vi.advanceTimersByTimeAsync(BEHIND_GRACE_MS + 1);
    expect(lab.requests).toEqual([]); // the pushes arrived in time
    sync.onStatus(6);
    await vi.advanceTimersByTimeAsync(BEHIND_GRACE_MS - 50);
    expect(lab.requests).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    await vi.runAllTimersAsync();
    expect(lab.requests[0]).toBe(2);
    expect(log.held).toEqual(lab.events);
  });

  it('a reset push from 0 replaces the log; from elsewhere it refetches the new log', async () => {
    const { lab, fetch } = fakeLab(4);
    const log = new FakeLog();
    log.held = [ev(9)];
    const sync = new LogSync(log, fetch);
    sync.onEvents({ from: 0, events: lab.events.slice(0, 1), reset: true });
    expect(log.held).toEqual([lab.events[0]]);
    sync.onEvents({ from: 2, events: lab.events.slice(2, 3), reset: true });
    await vi.runAllTimersAsync();
    expect(log.held).toEqual(lab.events);
  });

  it('leaves a file shown in the page alone and marks the Lab behind', async () => {
    const { lab, fetch } = fakeLab(4);
    const log = new FakeLog();
    log.source = 'file';
    const sync = new LogSync(log, fetch);
    sync.onEvents({ from: 0, events: lab.events });
    sync.onStatus(4);
    await vi.runAllTimersAsync();
    expect([log.held.length, log.behind, lab.requests]).toEqual([0, true, []]);
  });

  it('ignores pushes while a catch-up is fetching (its answers hold them)', async () => {
    const { lab, fetch } = fakeLab(6, 6);
    const log = new FakeLog();
    const sync = new LogSync(log, fetch);
    const done = sync.catchUp(0, true);
    sync.onEvents({ from: 0, events: lab.events.slice(0, 1) });
    await done;
    expect(log.held).toEqual(lab.events);
  });

  it('stops when a request fails', async () => {
    const log = new FakeLog();
    const sync = new LogSync(log, async () => null);
    await sync.catchUp(0, true);
    expect(log.resets).toBe(0);
  });
});
