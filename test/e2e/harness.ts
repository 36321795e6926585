/**
 * What the end-to-end tests and the UI benchmark share: the real browser mode
 * (`taskmgr-lab serve --port 0 --no-open`, its URL read from stdout) and Debian's
 * chromium driven by playwright-core, never a downloaded browser
 * (reference/toolchain.md). The renderer must be built (`npx electron-vite build`);
 * `serve` builds it itself when out/renderer is missing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const RESULTS = resolve(ROOT, 'test-results/e2e');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Served {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `taskmgr-lab serve` on a free port and resolves with the URL it prints. */
export async function startServe(opts: { recordingsDir: string; timeoutMs?: number }): Promise<Served> {
  mkdirSync(opts.recordingsDir, { recursive: true });
  const child = spawn(process.execPath, [resolve(ROOT, 'bin/taskmgr-lab.cjs'), 'serve', '--port', '0', '--no-open', '--recordings', opts.recordingsDir], {
    cwd: ROOT,
    env: { ...process.env, CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in time:\n${out}`)), opts.timeoutMs ?? 120_000);
    const look = () => {
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[0]);
      }
    };
    child.stdout!.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (as root)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function newPage(browser: Browser, colorScheme: 'light' | 'dark' = 'light'): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 860 }, colorScheme, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

/** A browser-mode Lab with chromium and a page on the app: what each e2e file starts with. */
export interface App {
  served: Served;
  browser: Browser;
  page: Page;
  /** Page errors and console errors seen so far (see newPage). */
  errors: string[];
  /** Closes chromium, then stops the Lab. */
  close(): Promise<void>;
}

/**
 * Starts `taskmgr-lab serve` (its recordings under test-results/e2e/`recordings`),
 * launches chromium and opens the app in a new page, resolving once the app is up
 * (its mode badge is shown). On a failure it stops what it started before throwing.
 */
export async function openApp(recordings: string): Promise<App> {
  const served = await startServe({ recordingsDir: resultPath(recordings) });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const { page, errors } = await newPage(browser);
    await page.goto(served.url);
    await page.waitForSelector('[data-testid=mode-badge]');
    const b = browser;
    return {
      served,
      browser,
      page,
      errors,
      close: async () => {
        await b.close();
        await served.stop();
      },
    };
  } catch (e) {
    await browser?.close();
    await served.stop();
    throw e;
  }
}

export function resultPath(name: string): string {
  mkdirSync(RESULTS, { recursive: true });
  return resolve(RESULTS, name);
}
