/**
 * `taskmgr-lab explore` end to end (docs/explorer.md): PCT breaks a race and shrinks
 * it to at most 3 decisions; its schedule replays twice to the same trace that
 * fails the same expectation; the same seed finds the same failures with --jobs 1
 * and --jobs 2; dfs exhausts every conformance example of at most 4 tasks and says
 * how many schedules that took; exit codes 0, 1 and 2.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const dir = tempDir('taskmgr-explore-');
const CONFORMANCE = join(__dirname, '..', 'fixtures', 'conformance');

interface ExploreJson {
  runs: number;
  runs_per_s: number;
  exhausted: boolean;
  failures: Array<{ signature: string; count: number; schedule: string; decisions: number; explanation: string }>;
}

describe('taskmgr-lab explore', () => {
  it('finds the race of race-s17 with pct, shrinks it, and its schedule replays to the same failure', async () => {
    const out = join(dir, 's17');
    const r = await cli('explore', 'race-s17-queue-used-after-stop', '--strategy', 'pct', '--runs', '60', '--jobs', '1', '--json', '--out', out);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out.join('\n')) as ExploreJson;
    expect(Object.keys(j)).toEqual(['runs', 'runs_per_s', 'exhausted', 'failures']);
    expect(j.runs).toBe(60);
    expect(j.failures.length).toBeGreaterThan(0);
    const f = j.failures[0];
    expect(f.signature).toContain('queue is in state Stopped');
    expect(f.decisions).toBeGreaterThan(0);
    expect(f.decisions).toBeLessThanOrEqual(3);
    expect(f.explanation).toMatch(/^needs \d decisions?: .*took \d+ ticks instead of \d+/);
    expect(readdirSync(out)).toContain('race-s17-queue-used-after-stop-1.schedule.json');

    const traces: string[] = [];
    for (const k of [1, 2]) {
      const trace = join(dir, `s17-${k}.jsonl`);
      const replay = await cli('run', 'race-s17-queue-used-after-stop', '--schedule', f.schedule, '--trace', trace, '--quiet');
      expect(replay.code).toBe(1);
      expect(replay.out).toContain('  FAILED exactly 0 log line(s) with "queue is in state Stopped": found 1');
      traces.push(readFileSync(trace, 'utf8'));
    }
    expect(traces[1]).toBe(traces[0]);
  });

  it('finds the same failures with --jobs 1 and --jobs 2 for the same seed', async () => {
    const run = async (jobs: string) => {
      const r = await cli('explore', 'race-s19-two-shutdowns', '--strategy', 'random', '--runs', '40', '--seed', '7', '--jobs', jobs, '--json', '--out', join(dir, `jobs${jobs}`));
      const j = JSON.parse(r.out.join('\n')) as ExploreJson;
      return { code: r.code, runs: j.runs, failures: j.failures.map((f) => ({ ...f, schedule: readFileSync(f.schedule, 'utf8') })) };
    };
    const one = await run('1');
    const two = await run('2');
    expect(one.code).toBe(1);
    expect(one.failures.length).toBeGreaterThan(0);
    expect(two).toEqual(one);
  });

  it('dfs exhausts every conformance example of at most 4 tasks and says how many schedules', async () => {
    const files = readdirSync(CONFORMANCE).filter((f) => f.endsWith('.json') && Object.keys((JSON.parse(readFileSync(join(CONFORMANCE, f), 'utf8')) as { tasks: object }).tasks).length <= 4);
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      const r = await cli('explore', join(CONFORMANCE, f), '--strategy', 'dfs', '--jobs', '1', '--out', join(dir, 'dfs'));
      expect(r.out[1], f).toMatch(/^exhausted: \d+ schedules?(, no failure within the bound| within the bound)/);
      const j = await cli('explore', join(CONFORMANCE, f), '--strategy', 'dfs', '--jobs', '1', '--json', '--out', join(dir, 'dfs'));
      expect((JSON.parse(j.out.join('\n')) as ExploreJson).exhausted, f).toBe(true);
    }
  });

  it('exits 0 with the proof when the bounded space holds no failure, and counts more schedules with a wider bound', async () => {
    const file = join(CONFORMANCE, 'watcher-vs-poll.json');
    const narrow = await cli('explore', file, '--strategy', 'dfs', '--max-preemptions', '1', '--jobs', '1');
    const wide = await cli('explore', file, '--strategy', 'dfs', '--max-preemptions', '2', '--jobs', '1');
    expect(narrow.code).toBe(0);
    expect(wide.code).toBe(0);
    const count = (l: string) => Number(/^exhausted: (\d+) schedules, no failure within the bound/.exec(l)?.[1]);
    expect(count(narrow.out[1])).toBeGreaterThan(1);
    expect(count(wide.out[1])).toBeGreaterThan(count(narrow.out[1]));
  });

  it.each([
    [['explore'], /^taskmgr-lab explore: usage: taskmgr-lab explore FILE\|NAME/],
    [['explore', 'demo', '--strategy', 'bfs'], /^taskmgr-lab explore: --strategy: expected random, pct or dfs, got "bfs"$/],
    [['explore', 'demo', '--shard', '2/2'], /^taskmgr-lab explore: --shard: expected I\/N with 0 <= I < N, got "2\/2"$/],
    [['explore', 'demo', '--jitter', '2'], /^taskmgr-lab explore: --jitter: expected a fraction from 0 to 1$/],
  ])('refuses bad usage %j with one line and exit 2', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(message);
  });
});
