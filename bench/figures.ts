/**
 * What `npm run bench` reports for each figure: the median of its runs, and beside
 * it the spread (min, max, runs) and a sentence saying what the figure includes.
 * Groups hand in raw samples; this module is the one place that turns them into the
 * reported numbers, so that no group picks its best run.
 */

/** The runs of each figure, as a group measured them (one number per run). */
export type Samples = Record<string, number[]>;

export interface Spread {
  min: number;
  max: number;
  runs: number;
}

/** The reported figures: medians (numbers), their spread, and what each includes. */
export interface Report {
  figures: Record<string, number>;
  spread: Record<string, Spread>;
  about: Record<string, string>;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no runs');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `fn` run `times` times one after the other: the runs of one figure. */
export async function repeat<T>(times: number, fn: () => T | Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < times; i++) out.push(await fn());
  return out;
}

/** Whole numbers from 1000 up, one decimal below (a rate of 555,305/s; 45.3 ms). */
export function tidy(x: number): number {
  return Math.abs(x) >= 1000 ? Math.round(x) : Math.round(x * 10) / 10;
}

/** Medians and spreads of `samples`; `about` must describe every figure measured. */
export function summarize(samples: Samples, about: Record<string, string>): Report {
  const report: Report = { figures: {}, spread: {}, about: {} };
  for (const [key, runs] of Object.entries(samples)) {
    if (about[key] === undefined) throw new Error(`bench: the figure ${key} has no description`);
    report.figures[key] = tidy(median(runs));
    report.spread[key] = { min: tidy(Math.min(...runs)), max: tidy(Math.max(...runs)), runs: runs.length };
    report.about[key] = about[key];
  }
  return report;
}
