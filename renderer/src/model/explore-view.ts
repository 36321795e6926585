/**
 * What the Explore view derives from the explorer's data, kept out of the component
 * so that it can be tested without a page: the outcome histogram (passing runs and
 * failing runs per signature, as shares of the runs done), the rows around the event
 * where a failing and a passing run part, and one short line per event for them.
 */
import type { ExploreProgress } from '../../../shared/protocol/explore';
import type { AnyEvent, TraceEvent } from '../../../shared/trace/events';
import { describeEvent } from '../../../shared/trace/wording';

export interface HistogramBar {
  label: string;
  count: number;
  /** Share of the runs done, 0..1. */
  share: number;
  pass: boolean;
}

/** Passing runs first, then each signature in order of first appearance. */
export function histogram(p: ExploreProgress | null): HistogramBar[] {
  if (!p) return [];
  const total = Math.max(1, p.runs);
  const bars: HistogramBar[] = [{ label: 'passed', count: p.passed, share: p.passed / total, pass: true }];
  for (const s of p.bySignature) bars.push({ label: s.signature, count: s.count, share: s.count / total, pass: false });
  return bars;
}

/** One line for an event, in the words of the Log view and the CLI (shared/trace/wording.ts). */
export function eventLine(e: TraceEvent): string {
  const w = describeEvent(e as AnyEvent);
  const task = e.ev === 'log' && typeof e.task === 'string' ? `${e.task}: ` : '';
  return [w.what || e.ev, `${task}${w.text}`].filter((x) => x !== '').join('  ');
}

export interface DiffRow {
  index: number;
  failing: { t: number; line: string } | null;
  passing: { t: number; line: string } | null;
  /** The first row where the two runs differ. */
  parts: boolean;
}

/** The rows of both runs from `before` events before the parting one to `after` events past it. */
export function partingRows(failing: readonly TraceEvent[], passing: readonly TraceEvent[], partsAt: number, before = 6, after = 10): DiffRow[] {
  const rows: DiffRow[] = [];
  const end = Math.min(Math.max(failing.length, passing.length), partsAt + after + 1);
  for (let i = Math.max(0, partsAt - before); i < end; i++) {
    const a = failing[i];
    const b = passing[i];
    rows.push({
      index: i,
      failing: a ? { t: a.t, line: eventLine(a) } : null,
      passing: b ? { t: b.t, line: eventLine(b) } : null,
      parts: i === partsAt,
    });
  }
  return rows;
}
