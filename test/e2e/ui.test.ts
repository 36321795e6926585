/**
 * End to end: the built renderer in Debian's chromium against the real browser mode
 * (`taskmgr-lab serve`). One Lab and one page for the whole file, in the order a user
 * would go: open a scenario file and run it, inject a panic into a running task,
 * detach a tenant and see its tasks exit, detach another whose InitialLoad never looks
 * at the signal and see the stuck view name it, save the recording, reopen it and
 * step backwards. Every view is photographed under test-results/e2e/.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, openApp, resultPath, ROOT } from './harness';

const SCENARIO = resolve(ROOT, 'test/e2e/fixtures/e2e-lab.json');

let app: App;
let page: Page;
let errors: string[];

async function show(view: string): Promise<void> {
  await page.click(`[data-testid=nav-${view}]`);
}
async function shot(name: string): Promise<void> {
  // Notices (toasts) are dismissed by a click; keep them out of the pictures.
  for (const n of await page.locator('[data-testid=notice]').all()) await n.click({ timeout: 500 }).catch(() => undefined);
  await page.waitForTimeout(150);
  await page.screenshot({ path: resultPath(`${name}.png`) });
}
/** The state shown in the Tasks table for a task. */
async function stateOf(task: string): Promise<string> {
  return (await page.locator(`[data-task="${task}"] .c-state`).innerText()).trim();
}
async function waitState(task: string, state: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    ([t, s]) => document.querySelector(`[data-task="${t}"] .c-state`)?.textContent?.trim() === s,
    [task, state] as const,
    { timeout },
  );
}

