/**
 * The run's status (renderer/src/model/run-status.ts): the phase of a run read from
 * its event log, one wording per phase, the badges, and whether commands can be sent
 * with the reason why not. The states come from real event logs (EventLog).
 */
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../renderer/src/model/event-log';
import { phaseOf, phaseWords, runStatus, type StatusInput } from '../../renderer/src/model/run-status';

const SCENARIO = { t: 0, ev: 'scenario', name: 's', tick_ms: 10, mode: 'sim', seed: 1, policy: 'fifo' };
const SPAWN = { t: 0, ev: 'spawn', task: 'a', id: 1, kind: 'Compaction', runtime: 'background', tenant: null, timeline: null, parent: null, name: 'a', shutdown_process_on_error: false };

function logOf(events: object[]): EventLog {
  const l = new EventLog();
  l.append(events);
  return l;
}

function input(events: object[], over: Partial<StatusInput> = {}): StatusInput {
  const l = logOf(events);
  return {
    transport: 'websocket',
    connected: true,
    source: 'lab',
    labMode: 'sim',
    labRunning: true,
    follow: true,
    atCursor: l.head,
    atHead: l.head,
    ...over,
  };
}

describe('the phase of a run, from its log', () => {
  it('moves idle → running → shutting down → exited, back to running on a restart, and to ended or stopped', () => {
    const steps: Array<[object, string, string]> = [
      [SCENARIO, 'running', 'running'],
      [SPAWN, 'running', 'running'],
      [{ t: 5, ev: 'process_shutdown', code: 0, cause: null }, 'shutting-down', 'shutting down (code 0)'],
      [{ t: 6, ev: 'process_exit', code: 0 }, 'exited', 'exited with code 0'],
      [{ t: 7, ev: 'process_start', process: 2, label_suffix: '#2' }, 'running', 'running'],
      [{ t: 8, ev: 'process_crash', runtime: 'background', worker: 1, pid: 9, exit_code: null, signal: 'SIGKILL' }, 'crashed', 'crashed (background worker 1)'],
    ];
    const l = new EventLog();
    expect(phaseOf(l.head)).toBe('idle');
    expect(phaseWords(l.head).text).toBe('no run yet');
    for (const [e, phase, words] of steps) {
      l.append([e]);
      expect(phaseOf(l.head)).toBe(phase);
      expect(phaseWords(l.head).text).toBe(words);
    }
    // Each state at its cursor, read back (time travel gives the same words).
    expect(phaseOf(l.stateAt(3))).toBe('shutting-down');
  });

  it('a natural end and a Stop read differently', () => {
    const ended = logOf([SCENARIO, SPAWN, { t: 9, ev: 'end', registry: ['a'], pending: [] }]).head;
    const stopped = logOf([SCENARIO, SPAWN, { t: 9, ev: 'end', registry: ['a'], pending: [], stopped: true }]).head;
    expect(phaseOf(ended)).toBe('ended');
    expect(phaseWords(ended).text).toBe('end of scenario');
    expect(phaseOf(stopped)).toBe('stopped');
    expect(phaseWords(stopped).text).toBe('stopped from the Lab');
  });
});

describe('badges and commands', () => {
  it('a running simulation: SIM, LIVE while following, PAUSED when not, commands allowed', () => {
    const s = runStatus(input([SCENARIO, SPAWN]));
    expect([s.mode.text, s.mode.cls, s.cursor.text, s.paused, s.canCommand, s.why]).toEqual(['SIM', 'sim', 'LIVE', false, true, '']);
    const p = runStatus(input([SCENARIO, SPAWN], { follow: false }));
    expect([p.cursor.text, p.paused, p.canCommand]).toEqual(['PAUSED', true, true]);
  });

  it('idle: no green badge, no commands, and says why', () => {
    const s = runStatus(input([], { labMode: 'idle', labRunning: false }));
    expect([s.mode.text, s.cursor.text, s.words.text, s.canCommand, s.canRerun]).toEqual(['IDLE', 'IDLE', 'no run yet', false, false]);
    expect(s.why).toBe('Nothing runs yet: run a scenario from Scenarios.');
  });

  it('an ended live run that is not a replay: no LIVE badge, no PAUSED, and the reason names the end, not a replay', () => {
    const events = [{ ...SCENARIO, mode: 'live' }, SPAWN, { t: 9, ev: 'end', registry: ['a'], pending: [] }];
    const s = runStatus(input(events, { labMode: 'live', labRunning: false, follow: false }));
    expect([s.mode.text, s.mode.cls, s.cursor.text, s.paused, s.canCommand, s.canRerun]).toEqual(['LIVE', 'over', 'ENDED', false, false, true]);
    expect(s.why).toBe('The run reached its end (end of scenario): run it again (Restart) or another scenario.');
    expect(s.why).not.toContain('replay');
  });

  it('after Stop: "stopped from the Lab", not "end of scenario"', () => {
    const s = runStatus(input([SCENARIO, SPAWN, { t: 9, ev: 'end', registry: ['a'], pending: [], stopped: true }], { labRunning: false }));
    expect(s.words.text).toBe('stopped from the Lab');
    expect(s.why).toBe('The run was stopped from the Lab: run it again (Restart) or another scenario.');
  });

  it('replays: opened by the Lab or in the page, never commands', () => {
    const lab = runStatus(input([SCENARIO, SPAWN], { labMode: 'replay', labRunning: false }));
    expect([lab.mode.text, lab.cursor.text, lab.replay, lab.canCommand, lab.canRerun]).toEqual(['REPLAY', 'REPLAY', true, false, false]);
    expect(lab.why).toBe('A replay cannot be changed: run a scenario to send commands.');
    const file = runStatus(input([SCENARIO, SPAWN], { source: 'file' }));
    expect([file.replay, file.canCommand]).toEqual([true, false]);
    expect(file.why).toContain('go back to the Lab');
  });

  it('the words are those at the cursor; commands follow the Lab now', () => {
    const l = logOf([SCENARIO, SPAWN, { t: 5, ev: 'process_shutdown', code: 1, cause: 'a' }]);
    const s = runStatus(input([], { atCursor: l.stateAt(2), atHead: l.head, follow: false }));
    expect(s.words.text).toBe('running');
    expect(s.canCommand).toBe(true);
  });

  it('offline or reconnecting: no commands, each with its reason', () => {
    expect(runStatus(input([SCENARIO], { transport: 'offline' })).why).toContain('No Lab backend');
    const r = runStatus(input([SCENARIO], { connected: false }));
    expect([r.canCommand, r.why]).toEqual([false, 'Reconnecting to the Lab…']);
  });
});
