// @vitest-environment happy-dom
/**
 * The "why is it stuck" view model: for every unfinished shutdown_tasks call, the
 * victim it joins now and what that victim awaits, with hung waits flagged after a
 * threshold; and the lints that point at the same races from the task's side.
 */
import { describe, expect, it } from 'vitest';
import hungTrace from '../e2e/fixtures/hung.jsonl?raw';
import demoTrace from '../e2e/fixtures/demo.jsonl?raw';
import { EventLog } from '../../renderer/src/model/event-log';
import { awaitText, callViews, eventMessage } from '../../renderer/src/model/shutdown-call';
import { lintTask } from '../../renderer/src/model/lints';
import { Task } from '../../renderer/src/model/task';
import { findTask } from '../../renderer/src/model/lab-state';

function logOf(text: string): EventLog {
  const l = new EventLog(8);
  l.appendText(text);
  return l;
}
function logOfEvents(events: object[]): EventLog {
  const l = new EventLog(8);
  l.append(events);
  return l;
}
const spawn = (task: string, id: number, extra: object = {}) => ({ t: 0, ev: 'spawn', task, id, kind: 'Compaction', runtime: 'background', tenant: 't1', timeline: null, parent: null, ...extra });

describe('stuck view', () => {
  it('names the victim an unfinished call waits on and what that victim awaits', () => {
    const log = logOf(hungTrace);
    const views = callViews(log.head, log.store, log.head.t, 20);
    expect(views).toHaveLength(1);
    const c = views[0];
    expect(c.status).toBe('waiting');
    expect(c.victim?.name).toBe('load');
    expect(c.victimAwaits).toBe('a future that never completes and ignores shutdown');
    expect(c.waitingFor).toBe(30); // waiting since t=10, the trace ends at t=40
    expect(c.hung).toBe(true);
    expect(c.explanation).toMatch(/waiting for load \(InitialLoad\) to exit; it has not observed the signal; it awaits: a future that never completes/);
    expect(c.victims.map((v) => [v.name, v.state, v.current])).toEqual([
      ['load', 'shutdown_requested', true],
      ['gc', 'ok', false],
    ]);
    expect(c.filterText).toBe('kind=* tenant=t1 timeline=*');
  });

  it('is not hung below the threshold, and is hung from it on', () => {
    const log = logOf(hungTrace);
    // At t=29 the join has lasted 19 ticks; the snapshot at t=30 makes it 20.
    const at = (t: number) => log.cursorForTime(t);
    expect(callViews(log.stateAt(at(29)), log.store, 29, 20)[0].hung).toBe(false);
    expect(callViews(log.stateAt(at(30)), log.store, 30, 20)[0].hung).toBe(true);
  });

  it('a finished call is done and no longer stuck', () => {
    const log = logOf(demoTrace);
    const views = callViews(log.head, log.store, log.head.t, 20);
    expect(views.every((v) => v.finished)).toBe(true);
    const detach = views.find((v) => v.label === 'detach t1')!;
    expect(detach.status).toBe('done');
    expect(detach.explanation).toBe('done: signalled 5, waited for 5');
    expect(detach.hung).toBe(false);
  });

  it('says when the join handle was already taken, and when a call is still signalling', () => {
    const log = logOfEvents([
      spawn('a', 1),
      { t: 0, ev: 'start', task: 'a', worker: 0 },
      { t: 1, ev: 'shutdown_begin', label: 'one', kind: null, tenant: 't1', timeline: null, caller: null },
      { t: 1, ev: 'signal', task: 'a', by: 'one' },
      { t: 2, ev: 'shutdown_begin', label: 'two', kind: null, tenant: 't1', timeline: null, caller: null },
      { t: 2, ev: 'shutdown_wait', label: 'one', task: 'a', took_handle: true },
      { t: 2, ev: 'shutdown_wait', label: 'two', task: 'a', took_handle: false },
    ]);
    const [one, two] = callViews(log.head, log.store, 50, 20);
    expect(one.hung).toBe(true);
    expect(two.hung).toBe(false);
    expect(two.explanation).toMatch(/join handle was taken/);
    const early = callViews(log.stateAt(4), log.store, 1, 20);
    expect(early[0].status).toBe('signalling');
    expect(early[0].waitingFor).toBeNull();
  });

  it('an abandoned call is finished', () => {
    const log = logOfEvents([
      { t: 0, ev: 'shutdown_begin', label: 'x', kind: 'Compaction', tenant: null, timeline: null, caller: 'gc' },
      { t: 3, ev: 'shutdown_abandoned', label: 'x', caller: 'gc' },
    ]);
    const [x] = callViews(log.head, log.store, 3, 20);
    expect(x.status).toBe('abandoned');
    expect(x.caller).toBe('gc');
    expect(x.duration).toBe(3);
  });
});

describe('task lints', () => {
  const ctx = (log: EventLog, threshold = 20) => ({
    thresholdTicks: threshold,
    calls: log.head.calls,
    awaitText: (i: number) => awaitText(log.store, i),
    exitMessage: (i: number) => eventMessage(log.store, i),
  });

  it('a signal not observed for the threshold is a warning, with how long ago and by whom', () => {
    const log = logOf(hungTrace);
    const load = new Task(findTask(log.head, 'load')!, 40, ctx(log));
    const texts = lintTask(load, ctx(log)).map((w) => w.text);
    expect(texts).toContain('signalled 30 ticks ago by "detach t1" and not observed');
    expect(texts).toContain('shutdown_tasks "detach t1" has waited 30 ticks for it to exit');
    expect(load.awaitWhat).toBe('a future that never completes and ignores shutdown');
    const quiet = new Task(findTask(log.head, 'load')!, 40, ctx(log, 31));
    expect(quiet.warnings).toHaveLength(0);
  });

  it('a task registered after a matching call took its snapshot is flagged as missed', () => {
    const log = logOfEvents([
      spawn('a', 1),
      { t: 1, ev: 'shutdown_begin', label: 'detach t1', kind: null, tenant: 't1', timeline: null, caller: null },
      { t: 1, ev: 'signal', task: 'a', by: 'detach t1' },
      spawn('late', 2, { t: 2 }),
      { t: 3, ev: 'spawn', task: 'other', id: 3, kind: 'Compaction', runtime: 'background', tenant: 't2', timeline: null, parent: null },
    ]);
    const late = new Task(findTask(log.head, 'late')!, 5, ctx(log));
    expect(late.warnings.map((w) => w.lint)).toContain('missed-by-shutdown');
    expect(late.warnings.find((w) => w.lint === 'missed-by-shutdown')!.text).toMatch(/registered after its snapshot/);
    const other = new Task(findTask(log.head, 'other')!, 5, ctx(log));
    expect(other.warnings.map((w) => w.lint)).not.toContain('missed-by-shutdown');
  });

  it('panics and errors are warnings of severity error; shutdown_process_on_error says it escalates', () => {
    const log = logOfEvents([
      spawn('l', 1, { shutdown_process_on_error: true }),
      { t: 1, ev: 'exit', task: 'l', outcome: 'panic', message: 'boom' },
    ]);
    const w = new Task(findTask(log.head, 'l')!, 1, ctx(log)).warnings;
    expect(w.map((x) => [x.lint, x.severity])).toEqual([
      ['panicked', 'error'],
      ['shutdown-process-on-error', 'error'],
    ]);
    expect(w[0].text).toBe('panicked: boom');
  });
});