beforeAll(async () => {
  app = await openApp('recordings');
  ({ page, errors } = app);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('TaskMgr Lab in the browser mode', () => {
  it('shows a malformed scenario file\'s error with its JSON path', async () => {
    await show('scenarios');
    await page.setInputFiles('[data-testid=scenario-file]', resolve(ROOT, 'test/fixtures/malformed/unknown-op.json'));
    const error = await page.waitForSelector('[data-testid=parse-error]');
    expect(await error.innerText()).toMatch(/\$\.tasks\.[^\s]*body\[\d+\]/);
    expect(await page.isDisabled('[data-testid=run]')).toBe(true);
    await shot('scenario-error');
  });

  it('runs a scenario opened from a file and shows its tasks', async () => {
    await show('scenarios');
    await page.setInputFiles('[data-testid=scenario-file]', SCENARIO);
    await page.waitForSelector('text=10 task templates');
    await page.fill('[data-testid=seed]', '7');
    await shot('scenarios');
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-task="load t1"]');
    await waitState('page handler', 'running');
    await page.selectOption('[data-testid=retain]', 'forever');
    expect(await page.locator('[data-task]').count()).toBe(10);
    expect(await page.innerText('[data-testid=mode-badge]')).toBe('SIM');
    await shot('tasks');
  });

  it('injects a panic into a running task and shows it panicked', async () => {
    await page.click('[data-task="compaction t2"]');
    await page.waitForSelector('[data-testid=inspector]');
    expect(await page.innerText('[data-testid=inspector-state]')).toBe('running');
    await page.click('[data-testid=inject-panic]');
    await page.waitForFunction(() => document.querySelector('[data-testid=inspector-state]')?.textContent?.trim() === 'panicked', null, { timeout: 20_000 });
    expect(await stateOf('compaction t2')).toBe('panicked');
    expect(await page.innerText('[data-testid=inspector]')).toContain('panicked: injected from the UI');
    await shot('inspector');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=inspector]', { state: 'detached' });
  });

  it('runs shutdown_tasks for a tenant and its tasks exit', async () => {
    await show('shutdown');
    await page.fill('[data-testid=sd-tenant]', 't2');
    await page.click('[data-testid=sd-run]');
    await show('tasks');
    for (const t of ['walreceiver t2', 'flush t2/l1', 'upload t2/l1', 'page handler']) await waitState(t, 'exited ok');
    // Tenant t1's tasks were not touched.
    expect(await stateOf('gc t1')).toBe('running');
    expect(await stateOf('load t1')).toBe('running');
  });

  it('a shutdown that hangs: the stuck view names the task it waits on', async () => {
    await show('shutdown');
    await page.fill('[data-testid=sd-tenant]', 't1');
    await page.click('[data-testid=sd-run]');
    await page.waitForSelector('[data-testid=stuck-call].hung', { timeout: 30_000 });
    expect(await page.innerText('[data-testid=stuck-victim]')).toBe('load t1');
    expect(await page.innerText('[data-testid=stuck-awaits]')).toContain('never completes');
    await shot('shutdown');
    await show('tasks');
    await waitState('gc t1', 'exited ok');
    expect(await stateOf('load t1')).toBe('shutdown requested');
    await shot('tasks-after-shutdown');
  });

  it('the timeline, pools and log views render the run', async () => {
    await show('timeline');
    await page.waitForSelector('[data-testid=timeline-canvas]');
    // What it drew: a bar for each of the run's 10 tasks, in more than the background's colours.
    await page.waitForFunction(() => document.querySelector('[data-testid=timeline-bars]')?.textContent === '10', null, { timeout: 10_000 });
    const colours = await page.locator('[data-testid=timeline-canvas]').evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    });
    expect(colours).toBeGreaterThan(8);
    await shot('timeline');
    await show('pools');
    await page.waitForSelector('[data-testid=pool-background]');
    expect(await page.innerText('[data-testid=pool-background]')).toContain('background op worker');
    await shot('pools');
    await show('log');
    await page.waitForSelector('text=waiting for load t1 to shut down');
    await shot('log');
  });

  it('saves the recording, reopens it and steps backwards in the replay', async () => {
    await show('recording');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=save-recording]')]);
    const saved = resultPath('saved-recording.jsonl');
    await download.saveAs(saved);
    const lines = readFileSync(saved, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]).ev).toBe('scenario');
    expect(lines.some((l) => l.includes('"ev":"inject"'))).toBe(true);

    await page.setInputFiles('[data-testid=recording-file]', saved);
    await page.waitForSelector('[data-testid=replay-badge]', { timeout: 30_000 });
    await show('recording');
    expect(await page.innerText('[data-testid=mode-badge]')).toBe('REPLAY');
    const total = Number((await page.innerText('[data-testid=event-count]')).replace(/,/g, ''));
    expect(total).toBeGreaterThanOrEqual(lines.length - 5);
    const cursor = async () => Number((await page.innerText('[data-testid=rec-cursor]')).replace(/,/g, ''));
    await page.click('[data-testid=rec-step-back]');
    await page.click('[data-testid=rec-step-back]');
    const after = await cursor();
    expect(after).toBe(total - 2);
    // Back to before the panic: compaction t2 is running again in the replay.
    const injectAt = lines.findIndex((l) => l.includes('"ev":"inject"'));
    await page.locator('[data-testid=scrub]').evaluate((el, v) => {
      (el as HTMLInputElement).value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, injectAt);
    await page.keyboard.press('ArrowLeft');
    expect(await cursor()).toBe(injectAt - 1);
    await shot('recording');
    await show('tasks');
    expect(await stateOf('compaction t2')).toBe('running');
    await shot('replay-tasks');
  });

  it('shows worker CPU and event-loop delay in the pools view of a live run', async () => {
    await show('scenarios');
    await page.click('[data-testid=scenario-demo]');
    await page.click('[data-testid=mode-live]');
    await page.fill('[data-testid=tick-ms]', '100');
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-task]', { timeout: 60_000 });
    await show('pools');
    // pool_stats arrive every 250 ms: wait for a few samples.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^=pool-] polyline').length > 0, null, { timeout: 60_000 });
    await page.waitForTimeout(2000);
    expect(await page.innerText('[data-testid=mode-badge]')).toBe('LIVE');
    // A CPU figure and a loop delay per worker process, read from the view: numbers with their unit.
    const figures = async (id: string, unit: string) =>
      (await page.locator(`[data-testid=${id}] .val`).allInnerTexts()).map((t) => {
        expect(t.endsWith(unit), `${id} "${t}"`).toBe(true);
        return Number(t.slice(0, -unit.length));
      });
    const cpu = await figures('pool-cpu', '%');
    const delay = await figures('pool-delay', ' ms');
    expect(cpu.length).toBeGreaterThanOrEqual(4);
    expect(delay).toHaveLength(cpu.length);
    for (const v of [...cpu, ...delay]) expect(Number.isFinite(v) && v >= 0).toBe(true);
    expect(cpu.every((v) => v <= 100)).toBe(true);
    // Worker processes that ran the demo's tasks used some CPU, and every event loop was measured.
    expect(Math.max(...cpu)).toBeGreaterThan(0);
    expect(Math.max(...delay)).toBeGreaterThan(0);
    await shot('pools-live');
    await show('timeline');
    await shot('timeline-live');
    // Once the run is over (the demo ends by itself), its worker processes stay up for the next live run: the Pools view says they idle.
    await page.waitForFunction(() => document.querySelector('[data-testid=cursor-badge]')?.textContent?.trim() === 'ENDED', null, { timeout: 60_000 });
    await show('pools');
    await page.waitForSelector('[data-testid=pools-idle]');
    expect(await page.innerText('[data-testid=pools-idle]')).toContain('8 worker processes stay up, idle');
    expect(await page.locator('[data-testid^=pool-] .idle-chip').count()).toBe(4);
  });

  it('operates a pageserver scenario: detach a tenant, crash the process and restart it', async () => {
    await show('scenarios');
    await page.click('[data-testid=scenario-pageserver-demo]');
    await page.click('[data-testid=mode-sim]');
    // 100 ms a tick: the scenario's own SIGTERM (tick 400) comes after the steps below.
    await page.fill('[data-testid=tick-ms]', '100');
    await page.click('[data-testid=run]');
    await show('pageserver');
    const tenantState = (t: string) => `[data-tenant="${t}"] [data-testid=ps-tenant-state]`;
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.trim() === 'Active', tenantState('t1'), { timeout: 30_000 });
    expect(await page.innerText('[data-testid=ps-process]')).toContain('process 1 running');

    await page.click('[data-tenant="t1"] [data-testid=ps-detach]');
    // A detached tenant keeps its row (the panel forgets tenants only when a new process starts).
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.trim() === 'Paused (Stopping)', tenantState('t1'), { timeout: 20_000 });
    expect(await page.locator('[data-tenant="t1"] [data-testid=ps-detached]').count()).toBe(1);
    expect(await page.innerText(tenantState('t2'))).toBe('Active');

    await page.click('[data-testid=ps-crash]');
    await page.waitForFunction(() => document.querySelector('[data-testid=ps-process]')?.textContent?.includes('crashed'), null, { timeout: 20_000 });
    expect(await page.innerText('[data-testid=ps-process]')).toContain('process 1 crashed');

    await page.click('[data-testid=ps-restart]');
    await page.waitForFunction(() => document.querySelector('[data-testid=ps-process]')?.textContent?.includes('process 2 running'), null, { timeout: 20_000 });
    // Process 2 loads t2 from the same disk; the detached t1 is gone from it.
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.trim() === 'Active', tenantState('t2'), { timeout: 20_000 });
    // For the picture: wait until every tenant process 2 found on disk has loaded.
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid=ps-tenant-state]')].every((el) => !['Loading', 'Attaching'].includes(el.textContent?.trim() ?? '')),
      null,
      { timeout: 20_000 },
    );
    expect(await page.locator('[data-testid=ps-error]').count()).toBe(0);
    await shot('pageserver');
    // The docs keep their pictures unless asked to retake them (npm run docs:screenshots).
    if (process.env.DOCS_SCREENSHOTS) copyFileSync(resultPath('pageserver.png'), resolve(ROOT, 'docs/screenshots/pageserver.png'));
  });

  it('logged no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
