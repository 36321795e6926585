/**
 * The events store: the one log the renderer holds, the cursor into it, and the
 * reduced state at the cursor. "Live" is replay with the cursor following the end of
 * the log; pausing the view stops following; a replay moves the cursor by playback
 * (model/playback.ts, in recording time at the chosen speed) or by single events. Every other store derives its view models from `state`.
 *
 * The log comes from the Lab (pushed events) or from a recording file parsed in the
 * page (`source: 'file'`); while a file is open, the Lab's pushes are not applied and
 * the store catches up with the Lab when the user goes back to it.
 *
 * The log and its states are deliberately not reactive (markRaw, shallowRef +
 * triggerRef): a million events behind Vue proxies would cost more than the reduction.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, triggerRef, watch } from 'vue';
import { EventLog, scanParts, WorkerStartError } from '../model/event-log';
import type { LabState } from '../model/lab-state';
import { type FrameClock, Playback } from '../model/playback';
import { ScanWorkerPool } from '../model/scan-worker-pool';

export type LogSource = 'lab' | 'file';

/** Recording scanner workers, started and warmed when the app starts (see ScanWorkerPool). */
const scanWorkers = new ScanWorkerPool(
  () => new Worker(new URL('../model/scan-worker.ts', import.meta.url), { type: 'module', name: 'recording-scan' }),
  scanParts(typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1),
);

export function prestartScanWorkers(): void {
  if (typeof Worker !== 'undefined') scanWorkers.prestart();
}

export { PLAYBACK_SPEEDS } from '../model/playback';

