/**
 * The course stays true to the model: `taskmgr-lab lessons --check` runs every
 * built-in lesson headless (reveals hold, reference solutions reach their goals,
 * goals fail without them). A lesson whose claim is made false fails naming the
 * lesson and the step; a malformed lesson is one line with its JSON path and exit 2;
 * a solved "be the scheduler" step saved as a schedule replays with `run --schedule`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonFiles } from '../../electron/lessons/load';
import { parseScheduleText } from '../../shared/protocol/schedule';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('lessons-');
const snapshotLesson = lessonFiles().find((f) => f.includes('the-snapshot')) as string;

describe('taskmgr-lab lessons', () => {
  it('lists at least 8 lessons, each with what it teaches', async () => {
    const r = await cli('lessons');
    expect(r.code).toBe(0);
    expect(r.out.length).toBeGreaterThanOrEqual(8);
    expect(r.out.join('\n')).toContain('the-snapshot');
  });

  it('--check: every built-in lesson holds against the model', async () => {
    const r = await cli('lessons', '--check');
    expect(r.out.at(-1)).toMatch(/^(\d+) passed, 0 failed$/);
    expect(Number(r.out.at(-1)?.split(' ')[0])).toBeGreaterThanOrEqual(8);
    expect(r.code).toBe(0);
  }, 120_000);

  it('--check fails naming the lesson and the step when a reveal is false', async () => {
    // The snapshot lesson's prediction claims gc observes shutdown; claim it never does.
    const text = readFileSync(snapshotLesson, 'utf8').replace('- { observed: gc, via: watcher }', '- { observed: gc, via: never }');
    const file = join(tmp, 'broken.yaml');
    writeFileSync(file, text);
    const r = await cli('lessons', '--check', file);
    expect(r.code).toBe(1);
    expect(r.out).toContain('  the-snapshot step 3 (predict): the reveal does not hold: gc never observes shutdown: found it observed shutdown via watcher');
  }, 60_000);

  it('--check fails when a reference solution no longer reaches its goal', async () => {
    const text = readFileSync(snapshotLesson, 'utf8').replace('{ pos: 0, kind: order, value: 1 }', '{ pos: 1, kind: order, value: 1 }');
    const file = join(tmp, 'unsolved.yaml');
    writeFileSync(file, text);
    const r = await cli('lessons', '--check', file);
    expect(r.code).toBe(1);
    expect(r.out.find((l) => l.startsWith('  the-snapshot step 4 (schedule): the reference solution does not reach the goal'))).toBeTruthy();
  }, 60_000);

  it('a malformed lesson is one line with the file and the JSON path, exit 2', async () => {
    const text = readFileSync(snapshotLesson, 'utf8').replace('answer: 1', 'answer: 7');
    const file = join(tmp, 'malformed.yaml');
    writeFileSync(file, text);
    const r = await cli('lessons', '--check', file);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`taskmgr-lab lessons: ${file}: $.steps[2].predict.answer: expected the number of a choice, 1 to 2`]);
  });

  it('lesson prints the whole lesson when stdin is not a terminal, and saves the solved schedule for run --schedule', async () => {
    const sched = join(tmp, 'snapshot.schedule.json');
    const r = await cli('lesson', 'the-snapshot', '--save-schedule', sched);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toContain('answer: 1.');
    expect(text).toContain('choice 0 at tick 10, order: detach instead of create');
    expect(text).toContain('goal reached.');
    const schedule = parseScheduleText(readFileSync(sched, 'utf8'));
    expect(schedule.decisions).toEqual([{ pos: 0, kind: 'order', value: 1 }]);
    // The lesson's scenario, written as a file, replays under the saved schedule.
    const { findLesson } = await import('../../electron/lessons/load');
    const scenarioFile = join(tmp, 'lesson-snapshot.json');
    writeFileSync(scenarioFile, JSON.stringify(findLesson('the-snapshot').lesson.scenarioValue));
    const run = await cli('run', scenarioFile, '--schedule', sched, '--quiet');
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
  }, 60_000);
});
