/**
 * What `npm run bench` reports (bench/figures.ts) and how `--check` judges it
 * (bench/budgets.ts): medians, not best runs, with their spread; every figure
 * described; a budget missed, met, or not measured because its group was skipped.
 */
import { describe, expect, it } from 'vitest';
import { BUDGETS, checkBudgets, type GroupFigures } from '../../bench/budgets';
import { median, summarize, tidy } from '../../bench/figures';

describe('bench figures', () => {
  it('reports the median of the runs under the key, the spread beside it', () => {
    const r = summarize({ live_shutdown_10k_ms: [61.26, 45.31, 52.04, 47.9, 90.2] }, { live_shutdown_10k_ms: 'one shutdown' });
    expect(r.figures).toEqual({ live_shutdown_10k_ms: 52 });
    expect(r.spread).toEqual({ live_shutdown_10k_ms: { min: 45.3, max: 90.2, runs: 5 } });
    expect(r.about).toEqual({ live_shutdown_10k_ms: 'one shutdown' });
  });

  it('takes the middle two of an even number of runs', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median of no runs');
  });

  it('keeps whole numbers from 1000 up and one decimal below', () => {
    expect(tidy(555_305.4)).toBe(555_305);
    expect(tidy(2.374)).toBe(2.4);
  });

  it('refuses a figure nobody described', () => {
    expect(() => summarize({ mystery_ms: [1] }, {})).toThrow('the figure mystery_ms has no description');
  });
});

describe('bench --check', () => {
  const groups: GroupFigures[] = [
    { name: 'sim', about: { sim_events_per_s: 'x', coord_mem_100k_mb: 'x' } },
    { name: 'ui', about: { ui_scrub_ms: 'x', ui_open_1m_ms: 'x', ui_timeline_10k_fps: 'x', ui_timeline_10k_draw_ms: 'x' } },
  ];
  const report = (figures: Record<string, number>) => ({ figures, spread: {}, about: {} });

  it('says ok at the budget and missed past it, both ways', () => {
    const v = checkBudgets(report({ sim_events_per_s: 500_000, coord_mem_100k_mb: 100.1 }), groups.slice(0, 1));
    expect(v.map((x) => [x.key, x.status])).toEqual([
      ['sim_events_per_s', 'ok'],
      ['coord_mem_100k_mb', 'missed'],
    ]);
    expect(checkBudgets(report({ sim_events_per_s: 499_999, coord_mem_100k_mb: 35 }), groups.slice(0, 1)).map((x) => x.status)).toEqual(['missed', 'ok']);
  });

  it('names a budgeted figure of a skipped group as not measured, with why', () => {
    const v = checkBudgets(report({ sim_events_per_s: 600_000, coord_mem_100k_mb: 35 }), groups, { ui: 'no chromium at /usr/bin/chromium' });
    const ui = v.filter((x) => x.key.startsWith('ui_'));
    expect(ui).toHaveLength(4);
    expect(ui.every((x) => x.status === 'not measured' && x.why === 'no chromium at /usr/bin/chromium')).toBe(true);
  });

  it('checks only the budgets of the groups asked for', () => {
    expect(checkBudgets(report({}), []).length).toBe(0);
  });

  it('holds the budgets of DESIGN.md section 6', () => {
    expect(BUDGETS.sim_events_per_s.min).toBe(500_000);
    expect(BUDGETS.live_vs_raw_ratio.max).toBe(3);
    expect(BUDGETS.live_shutdown_10k_ms.max).toBe(100);
    expect(BUDGETS.coord_mem_100k_mb.max).toBe(100);
    expect(BUDGETS.ui_open_1m_ms.max).toBe(2000);
    expect(BUDGETS.ui_scrub_ms.max).toBe(50);
  });
});
