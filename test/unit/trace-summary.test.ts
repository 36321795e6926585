/**
 * The TypeScript summary (shared/trace/summary.ts) against the reference script
 * (test/fixtures/conformance/compare.mjs): on every example trace and on perturbed
 * copies of them, summarize/check/diff must give exactly what compare.mjs gives.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJsonl, type ParsedEvent } from '../../shared/trace/jsonl';
import { check, compareTraces, deepStrictEqual, diff, summarize, untilExit } from '../../shared/trace/summary';

type Ev = Record<string, unknown> & { ev: string; line?: number };

/** The exports of compare.mjs (an untyped ES module). */
interface CompareModule {
  readTrace(path: string): Ev[];
  untilExit(events: Ev[]): Ev[];
  summarize(events: Ev[]): unknown;
  check(events: Ev[]): string[];
  diff(expected: unknown, actual: unknown): string[];
}

const DIR = join(__dirname, '../fixtures/conformance');
const FIXTURES = readdirSync(DIR)
  .filter((f) => f.endsWith('.expected.jsonl'))
  .sort();

let ref: CompareModule;
beforeAll(async () => {
  const url: string = pathToFileURL(join(DIR, 'compare.mjs')).href;
  ref = (await import(/* @vite-ignore */ url)) as CompareModule;
});

const clone = (events: Ev[]): Ev[] => structuredClone(events);

/** Perturbations of a trace, each a new event list (line numbers kept, new events get the next ones). */
function perturbations(events: Ev[]): Array<[string, Ev[]]> {
  const out: Array<[string, Ev[]]> = [];
  const lastLine = Math.max(...events.map((e) => e.line ?? 0));
  const labels = events.filter((e) => e.ev === 'shutdown_begin').map((e) => String(e.label));

  const exitAt = events.findIndex((e) => e.ev === 'exit');
  if (exitAt >= 0) out.push(['drop the first exit', events.filter((_, i) => i !== exitAt)]);
  const lastExit = events.map((e) => e.ev).lastIndexOf('exit');
  if (lastExit >= 0) out.push(['drop the last exit', events.filter((_, i) => i !== lastExit)]);

  const endAt = events.findIndex((e) => e.ev === 'shutdown_end');
  if (endAt >= 0) {
    const more = clone(events);
    more[endAt].victims = [...(more[endAt].victims as string[]), 'intruder'];
    out.push(['add a victim', more]);
    const fewer = clone(events);
    fewer[endAt].victims = (fewer[endAt].victims as string[]).slice(1);
    out.push(['drop a victim', fewer]);
    const waited = clone(events);
    waited[endAt].waited = ['nobody'];
    out.push(['wait for a non-victim', waited]);
    const endOnly = clone(events);
    endOnly[endAt].label = `${String(endOnly[endAt].label)} (renamed)`;
    out.push(['rename the label of an end only', endOnly]);
  }
  if (labels.length) {
    const renamed = clone(events).map((e) => {
      for (const key of ['label', 'by'] as const) if (e[key] === labels[0]) e[key] = 'renamed call';
      return e;
    });
    out.push(['rename a label everywhere', renamed]);
    const late = clone(events);
    late.push({ t: 999, ev: 'signal', task: 'late', by: labels[0], line: lastLine + 1 });
    out.push(['add a signal after the end', late]);
    const again = clone(events);
    const begin = again.find((e) => e.ev === 'shutdown_begin') as Ev;
    again.push({ ...begin, t: 998, line: lastLine + 1 });
    out.push(['begin a label twice', again]);
  }
  const unknown = clone(events);
  unknown.push({ t: 999, ev: 'signal', task: 'ghost', by: 'never called', line: lastLine + 1 });
  out.push(['signal by an unknown call', unknown]);

  const end = events.findIndex((e) => e.ev === 'end');
  if (end >= 0) {
    const reg = clone(events);
    reg[end].registry = ['zombie'];
    reg[end].pending = ['phantom'];
    out.push(['wrong end registry and pending', reg]);
  }
  const spawnAt = events.findIndex((e) => e.ev === 'spawn');
  if (spawnAt >= 0) {
    const changed = clone(events);
    Object.assign(changed[spawnAt], { id: 42, tenant: 'other', parent: 'someone' });
    out.push(['change a spawn', changed]);
  }
  const obs = clone(events);
  obs.push({ t: 999, ev: 'kind', task: null, kind: 'Compaction', line: lastLine + 1 });
  obs.push({ t: 999, ev: 'check', task: 'x', value: true, line: lastLine + 2 });
  obs.push({ t: 999, ev: 'inject', task: 'x', fault: 'panic', applied: false, line: lastLine + 3 });
  obs.push({ t: 999, ev: 'snapshot', label: 'late', tasks: ['b', 'a'], line: lastLine + 4 });
  obs.push({ t: 999, ev: 'process_shutdown', code: 1, cause: 'x', line: lastLine + 5 });
  out.push(['add observations', obs]);
  const exited = clone(events).filter((e) => e.ev !== 'end');
  exited.push({ t: 999, ev: 'process_exit', code: 3, line: lastLine + 1 });
  exited.push({ t: 999, ev: 'exit', task: 'after', outcome: 'ok', message: null, line: lastLine + 2 });
  exited.push({ t: 999, ev: 'signal', task: 'after', by: 'after', line: lastLine + 3 });
  out.push(['exit the process, then more events', exited]);
  const killed = clone(events);
  killed.push({ t: 999, ev: 'exit', task: 'k', outcome: 'killed', message: null, line: lastLine + 1 });
  out.push(['a killed exit', killed]);
  const errored = clone(events).map((e) =>
    e.ev === 'exit' && e.outcome === 'ok' ? { ...e, outcome: 'error', message: 'boom' } : e,
  );
  out.push(['turn ok exits into errors', errored]);
  return out;
}

