/**
 * End to end: the Explore view in Debian's chromium against the real browser mode.
 * It explores race-s08 (timed to pass by default) with PCT, sees the progress and the
 * histogram fill while the view keeps scrolling, opens the failure (a replay in every
 * view, the failed property on the banner and marked on the timeline) and compares it
 * with its nearest passing run (the row where they part, then the passing run in the
 * views). With DOCS_SCREENSHOTS=1 its pictures also go to docs/screenshots.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, openApp, resultPath, ROOT } from './harness';

const RACE = 'race-s08-untracked-compaction-vs-detach';

let app: App;
let page: Page;
let errors: string[];

async function shot(name: string): Promise<void> {
  for (const n of await page.locator('[data-testid=notice]').all()) await n.click({ timeout: 500 }).catch(() => undefined);
  await page.waitForTimeout(200);
  const file = resultPath(`${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.DOCS_SCREENSHOTS) {
    mkdirSync(resolve(ROOT, 'docs/screenshots'), { recursive: true });
    copyFileSync(file, resolve(ROOT, 'docs/screenshots', `${name}.png`));
  }
}
const text = (sel: string) => page.locator(sel).first().innerText();

beforeAll(async () => {
  app = await openApp('explore-recordings');
  ({ page, errors } = app);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('the Explore view in the browser mode', () => {
  it('explores a race-* scenario with PCT: progress, histogram and a shrunk failure group', async () => {
    await page.keyboard.press('9');
    await page.click(`[data-testid=explore-scenario-${RACE}]`);
    await page.selectOption('[data-testid=explore-strategy]', 'pct');
    await page.fill('[data-testid=explore-runs]', '500');
    await page.fill('[data-testid=explore-jitter]', '20');
    await page.click('[data-testid=explore-start]');
    await page.waitForSelector('[data-testid=explore-progress]', { timeout: 30_000 });

    // While it runs, the scenario list scrolls and progress keeps coming.
    const list = page.locator('.explore .library-list');
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
    expect(await list.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await list.evaluate((el) => (el.scrollTop = 0));

    await page.waitForFunction(() => document.querySelector('[data-testid=explore-state]')?.textContent?.trim() === 'done', undefined, { timeout: 110_000 });
    expect(await text('[data-testid=explore-runs-done]')).toBe('500 / 500 runs');
    const pushes = await page.evaluate(() => {
      const app = (document.querySelector('#app') as unknown as { __vue_app__: { config: { globalProperties: { $pinia: { _s: Map<string, { pushes: number }> } } } } }).__vue_app__;
      return app.config.globalProperties.$pinia._s.get('explore')!.pushes;
    });
    expect(pushes).toBeGreaterThan(2);
    const hist = await text('[data-testid=explore-histogram]');
    expect(hist).toContain('passed');
    expect(hist).toContain('untracked-after-removal');
    const groups = page.locator('[data-testid=explore-group]');
    expect(await groups.count()).toBeGreaterThan(0);
    expect(await text('[data-testid=explore-explanation]')).toMatch(/^needs \d decisions?:/);
    await shot('explore');
  });

  it('opens the failure in every view, the failed property marked', async () => {
    await page.click('[data-testid=explore-open]');
    await page.waitForSelector('[data-testid=timeline-mark-failure]', { timeout: 30_000 });
    expect(await text('[data-testid=explore-banner]')).toContain('Failing schedule');
    expect(await text('[data-testid=explore-banner-failure]')).toMatch(/compact t1\/l1|untracked-after-removal/);
    await shot('explore-open');
    for (const view of ['shutdown', 'tasks', 'log']) {
      await page.click(`[data-testid=nav-${view}]`);
      await page.waitForSelector('[data-testid=explore-banner]');
      if (view === 'tasks') await page.waitForSelector('[data-task="compaction t1"]');
    }
  });

  it('compares it with its nearest passing run and marks where they part', async () => {
    await page.keyboard.press('9');
    await page.click('[data-testid=explore-compare]');
    await page.waitForSelector('[data-testid=explore-diff] .parts', { timeout: 30_000 });
    const parts = await text('[data-testid=explore-diff] .parts');
    expect(parts.length).toBeGreaterThan(0);
    await page.locator('[data-testid=explore-comparison]').scrollIntoViewIfNeeded();
    await shot('explore-compare');
    await page.click('[data-testid=explore-show-passing]');
    await page.waitForSelector('[data-testid=timeline-mark-parts]');
    expect(await text('[data-testid=explore-banner]')).toContain('passes every property');
    await shot('explore-passing');
    expect(errors).toEqual([]);
  });
});
