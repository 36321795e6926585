/**
 * Playback of a replay: the cursor moves through the event log at a chosen speed in
 * recording time, from wherever it is, and stops at the end of the log.
 *
 * Recording time is the events' `t` in ticks; at speed 1 a tick lasts `tick_ms` of
 * the wall clock. Playback keeps an origin (a wall-clock instant and the recording
 * time it stands for); on each frame the recording time is origin + elapsed × speed,
 * and the cursor becomes the number of events at or before that time. The cursor
 * never moves more than that, whatever the frame rate: a gap between events is waited
 * out, a burst of events at one time is applied at once. A change of speed or a seek
 * while playing moves the origin, so playing goes on from there without a jump.
 *
 * A plain module (no Vue): the events store adapts it, and the unit tests drive it
 * with a hand-made frame clock.
 */

/** What playback reads of the log. */
export interface PlaybackLog {
  readonly length: number;
  /** The time of the last event applied at `cursor` (0 before the first). */
  timeAt(cursor: number): number;
  /** The number of events with a time <= t. */
  cursorForTime(t: number): number;
}

/** Animation frames and the clock they are stamped with (requestAnimationFrame in the page). */
export interface FrameClock {
  now(): number;
  request(frame: (now: number) => void): number;
  cancel(handle: number): void;
}

export const PLAYBACK_SPEEDS = [0.25, 1, 4, 16, 64, 256] as const;

export interface PlaybackListener {
  /** The cursor moved (not called for a cursor set by `seek`). */
  onCursor(cursor: number): void;
  /** Playing stopped: the end of the log, or `stop`. */
  onStop(): void;
}

export class Playback {
  private log: PlaybackLog | null = null;
  private handle = 0;
  private running = false;
  private originWall = 0;
  private originTime = 0;
  private speedValue = 1;
  private tickMsValue = 10;
  private cursorValue = 0;

  constructor(
    private readonly clock: FrameClock,
    private readonly listener: PlaybackListener,
  ) {}

  get playing(): boolean {
    return this.running;
  }

  get cursor(): number {
    return this.cursorValue;
  }

  get speed(): number {
    return this.speedValue;
  }

  /**
   * Plays `log` from `cursor` (from the start when the cursor is at the end). Returns
   * the cursor it plays from, or null when the log is empty.
   */
  start(log: PlaybackLog, cursor: number, speed: number, tickMs: number): number | null {
    this.stop(false);
    if (log.length === 0) return null;
    this.log = log;
    this.speedValue = validSpeed(speed);
    this.tickMsValue = tickMs > 0 ? tickMs : 10;
    this.cursorValue = cursor >= log.length ? 0 : Math.max(0, Math.round(cursor));
    this.rebase(log.timeAt(this.cursorValue));
    this.running = true;
    this.handle = this.clock.request(this.frame);
    return this.cursorValue;
  }

  /** The recording time playback has reached (the cursor's time when not playing). */
  time(now = this.clock.now()): number {
    if (!this.running) return this.log?.timeAt(this.cursorValue) ?? 0;
    const elapsed = Math.max(0, now - this.originWall);
    return this.originTime + (elapsed * this.speedValue) / this.tickMsValue;
  }

  /** A new speed takes effect from the recording time reached. */
  setSpeed(speed: number): void {
    const s = validSpeed(speed);
    if (this.running) this.rebase(this.time());
    this.speedValue = s;
  }

  /** The user moved the cursor: playing (if it is) goes on from there. */
  seek(cursor: number): void {
    this.cursorValue = cursor;
    if (this.running && this.log) {
      if (cursor >= this.log.length) this.stop();
      else this.rebase(this.log.timeAt(cursor));
    }
  }

  stop(notify = true): void {
    const was = this.running;
    this.running = false;
    if (this.handle !== 0) this.clock.cancel(this.handle);
    this.handle = 0;
    if (was && notify) this.listener.onStop();
  }

  private rebase(time: number): void {
    this.originWall = this.clock.now();
    this.originTime = time;
  }

  private readonly frame = (now: number): void => {
    this.handle = 0;
    const log = this.log;
    if (!this.running || !log) return;
    const target = Math.min(log.length, log.cursorForTime(this.time(now)));
    if (target > this.cursorValue) {
      this.cursorValue = target;
      this.listener.onCursor(target);
    }
    if (this.cursorValue >= log.length) {
      this.stop();
      return;
    }
    // onCursor may have stopped or restarted playback.
    if (this.running && this.handle === 0) this.handle = this.clock.request(this.frame);
  };
}

function validSpeed(speed: number): number {
  return Number.isFinite(speed) && speed > 0 ? speed : 1;
}
