/**
 * `taskmgr-lab serve` and `npm start` (bin/start.cjs) as the user runs them, in
 * child processes. serve prints a tokened 127.0.0.1 URL that works and stops on
 * Ctrl-C; start, when the Electron binary cannot be had or fails at once, says so
 * in one paragraph and falls back to the browser mode, which serves until it is
 * stopped, with or without a terminal (output redirected to a file, CI=true). Only
 * tests ask it to exit after printing the URL (TASKMGR_LAB_EXIT_AFTER_URL=1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
let dir: string;
let rendererDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'taskmgr-start-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>TaskMgr Lab</title>');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TASKMGR_LAB_RENDERER_DIR: rendererDir, TASKMGR_LAB_RECORDINGS: join(dir, 'rec'), TASKMGR_LAB_SKIP_BUILD: '1' };
  delete env.TASKMGR_LAB_EXIT_AFTER_URL;
  delete env.TASKMGR_LAB_BROWSER;
  return { ...env, ...extra };
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not exit within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const URL_RE = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)/;

/** The single paragraph before the browser mode's output. */
function paragraph(stdout: string): string {
  return stdout.split('\n\n')[0];
}

describe('taskmgr-lab serve', () => {
  it('serves the renderer at the printed URL and stops on SIGINT', async () => {
    const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin/taskmgr-lab.cjs'), 'serve', '--no-open'], {
      cwd: ROOT,
      env: baseEnv({}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout}`)), 30_000);
      child.stdout!.on('data', (d) => {
        stdout += d;
        const m = URL_RE.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('TaskMgr Lab');
    expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(403);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('exits after printing the URL when asked to', async () => {
    const r = await run('bin/taskmgr-lab.cjs', ['serve', '--exit-after-url'], baseEnv({}));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(URL_RE);
  });

  it('says how to build the renderer when the given directory has none', async () => {
    const r = await run('bin/taskmgr-lab.cjs', ['serve', '--exit-after-url', '--renderer', join(dir, 'nothing')], baseEnv({}));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('npx electron-vite build');
  });
});

describe('npm start (bin/start.cjs)', () => {
  it('falls back to the browser mode when the Electron binary fails at once, in one paragraph', async () => {
    const fake = join(dir, 'fake-electron');
    writeFileSync(fake, '#!/bin/sh\necho "Missing X server or $DISPLAY" >&2\nexit 1\n', { mode: 0o755 });
    const r = await run('bin/start.cjs', [], baseEnv({ CI: 'true', TASKMGR_LAB_EXIT_AFTER_URL: '1', TASKMGR_LAB_ELECTRON_PATH: fake }));
    expect(r.code).toBe(0);
    const text = paragraph(r.stdout);
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toContain('cannot open its desktop window');
    expect(text).toContain('Missing X server');
    expect(text).toMatch(/GitHub/);
    expect(text).toMatch(/browser mode/);
    expect(r.stdout).toMatch(URL_RE);
  });

  it('falls back when there is no binary to start at all', async () => {
    const r = await run('bin/start.cjs', [], baseEnv({ CI: 'true', TASKMGR_LAB_EXIT_AFTER_URL: '1', TASKMGR_LAB_ELECTRON_PATH: join(dir, 'no-such-electron') }));
    expect(r.code).toBe(0);
    expect(paragraph(r.stdout)).toContain('failed to start');
    expect(r.stdout).toMatch(URL_RE);
  });

  // The real path of an offline machine: require('electron') tries to download the
  // binary and fails. A mirror nobody listens on makes the download fail anywhere.
  it.skipIf(existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt')))(
    'falls back when require("electron") cannot download the binary',
    async () => {
      const r = await run(
        'bin/start.cjs',
        [],
        baseEnv({ CI: 'true', TASKMGR_LAB_EXIT_AFTER_URL: '1', ELECTRON_MIRROR: 'http://127.0.0.1:9/', force_no_cache: 'true', electron_config_cache: join(dir, 'electron-cache') }),
      );
      expect(r.code).toBe(0);
      const text = paragraph(r.stdout);
      expect(text.split('\n')).toHaveLength(1);
      expect(text).toContain("require('electron') found no binary");
      expect(r.stdout).toMatch(URL_RE);
    },
  );
});

describe('npm start without a terminal', () => {
  // As a process manager or an IDE task runs it: `npm start > file`, CI=true, no TTY
  // anywhere. It must keep serving the URL it printed until it is stopped.
  it('serves the printed URL until SIGTERM, with its output going to a file', async () => {
    const fake = join(dir, 'fake-electron-2');
    writeFileSync(fake, '#!/bin/sh\necho "Missing X server or $DISPLAY" >&2\nexit 1\n', { mode: 0o755 });
    const logFile = join(dir, 'start.log');
    const fd = openSync(logFile, 'w');
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: baseEnv({ CI: 'true', TASKMGR_LAB_ELECTRON_PATH: fake }),
      stdio: ['ignore', fd, fd],
      detached: true, // its own process group: npm, sh and node are stopped together, as a process manager does
    });
    closeSync(fd);
    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    try {
      let url: string | null = null;
      for (let waited = 0; url === null; waited += 100) {
        if (waited > 60_000) throw new Error(`npm start printed no URL within 60 s:\n${readFileSync(logFile, 'utf8')}`);
        if (npm.exitCode !== null) throw new Error(`npm start exited (${npm.exitCode}) before printing a URL:\n${readFileSync(logFile, 'utf8')}`);
        await new Promise((r) => setTimeout(r, 100));
        url = URL_RE.exec(readFileSync(logFile, 'utf8'))?.[0] ?? null;
      }
      // Serving: the URL answers, more than once, after the print (the old start exited right here).
      for (let i = 0; i < 3; i++) {
        const page = await fetch(url);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('TaskMgr Lab');
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(npm.exitCode).toBeNull();
      expect(readFileSync(logFile, 'utf8')).toContain('Press Ctrl-C to stop.');
    } finally {
      process.kill(-npm.pid!, 'SIGTERM');
    }
    await exited;
    // Nothing of the group is left behind: npm returns first, its node child a moment later.
    const alive = () => {
      try {
        process.kill(-npm.pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let waited = 0; alive(); waited += 50) {
      if (waited > 10_000) throw new Error('a process of `npm start` was still alive 10 s after SIGTERM');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(readFileSync(logFile, 'utf8')).toContain('stopping...');
  });
});
