/**
 * What every live session of the Lab shares, whatever it runs: its events while the
 * pools start and after, its listeners, how it ends (end_at, process exit, the
 * pools stopped under it, or the user's stop), and commands that wait for time
 * zero. The run itself is the assembly of electron/run on running pools; this frame
 * only bridges the time the pools take to be ready.
 */
import type { TraceEvent } from '../../shared/trace/events';
import { LabError } from '../run/errors';
import type { Run } from '../run/assembly';
import type { RunSession } from './session';

export interface LiveFrame {
  /** Appends an event to the session's log (ignored once the session is over). */
  append(event: TraceEvent): void;
  /** Has the user stopped the session before its run opened? */
  readonly stopping: boolean;
}

/**
 * A live session: `open` readies the pools and assembles the run on them (null:
 * stopped meanwhile). `seed`: the seed of a run under the random policy (its victim
 * orders), null otherwise.
 */
export function liveSession(open: (frame: LiveFrame) => Promise<Run | null>, seed: number | null = null): RunSession {
  const events: TraceEvent[] = [];
  let listeners: Array<(e: TraceEvent) => void> = [];
  const problems: string[] = [];
  let running = true;
  let stopping = false;

  const frame: LiveFrame = {
    append(e) {
      if (!running) return;
      events.push(e);
      for (const l of listeners) l(e);
    },
    get stopping() {
      return stopping;
    },
  };

  const started = open(frame).catch((err: unknown) => {
    const message = `the pools did not start: ${err instanceof Error ? err.message : String(err)}`;
    problems.push(message);
    frame.append({ t: 0, ev: 'error', message, source: 'pools' });
    return null;
  });

  const done = started.then(async (run) => {
    if (run) {
      await run.done;
      problems.push(...run.problems);
    }
    running = false;
  });

  const opened = async (): Promise<Run> => {
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
      return (await opened()).apply(fn);
    },
    async stop() {
      if (!running) return done;
      stopping = true;
      const run = await started;
      if (run) await run.stop();
      await done;
    },
    async restartProcess() {
      const run = await started;
      if (!run || !running) return false;
      return run.restartProcess();
    },
    async pageserver(action) {
      return (await opened()).pageserver(action);
    },
  };
}
