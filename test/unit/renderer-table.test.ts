// @vitest-environment happy-dom
/**
 * The Tasks table's query: text terms (bare and field:value), facets, stable
 * sorting on every column in both directions with missing values last, facet
 * counts, and the Task view model's figures (age, time since shutdown requested).
 */
import { describe, expect, it } from 'vitest';
import demoTrace from '../e2e/fixtures/demo.jsonl?raw';
import { EventLog } from '../../renderer/src/model/event-log';
import { awaitText } from '../../renderer/src/model/shutdown-call';
import { facetCounts, NO_FACETS, parseTaskFilter, sortTasks, type SortKey, taskMatcher } from '../../renderer/src/model/table-query';
import { Task } from '../../renderer/src/model/task';

const log = new EventLog(16);
log.appendText(demoTrace);
const ctx = { thresholdTicks: 20, calls: log.head.calls, awaitText: (i: number) => awaitText(log.store, i) };

/** The demo at t=32: detach t1 has happened, the pageserver shutdown has not. */
function tasksAt(t: number): Task[] {
  const s = log.stateAt(log.cursorForTime(t));
  return [...s.exited.slice(0, s.exitedCount), ...s.live.values()].map((r) => new Task(r, t, ctx));
}

const names = (ts: Task[]) => ts.map((t) => t.name);

describe('filter', () => {
  const all = tasksAt(32);
  it('a filter that cannot mean anything says what is wrong, where, and what is allowed, and is not applied', () => {
    const err = (text: string) => {
      const p = parseTaskFilter(text);
      if (p.ok) throw new Error(`${text} parsed`);
      return p.error;
    };
    expect(err('state:bogus')).toEqual({
      term: 'state:bogus',
      at: 6,
      message: 'no state contains "bogus"',
      allowed: expect.stringContaining('shutdown_requested (shutdown requested)'),
    });
    expect(err('gc foo:bar')).toMatchObject({ term: 'foo:bar', at: 3, message: '"foo" is not a field', allowed: expect.stringContaining('kind: runtime: tenant:') });
    expect(err('id:abc')).toMatchObject({ at: 3, message: expect.stringContaining('whole number'), allowed: 'id:<number>, for example id:12' });
    expect(err('(((')).toMatchObject({ at: 0, message: '"(" has no meaning in a filter (no grouping, quotes or operators)' });
    expect(err('kind:')).toMatchObject({ message: 'kind: needs a value', allowed: expect.stringContaining('LayerFlushTask') });
    expect(err('kind:nosuch')).toMatchObject({ message: 'no kind contains "nosuch"' });
    // Not applied: every task shows, rather than none.
    expect(all.filter(taskMatcher('state:bogus', NO_FACETS))).toHaveLength(all.length);
    // What is valid parses, including a runtime with its worker and a state's label.
    for (const ok of ['gc', 'runtime:background/1', 'state:shutdown', 'state:panicked', 'kind:compaction id:12', 'tenant:t9', 'flush t2/l1']) expect(parseTaskFilter(ok).ok, ok).toBe(true);
  });
  it('a bare term matches any field', () => {
    expect(names(all.filter(taskMatcher('gc', NO_FACETS))).sort()).toEqual(['gc t1', 'gc t2']);
    expect(names(all.filter(taskMatcher('LayerFlush', NO_FACETS))).sort()).toEqual(['flush t1/l1', 'flush t2/l1']);
  });
  it('field:value terms match one field, and all terms must match', () => {
    expect(names(all.filter(taskMatcher('tenant:t2 kind:garbage', NO_FACETS)))).toEqual(['gc t2']);
    expect(names(all.filter(taskMatcher('state:running runtime:walreceiver', NO_FACETS)))).toEqual(['walreceiver t2']);
    expect(names(all.filter(taskMatcher('id:12', NO_FACETS)))).toEqual(['upload t2/l1']);
  });
  it('facets pick exact values', () => {
    const f = { ...NO_FACETS, kind: 'Compaction', state: 'ok' as const };
    expect(names(all.filter(taskMatcher('', f)))).toEqual(['compaction t1']);
    expect(all.filter(taskMatcher('', { ...NO_FACETS, tenant: 't1' }))).toHaveLength(5); // the page handler joined t1 by associate
  });
  it('facet counts count each value', () => {
    const c = facetCounts(all);
    expect(c.tenant.get('t1')).toBe(5);
    expect(c.state.get('ok')).toBe(5);
    expect(c.runtime.get('background')).toBe(7);
  });
});

describe('sort', () => {
  const keys: SortKey[] = ['id', 'state', 'name', 'kind', 'placement', 'tenant', 'timeline', 'spawn', 'age', 'sinceShutdown', 'warnings'];
  it('every column sorts, and inverting reverses the order of present values', () => {
    const all = tasksAt(50);
    for (const key of keys) {
      const up = sortTasks([...all], { key, descending: false });
      const down = sortTasks([...all], { key, descending: true });
      expect(up).toHaveLength(all.length);
      const present = (ts: Task[]) => ts.filter((t) => !(key === 'sinceShutdown' && t.sinceShutdownRequested === null) && !(key === 'tenant' && t.tenant === null) && !(key === 'timeline' && t.timeline === null) && !(key === 'warnings' && t.warnings.length === 0));
      const a = present(up);
      const d = present(down);
      // Equal keys keep id order in both directions; so compare the key sequence.
      const val = (t: Task) => ({ id: t.id, state: t.stateOrder, name: t.name, kind: t.kind, placement: t.placement, tenant: t.tenant, timeline: t.timeline, spawn: t.rec.spawnIdx, age: t.age, sinceShutdown: t.sinceShutdownRequested, warnings: t.warnings.length })[key];
      expect(a.map(val), key).toEqual([...d.map(val)].reverse());
    }
  });
  it('missing values go last in both directions', () => {
    const all = tasksAt(32);
    for (const descending of [false, true]) {
      const s = sortTasks([...all], { key: 'sinceShutdown', descending });
      const firstNull = s.findIndex((t) => t.sinceShutdownRequested === null);
      expect(firstNull).toBeGreaterThan(0);
      expect(s.slice(firstNull).every((t) => t.sinceShutdownRequested === null)).toBe(true);
    }
  });
  it('sorts 10k tasks by name', () => {
    const base = tasksAt(32);
    const many: Task[] = [];
    for (let i = 0; i < 10_000; i++) many.push(new Task({ ...base[i % base.length].rec, id: i + 1, name: `task ${(i * 7919) % 10_000}` }, 32, ctx));
    const sorted = sortTasks(many, { key: 'name', descending: false });
    expect(sorted.every((t, i) => i === 0 || sorted[i - 1].name <= t.name)).toBe(true);
  });
});

describe('Task view model', () => {
  it('computes its state, age and time since shutdown was requested at the cursor', () => {
    const at32 = new Map(tasksAt(32).map((t) => [t.name, t]));
    const gc = at32.get('gc t1')!;
    expect(gc.state).toBe('ok');
    expect(gc.age).toBe(28); // spawned at 2, exited at 30
    expect(gc.sinceShutdownRequested).toBe(0);
    const upload = at32.get('upload t2/l1')!;
    expect(upload.state).toBe('running');
    expect(upload.age).toBe(22);
    expect(upload.sinceShutdownRequested).toBeNull();
    expect(upload.placement).toBe('background/0');
    const at62 = new Map(tasksAt(62).map((t) => [t.name, t]));
    expect(at62.get('upload t2/l1')!.state).toBe('shutdown_requested');
    expect(at62.get('upload t2/l1')!.sinceShutdownRequested).toBe(2);
  });
});
