/**
 * End to end: playing a reopened recording moves at the chosen speed in recording
 * time, from the cursor, in every view, and stops at the end (issue 11 item 2).
 *
 * The recording is the demo fixture with 50 ms ticks: 66 ticks, 3.3 s at 1x. In the
 * page, every animation frame reads the cursor's event time beside the wall clock
 * since playing began. The bounds are loose for a loaded machine (playback may lag)
 * but not for running ahead: the recording time shown may never pass the wall clock
 * by more than a quarter plus 150 ms, so "jumps to the end" and "8x too fast" fail;
 * and the end may not come before 70% of the recording's remaining time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, openApp, resultPath, ROOT } from './harness';

const TICK_MS = 50;

let app: App;
let page: Page;
let errors: string[];
let total = 0;
let endT = 0;

interface Sample {
  wall: number;
  t: number;
  cursor: number;
  playing: boolean;
}

/** Marks the wall-clock start in the page (just before the key or click that plays). */
async function markStart(): Promise<void> {
  await page.evaluate(() => ((window as unknown as { playT0: number }).playT0 = performance.now()));
}

/** Samples the cursor on every frame until playing stops (or `maxMs` pass). */
async function sampleUntilStopped(maxMs: number): Promise<Sample[]> {
  return page.evaluate(
    (max) =>
      new Promise<Sample[]>((done) => {
        const t0 = (window as unknown as { playT0: number }).playT0;
        const samples: Sample[] = [];
        const read = (): Sample => {
          const time = document.querySelector<HTMLElement>('[data-testid=cursor-time]')!;
          const pos = document.querySelector<HTMLElement>('[data-testid=cursor-pos]')!.textContent ?? '';
          const play = document.querySelector<HTMLElement>('[data-testid=play]');
          return {
            wall: performance.now() - t0,
            t: Number(time.dataset.t),
            cursor: Number(pos.split('/')[0].replace(/[^\d]/g, '')),
            playing: play?.title.startsWith('Pause') ?? false,
          };
        };
        const frame = () => {
          const s = read();
          samples.push(s);
          if ((!s.playing && samples.length > 3) || s.wall > max) done(samples);
          else requestAnimationFrame(frame);
        };
        frame();
      }),
    maxMs,
  );
}

async function cursorNow(): Promise<{ cursor: number; t: number }> {
  return page.evaluate(() => ({
    cursor: Number((document.querySelector('[data-testid=cursor-pos]')!.textContent ?? '').split('/')[0].replace(/[^\d]/g, '')),
    t: Number(document.querySelector<HTMLElement>('[data-testid=cursor-time]')!.dataset.t),
  }));
}

/** The checks every view's playback must pass, from a cursor at recording time `fromT`. */
function checkPlayback(samples: Sample[], fromT: number, fromCursor: number): void {
  const playing = samples.filter((s) => s.playing);
  expect(playing.length).toBeGreaterThan(10);
  // From the cursor: the first frames show the cursor where it was, not the start or the end.
  expect(playing[0].t).toBeGreaterThanOrEqual(fromT);
  expect(playing[0].cursor).toBeGreaterThanOrEqual(fromCursor);
  expect(playing[0].cursor).toBeLessThan(total);
  // Never ahead of the wall clock (1x): a jump to the end or a faster rate fails here.
  for (const s of samples) {
    const recMs = (s.t - fromT) * TICK_MS;
    expect(recMs, `recording time ${recMs} ms at ${s.wall.toFixed(0)} ms of wall clock`).toBeLessThanOrEqual(s.wall * 1.25 + 150);
  }
  // It moved through the middle of the recording while playing.
  const mid = fromT + (endT - fromT) / 2;
  expect(playing.some((s) => s.t > fromT && s.t < endT && Math.abs(s.t - mid) < (endT - fromT) / 3)).toBe(true);
  // And stopped at the end, not before most of the recording's time had passed.
  const last = samples[samples.length - 1];
  expect(last.playing).toBe(false);
  expect(last.cursor).toBe(total);
  expect(last.t).toBe(endT);
  expect(last.wall).toBeGreaterThanOrEqual((endT - fromT) * TICK_MS * 0.7);
  const lastPlaying = playing[playing.length - 1];
  console.info(`playback: ${(endT - fromT) * TICK_MS} ms of recording played in ${last.wall.toFixed(0)} ms; ${playing.length} frames; ahead of the wall clock by at most ${Math.max(...samples.map((s) => (s.t - fromT) * TICK_MS - s.wall)).toFixed(0)} ms; last playing frame at ${lastPlaying.wall.toFixed(0)} ms`);
}

beforeAll(async () => {
  app = await openApp('playback-recordings');
  ({ page, errors } = app);
  // The demo recording at 50 ms a tick.
  const lines = readFileSync(resolve(ROOT, 'test/e2e/fixtures/demo.jsonl'), 'utf8').trim().split('\n');
  lines[0] = lines[0].replace('"tick_ms":10', `"tick_ms":${TICK_MS}`);
  const file = resultPath('playback-demo.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  total = lines.length;
  endT = JSON.parse(lines[lines.length - 1]).t;
  await page.click('[data-testid=nav-recording]');
  await page.setInputFiles('[data-testid=recording-file]', file);
  await page.waitForSelector('[data-testid=replay-badge]', { timeout: 30_000 });
  await page.waitForFunction((n) => document.querySelector('[data-testid=cursor-pos]')?.textContent?.replace(/[^\d/]/g, '') === `${n}/${n}`, total);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('playback of a reopened recording at 1x', () => {
  it('Tasks: Home then Space plays in about the recording time and stops at the end', async () => {
    await page.click('[data-testid=nav-tasks]');
    await page.keyboard.press('Home');
    expect((await cursorNow()).cursor).toBe(0);
    await markStart();
    await page.keyboard.press(' ');
    const samples = await sampleUntilStopped(20_000);
    checkPlayback(samples, 0, 0);
    // The table shows the recording's last state: every task exited.
    expect(await page.locator('[data-task]').count()).toBeGreaterThan(0);
  });

  it('Timeline: Home then the play button', async () => {
    await page.click('[data-testid=nav-timeline]');
    await page.keyboard.press('Home');
    await markStart();
    await page.click('[data-testid=play]');
    checkPlayback(await sampleUntilStopped(20_000), 0, 0);
  });

  it('Log: from a cursor in the middle, Space plays from there', async () => {
    await page.click('[data-testid=nav-log]');
    const middle = Math.floor(total / 2);
    await page.locator('[data-testid=scrub]').evaluate((el, v) => {
      (el as HTMLInputElement).value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, middle);
    const from = await cursorNow();
    expect(from.cursor).toBe(middle);
    expect(from.t).toBeGreaterThan(0);
    await page.locator('[data-testid=scrub]').blur();
    await markStart();
    await page.keyboard.press(' ');
    checkPlayback(await sampleUntilStopped(20_000), from.t, middle);
  });

  it("Recording: the panel's own play button, and playing stays stopped at the end", async () => {
    await page.click('[data-testid=nav-recording]');
    await page.keyboard.press('Home');
    await markStart();
    await page.click('[data-testid=rec-play]');
    checkPlayback(await sampleUntilStopped(20_000), 0, 0);
    await page.waitForTimeout(300);
    expect(await cursorNow()).toEqual({ cursor: total, t: endT });
    expect(await page.getAttribute('[data-testid=rec-play]', 'title')).toBe('Play');
  });

  it('logged no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
