/**
 * How a run's process ended, and what the reports say about it (issue 9, "Also"):
 * a process whose live worker died crashed. It is neither still running nor exited
 * with a code, and neither the CLI's summary nor an `exit_code` expectation (of a
 * task_mgr scenario or a pageserver scenario) may say or accept either.
 */
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../shared/trace/events';
import { describeProcessEnd, processEnd, processEnds } from '../../shared/trace/process-end';
import { checkScenarioExpect } from '../../shared/scenario/expect-check';
import { formatSummary } from '../../electron/cli/summary-report';
import { checkExpectation } from '../../electron/pageserver/expectations';
import type { PageserverLab } from '../../electron/pageserver/lab';

const spawn = (t: number, task: string, id: number): TraceEvent => ({
  t,
  ev: 'spawn',
  task,
  id,
  kind: 'Compaction',
  runtime: 'background',
  tenant: 't1',
  timeline: null,
  parent: null,
});
const CRASH: TraceEvent = { t: 12, ev: 'process_crash', runtime: 'walreceiver', worker: 1, pid: 4242, exit_code: null, signal: 'SIGKILL' };
const CRASHED = 'crashed: walreceiver worker 1 (pid 4242) died of SIGKILL, no exit code';

/** A live run whose walreceiver worker was killed: the tasks still registered end `killed`. */
const crashed: TraceEvent[] = [
  { t: 0, ev: 'scenario', name: 'crash', tick_ms: 20, mode: 'live' },
  spawn(0, 'gc', 1),
  spawn(0, 'done', 2),
  { t: 3, ev: 'exit', task: 'done', outcome: 'ok', message: null },
  CRASH,
  { t: 12, ev: 'exit', task: 'gc', outcome: 'killed', message: null },
];
const exited: TraceEvent[] = [spawn(0, 'gc', 1), { t: 5, ev: 'process_shutdown', code: 0, cause: null }, { t: 6, ev: 'process_exit', code: 0 }, { t: 6, ev: 'exit', task: 'gc', outcome: 'killed', message: null }];
const running: TraceEvent[] = [spawn(0, 'gc', 1), { t: 50, ev: 'end', registry: ['gc'], pending: [] }];

describe('processEnd', () => {
  it('tells an exit, a crash and a process still running apart', () => {
    expect(processEnd(exited)).toEqual({ how: 'exited', code: 0 });
    expect(processEnd(running)).toEqual({ how: 'running' });
    expect(processEnd(crashed)).toEqual({ how: 'crashed', crash: { runtime: 'walreceiver', worker: 1, pid: 4242, exit_code: null, signal: 'SIGKILL' } });
    expect(describeProcessEnd(processEnd(crashed))).toBe(CRASHED);
    expect(describeProcessEnd({ how: 'crashed', crash: { runtime: 'background', worker: 0, pid: null, exit_code: 3, signal: null } })).toBe(
      'crashed: background worker 0 (pid ?) exited with code 3, no exit code',
    );
  });

  it('keeps each process lifetime of a pageserver run apart', () => {
    const events: TraceEvent[] = [
      { t: 0, ev: 'process_start', process: 1, label_suffix: '' },
      CRASH,
      { t: 20, ev: 'process_start', process: 2, label_suffix: ' @2' },
      { t: 30, ev: 'process_exit', code: 1 },
      { t: 40, ev: 'process_start', process: 3, label_suffix: ' @3' },
    ];
    const ends = processEnds(events);
    expect(ends.get(1)?.how).toBe('crashed');
    expect(ends.get(2)).toEqual({ how: 'exited', code: 1 });
    expect(ends.has(3)).toBe(false);
  });
});

describe('the reports of a crashed process', () => {
  it('the CLI summary says the process crashed and its tasks were killed, not that they run', () => {
    const lines = formatSummary(crashed, false);
    expect(lines.at(-1)).toBe(`  process: ${CRASHED}`);
    expect(lines.filter((l) => l.includes('running'))).toEqual([]);
    expect(lines.find((l) => l.includes('task gc'))).toMatch(/#1 +killed/);
    expect(lines.find((l) => l.includes('task done'))).toMatch(/#2 +ok/);
    expect(formatSummary(exited, false).at(-1)).toBe('  process: exited with code 0');
    expect(formatSummary(running, false).at(-1)).toBe('  process: still running at end_at');
    expect(formatSummary(running, false).find((l) => l.includes('task gc'))).toMatch(/#1 +running/);
  });

  it('an exit_code expectation of a task_mgr scenario fails on a crash, naming it', () => {
    const results = checkScenarioExpect([{ exit_code: null }, { exit_code: 0 }, { exit_code: 137 }], crashed);
    expect(results.map((r) => `${r.ok} ${r.description}: ${r.detail}`)).toEqual([
      `false the process is still running: ${CRASHED}`,
      `false the process exits with code 0: ${CRASHED}`,
      `false the process exits with code 137: ${CRASHED}`,
    ]);
    expect(checkScenarioExpect([{ exit_code: 0 }], exited)[0].ok).toBe(true);
    expect(checkScenarioExpect([{ exit_code: null }], running)[0].ok).toBe(true);
  });

  it('an exit_code expectation of a pageserver scenario fails on a crash, naming it', () => {
    const lab = { processes: [{}] } as unknown as PageserverLab;
    const events: TraceEvent[] = [{ t: 0, ev: 'process_start', process: 1, label_suffix: '' }, ...crashed];
    const still = checkExpectation({ exit_code: null }, lab, events);
    expect(still).toEqual({ description: 'process 1 is still running', ok: false, detail: CRASHED });
    expect(checkExpectation({ exit_code: 0, process: 1 }, lab, events)).toEqual({ description: 'process 1 exits with code 0', ok: false, detail: CRASHED });
    expect(checkExpectation({ exit_code: 0, process: 1 }, lab, exited).ok).toBe(true);
  });
});
