/**
 * The renderer's benchmark (DESIGN.md section 6): a recording of 1M events opened in
 * Debian's chromium against the real browser mode, and scrubs to random points.
 * Every run is handed in (bench/figures.ts reports medians with their spread); what
 * each figure includes is said in UI_ABOUT.
 *
 * - ui_open_1m_ms: from the file input's change event (the user picked the file) to
 *   the first frame where the Tasks table shows the recording (the event count reads
 *   1,000,000 and rows are on screen), with the page's own clock; three opens, each
 *   in a fresh page.
 * - ui_scrub_ms: scrubs to random events right after each open, as a user drags the
 *   bar: the scrub bar's input event to the end of the next frame (the Tasks view
 *   redrawn), 20 on each of the three pages, none left out.
 * - ui_timeline_10k_*: a recording of 10k tasks (16 alive at once, so that every lane
 *   fits a 1440x1600 window and every bar is on screen when the view fits the run) in
 *   the Timeline view, zoomed out then in by a wheel event on every frame for 120
 *   frames, three passes, all measured: frames per second (everything a frame costs),
 *   and the draw call's time and bars drawn as the view reports them in its footer.
 *
 * The recordings are synthesised (./synth-trace.ts: every event type, pool
 * statistics) and cached under test-results/bench/. Budgets: 2000 ms, 50 ms, 60 fps.
 * Run it with `npx tsx test/e2e/bench-ui.ts` or import measureUi.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPage, ROOT, startServe } from './harness';
import { synthTrace, toJsonl } from './synth-trace';

export const UI_ABOUT: Record<string, string> = {
  ui_open_1m_ms: "ms from picking a 1M-event recording (the file input's change event) to the first frame of the Tasks table showing it, in chromium against the browser mode; 3 opens, each in a fresh page",
  ui_scrub_ms: 'ms from the scrub bar\'s input event to the end of the next frame (Tasks view), scrubs to random events right after each open, 20 on each of the 3 pages, none left out',
  ui_timeline_10k_fps: 'frames per second of the Timeline over 10k tasks while a wheel event zooms it on every frame (the whole frame: events, layout, draw, compositing); 3 passes of 120 frames, all measured',
  ui_timeline_10k_draw_ms: "the Timeline's draw call alone (the JS that paints the canvas, as its footer reports it), median of each pass's 120 frames; 3 passes",
  ui_timeline_10k_bars: 'bars drawn per frame, as the footer reports (a count: that the 10k tasks were on screen)',
};

const EVENTS = 1_000_000;
const SCRUBS = 20;
const TIMELINE_TASKS = 10_000;
const TIMELINE_FRAMES = 120;
/** Opens measured, each in a fresh page; the median is reported (the build machines are shared). */
const OPENS = 3;
const WARM_MS = 500;

/** Writes (once) a synthesised recording and returns its path. */
function cachedRecording(name: string, make: () => ReturnType<typeof synthTrace>): string {
  const dir = resolve(ROOT, 'test-results/bench');
  mkdirSync(dir, { recursive: true });
  const path = resolve(dir, name);
  if (!existsSync(path) || statSync(path).size === 0) writeFileSync(path, toJsonl(make()));
  return path;
}

/** The 1M-event recording (~2000 tasks alive at once, ~85k in all). */
export function benchRecording(): string {
  return cachedRecording(`ui-${EVENTS}.jsonl`, () => synthTrace({ events: EVENTS, seed: 1, concurrency: 2000, workersPerRuntime: 4, tenants: 8, poolStatsEvery: 25 }));
}

/** A recording of about TIMELINE_TASKS tasks, 16 alive at once. */
export function timelineRecording(): string {
  return cachedRecording(`ui-timeline-${TIMELINE_TASKS}.jsonl`, () => {
    // The trace generator is driven by events: grow them until the run has the tasks.
    let events = TIMELINE_TASKS * 14;
    for (;;) {
      const trace = synthTrace({ events, seed: 2, concurrency: 16, workersPerRuntime: 4, tenants: 8, poolStatsEvery: 0 });
      if (trace.filter((e) => e.ev === 'spawn').length >= TIMELINE_TASKS) return trace;
      events = Math.ceil(events * 1.1);
    }
  });
}

/**
 * Runs in the page. A string, not a function: tsx compiles functions with helpers
 * (`__name`) that do not exist in the page.
 */
const SCRUB_IN_PAGE = `async (count, warm) => {
  const bar = document.querySelector('[data-testid=scrub]');
  const max = Number(bar.max);
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const out = [];
  await frame();
  for (let i = -warm; i < count; i++) {
    const target = Math.floor(rnd() * max);
    const t0 = performance.now();
    bar.value = String(target);
    bar.dispatchEvent(new Event('input', { bubbles: true }));
    await frame();
    if (i >= 0) out.push(performance.now() - t0);
    const shown = document.querySelector('[data-testid=cursor-pos]').textContent.split('/')[0].replace(/[,\\s]/g, '');
    if (shown !== String(target)) throw new Error('scrub to ' + target + ' shows ' + shown);
  }
  return out;
}`;

