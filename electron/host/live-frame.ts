/**
 * What every live run of the Lab shares, whatever it runs: its events while the
 * pools start and after, its listeners, how it ends (end_at, process exit, the
 * pools stopped under it, or the user's stop), and commands that wait for time
 * zero. A live session supplies only how to open its run on the pools and what
 * its commands reach (one coordinator, or the pageserver's current process).
 */
import type { PageserverAction } from '../../shared/protocol/lab';
import type { TraceEvent } from '../../shared/trace/events';
import type { EventLog } from '../core/event-log';
import type { TaskManager } from '../core/task-manager';
import type { WallClock } from '../scenario/wall-clock';
import { LabError } from './errors';
import { outsideAnyTask, type RunSession } from './session';

/** An opened live run, as its session sees it. */
export interface LiveRun {
  log: EventLog;
  /** The coordinator that commands act on (throws when there is none, e.g. a crashed pageserver). */
  manager(): TaskManager;
  /** Logs the user's stop (`end` with what is still registered). */
  stopMessage(): void;
  /** Closes the run's executors; returns their problems. `stopped`: the user stopped it. */
  finish(stopped: boolean): string[];
  restartProcess?(): boolean;
  pageserver?(action: PageserverAction): void;
}

export interface LiveFrame {
  /** Appends an event to the run's log (ignored once the run is over). */
  append(event: TraceEvent): void;
  /** Ends the run (idempotent). */
  endRun(): void;
  /** Has the user stopped the run before it opened? */
  readonly stopping: boolean;
}

/** `seed`: the seed of a run under the random policy (its victim orders), null otherwise. */
export function liveSession(clock: WallClock, open: (frame: LiveFrame) => Promise<LiveRun | null>, seed: number | null = null): RunSession {
  const events: TraceEvent[] = [];
  let listeners: Array<(e: TraceEvent) => void> = [];
  const problems: string[] = [];
  let running = true;
  let stopping = false;
  let endRun!: () => void;
  const ended = new Promise<void>((resolve) => (endRun = resolve));

  const frame: LiveFrame = {
    append(e) {
      if (!running) return;
      events.push(e);
      for (const l of listeners) l(e);
    },
    endRun: () => endRun(),
    get stopping() {
      return stopping;
    },
  };

  const started = open(frame);
  started.then(
    (run) => {
      if (!run) endRun();
    },
    (err: unknown) => {
      const message = `the pools did not start: ${err instanceof Error ? err.message : String(err)}`;
      problems.push(message);
      frame.append({ t: 0, ev: 'error', message, source: 'pools' });
      endRun();
    },
  );

  const done = ended.then(async () => {
    clock.stop();
    const run = await started.catch(() => null);
    if (run) problems.push(...run.finish(stopping));
    running = false;
  });

  const opened = async (): Promise<LiveRun> => {
    const run = await started;
    if (!run) throw new LabError('the run was stopped before it began');
    return run;
  };

  return {
    mode: 'live',
    seed,
    events,
    subscribe(listener) {
      listeners.push(listener);
      return () => {
        listeners = listeners.filter((l) => l !== listener);
      };
    },
    done,
    get running() {
      return running;
    },
    problems,
    async apply(fn) {
      const run = await opened();
      return outsideAnyTask(run.log, () => fn(run.manager()));
    },
    async stop() {
      if (!running) return done;
      stopping = true;
      const run = await started.catch(() => null);
      if (run && running) outsideAnyTask(run.log, () => run.stopMessage());
      endRun();
      await done;
    },
    async restartProcess() {
      const run = await started.catch(() => null);
      if (!run?.restartProcess || !running) return false;
      return outsideAnyTask(run.log, () => run.restartProcess!());
    },
    async pageserver(action) {
      const run = await opened();
      if (!run.pageserver) throw new LabError('this run is not a pageserver scenario: open one from the library (for example pageserver-demo)');
      outsideAnyTask(run.log, () => run.pageserver!(action));
    },
  };
}
