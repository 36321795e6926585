/**
 * One run's tasks inside a pool worker (electron/pools/worker-session.ts): a task
 * started in the coordinator's turn waits for `release` (so a signal of the same
 * turn reaches it before its first step, as in the seed), then runs its template
 * body to `exited`; a task id started twice is a problem, not a second task; an
 * unknown template ends in a panic; `kill` silences the run.
 */
import { describe, expect, it } from 'vitest';
import type { FromWorker } from '../../shared/protocol/worker';
import type { TaskTemplate } from '../../shared/scenario/types';
import { WorkerSession } from '../../electron/pools/worker-session';
import { tpl } from '../helpers/pools';

function session(templates: TaskTemplate[]) {
  const out: FromWorker[] = [];
  let turnsEnded = 0;
  const s = new WorkerSession(7, 'background', 1, Object.fromEntries(templates.map((t) => [t.id, t])), { push: (m) => out.push(m), endTurnNow: () => turnsEnded++ });
  const start = (id: number, template: string) => s.start({ id, label: template, kind: 'Compaction', body: { type: 'template', template } } as never);
  const of = (id: number) => out.filter((m) => 'id' in m && m.id === id).map((m) => (m.t === 'event' ? m.event.ev : m.t === 'exited' ? `exited:${m.outcome}` : m.t));
  const exited = async (id: number) => {
    for (const end = Date.now() + 5000; !out.some((m) => m.t === 'exited' && m.id === id); await new Promise((r) => setTimeout(r, 2))) {
      if (Date.now() > end) throw new Error(`task ${id} did not exit within 5 s: [${of(id).join(', ')}]`);
    }
  };
  return { s, out, start, of, exited, turnsEnded: () => turnsEnded };
}

describe('WorkerSession', () => {
  it('holds a started task until the coordinator turn is released, then runs it to its end', async () => {
    const w = session([tpl('a', [{ op: 'record_kind' }])]);
    w.start(1, 'a');
    expect(w.s.size).toBe(1);
    await new Promise((r) => setTimeout(r, 5));
    expect(w.of(1)).toEqual([]); // not one step before release
    w.s.release();
    await w.exited(1);
    expect(w.of(1)).toEqual(['started', 'kind', 'exited:ok']);
    expect(w.out.every((m) => !('run' in m) || m.run === 7)).toBe(true);
    expect(w.s.size).toBe(0);
  });

  it('lets a signal of the same turn reach a task before its first step', async () => {
    const w = session([tpl('a', [{ op: 'check_shutdown' }])]);
    w.start(1, 'a');
    w.s.signal(1);
    w.s.release();
    await w.exited(1);
    expect(w.out.find((m) => m.t === 'event' && m.id === 1)).toMatchObject({ event: { ev: 'check', value: true } });
  });

  it('reports a task id started twice as a problem, and keeps the first', async () => {
    const w = session([tpl('a', [{ op: 'ok' }])]);
    w.start(1, 'a');
    w.start(1, 'a');
    expect(w.out).toContainEqual({ t: 'problem', run: 7, message: 'task 1 was started twice' });
    w.s.release();
    await w.exited(1);
    expect(w.of(1).filter((m) => m === 'started')).toHaveLength(1);
  });

  it('ends a task whose template is unknown in a panic that names it', async () => {
    const w = session([]);
    w.start(1, 'missing');
    w.s.release();
    await w.exited(1);
    expect(w.out.find((m) => m.t === 'exited')).toEqual({ t: 'exited', run: 7, id: 1, outcome: 'panic', message: 'no task template "missing"' });
  });

  it('silences a killed run: nothing more is sent, nothing more starts', async () => {
    const w = session([tpl('a', [{ op: 'sleep', ticks: 5 }, { op: 'record_kind' }])]);
    w.start(1, 'a');
    w.s.release();
    await new Promise((r) => setTimeout(r, 1));
    w.s.kill();
    const sent = w.out.length;
    w.start(2, 'a');
    w.s.release();
    await new Promise((r) => setTimeout(r, 30)); // both bodies would be long done
    expect(w.out.length).toBe(sent);
    expect(w.s.size).toBe(0);
  });
});