/** Playback's frames are the page's animation frames. */
const pageFrames: FrameClock = {
  now: () => performance.now(),
  request: (frame) => requestAnimationFrame(frame),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export const useEventsStore = defineStore('events', () => {
  const log = shallowRef<EventLog>(markRaw(new EventLog()));
  /** Events in the log (mirrors log.length, reactive). */
  const length = ref(0);
  /** Events applied at the cursor. */
  const cursor = ref(0);
  /** The cursor follows the end of the log (live). */
  const follow = ref(true);
  const state = shallowRef<LabState>(log.value.head);
  const source = ref<LogSource>('lab');
  /** The Lab's log is a recording it opened (its `replay` mode). */
  const labReplay = ref(false);
  /** The log shown is a replay: a recording opened in the page or by the Lab. */
  const replay = computed(() => source.value === 'file' || (source.value === 'lab' && labReplay.value));
  const fileName = ref<string | null>(null);
  const truncated = ref(false);
  /** How long opening the current recording took (shown in the Recording view). */
  const openStats = ref<{ totalMs: number; detail: string } | null>(null);
  /** A recording file being opened in the page, and the share of it read so far. */
  const opening = ref<{ name: string; fraction: number } | null>(null);
  /** The Lab pushed events while a file was open: catch up when returning to it. */
  const labBehind = ref(false);
  const playing = ref(false);
  const speed = ref<number>(1);
  /** Bumped on every change of the state at the cursor: the cheap dependency of view models. */
  const revision = ref(0);

  /**
   * A run that is going on advances its clock between events (a task that hangs
   * produces none): while following it, "now" moves with the wall clock from the time
   * of the last event, one tick per tick_ms, so that ages and waits keep growing.
   */
  const running = ref(false);
  const wallClock = ref(0);
  let anchor: { t: number; wall: number } | null = null;
  let lastLiveNow = 0;
  let clockTimer: ReturnType<typeof setInterval> | null = null;

  const now = computed(() => {
    void revision.value;
    const logged = log.value.timeAt(cursor.value);
    if (!follow.value || !running.value || source.value !== 'lab' || anchor === null) return logged;
    const live = anchor.t + (wallClock.value - anchor.wall) / Math.max(1e-3, tickMsValue());
    lastLiveNow = Math.max(lastLiveNow, logged, live);
    return lastLiveNow;
  });

  function tickMsValue(): number {
    return state.value.scenario?.tickMs ?? log.value.head.scenario?.tickMs ?? 10;
  }

  /** The Lab says whether a run is going on; the clock ticks 4 times a second while it is. */
  function setRunning(on: boolean): void {
    running.value = on;
    if (on && clockTimer === null) {
      clockTimer = setInterval(() => (wallClock.value = performance.now()), 250);
    } else if (!on && clockTimer !== null) {
      clearInterval(clockTimer);
      clockTimer = null;
    }
    if (!on) anchor = null;
  }

  function stampClock(): void {
    const l = log.value;
    if (l.length === 0) return;
    anchor = { t: l.timeAt(l.length), wall: performance.now() };
    wallClock.value = anchor.wall;
  }
  const endTime = computed(() => {
    void length.value;
    return log.value.timeAt(log.value.length);
  });
  const tickMs = computed(() => {
    void revision.value;
    return state.value.scenario?.tickMs ?? log.value.head.scenario?.tickMs ?? 10;
  });
  const atEnd = computed(() => cursor.value >= length.value);

  function publish(s: LabState): void {
    state.value = s;
    triggerRef(state);
    revision.value++;
  }

  function refresh(): void {
    const l = log.value;
    if (follow.value) {
      cursor.value = l.length;
      publish(l.head);
    } else {
      publish(l.stateAt(cursor.value));
    }
  }

  /** Replaces the log (a new run, a reset push, a recording). */
  function reset(events: readonly unknown[] = [], src: LogSource = 'lab', name: string | null = null, text?: string): void {
    stopPlayback();
    const l = markRaw(new EventLog());
    if (text !== undefined) truncated.value = l.appendText(text).truncated;
    else {
      truncated.value = false;
      l.append(events);
    }
    log.value = l;
    length.value = l.length;
    source.value = src;
    openStats.value = null;
    anchor = null;
    lastLiveNow = 0;
    fileName.value = name;
    follow.value = true;
    refresh();
  }

  /** Appends events that start at index `from` of the Lab's log; returns false on a gap. */
  function appendFromLab(from: number, events: readonly unknown[]): boolean {
    if (source.value !== 'lab') {
      labBehind.value = true;
      return true;
    }
    const l = log.value;
    if (from > l.length) return false;
    const skip = l.length - from;
    if (skip >= events.length) return true;
    l.append(skip > 0 ? events.slice(skip) : events);
    length.value = l.length;
    stampClock();
    refresh();
    return true;
  }

  /** Opens a recording (JSON lines) in the page; throws a LineError for a malformed line. */
  function openFile(text: string, name: string): { truncated: boolean } {
    reset([], 'file', name, text);
    return { truncated: truncated.value };
  }

  /**
   * Opens a recording file in the page, streaming it: it is scanned and reduced while
   * it is read, and shown when complete. What was shown before stays on a malformed line
   * (the LineError is thrown).
   */
  async function openBlob(blob: Blob, name: string): Promise<{ truncated: boolean }> {
    let l = markRaw(new EventLog());
    let r: { truncated: boolean };
    opening.value = { name, fraction: 0 };
    // A percent at a time: the banner need not redraw for every batch.
    const progress = (fraction: number) => {
      if (opening.value && fraction - opening.value.fraction >= 0.01) opening.value = { name, fraction };
    };
    try {
      if (typeof Worker !== 'undefined') {
        try {
          r = await l.appendFileInWorkers(blob, scanWorkers.take, scanWorkers.release, scanWorkers.size, progress);
        } catch (err) {
          if (!(err instanceof WorkerStartError)) throw err;
          l = markRaw(new EventLog());
          r = await l.appendStream(blob.size, blob.stream().getReader(), progress);
        }
      } else {
        r = await l.appendStream(blob.size, blob.stream().getReader(), progress);
      }
    } finally {
      opening.value = null;
    }
    // A file with no event of ours is not a recording: the log shown is kept.
    if (l.length === 0) throw new Error('not a TaskMgr Lab recording: no event of ours in it');
    stopPlayback();
    log.value = l;
    length.value = l.length;
    source.value = 'file';
    fileName.value = name;
    truncated.value = r.truncated;
    openStats.value = null;
    anchor = null;
    lastLiveNow = 0;
    follow.value = true;
    refresh();
    return r;
  }

  // ---- cursor ------------------------------------------------------------------

  function seek(index: number): void {
    const c = Math.max(0, Math.min(Math.round(index), log.value.length));
    follow.value = false;
    cursor.value = c;
    publish(log.value.stateAt(c));
    playback.seek(c);
  }

  function step(delta: number): void {
    stopPlayback();
    seek(cursor.value + delta);
  }

  /** Pause or resume the view: stop following the end of the log, or jump back to it. */
  function setFollow(on: boolean): void {
    stopPlayback();
    follow.value = on;
    if (on) refresh();
    else seek(cursor.value);
  }

  // ---- playback ----------------------------------------------------------------

  const playback = new Playback(pageFrames, {
    onCursor(c) {
      cursor.value = c;
      publish(log.value.stateAt(c));
    },
    onStop() {
      playing.value = false;
    },
  });
  watch(speed, (s) => playback.setSpeed(s));

  /** Plays the log from the cursor (from the start when at the end) at `speed`. */
  function play(): void {
    if (playing.value) return;
    const from = playback.start(log.value, cursor.value, speed.value, tickMs.value);
    if (from === null) return;
    if (from !== cursor.value || follow.value) {
      follow.value = false;
      cursor.value = from;
      publish(log.value.stateAt(from));
    }
    playing.value = true;
  }

  function stopPlayback(): void {
    playback.stop(false);
    playing.value = false;
  }

  /** Space: play/pause a replay; pause/resume the view of a live run. */
  function togglePause(): void {
    if (replay.value) {
      if (playing.value) stopPlayback();
      else play();
    } else if (playing.value) {
      stopPlayback();
    } else {
      setFollow(!follow.value);
    }
  }

  return {
    log,
    length,
    cursor,
    follow,
    state,
    source,
    labReplay,
    replay,
    fileName,
    truncated,
    openStats,
    opening,
    labBehind,
    playing,
    speed,
    revision,
    now,
    endTime,
    tickMs,
    atEnd,
    reset,
    appendFromLab,
    openFile,
    openBlob,
    seek,
    step,
    setFollow,
    play,
    pause: stopPlayback,
    togglePause,
    running,
    setRunning,
  };
});
