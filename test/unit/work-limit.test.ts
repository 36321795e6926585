/**
 * A run's work is bounded (issue 10, item 3; DESIGN.md section 7): a scenario that
 * polls every 1e-9 ticks, or polls until an end_at of 1e12, ends at the bound with
 * one `error` event and one problem, in the simulator that the CLI and the app both
 * run; numbers that cannot mean anything are refused by the parser and the CLI.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Lab } from '../../electron/host/lab';
import { runPageserverScenario } from '../../electron/run/run-scenario';
import { workLimitMessage } from '../../electron/core/work-limit';
import { parseScenario } from '../../shared/scenario/parse';
import { parseAnyScenario } from '../../shared/scenario/pageserver-parse';
import { scenario, sim } from '../helpers/sim';
import { cli } from '../helpers/cli';

const poller = (every: number, endAt: number) =>
  scenario({ p: { body: [{ op: 'poll_shutdown', every }] } }, [{ at: 0, do: 'spawn', task: 'p' }], endAt);

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('the bound of a run', () => {
  it('stops a poll every 1e-9 ticks at the bound, with one error event and one problem', async () => {
    const r = await sim(poller(1e-9, 60), { maxSteps: 5000 });
    expect(r.problems).toEqual([workLimitMessage(5000)]);
    const errors = r.q.of('error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ message: workLimitMessage(5000), source: 'sim' });
    expect(r.events.at(-1)).toBe(errors[0]);
    // The run ended long before end_at: the clock barely moved.
    expect(errors[0].t).toBeLessThan(1e-3);
  });

  it('stops a poller under an end_at of 1e12 at the bound', async () => {
    const r = await sim(poller(1, 1e12), { maxSteps: 2000 });
    expect(r.problems).toEqual([workLimitMessage(2000)]);
    expect(r.q.of('await').length).toBeLessThanOrEqual(2000);
  });

  it('does not touch a run that stays under it', async () => {
    const r = await sim(poller(1, 100), { maxSteps: 200 });
    expect(r.problems).toEqual([]);
    expect(r.q.of('end')).toHaveLength(1);
  });

  it('bounds a pageserver scenario too', async () => {
    const s = parseAnyScenario(
      JSON.stringify({
        format: 'taskmgr-pageserver/1',
        name: 'poll',
        pageserver: { tenants: [] },
        tasks: { p: { runtime: 'background', kind: 'Compaction', body: [{ op: 'poll_shutdown', every: 1e-9 }] } },
        steps: [{ at: 0, do: 'spawn', task: 'p' }],
        end_at: 60,
      }),
    );
    if (s.format !== 'taskmgr-pageserver/1') throw new Error('expected a pageserver scenario');
    const r = await runPageserverScenario(s, { maxSteps: 3000 });
    expect(r.problems).toEqual([workLimitMessage(3000)]);
  });
});

describe('numbers that cannot mean anything', () => {
  it('are refused by the parser with the path and the range', () => {
    const base = { format: 'taskmgr-scenario/1', tasks: { p: { runtime: 'background', kind: 'Compaction', body: [{ op: 'sleep', ticks: 1e300 }] } }, steps: [], end_at: 10 };
    expect(() => parseScenario(JSON.stringify(base))).toThrow('$.tasks.p.body[0].ticks: expected a number from 0 to 9007199254740991');
    expect(() => parseScenario(JSON.stringify({ ...base, tasks: {}, end_at: 2 ** 60 }))).toThrow('$.end_at: expected a number from 0 to 9007199254740991');
    expect(() => parseScenario('format: taskmgr-scenario/1\ntasks: {}\nsteps: []\nend_at: .nan\n')).toThrow('$.end_at: expected a number >= 0');
    expect(() => parseScenario('format: taskmgr-scenario/1\ntasks: {}\nsteps: []\nend_at: .inf\n')).toThrow('$.end_at: expected a number >= 0');
  });

  it('are refused by the CLI with one line and exit code 2', async () => {
    expect(await cli('run', 'demo', '--seed', '1e300')).toEqual({ code: 2, out: [], err: ['taskmgr-lab run: --seed: must be at most 4294967295'] });
    expect(await cli('run', 'demo', '--workers', '100000')).toEqual({ code: 2, out: [], err: ['taskmgr-lab run: --workers: must be from 1 to 64'] });
    expect(await cli('run', 'demo', '--tick-ms', '1e12')).toEqual({ code: 2, out: [], err: ['taskmgr-lab run: --tick-ms: must be > 0 and at most 3600000'] });
    expect(await cli('run', 'demo', '--max-steps', '0')).toMatchObject({ code: 2, err: [expect.stringContaining('--max-steps: expected a whole number from 1 to')] });
  });
});

describe('the bound in the CLI and the app', () => {
  it('ends `taskmgr-lab run` with one problem line and exit code 1; --max-steps raises it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'work-limit-'));
    const file = join(dir, 'poll.json');
    writeFileSync(file, JSON.stringify({ format: 'taskmgr-scenario/1', name: 'poll', tasks: { p: { runtime: 'background', kind: 'Compaction', body: [{ op: 'poll_shutdown', every: 1 }] } }, steps: [{ at: 0, do: 'spawn', task: 'p' }], end_at: 3000 }));
    const capped = await cli('run', file, '--quiet', '--max-steps', '1000');
    expect(capped.code).toBe(1);
    expect(capped.err).toEqual([`problem: ${workLimitMessage(1000)}`]);
    const raised = await cli('run', file, '--quiet', '--max-steps', '5000');
    expect(raised).toMatchObject({ code: 0, err: [] });
  });

  it('ends a run of the app at the bound, the error in its log', async () => {
    dir = mkdtempSync(join(tmpdir(), 'work-limit-'));
    const logged: string[] = [];
    const lab = new Lab({ recordingsDir: join(dir, 'rec'), live: false, logger: (l) => logged.push(l), maxSteps: 300 });
    try {
      const text = JSON.stringify({ format: 'taskmgr-scenario/1', name: 'poll', tasks: { p: { runtime: 'background', kind: 'Compaction', body: [{ op: 'poll_shutdown', every: 1e-9 }] } }, steps: [{ at: 0, do: 'spawn', task: 'p' }], end_at: 60 });
      const r = await lab.handle({ type: 'run', scenario: { text, filename: 'poll.json' }, mode: 'sim', tickMs: 1 });
      expect(r.ok).toBe(true);
      const deadline = Date.now() + 20_000;
      while (lab.status().running && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
      expect(lab.status().running).toBe(false);
      expect(lab.events().filter((e) => e.ev === 'error')).toEqual([expect.objectContaining({ message: workLimitMessage(300) })]);
      expect(logged).toContain(`taskmgr-lab: problem in the run: ${workLimitMessage(300)}`);
    } finally {
      await lab.close();
    }
  });
});
