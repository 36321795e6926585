/**
 * Playback (renderer/src/model/playback.ts) on a hand-made frame clock: the cursor
 * moves in recording time at the chosen speed, from wherever it is, whatever the
 * frame rate, and stops at the end.
 */
import { describe, expect, it } from 'vitest';
import { type FrameClock, Playback, type PlaybackLog } from '../../renderer/src/model/playback';

/** A log of events at these times (ticks). */
function logOf(times: number[]): PlaybackLog {
  return {
    length: times.length,
    timeAt: (c) => (c > 0 && c <= times.length ? times[c - 1] : 0),
    cursorForTime: (t) => times.filter((x) => x <= t).length,
  };
}

/** Frames on demand: `advance(ms)` moves the clock and runs the frame that was requested. */
class TestFrames implements FrameClock {
  t = 1000;
  private pending: { handle: number; frame: (now: number) => void } | null = null;
  private next = 1;
  now(): number {
    return this.t;
  }
  request(frame: (now: number) => void): number {
    this.pending = { handle: this.next++, frame };
    return this.pending.handle;
  }
  cancel(handle: number): void {
    if (this.pending?.handle === handle) this.pending = null;
  }
  get waiting(): boolean {
    return this.pending !== null;
  }
  advance(ms: number): void {
    this.t += ms;
    const p = this.pending;
    this.pending = null;
    p?.frame(this.t);
  }
  /** Frames every `frameMs` for `ms`. */
  run(ms: number, frameMs = 16): void {
    for (let done = 0; done < ms && this.waiting; done += frameMs) this.advance(Math.min(frameMs, ms - done));
  }
}

function setup(times: number[]) {
  const frames = new TestFrames();
  const seen: number[] = [];
  let stops = 0;
  const pb = new Playback(frames, { onCursor: (c) => seen.push(c), onStop: () => stops++ });
  return { frames, seen, stops: () => stops, pb, log: logOf(times) };
}

// 100 events, one every 10 ticks: 1,000 ticks, 10 s at 10 ms a tick.
const EVEN = Array.from({ length: 100 }, (_, i) => (i + 1) * 10);

describe('playback', () => {
  it('at 1x moves one tick per tick_ms of the wall clock, not one event per frame', () => {
    const { frames, pb, log } = setup(EVEN);
    expect(pb.start(log, 0, 1, 10)).toBe(0);
    frames.run(1000);
    // 1 s is 100 ticks: the events at t=10..100.
    expect(pb.cursor).toBe(10);
    frames.run(2000);
    expect(pb.cursor).toBe(30);
    expect(pb.playing).toBe(true);
  });

  it('does not run ahead when frames are frequent and events sparse', () => {
    const { frames, pb, log } = setup([0, 500, 1000]);
    pb.start(log, 0, 1, 10);
    frames.run(4000, 1);
    // 4 s is 400 ticks: only the event at t=0.
    expect(pb.cursor).toBe(1);
  });

  it('catches up a burst of events at once when frames are rare', () => {
    const { frames, pb, log, seen } = setup(EVEN);
    pb.start(log, 0, 1, 10);
    frames.advance(2500);
    expect(pb.cursor).toBe(25);
    expect(seen).toEqual([25]);
  });

  it('plays from the cursor, in the time of the event there', () => {
    const { frames, pb, log } = setup(EVEN);
    expect(pb.start(log, 50, 1, 10)).toBe(50);
    frames.advance(16);
    expect(pb.cursor).toBe(50);
    frames.run(1000);
    expect(pb.cursor).toBe(60);
  });

  it('speed multiplies the rate, and a change of speed takes effect from the time reached', () => {
    const { frames, pb, log } = setup(EVEN);
    pb.start(log, 0, 4, 10);
    frames.run(1000);
    expect(pb.cursor).toBe(40);
    pb.setSpeed(0.25);
    frames.run(2000);
    // 2 s at 0.25x is 50 ticks: 5 more events, no jump back or forward.
    expect(pb.cursor).toBe(45);
  });

  it('stops at the end and says so', () => {
    const { frames, pb, log, stops } = setup(EVEN);
    pb.start(log, 90, 1, 10);
    frames.run(5000);
    expect(pb.cursor).toBe(100);
    expect(pb.playing).toBe(false);
    expect(stops()).toBe(1);
    expect(frames.waiting).toBe(false);
  });

  it('from the end it plays from the start', () => {
    const { frames, pb, log } = setup(EVEN);
    expect(pb.start(log, 100, 1, 10)).toBe(0);
    frames.run(500);
    expect(pb.cursor).toBe(5);
  });

  it('a seek while playing goes on from the new cursor', () => {
    const { frames, pb, log } = setup(EVEN);
    pb.start(log, 0, 1, 10);
    frames.run(1000);
    pb.seek(70);
    frames.run(16);
    expect(pb.cursor).toBe(70);
    frames.run(1000);
    expect(pb.cursor).toBe(80);
    pb.seek(20);
    frames.run(500);
    expect(pb.cursor).toBe(25);
  });

  it('stop cancels the frame; an empty log does not play', () => {
    const { frames, pb, log, stops } = setup(EVEN);
    pb.start(log, 0, 1, 10);
    pb.stop();
    expect(frames.waiting).toBe(false);
    expect(stops()).toBe(1);
    frames.advance(5000);
    expect(pb.cursor).toBe(0);
    expect(pb.start(logOf([]), 0, 1, 10)).toBeNull();
    expect(pb.playing).toBe(false);
  });

  it('the recording time advances between events (for a clock in the view)', () => {
    const { frames, pb, log } = setup([0, 1000]);
    pb.start(log, 1, 2, 10);
    frames.advance(300);
    expect(pb.time()).toBeCloseTo(60);
    expect(pb.cursor).toBe(1);
  });
});
