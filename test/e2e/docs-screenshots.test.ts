/**
 * The pictures of docs/user-guide.md, taken from the real browser mode: the
 * pageserver demo of the library in the simulator (tasks, inspector, timeline, log),
 * a detach that hangs on a remote storage call (the stuck view), a live run (pools),
 * a replayed recording, and the dark theme. Each picture is also checked for the
 * thing it is meant to show, so a broken view fails here instead of in the guide.
 * Writes docs/screenshots/*.png (and copies under test-results/e2e/docs/).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, newPage, openApp, resultPath, ROOT } from './harness';

const DOCS = resolve(ROOT, 'docs/screenshots');

let app: App;
let page: Page;

async function show(view: string): Promise<void> {
  await page.click(`[data-testid=nav-${view}]`);
  await page.waitForTimeout(200);
}
async function picture(p: Page, name: string): Promise<void> {
  for (const n of await p.locator('[data-testid=notice]').all()) await n.click({ timeout: 500 }).catch(() => undefined);
  await p.waitForTimeout(200);
  mkdirSync(DOCS, { recursive: true });
  const file = resultPath(`docs-${name}.png`);
  await p.screenshot({ path: file });
  copyFileSync(file, resolve(DOCS, `${name}.png`));
}
async function run(name: string, opts: { live?: boolean; tickMs: number }): Promise<void> {
  await show('scenarios');
  await page.click(`[data-testid=scenario-${name}]`);
  await page.click(opts.live ? '[data-testid=mode-live]' : '[data-testid=mode-sim]');
  await page.fill('[data-testid=tick-ms]', String(opts.tickMs));
  await page.click('[data-testid=run]');
  await page.waitForSelector('[data-task]', { timeout: 60_000 });
}

beforeAll(async () => {
  app = await openApp('docs-recordings');
  ({ page } = app);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('user guide screenshots', () => {
  it('scenarios, tasks, inspector, timeline and log of the pageserver demo', async () => {
    await show('scenarios');
    await page.click('[data-testid=scenario-pageserver-demo]');
    await picture(page, 'scenarios');
    await run('pageserver-demo', { tickMs: 20 });
    // Mid-run: tenants active, WAL flowing, uploads queued.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=event-count]')?.textContent?.replace(/,/g, '')) > 700, null, { timeout: 60_000 });
    await page.keyboard.press('Space'); // pause the view for a still picture
    await page.selectOption('[data-testid=retain]', 'forever');
    expect(await page.isVisible('[data-testid=narration]')).toBe(true);
    await picture(page, 'tasks');
    await page.locator('[data-task]').filter({ hasText: 'RemoteUploadTask' }).first().click();
    await page.waitForSelector('[data-testid=inspector]');
    await picture(page, 'inspector');
    await page.keyboard.press('Escape');
    await show('timeline');
    await picture(page, 'timeline');
    await show('log');
    await page.selectOption('[data-testid=log-level]', 'info');
    await picture(page, 'log');
    await page.selectOption('[data-testid=log-level]', 'debug');
    await page.keyboard.press('Space');
  });

  it('the stuck view of a detach that hangs on a remote storage call', async () => {
    await run('s13-hung-remote-call', { tickMs: 10 });
    await show('shutdown');
    await page.waitForSelector('[data-testid=stuck-call].hung', { timeout: 60_000 });
    expect(await page.innerText('[data-testid=stuck-victim]')).not.toBe('');
    await picture(page, 'shutdown');
  });

  it('the pools of a live run', async () => {
    await run('demo', { live: true, tickMs: 100 });
    await show('pools');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^=pool-] polyline').length > 3, null, { timeout: 60_000 });
    await page.waitForTimeout(1500);
    await picture(page, 'pools');
  });

  it('a recording replayed, stepped back three events', async () => {
    // Wait for the live demo to end, save it, open it again and step back.
    await page.waitForFunction(() => /exited with code/.test(document.body.innerText), null, { timeout: 60_000 });
    await show('recording');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=save-recording]')]);
    const saved = resultPath('docs-demo.jsonl');
    await download.saveAs(saved);
    await page.setInputFiles('[data-testid=recording-file]', saved);
    await page.waitForSelector('[data-testid=replay-badge]');
    await show('recording');
    for (let i = 0; i < 3; i++) await page.click('[data-testid=rec-step-back]');
    await picture(page, 'recording');
  });

  it('the dark theme', async () => {
    const dark = await newPage(app.browser, 'dark');
    await dark.page.goto(app.served.url);
    await dark.page.click('[data-testid=nav-timeline]');
    await dark.page.waitForSelector('[data-testid=timeline-canvas]');
    await dark.page.waitForTimeout(500);
    await picture(dark.page, 'dark-timeline');
    await dark.page.click('[data-testid=nav-tasks]');
    await dark.page.selectOption('[data-testid=retain]', 'forever');
    await dark.page.click('[data-task="compaction t2"]');
    await picture(dark.page, 'dark-tasks');
    await dark.context.close();
  });
});
