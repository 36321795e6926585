/**
 * The `taskmgr-lab` command end to end: conformance in sim mode over the copied
 * examples, malformed scenarios giving one line and exit code 2, traces that the
 * reference compare.mjs accepts, and the bin working straight from the sources.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main';
import type { LibraryEntry } from '../../electron/cli/commands/scenarios';
import { LIBRARY_DIR } from '../../electron/scenario/library-dir';
import { INTERACTIVE_DEMO } from '../../electron/pageserver/demo';
import { ScenarioLibrary } from '../../electron/host/library';
import { cli } from '../helpers/cli';

const ROOT = join(__dirname, '..', '..');
const CONFORMANCE = join(ROOT, 'test', 'fixtures', 'conformance');
const MALFORMED = join(ROOT, 'test', 'fixtures', 'malformed');

describe('taskmgr-lab conform', () => {
  it('finds every example conforming in sim mode', async () => {
    const r = await cli('conform', CONFORMANCE);
    expect(r.out.at(-1)).toBe('14 conform, 0 differ');
    expect(r.code).toBe(0);
  });

  it('reports a difference and exits 1 when an expected trace disagrees', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conform-'));
    const scn = readFileSync(join(CONFORMANCE, 'outcomes.json'), 'utf8');
    const expected = readFileSync(join(CONFORMANCE, 'outcomes.expected.jsonl'), 'utf8').replace('"outcome":"panic"', '"outcome":"ok"');
    writeFileSync(join(dir, 'outcomes.json'), scn);
    writeFileSync(join(dir, 'outcomes.expected.jsonl'), expected);
    const r = await cli('conform', dir);
    expect(r.code).toBe(1);
    expect(r.out.join('\n')).toMatch(/outcomes: differs\n {2}task \w+: outcome: expected "ok", actual "panic"/);
    expect(r.out.at(-1)).toBe('0 conform, 1 differ');
  });
});

describe('taskmgr-lab run', () => {
  it('writes a trace that the reference comparison finds conforming', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-'));
    const trace = join(dir, 'out.jsonl');
    const r = await cli('run', join(CONFORMANCE, 'pageserver-shutdown-order.json'), '--trace', trace, '--seed', '7', '--policy', 'random');
    expect(r.code).toBe(0);
    expect(r.out.some((l) => l.includes('process exit') && l.includes('code 0'))).toBe(true);
    expect(r.out).toContain('  process: exited with code 0');
    const cmp = execFileSync(process.execPath, [join(CONFORMANCE, 'compare.mjs'), join(CONFORMANCE, 'pageserver-shutdown-order.expected.jsonl'), trace]).toString();
    expect(cmp.trim()).toBe('conforms');
  });

  it('records the seed\'s debug lines only with --log-level debug, as RUST_LOG would', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-'));
    const info = join(dir, 'info.jsonl');
    const debug = join(dir, 'debug.jsonl');
    await cli('run', join(CONFORMANCE, 'outcomes.json'), '--quiet', '--trace', info);
    await cli('run', join(CONFORMANCE, 'outcomes.json'), '--quiet', '--trace', debug, '--log-level', 'debug');
    expect(readFileSync(info, 'utf8')).not.toContain('Starting task');
    expect(readFileSync(debug, 'utf8')).toContain("Starting task 'compaction'");
  });

  it('rejects each malformed scenario with one line naming the path, and exit code 2', async () => {
    const expected = JSON.parse(readFileSync(join(MALFORMED, 'expected.json'), 'utf8')) as Record<string, string>;
    const files = readdirSync(MALFORMED).filter((f) => f !== 'expected.json');
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const r = await cli('run', join(MALFORMED, f));
      expect(r.code, f).toBe(2);
      expect(r.err, f).toEqual([`taskmgr-lab run: ${join(MALFORMED, f)}: ${expected[f]}`]);
      expect(r.out, f).toEqual([]);
    }
  });

  it('refuses bad options with one line and exit code 2', async () => {
    expect(await cli('run', 'demo', '--policy', 'lifo')).toMatchObject({ code: 2, err: ['taskmgr-lab run: --policy: expected fifo or random, got "lifo"'] });
    expect(await cli('run', 'demo', '--seed', '-1')).toMatchObject({ code: 2 });
    expect(await cli('run', 'no-such-scenario')).toMatchObject({ code: 2 });
    expect(await cli('frobnicate')).toMatchObject({ code: 2, err: ['taskmgr-lab: unknown command "frobnicate" (try: taskmgr-lab help)'] });
  });
});

describe('taskmgr-lab scenarios', () => {
  it('lists each scenario with its catalog ids and Neon issue numbers', async () => {
    const r = await cli('scenarios');
    expect(r.code).toBe(0);
    const s01 = r.out.find((l) => l.startsWith('s01-detach-while-attaching '));
    expect(s01).toMatch(/^s01-detach-while-attaching +S1 +Detach while attach is in progress {2}· #2910 #2785 #4321$/);
    expect(r.out.find((l) => l.startsWith('s08-'))).toContain('#2211 #1775 #2835 #2851 #3136 #3265');
  });

  it('gives the same with --json, and the issue numbers the app\'s library shows', async () => {
    const r = await cli('scenarios', '--json');
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.out.join('\n')) as LibraryEntry[];
    expect(entries.find((e) => e.name === 's01-detach-while-attaching')).toEqual({
      name: 's01-detach-while-attaching',
      format: 'taskmgr-pageserver/1',
      catalog: ['S1'],
      issues: [2910, 2785, 4321],
      title: 'Detach while attach is in progress',
    });
    // The app's library adds the interactive demo (derived from pageserver-demo, it runs until a user stops it): not a CLI entry.
    const app = new ScenarioLibrary(LIBRARY_DIR).list().filter((s) => s.name !== INTERACTIVE_DEMO);
    expect(entries.map((e) => [e.name, e.issues])).toEqual(app.map((s) => [s.name, s.issues]));
    expect(entries.filter((e) => e.catalog.length > 0).length).toBeGreaterThanOrEqual(20);
  });
});

describe('the bin', () => {
  it('leaves a killed run\'s trace as OUT.part, flushed within a second, which export opens up to its last whole line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'killed-'));
    const scn = join(dir, 'poll.json');
    writeFileSync(scn, JSON.stringify({ format: 'taskmgr-scenario/1', name: 'poll', tasks: { p: { runtime: 'background', kind: 'Compaction', body: [{ op: 'poll_shutdown', every: 1e-9 }] } }, steps: [{ at: 0, do: 'spawn', task: 'p' }], end_at: 60 }));
    const trace = join(dir, 'out.jsonl');
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'taskmgr-lab.cjs'), 'run', scn, '--quiet', '--trace', trace, '--max-steps', '100000000'], { stdio: 'ignore' });
    const deadline = Date.now() + 60_000;
    while (!(existsSync(`${trace}.part`) && statSync(`${trace}.part`).size > 10_000)) {
      if (Date.now() > deadline) throw new Error('no flushed trace after 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(existsSync(trace)).toBe(false);
    const out: string[] = [];
    const code = await main(['export', `${trace}.part`, '--perfetto', join(dir, 'p.json')], { out: (l) => out.push(l), err: () => {}, color: false });
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^wrote .*p\.json \(\d+ events, 1 tasks\)$/);
  });


  it('exits quietly when the reader of its output goes away (run demo | head -1), and still writes its trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epipe-'));
    const trace = join(dir, 'demo.jsonl');
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'taskmgr-lab.cjs'), 'run', 'demo', '--trace', trace], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `head -1`: read the first chunk, then close the pipe.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(readFileSync(trace, 'utf8')).toContain('"ev":"process_exit"');
  });


  it('runs from the TypeScript sources right after install, with exit code 2 and no stack trace for a bad file', () => {
    const bin = join(ROOT, 'bin', 'taskmgr-lab.cjs');
    const ok = spawnSync(process.execPath, [bin, 'run', join(CONFORMANCE, 'outcomes.json'), '--quiet']);
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, [bin, 'run', join(MALFORMED, readdirSync(MALFORMED).find((f) => f.endsWith('.yaml'))!)]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.toString().trim().split('\n')).toHaveLength(1);
    expect(bad.stderr.toString()).not.toMatch(/\bat \S+:\d+:\d+/);
  });
});
