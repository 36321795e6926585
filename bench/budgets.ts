/**
 * The budgets of DESIGN.md section 6, one per figure that has one, for
 * `npm run bench -- --check`: each reported median is compared with its budget, and
 * a miss (or a budgeted figure that could not be measured) makes the check exit 1.
 * Not part of `npm test`: the build machines are shared and noisy. A new group adds
 * the budgets of its figures here.
 */
import type { Report } from './figures';

export interface Budget {
  /** The median must be at least (`min`) or at most (`max`) this. */
  min?: number;
  max?: number;
  /** DESIGN.md's words. */
  rule: string;
}

export const BUDGETS: Record<string, Budget> = {
  sim_events_per_s: { min: 500_000, rule: 'sim: at least 500k trace events per second on one core' },
  live_vs_raw_ratio: { max: 3, rule: 'live: spawn-to-exit of short tasks within 3x of the raw batched IPC rate measured in the same run' },
  live_shutdown_10k_ms: { max: 100, rule: 'live: shutdown_tasks over 10k cooperative tasks in under 100 ms' },
  coord_mem_100k_mb: { max: 100, rule: 'coordinator memory: under 100 MB for 100k registered tasks' },
  explore_vs_sim_events: { min: 0.5, rule: 'explorer: runs/s × events per run at least half the simulator\'s event rate' },
  explore_scaling_2_jobs: { min: 1.6, rule: 'explorer: at least 1.6x with two jobs on two cores' },
  explore_pct_vs_random: { min: 1, rule: 'explorer: PCT finds the library\'s races in no more schedules than random' },
  ui_open_1m_ms: { max: 2000, rule: 'renderer: a 1M-event recording opens in under 2 s' },
  ui_scrub_ms: { max: 50, rule: 'renderer: a scrub lands in under 50 ms' },
  ui_timeline_10k_fps: { min: 59.5, rule: 'renderer: the timeline draws 10k tasks at 60 frames per second (59.5 and up rounds to 60)' },
  ui_timeline_10k_draw_ms: { max: 16.7, rule: 'renderer: 60 frames per second leaves 16.7 ms a frame for the draw' },
};

export type Verdict = { key: string; budget: Budget; status: 'ok' | 'missed'; value: number } | { key: string; budget: Budget; status: 'not measured'; why: string };

/** What `checkBudgets` needs of a group: its name and the figures it measures. */
export interface GroupFigures {
  name: string;
  about: Record<string, string>;
}

/**
 * Each budget of a figure that one of the selected `groups` measures, checked against
 * the report. `skipped` gives why a group was not measured (it failed, or could not
 * run here).
 */
export function checkBudgets(report: Report, groups: readonly GroupFigures[], skipped: Record<string, string> = {}, budgets: Record<string, Budget> = BUDGETS): Verdict[] {
  const out: Verdict[] = [];
  for (const [key, budget] of Object.entries(budgets)) {
    const group = groups.find((g) => g.about[key] !== undefined);
    if (group === undefined) continue;
    const value = report.figures[key];
    if (value === undefined) {
      out.push({ key, budget, status: 'not measured', why: skipped[group.name] ?? `the ${group.name} group gave no ${key}` });
      continue;
    }
    const ok = (budget.min === undefined || value >= budget.min) && (budget.max === undefined || value <= budget.max);
    out.push({ key, budget, status: ok ? 'ok' : 'missed', value });
  }
  return out;
}

export function describeBudget(b: Budget): string {
  return b.min !== undefined ? `>= ${b.min}` : `<= ${b.max}`;
}
