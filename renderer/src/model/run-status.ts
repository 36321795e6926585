/**
 * The run's status, decided in one place: the phase of the run from the event log
 * (idle, running, shutting down, exited, crashed, ended, stopped), and from it every
 * word the app shows about it: the title bar's words and mode badge, the cursor bar's
 * badge, and whether commands can be sent (with the one reason why not).
 *
 * The phase is a state machine over the log's events, reduced in lab-state.ts:
 *
 *   idle ──scenario──▶ running ──process_shutdown──▶ shutting down ──process_exit──▶ exited
 *                        │  ▲                                                         │
 *                        │  └────────────── process_start (a restart) ◀───────────────┤
 *                        ├──process_crash──▶ crashed ───────────────────────────────────┘
 *                        └──end──▶ ended (end_at) | stopped (`end` with `stopped`: the user's Stop)
 *
 * The words are taken at the cursor (what was true then); whether commands reach the
 * model is a question about now: the Lab's own log (not a replay, not a file) and the
 * Lab saying its run goes on. Each phase has one wording, used everywhere.
 *
 * A plain module (no Vue): stores/run-status.ts adapts it; unit tests drive it.
 */
import type { LabState } from './lab-state';

export type RunPhase = 'idle' | 'running' | 'shutting-down' | 'exited' | 'crashed' | 'ended' | 'stopped';

/** The phase of the run in a reduced state (at any cursor). */
export function phaseOf(s: LabState): RunPhase {
  if (s.end) return s.end.stopped ? 'stopped' : 'ended';
  const p = s.process;
  if (p.crash) return 'crashed';
  if (p.exitCode !== null) return 'exited';
  if (p.shutdownT !== null) return 'shutting-down';
  return s.scenario ? 'running' : 'idle';
}

/** The one wording of each phase (the title bar's words). */
export function phaseWords(s: LabState, phase = phaseOf(s)): { text: string; cls: 'run' | 'warn' | 'bad' | 'done' | 'idle' } {
  const p = s.process;
  switch (phase) {
    case 'idle':
      return { text: 'no run yet', cls: 'idle' };
    case 'running':
      return { text: 'running', cls: 'run' };
    case 'shutting-down':
      return { text: `shutting down (code ${p.shutdownCode ?? '?'})`, cls: 'warn' };
    case 'exited':
      return { text: `exited with code ${p.exitCode}`, cls: p.exitCode === 0 ? 'done' : 'bad' };
    case 'crashed':
      return { text: `crashed (${p.crash?.runtime ?? '?'} worker ${p.crash?.worker ?? '?'})`, cls: 'bad' };
    case 'ended':
      return { text: 'end of scenario', cls: 'done' };
    case 'stopped':
      return { text: 'stopped from the Lab', cls: 'done' };
  }
}

export interface StatusInput {
  /** How the page reaches the Lab, and whether it is connected now. */
  transport: 'offline' | 'websocket' | 'electron';
  connected: boolean;
  /** Whose log is shown: the Lab's, or a recording read in the page. */
  source: 'lab' | 'file';
  /** The Lab's mode (`replay` when it opened a recording) and whether its run goes on. */
  labMode: 'idle' | 'sim' | 'live' | 'replay' | null;
  labRunning: boolean;
  /** The cursor follows the end of the log. */
  follow: boolean;
  /** The reduced states at the cursor and at the end of the log. */
  atCursor: LabState;
  atHead: LabState;
}

export interface Badge {
  text: string;
  cls: string;
  title: string;
}

export interface RunStatus {
  /** The phase at the cursor, and its words. */
  phase: RunPhase;
  words: { text: string; cls: string };
  /** The title bar's badge: what is shown (a simulated or live run, a replay, nothing). */
  mode: Badge;
  /** The cursor bar's badge: where the cursor stands towards the run. */
  cursor: Badge;
  /** The view of a running run is frozen (the title bar says PAUSED). */
  paused: boolean;
  /** A replay is shown (play/pause plays it; nothing can be changed). */
  replay: boolean;
  /** Commands reach the run's model; otherwise `why` says why not, in one sentence. */
  canCommand: boolean;
  why: string;
  /** The run is over and the Lab can run it again (Restart). */
  canRerun: boolean;
}

export function runStatus(i: StatusInput): RunStatus {
  const replay = i.source === 'file' || i.labMode === 'replay';
  const phase = phaseOf(i.atCursor);
  const head = phaseOf(i.atHead);
  const runMode = i.labMode === 'sim' || i.labMode === 'live' ? i.labMode : (i.atHead.scenario?.mode as 'sim' | 'live' | null | undefined) ?? null;
  const going = !replay && i.source === 'lab' && i.labRunning && runMode !== null;

  let mode: Badge;
  if (replay) mode = { text: 'REPLAY', cls: 'replay', title: 'A recording is shown: play it, step it, scrub it' };
  else if (runMode === null) mode = { text: 'IDLE', cls: 'idle', title: 'Nothing has run yet' };
  else if (going) mode = { text: runMode === 'live' ? 'LIVE' : 'SIM', cls: runMode, title: runMode === 'live' ? 'A run on the live worker pools' : 'A run on the simulator' };
  else mode = { text: runMode === 'live' ? 'LIVE' : 'SIM', cls: 'over', title: `The ${runMode === 'live' ? 'live' : 'simulated'} run is over` };

  let cursor: Badge;
  if (replay) cursor = { text: 'REPLAY', cls: 'replay', title: 'A replay: play it from the cursor (space)' };
  else if (going && i.follow) cursor = { text: 'LIVE', cls: 'live', title: 'Following the run as it happens' };
  else if (going) cursor = { text: 'PAUSED', cls: 'paused', title: 'The view is paused: the run goes on (End follows it again)' };
  else if (runMode === null) cursor = { text: 'IDLE', cls: 'idle', title: 'Nothing has run yet' };
  else cursor = { text: 'ENDED', cls: 'over', title: 'The run is over: its log can be stepped and scrubbed' };

  return {
    phase,
    words: phaseWords(i.atCursor, phase),
    mode,
    cursor,
    paused: going && !i.follow,
    replay,
    canCommand: going && i.transport !== 'offline' && i.connected,
    why: whyNot(i, replay, going, head, runMode),
    canRerun: !replay && !going && runMode !== null && i.source === 'lab' && i.transport !== 'offline' && i.connected,
  };
}

function whyNot(i: StatusInput, replay: boolean, going: boolean, head: RunPhase, runMode: 'sim' | 'live' | null): string {
  if (i.transport === 'offline') return 'No Lab backend: this page can only replay recordings.';
  if (!i.connected) return 'Reconnecting to the Lab…';
  if (i.source === 'file') return 'A recording opened in the page cannot be changed: go back to the Lab to send commands.';
  if (replay) return 'A replay cannot be changed: run a scenario to send commands.';
  if (going) return '';
  if (runMode === null) return 'Nothing runs yet: run a scenario from Scenarios.';
  const over: Record<RunPhase, string> = {
    idle: 'Nothing runs yet: run a scenario from Scenarios.',
    running: 'The run is over: run it again (Restart) or another scenario.',
    'shutting-down': 'The run is over: run it again (Restart) or another scenario.',
    exited: 'The run ended when its process exited: run it again (Restart) or another scenario.',
    crashed: 'The run ended with its process crashed: run it again (Restart) or another scenario.',
    ended: 'The run reached its end (end of scenario): run it again (Restart) or another scenario.',
    stopped: 'The run was stopped from the Lab: run it again (Restart) or another scenario.',
  };
  return over[head];
}
