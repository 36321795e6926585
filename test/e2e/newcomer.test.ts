/**
 * End to end: what a newcomer meets first (issue 11 items 3 to 7), in Debian's
 * chromium against the real browser mode. The app opens with the interactive
 * pageserver demo at work; the words and badges of a run that is stopped or has
 * ended say so (and never "not a replay" for a run that is none); notices never
 * cover a control and go on a click; a filter that cannot mean anything says what is
 * wrong, where, and what is allowed; and the layout shows whole words.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, openApp, resultPath, ROOT } from './harness';

let app: App;
let page: Page;
let errors: string[];

async function show(view: string): Promise<void> {
  await page.click(`[data-testid=nav-${view}]`);
}
async function shot(name: string): Promise<void> {
  await page.screenshot({ path: resultPath(`newcomer-${name}.png`) });
}
async function textOf(sel: string): Promise<string> {
  return (await page.innerText(sel)).trim();
}
async function waitText(sel: string, text: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent?.trim() === t, [sel, text] as const, { timeout });
}
/** Elements whose text or box is cut by their own width. */
async function clipped(sel: string): Promise<string[]> {
  return page.locator(sel).evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent ?? ''));
}

beforeAll(async () => {
  app = await openApp('newcomer-recordings');
  ({ page, errors } = app);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('the first start', () => {
  it('opens with the interactive pageserver demo at work, selected in Scenarios', async () => {
    await waitText('[data-testid=mode-badge]', 'SIM');
    expect(await textOf('[data-testid=run-words]')).toBe('running');
    expect(await textOf('[data-testid=cursor-badge]')).toBe('LIVE');
    await show('pageserver');
    for (const t of ['t1', 't2']) await waitText(`[data-tenant="${t}"] [data-testid=ps-tenant-state]`, 'Active', 30_000);
    expect(await textOf('[data-testid=ps-process]')).toContain('process 1 running');
    expect(await page.isEnabled('[data-tenant="t1"] [data-testid=ps-detach]')).toBe(true);
    await show('scenarios');
    await page.waitForSelector('[data-testid=scenario-pageserver-demo-interactive].on');
    expect(await textOf('[data-testid=scenario-pageserver-demo-interactive]')).toContain('until you stop it');
    expect(await textOf('[data-testid=scenario-pageserver-demo]')).toContain('scripted: SIGTERM at tick 400');
    await shot('first-start');
  });
});

describe('status words from the event log', () => {
  it('after Stop: "stopped from the Lab", no LIVE badge, the reason names the stop, and Restart runs it again', async () => {
    await show('scenarios');
    await page.click('[data-testid=stop]');
    await waitText('[data-testid=run-words]', 'stopped from the Lab');
    expect(await textOf('[data-testid=cursor-badge]')).toBe('ENDED');
    expect(await page.getAttribute('[data-testid=mode-badge]', 'class')).toContain('over');
    expect(await page.locator('[data-testid=paused-badge]').count()).toBe(0);
    await show('shutdown');
    const why = await textOf('[data-testid=sd-why]');
    expect(why).toBe('The run was stopped from the Lab: run it again (Restart) or another scenario.');
    await show('pageserver');
    expect(await textOf('[data-testid=ps-why]')).toBe(why);
    expect(await page.isEnabled('[data-testid=ps-restart]')).toBe(true);
    await shot('stopped');
    await page.click('[data-testid=ps-restart]');
    await waitText('[data-testid=run-words]', 'running');
    await page.waitForFunction(() => document.querySelector('[data-testid=ps-process]')?.textContent?.includes('process 1 running'), null, { timeout: 20_000 });
    expect(await textOf('[data-testid=cursor-badge]')).toBe('LIVE');
  });

  it('a run that ended by itself: its own words, ENDED, and no "(not a replay)"', async () => {
    await show('scenarios');
    await page.click('[data-testid=scenario-demo]');
    await page.click('[data-testid=mode-sim]');
    await page.fill('[data-testid=tick-ms]', '5');
    await page.click('[data-testid=run]');
    await waitText('[data-testid=cursor-badge]', 'ENDED', 30_000);
    expect(await textOf('[data-testid=run-words]')).toBe('exited with code 0');
    await show('shutdown');
    expect(await textOf('[data-testid=sd-why]')).toBe('The run ended when its process exited: run it again (Restart) or another scenario.');
    expect(await page.isDisabled('[data-testid=sd-run]')).toBe(true);
  });
});

describe('notices', () => {
  it('never cover a control, and go on a click', async () => {
    await show('scenarios');
    await page.click('[data-testid=scenario-pageserver-demo-interactive]');
    await page.fill('[data-testid=tick-ms]', '100');
    await page.click('[data-testid=run]');
    await show('tasks');
    const notice = page.locator('[data-testid=notice]').first();
    await notice.waitFor();
    expect(await notice.innerText()).toContain('running');
    // Every control on the page that is visible stays clickable where it is.
    const covered = await page.evaluate(() => {
      const out: string[] = [];
      for (const el of document.querySelectorAll<HTMLElement>('button, input, select, label, a')) {
        if (el.closest('[data-testid=notices]')) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const x = r.left + r.width / 2;
        const y = r.top + r.height / 2;
        if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) continue;
        const top = document.elementFromPoint(x, y);
        if (top && top.closest('[data-testid=notices]')) out.push(el.outerHTML.slice(0, 80));
      }
      return out;
    });
    expect(covered).toEqual([]);
    await page.locator('[data-testid=retain]').click({ trial: true, timeout: 2000 });
    await page.locator('[data-testid=warn-after]').click({ trial: true, timeout: 2000 });
    await shot('notice');
    const n = await page.locator('[data-testid=notice]').count();
    await notice.click();
    expect(await page.locator('[data-testid=notice]').count()).toBe(n - 1);
  });
});

describe('filters', () => {
  const cases: Array<[string, string, string]> = [
    ['state:bogus', 'no state contains "bogus"', 'states: registered, running, shutdown_requested (shutdown requested)'],
    ['foo:bar', '"foo" is not a field', 'fields: name: id: kind: runtime: tenant: timeline: state:'],
    ['id:abc', 'id: takes a task id, a whole number ("abc" is not one)', 'id:<number>'],
    ['(((', '"(" has no meaning in a filter (no grouping, quotes or operators)', 'field:value'],
    ['kind:', 'kind: needs a value', 'kinds: '],
  ];
  it('a filter that cannot mean anything says what is wrong, where, and what is allowed, beside the filter', async () => {
    await show('tasks');
    await page.waitForSelector('[data-task]');
    const all = Number((await textOf('[data-testid=task-count]')).replace(/[^\d]/g, ''));
    for (const [filter, message, allowed] of cases) {
      await page.fill('[data-testid=task-filter]', filter);
      await page.waitForSelector('[data-testid=filter-error]');
      expect(await textOf('[data-testid=filter-error-message]')).toBe(`${message}.`);
      expect(await textOf('[data-testid=filter-error-allowed]')).toContain(allowed);
      expect(await textOf('[data-testid=filter-error]')).toContain(`${filter}`);
      expect(await page.getAttribute('[data-testid=task-filter]', 'aria-invalid')).toBe('true');
      // Not applied: the table is not emptied into a silent "no match".
      expect(Number((await textOf('[data-testid=task-count]')).replace(/[^\d]/g, ''))).toBeGreaterThanOrEqual(Math.min(all, 1));
    }
    // Where: the error sits right under the filter box.
    const box = (await page.locator('[data-testid=task-filter]').boundingBox())!;
    const err = (await page.locator('[data-testid=filter-error]').boundingBox())!;
    expect(err.y).toBeGreaterThanOrEqual(box.y + box.height);
    expect(err.y - (box.y + box.height)).toBeLessThan(20);
    await shot('filter-error');
    await page.fill('[data-testid=task-filter]', 'kind:compaction');
    await page.waitForSelector('[data-testid=filter-error]', { state: 'detached' });
    await page.fill('[data-testid=task-filter]', '');
  });
});

describe('layout', () => {
  it('the filter placeholder, the Log task names and the scenario error show whole', async () => {
    await show('tasks');
    const fits = await page.locator('[data-testid=task-filter]').evaluate((el) => {
      const input = el as HTMLInputElement;
      const style = getComputedStyle(input);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { text: ctx.measureText(input.placeholder).width, room };
    });
    expect(fits.text).toBeLessThanOrEqual(fits.room);

    await show('log');
    await page.waitForSelector('.task .link');
    expect(await clipped('.task .link')).toEqual([]);
    expect(await clipped('.task')).toEqual([]);

    await show('scenarios');
    await page.setInputFiles('[data-testid=scenario-file]', resolve(ROOT, 'test/fixtures/malformed/unknown-op.json'));
    const error = await textOf('[data-testid=parse-error]');
    const reason = error.split('\n').filter((l) => l.trim() !== '')[1];
    expect(reason.length).toBeGreaterThan(5);
    expect(error.split(reason).length - 1).toBe(1);
  });

  it('a disabled Restart does not look like the enabled primary button, and the help separates Home and End', async () => {
    await show('pageserver');
    await page.waitForSelector('[data-testid=ps-restart]:disabled');
    const look = async (sel: string) =>
      page.locator(sel).evaluate((el) => {
        const s = getComputedStyle(el);
        return { bg: s.backgroundColor, cursor: s.cursor };
      });
    const restart = await look('[data-testid=ps-restart]');
    await show('scenarios');
    await page.click('[data-testid=scenario-pageserver-demo]');
    const run = await look('[data-testid=run]');
    expect(await page.isEnabled('[data-testid=run]')).toBe(true);
    expect(restart.bg).not.toBe(run.bg);
    expect(restart.cursor).toBe('not-allowed');
    await page.keyboard.press('?');
    const help = await page.locator('text=to the start').first().evaluate((el) => el.closest('p')?.textContent?.replace(/\s+/g, ' ') ?? '');
    expect(help).toContain('Home to the start · End to the end');
    await page.keyboard.press('Escape');
  });

  it('the State column shows "shutdown requested" whole', async () => {
    await show('recording');
    await page.setInputFiles('[data-testid=recording-file]', resolve(ROOT, 'test/e2e/fixtures/hung.jsonl'));
    await page.waitForSelector('[data-testid=replay-badge]', { timeout: 30_000 });
    await show('tasks');
    await page.waitForSelector('[data-task="load"]');
    expect(await textOf('[data-task="load"] .c-state')).toBe('shutdown requested');
    expect(await clipped('[data-task] .c-state')).toEqual([]);
    expect(await clipped('[data-task] .c-state .badge')).toEqual([]);
    await shot('state-column');
  });

  it('Pools says why a simulated runtime lists fewer workers than a live one', async () => {
    await show('pools');
    expect(await textOf('[data-testid=pools-sim-workers]')).toContain('2 per runtime');
  });

  it('logged no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
