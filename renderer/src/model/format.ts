/**
 * Number formatting shared by the views. Times are shown in ticks, the unit scenarios
 * are written in (a tick is `tick_ms` milliseconds in live mode and in exports);
 * tooltips add milliseconds.
 */

/** 30 -> "30", 30.25 -> "30.3", null -> "". */
export function ticks(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/** Ticks as wall time: 1234 ticks at 10 ms -> "12.34 s". */
export function tickMillis(v: number | null | undefined, tickMs: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  const ms = v * tickMs;
  if (Math.abs(ms) < 1000) return `${Math.round(ms * 10) / 10} ms`;
  if (Math.abs(ms) < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${((ms - m * 60_000) / 1000).toFixed(1)} s`;
}

/** 1234567 -> "1,234,567" (fixed locale: screenshots and tests must not depend on it). */
export function count(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