describe('summary port against compare.mjs', () => {
  it('finds the example traces', () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(12);
  });

  for (const file of FIXTURES) {
    describe(file, () => {
      const path = join(DIR, file);

      it('reads the same events as readTrace (jsonl reader)', () => {
        const mine: ParsedEvent[] = parseJsonl(readFileSync(path, 'utf8')).events;
        expect(mine).toStrictEqual(ref.readTrace(path));
      });

      it('summarizes and checks like compare.mjs', () => {
        const events = ref.readTrace(path);
        expect(summarize(events)).toStrictEqual(ref.summarize(events));
        expect(check(events)).toStrictEqual(ref.check(events));
        expect(check(events)).toStrictEqual([]);
        expect(untilExit(events)).toStrictEqual(ref.untilExit(events));
        expect(diff(summarize(events), summarize(events))).toStrictEqual([]);
        // JSON text equal too: same key order everywhere.
        expect(JSON.stringify(summarize(events))).toBe(JSON.stringify(ref.summarize(events)));
      });

      it('gives the same diff and check on perturbed traces', () => {
        const events = ref.readTrace(path);
        const cases = perturbations(events);
        expect(cases.length).toBeGreaterThanOrEqual(5);
        let differing = 0;
        for (const [what, changed] of cases) {
          const mine = diff(summarize(events), summarize(changed));
          const theirs = ref.diff(ref.summarize(events), ref.summarize(changed));
          expect(mine, what).toStrictEqual(theirs);
          expect(diff(summarize(changed), summarize(events)), what).toStrictEqual(
            ref.diff(ref.summarize(changed), ref.summarize(events)),
          );
          expect(check(changed), what).toStrictEqual(ref.check(changed));
          expect(summarize(changed), what).toStrictEqual(ref.summarize(changed));
          expect(compareTraces(events, changed), what).toStrictEqual([
            ...ref.check(events).map((p) => `expected trace: ${p}`),
            ...ref.check(changed).map((p) => `actual trace: ${p}`),
            ...theirs,
          ]);
          if (mine.length || check(changed).length) differing++;
        }
        expect(differing).toBeGreaterThanOrEqual(cases.length / 2);
      });

      it('numbers events without a line by their index + 1', () => {
        const events = ref.readTrace(path);
        const cases = [['as is', events] as [string, Ev[]], ...perturbations(events)];
        for (const [what, changed] of cases) {
          const indexed = changed.map((e, i) => ({ ...e, line: i + 1 }));
          const bare = changed.map(({ line: _line, ...rest }) => rest as Ev);
          expect(check(bare), what).toStrictEqual(ref.check(indexed));
        }
      });
    });
  }
});

