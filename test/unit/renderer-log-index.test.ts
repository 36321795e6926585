/**
 * The renderer's cursor-independent indexes (renderer/src/model/log-index.ts), fed
 * through the page's EventLog as a run's events arrive: the log lines (narrations
 * and lints among them), pool statistics, who spawned whom, the tenants, timelines
 * and kinds the filters offer, and the timeline's lanes (one per runtime worker in
 * runtime order, a task per row while it runs, rows reused once free, tasks that
 * never started in their runtime's lane -1); and the count of entries below a cursor.
 */
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../renderer/src/model/event-log';
import { LogIndex } from '../../renderer/src/model/log-index';

const spawn = (t: number, task: string, id: number, runtime: string, extra: object = {}) => ({ t, ev: 'spawn', task, id, kind: 'Compaction', runtime, tenant: 't1', timeline: null, parent: null, ...extra });
const start = (t: number, task: string, runtime: string, worker: number) => ({ t, ev: 'start', task, runtime, worker });
const exit = (t: number, task: string) => ({ t, ev: 'exit', task, outcome: 'ok', message: null });

function indexOf(events: object[]): LogIndex {
  const log = new EventLog(8);
  log.append(events);
  return log.index;
}

describe('LogIndex', () => {
  it('lists log lines, narrations, lints and pool statistics by event index', () => {
    const ix = indexOf([
      { t: 0, ev: 'narration', title: 'Phase 1', text: 'begin' },
      spawn(0, 'a', 1, 'background'),
      { t: 1, ev: 'log', level: 'info', task: 'a', message: 'hello' },
      { t: 2, ev: 'pool_stats', workers: [] },
      { t: 3, ev: 'lint', rule: 'r', message: 'm', tasks: ['a'] },
      { t: 4, ev: 'error', message: 'bad', source: 'pools' },
    ]);
    expect(ix.logLines).toEqual([0, 2, 4, 5]);
    expect(ix.narrations).toEqual([0]);
    expect(ix.lints).toEqual([4]);
    expect(ix.poolStats).toEqual([3]);
  });

  it('knows who spawned whom, and the tenants, timelines and kinds seen', () => {
    const ix = indexOf([
      spawn(0, 'parent', 1, 'background'),
      spawn(1, 'child', 2, 'background', { parent: 'parent', tenant: 't2', timeline: 'l1', kind: 'GarbageCollector' }),
      spawn(1, 'other', 3, 'background', { parent: 'parent' }),
      { t: 2, ev: 'associate', task: 'other', tenant: 't3', timeline: 'l9' },
    ]);
    expect(ix.children.get('parent')).toEqual(['child', 'other']);
    expect([...ix.tenants].sort()).toEqual(['t1', 't2', 't3']);
    expect([...ix.timelines].sort()).toEqual(['l1', 'l9']);
    expect([...ix.kinds].sort()).toEqual(['Compaction', 'GarbageCollector']);
  });

  it('lays tasks out in a lane per runtime worker, in runtime order, reusing free rows', () => {
    const ix = indexOf([
      spawn(0, 'bg', 1, 'background'),
      spawn(0, 'c1', 2, 'compute_request'),
      spawn(0, 'c2', 3, 'compute_request'),
      spawn(0, 'c3', 4, 'compute_request'),
      start(1, 'bg', 'background', 0),
      start(1, 'c1', 'compute_request', 1),
      start(2, 'c2', 'compute_request', 1),
      exit(3, 'c1'),
      start(4, 'c3', 'compute_request', 1),
    ]);
    expect(ix.lanes.map((l) => l.key)).toEqual(['compute_request:1', 'background:0']);
    const lane = ix.lanes[0];
    expect(lane.names).toEqual(['c1', 'c2', 'c3']);
    expect(lane.row).toEqual([0, 1, 0]); // c3 takes the row c1 left
    expect(lane.startT).toEqual([1, 2, 4]);
    expect(ix.placement('c2')).toEqual({ lane, slot: 1 });
    expect(ix.placement('nobody')).toBeUndefined();
  });

  it("puts a task that ended without starting in its runtime's lane -1, from spawn to exit", () => {
    const ix = indexOf([spawn(2, 'never', 1, 'walreceiver'), exit(7, 'never')]);
    expect(ix.lanes.map((l) => [l.key, l.worker, l.startT[0], l.freeAt[0]])).toEqual([['walreceiver:-1', -1, 2, 7]]);
  });

  it('counts the entries of an index below a cursor', () => {
    expect(LogIndex.countBelow([1, 4, 9, 16], 0)).toBe(0);
    expect(LogIndex.countBelow([1, 4, 9, 16], 9)).toBe(2);
    expect(LogIndex.countBelow([1, 4, 9, 16], 100)).toBe(4);
    expect(LogIndex.countBelow([], 5)).toBe(0);
  });
});
