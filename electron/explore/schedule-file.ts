/**
 * Schedule files on the Node side: make one from a run's recorded decisions, read
 * one from disk, and refuse one made for another scenario (its hash differs) before
 * anything runs. The format and its validator are shared (shared/protocol/schedule.ts).
 */
import { readFileSync } from 'node:fs';
import { type Decision, parseScheduleText, type ScheduleFile, scenarioHash, type StrategyName } from '../../shared/protocol/schedule';
import type { AnyScenario } from '../../shared/scenario/pageserver-parse';

/** A schedule that does not fit (another scenario), or a file that is not one: one line. */
export class ScheduleMismatch extends Error {}

/** The seed a scenario runs with when nothing else is said (a pageserver scenario's own; 1 for v1). */
export function defaultSeed(scenario: AnyScenario): number {
  return scenario.format === 'taskmgr-pageserver/1' ? scenario.seed : 1;
}

export function makeSchedule(scenario: AnyScenario, fields: { seed: number; strategy: StrategyName; jitter: number; decisions: Decision[] }): ScheduleFile {
  return {
    format: 'taskmgr-schedule/1',
    scenario: scenario.name,
    scenario_hash: scenarioHash(scenario),
    seed: fields.seed,
    strategy: fields.strategy,
    jitter: fields.jitter,
    decisions: fields.decisions.map((d) => ({ ...d })),
  };
}

/** Throws ScheduleMismatch unless `schedule` was made for this very scenario. */
export function checkScheduleFits(schedule: ScheduleFile, scenario: AnyScenario, where = 'the schedule'): void {
  const hash = scenarioHash(scenario);
  if (schedule.scenario_hash !== hash) {
    const same = schedule.scenario === scenario.name;
    throw new ScheduleMismatch(
      same
        ? `${where} was made for another version of scenario "${scenario.name}" (hash ${schedule.scenario_hash}, this one is ${hash})`
        : `${where} was made for scenario "${schedule.scenario}", not "${scenario.name}"`,
    );
  }
}

/** Reads and validates a schedule file; any problem is one ScheduleMismatch line naming the file. */
export function readScheduleFile(path: string): ScheduleFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScheduleMismatch(`${path}: ${(err as Error).message}`);
  }
  try {
    return parseScheduleText(text);
  } catch (err) {
    throw new ScheduleMismatch(`${path}: ${(err as Error).message}`);
  }
}