describe('summary details', () => {
  it('reports named problems as compare.mjs words them', () => {
    const events: Ev[] = [
      { t: 0, ev: 'spawn', task: 'a', id: 1, kind: 'Compaction', runtime: 'background', tenant: null, timeline: null, parent: null },
      { t: 1, ev: 'shutdown_begin', label: 'x', kind: null, tenant: null, timeline: null, caller: null },
      { t: 1, ev: 'signal', task: 'a', by: 'x' },
      { t: 2, ev: 'shutdown_end', label: 'x', victims: ['a'], waited: ['a'] },
      { t: 3, ev: 'end', registry: [], pending: [] },
    ];
    expect(check(events)).toEqual([
      'line 4: call "x" waited for a, which had not exited',
      'line 5: end registry [] but running tasks are ["a"]',
    ]);
  });

  it('summarizes task names that are Object.prototype members as plain names', () => {
    const events: Ev[] = [
      { t: 0, ev: 'spawn', task: '__proto__', id: 1, kind: 'Compaction', runtime: 'background', tenant: 't', timeline: null, parent: null },
      { t: 0, ev: 'spawn', task: 'constructor', id: 2, kind: 'Compaction', runtime: 'background', tenant: 't', timeline: null, parent: null },
      { t: 1, ev: 'shutdown_begin', label: 'toString', kind: null, tenant: null, timeline: null, caller: null },
      { t: 1, ev: 'signal', task: 'constructor', by: 'toString' },
      { t: 1, ev: 'signal', task: '__proto__', by: 'toString' },
      { t: 2, ev: 'exit', task: 'constructor', outcome: 'ok', message: null },
      { t: 2, ev: 'exit', task: '__proto__', outcome: 'ok', message: null },
      { t: 2, ev: 'shutdown_end', label: 'toString', victims: ['__proto__', 'constructor'], waited: [] },
      { t: 3, ev: 'check', task: 'hasOwnProperty', value: false },
    ];
    const s = summarize(events);
    expect(Object.keys(s.tasks)).toEqual(['__proto__', 'constructor']);
    expect(Object.hasOwn(s.tasks, '__proto__')).toBe(true);
    const ctor: string = 'constructor';
    expect(s.tasks[ctor].signalled_by).toEqual(['toString']);
    expect(s.shutdowns.toString).toEqual({ completed: true, victims: ['__proto__', 'constructor'], waited: [] });
    expect(s.observations.hasOwnProperty).toEqual([['check', false]]);
    expect(({} as Record<string, unknown>).id).toBeUndefined(); // nothing leaked into Object.prototype
    expect(check(events)).toEqual([]);
    const other = summarize(events.filter((e) => e.task !== 'constructor'));
    expect(diff(s, other)).toContain('task constructor: spawned: expected true, actual false');
  });

  it('deepStrictEqual follows util.isDeepStrictEqual on JSON values', () => {
    expect(deepStrictEqual([1, 'a', null], [1, 'a', null])).toBe(true);
    expect(deepStrictEqual(0, -0)).toBe(false);
    expect(deepStrictEqual(Number.NaN, Number.NaN)).toBe(true);
    expect(deepStrictEqual({ a: undefined }, {})).toBe(false);
    expect(deepStrictEqual({ a: 1, b: [2] }, { b: [2], a: 1 })).toBe(true);
    expect(deepStrictEqual([1], { 0: 1 })).toBe(false);
    expect(deepStrictEqual(undefined, null)).toBe(false);
  });
});
