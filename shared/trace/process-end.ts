/**
 * How a simulated process ended, read from its events: it exited with a code
 * (`process_exit`), it crashed because a live worker process died (`process_crash`:
 * no shutdown sequence, no exit code of its own), or it was still running when the
 * run ended. The conformance summary (./summary.ts) knows only exit codes, as the
 * seed's runner does; the reports people read (the CLI's summary, the scenario and
 * pageserver expectations) say which of the three happened, so that a crash never
 * reads as "still running" or as an exit.
 */
import type { ProcessCrashEvent, TraceEvent } from './events';

export type ProcessEnd =
  | { how: 'running' }
  | { how: 'exited'; code: number }
  | { how: 'crashed'; crash: Omit<ProcessCrashEvent, 't' | 'ev'> };

/** The end of the first process in `events` (the run's only one, for a task_mgr scenario). */
export function processEnd(events: readonly TraceEvent[]): ProcessEnd {
  return processEnds(events).get(1) ?? { how: 'running' };
}

/**
 * The end of each process of a run, by its number (`process_start`; 1 when there is
 * none): its first `process_exit` or `process_crash`. A process absent from the map
 * was still running.
 */
export function processEnds(events: readonly TraceEvent[]): Map<number, ProcessEnd> {
  const out = new Map<number, ProcessEnd>();
  let process = 1;
  for (const e of events) {
    if (e.ev === 'process_start') process = e.process;
    else if (out.has(process)) continue;
    else if (e.ev === 'process_exit') out.set(process, { how: 'exited', code: e.code });
    else if (e.ev === 'process_crash') {
      const { t: _t, ev: _ev, ...crash } = e;
      out.set(process, { how: 'crashed', crash });
    }
  }
  return out;
}

/**
 * Whether a process ended as an expected `exit_code` says (null: still running).
 * A crashed process neither exited with a code nor is running: no exit_code matches it.
 */
export function exitCodeHolds(expected: number | null, end: ProcessEnd): boolean {
  return expected === null ? end.how === 'running' : end.how === 'exited' && end.code === expected;
}

/** `exit code 0`, `still running`, `crashed: background worker 1 (pid 42) died of SIGKILL, no exit code`. */
export function describeProcessEnd(end: ProcessEnd): string {
  if (end.how === 'running') return 'still running';
  if (end.how === 'exited') return `exit code ${end.code}`;
  const { runtime, worker, pid, signal, exit_code } = end.crash;
  const how = signal !== null ? `died of ${signal}` : `exited with code ${exit_code}`;
  return `crashed: ${runtime} worker ${worker} (pid ${pid ?? '?'}) ${how}, no exit code`;
}
