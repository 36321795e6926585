/**
 * Shrinking a failing schedule by delta debugging (Zeller and Hildebrandt, TSE
 * 2002): put decisions back to their default, first halves, then smaller and smaller
 * parts, and keep any smaller set that still fails with the same signature. The
 * result is 1-minimal: putting back any one of its decisions makes the failure go
 * away. "Putting back" a decision is leaving it out of the schedule: the point then
 * takes the default (and a later decision whose point moved does not fit and is the
 * default too, which is why the caller re-records the shrunk run).
 */
import type { Decision } from '../../shared/protocol/schedule';

export interface ShrinkResult {
  decisions: Decision[];
  /** Runs spent shrinking. */
  runs: number;
}

/**
 * `fails(ds)`: does the schedule of these decisions still fail the same way?
 * `budget`: the most runs to spend (the best set found so far is kept).
 */
export async function shrinkDecisions(decisions: readonly Decision[], fails: (ds: Decision[]) => Promise<boolean>, budget = 2000): Promise<ShrinkResult> {
  let runs = 0;
  const test = async (ds: Decision[]): Promise<boolean> => {
    runs++;
    return fails(ds);
  };
  let current = [...decisions];
  if (current.length === 0) return { decisions: current, runs };
  if (await test([])) return { decisions: [], runs };
  let n = 2;
  while (current.length >= 2 && runs < budget) {
    const chunks = split(current, n);
    let reduced = false;
    for (const chunk of chunks) {
      if (runs >= budget) break;
      if (chunk.length < current.length && (await test(chunk))) {
        current = chunk;
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && n > 2) {
      for (let i = 0; i < chunks.length && runs < budget; i++) {
        const complement = chunks.filter((_, j) => j !== i).flat();
        if (await test(complement)) {
          current = complement;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(n * 2, current.length);
    }
  }
  return { decisions: current, runs };
}

/** `xs` in `n` contiguous parts of nearly equal size (order kept, so positions stay sorted). */
function split<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = start + Math.floor((xs.length - start) / (n - i));
    if (end > start) out.push(xs.slice(start, end));
    start = end;
  }
  return out;
}
