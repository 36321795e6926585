/**
 * One wording of events (shared/trace/wording.ts): for every event type, the CLI's
 * timeline and the app's Log view give the same level and the same words, and the
 * renderer's event store files the same level from its columns, whether the event
 * was pushed (an object) or read from a recording (bytes).
 */
import { describe, expect, it } from 'vitest';
import { formatTimelineEvent } from '../../electron/cli/timeline';
import { EventStore, LEVELS } from '../../renderer/src/model/event-store';
import { toLogLine } from '../../renderer/src/model/log-line';
import type { AnyEvent, TraceEvent } from '../../shared/trace/events';
import { describeEvent } from '../../shared/trace/wording';
import { SAMPLES } from '../helpers/event-samples';

const ALL: TraceEvent[] = Object.values(SAMPLES).flat();

describe('one wording of events', () => {
  it('the CLI prints, for every event type, the level and the words the app shows', () => {
    for (const e of ALL) {
      const w = describeEvent(e);
      expect(w.text, e.ev).not.toBe('');
      const cli = formatTimelineEvent(e, false, true);
      const app = toLogLine(e, 0);
      expect(cli, e.ev).not.toBeNull();
      expect([app.level, app.what, app.message], e.ev).toEqual([w.level, w.what, w.text]);
      expect(cli, e.ev).toContain(w.text);
      expect(cli, e.ev).toContain(w.what !== '' ? w.what : w.level.toUpperCase());
    }
  });

  it('a crashed process reads the same in both: "process crashed", the worker that died and how', () => {
    const [byKill, byExit] = SAMPLES.process_crash;
    expect(toLogLine(byKill, 0)).toMatchObject({ level: 'error', what: 'process crashed', message: 'background worker 1 (pid 99) died: SIGKILL' });
    expect(formatTimelineEvent(byKill, false)).toMatch(/ process crashed +background worker 1 \(pid 99\) died: SIGKILL$/);
    expect(toLogLine(byExit, 0).message).toBe('walreceiver worker 0 (pid ?) died: exit code 3');
  });

  it('the CLI leaves out what is below info, and task log lines below warn, unless verbose', () => {
    const hidden = ALL.filter((e) => formatTimelineEvent(e, false) === null).map((e) => `${e.ev}${e.ev === 'log' ? ` ${e.level}` : ''}`);
    expect(hidden.sort()).toEqual(['await', 'flush_loop', 'log debug', 'pool_stats', 'shutdown_wait', 'start', 'storage', 'upload_queue'].sort());
  });

  it("the event store files every event's level from its columns, pushed or read from a recording", () => {
    const pushed = new EventStore();
    pushed.appendObjects(ALL);
    const read = new EventStore();
    read.appendText(ALL.map((e) => JSON.stringify(e)).join('\n') + '\n');
    expect(pushed.length).toBe(ALL.length);
    expect(read.length).toBe(ALL.length);
    ALL.forEach((e, i) => {
      const want = describeEvent(e).level;
      expect(LEVELS[pushed.levelOf(i)], `${e.ev} pushed`).toBe(want);
      expect(LEVELS[read.levelOf(i)], `${e.ev} read`).toBe(want);
    });
  });

  it('a recording read line by line gives each line its own level, also where levels are remembered (each upload_queue action, twice)', () => {
    const actions = ['scheduled', 'launched', 'completed', 'dropped', 'stopped', 'barrier_reached', 'stopp\\u0065d', 'paused'];
    const once = [
      ...actions.map((a) => `{"t":1,"ev":"upload_queue","tenant":"t1","timeline":"tl1","action":"${a}","op":"Barrier"}`),
      '{"t":1,"ev":"upload_queue","tenant":"t1","timeline":"tl1","op":"Barrier"}',
      '{"t":1,"ev":"assertion","description":"d","ok":false}',
      '{"t":1,"ev":"assertion","description":"d","ok":true}',
      '{"t":1,"ev":"log","task":"x","level":"warn","message":"m"}',
      '{"t":1,"ev":"log","task":"x","level":"loud","message":"m"}',
    ];
    const lines = [...once, ...once];
    const st = new EventStore();
    st.appendText(lines.join('\n') + '\n');
    expect(st.length).toBe(lines.length);
    lines.forEach((line, i) => expect(LEVELS[st.levelOf(i)], line).toBe(describeEvent(JSON.parse(line) as AnyEvent).level));
    expect(LEVELS[st.levelOf(actions.indexOf('stopp\\u0065d'))]).toBe('info');
  });

  it('an event of a newer type keeps its own level and text, in both', () => {
    const e = { t: 1, ev: 'compaction_level', level: 'warn', message: 'L0 has 40 layers' };
    expect(describeEvent(e)).toEqual({ level: 'warn', what: 'compaction_level', text: 'L0 has 40 layers' });
    const st = new EventStore();
    st.appendObjects([e, { t: 2, ev: 'mystery' }]);
    expect([LEVELS[st.levelOf(0)], LEVELS[st.levelOf(1)]]).toEqual(['warn', 'info']);
  });
});