/**
 * Runs in the page with the Timeline view shown: a wheel event on every frame, zooming
 * in then out around the middle; returns the frame times and the draw times the view
 * reports in its footer.
 */
const TIMELINE_IN_PAGE = `async (frames) => {
  const canvas = document.querySelector('[data-testid=timeline-canvas]');
  const ms = document.querySelector('[data-testid=timeline-draw-ms]');
  const bars = document.querySelector('[data-testid=timeline-bars]');
  const r = canvas.getBoundingClientRect();
  const frame = () => new Promise((res) => requestAnimationFrame(res));
  await frame();
  await frame();
  const stamps = [];
  const draws = [];
  const drawn = [];
  for (let i = 0; i < frames; i++) {
    const deltaY = i < frames / 2 ? 15 : -15;
    canvas.dispatchEvent(new WheelEvent('wheel', { deltaY, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
    stamps.push(await frame());
    draws.push(Number(ms.textContent));
    drawn.push(Number(bars.textContent.replace(/,/g, '')));
  }
  return { seconds: (stamps[stamps.length - 1] - stamps[0]) / 1000, draws, drawn };
}`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The runs of each figure (bench/figures.ts's Samples). */
export type UiMeasurement = Record<string, number[]>;

/** Opens the 10k-task recording, shows the Timeline and zooms it a frame at a time. */
async function measureTimeline(browser: Browser, url: string): Promise<UiMeasurement> {
  const file = timelineRecording();
  const { page, context } = await newPage(browser);
  try {
    await page.setViewportSize({ width: 1440, height: 1600 });
    await page.goto(url);
    await page.click('[data-testid=nav-recording]');
    await page.locator('[data-testid=recording-file]').setInputFiles(file);
    await page.waitForSelector('[data-task]', { timeout: 120_000 });
    await page.click('[data-testid=nav-timeline]');
    await page.waitForSelector('[data-testid=timeline-canvas]');
    // Three passes, all measured (the first one also compiles the draw code: a user sees that too).
    const out: UiMeasurement = { ui_timeline_10k_fps: [], ui_timeline_10k_draw_ms: [], ui_timeline_10k_bars: [] };
    for (let k = 0; k < 3; k++) {
      const run = (await page.evaluate(`(${TIMELINE_IN_PAGE})(${TIMELINE_FRAMES})`)) as { seconds: number; draws: number[]; drawn: number[] };
      out.ui_timeline_10k_fps.push((TIMELINE_FRAMES - 1) / run.seconds);
      out.ui_timeline_10k_draw_ms.push(median(run.draws));
      out.ui_timeline_10k_bars.push(median(run.drawn));
    }
    return out;
  } finally {
    await context.close();
  }
}

/** Opens the recording in a fresh page: ms from the file input's change event to the first frame that shows it. */
async function openOnce(browser: Browser, url: string, file: string): Promise<{ page: Page; ms: number }> {
  const { page } = await newPage(browser);
  await page.goto(url);
  await page.click('[data-testid=nav-recording]');
  // The page warms its scan workers when it starts: let that finish, as a user would.
  await page.waitForTimeout(WARM_MS);
  const input = page.locator('[data-testid=recording-file]');
  await input.evaluate((el) => {
    el.addEventListener('change', () => ((window as unknown as { __openT0: number }).__openT0 = performance.now()), { capture: true });
  });
  await input.setInputFiles(file);
  const opened = await page.waitForFunction(
    (n) => {
      const count = document.querySelector('[data-testid=event-count]')?.textContent?.replace(/,/g, '');
      if (count !== String(n) || document.querySelector('[data-task]') === null) return false;
      return performance.now() - (window as unknown as { __openT0: number }).__openT0;
    },
    EVENTS,
    { timeout: 120_000, polling: 'raf' },
  );
  return { page, ms: (await opened.jsonValue()) as number };
}

export async function measureUi(): Promise<UiMeasurement> {
  const file = benchRecording();
  const served = await startServe({ recordingsDir: resolve(ROOT, 'test-results/bench/recordings') });
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const opens: number[] = [];
    const scrubs: number[] = [];
    for (let k = 0; k < OPENS; k++) {
      const o = await openOnce(browser, served.url, file);
      opens.push(o.ms);
      if (process.env.BENCH_UI_VERBOSE) process.stderr.write(`open ${k}: ${o.ms.toFixed(0)} ms\n`);
      scrubs.push(...((await o.page.evaluate(`(${SCRUB_IN_PAGE})(${SCRUBS}, 0)`)) as number[]));
      await o.page.context().close();
    }
    const timeline = await measureTimeline(browser, served.url);
    return { ui_open_1m_ms: opens, ui_scrub_ms: scrubs, ...timeline };
  } finally {
    await browser?.close();
    await served.stop();
  }
}

// `npx tsx test/e2e/bench-ui.ts`: print the figures as JSON.
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  measureUi().then(
    (m) => {
      process.stdout.write(`${JSON.stringify(m)}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`bench-ui: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
