/**
 * `npm run bench` when a group cannot run or fails: the ui group without chromium is
 * skipped with one line saying why while the others are measured, and a group whose
 * process fails leaves no process behind (bench/run-group.ts kills its whole process
 * group). The figures themselves are not measured here (that takes minutes).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGroupProcess } from '../../bench/run-group';
import { tempDir } from '../helpers/temp';

const ROOT = join(__dirname, '..', '..');
const dir = tempDir('taskmgr-bench-test-');

/** Pids of live processes whose environment holds `mark`. */
function processesMarked(mark: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').includes(mark)) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

describe('bench groups', () => {
  it('skips the ui group without chromium in one line, and exits 0 with what it measured', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'bench.cjs'), '--only=ui', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CHROMIUM_PATH: join(dir, 'no-chromium') },
    });
    expect(r.status).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bench: the ui group skipped: no chromium at .*no-chromium .*; its figures \(ui_open_1m_ms, .*\) are not measured$/);
    expect(JSON.parse(r.stdout)).toEqual({ spread: {}, about: {}, skipped: { ui: expect.stringContaining('no chromium') } });
  });

  it('fails --check when a budgeted figure could not be measured', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'bench.cjs'), '--only=ui', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CHROMIUM_PATH: join(dir, 'no-chromium') },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('check ui_scrub_ms: NOT MEASURED (no chromium');
  });

  it('leaves no process behind when a group fails half-way', async () => {
    // A group that starts a helper process (as the ui group starts `taskmgr-lab serve`) and dies.
    const mark = `TASKMGR_BENCH_TEST_${process.pid}_${Date.now()}`;
    const group = join(dir, 'failing-group.cjs');
    writeFileSync(
      group,
      `const { spawn } = require('node:child_process');
       spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
       setTimeout(() => process.exit(1), 200); // fails half-way, its helper still running`,
    );
    const outcome = await runGroupProcess([group], { ...process.env, [mark]: '1' });
    expect(outcome).toEqual({ ok: false, why: 'its process exited with code 1' });
    expect(processesMarked(mark)).toEqual([]);
  });

  it('takes the samples from the last line of a group that succeeds', async () => {
    const group = join(dir, 'good-group.cjs');
    writeFileSync(group, `console.log('warming up'); console.log(JSON.stringify({ x_ms: [3, 1, 2] }));`);
    expect(await runGroupProcess([group])).toEqual({ ok: true, samples: { x_ms: [3, 1, 2] } });
    writeFileSync(group, `console.log(JSON.stringify({ x_ms: [] }));`);
    expect(await runGroupProcess([group])).toEqual({ ok: false, why: 'its figure x_ms has no runs, or runs that are not numbers' });
  });
});

