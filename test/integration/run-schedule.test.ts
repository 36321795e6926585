/**
 * `taskmgr-lab run FILE|NAME --schedule S.json` (docs/explorer.md): a schedule
 * replays byte for byte (twice the same trace, and not the default one), a schedule
 * made for another scenario is refused with one line and exit 2, and so is a file
 * that is not a schedule.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../electron/cli/load-scenario';
import { RandomDecider, RecordingDecider } from '../../electron/explore/deciders';
import { runScenarioOnce } from '../../electron/explore/run-schedule';
import { defaultSeed, makeSchedule } from '../../electron/explore/schedule-file';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const dir = tempDir('taskmgr-run-schedule-');

async function randomSchedule(name: string, seed: number): Promise<string> {
  const scenario = loadScenario(name).scenario;
  const rec = new RecordingDecider(new RandomDecider(seed, 0.2));
  await runScenarioOnce(scenario, { decider: rec });
  const path = join(dir, `${name}-${seed}.schedule.json`);
  writeFileSync(path, JSON.stringify(makeSchedule(scenario, { seed: defaultSeed(scenario), strategy: 'random', jitter: 0.2, decisions: rec.decisions }), null, 2));
  return path;
}

describe('run --schedule', () => {
  it.each(['demo', 'race-s17-queue-used-after-stop'])('replays a schedule of %s byte for byte', async (name) => {
    const schedule = await randomSchedule(name, 5);
    const traces: string[] = [];
    for (const k of [1, 2]) {
      const trace = join(dir, `${name}-${k}.jsonl`);
      await cli('run', name, '--schedule', schedule, '--trace', trace, '--quiet');
      traces.push(readFileSync(trace, 'utf8'));
    }
    expect(traces[1]).toBe(traces[0]);
    const plain = join(dir, `${name}-plain.jsonl`);
    await cli('run', name, '--trace', plain, '--quiet');
    expect(readFileSync(plain, 'utf8')).not.toBe(traces[0]);
  });

  it('refuses a schedule made for another scenario with one line (exit 2)', async () => {
    const schedule = await randomSchedule('demo', 1);
    const r = await cli('run', 'race-s19-two-shutdowns', '--schedule', schedule, '--quiet');
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toEqual([`taskmgr-lab run: ${schedule} was made for scenario "demo", not "race-s19-two-shutdowns"`]);
  });

  it('refuses a schedule for another version of the same scenario, and a file that is not a schedule', async () => {
    const schedule = await randomSchedule('demo', 2);
    const edited = JSON.parse(readFileSync(loadScenario('demo').path, 'utf8')) as { end_at: number };
    edited.end_at = 121;
    const file = join(dir, 'demo.json');
    writeFileSync(file, JSON.stringify(edited));
    const r = await cli('run', file, '--schedule', schedule, '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/was made for another version of scenario "demo" \(hash [0-9a-f]{16}, this one is [0-9a-f]{16}\)$/);

    const bad = join(dir, 'bad.schedule.json');
    writeFileSync(bad, JSON.stringify({ format: 'taskmgr-schedule/1' }));
    const b = await cli('run', 'demo', '--schedule', bad, '--quiet');
    expect(b.code).toBe(2);
    expect(b.err).toEqual([`taskmgr-lab run: ${bad}: $.scenario: expected a string`]);
  });
});
