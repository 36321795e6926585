/**
 * The lesson format's parser: a valid lesson with every kind of step, and malformed
 * ones rejected with one line naming the JSON path and the reason (as scenarios are),
 * including errors inside the embedded scenario, a claim and a challenge's solution.
 */
import { describe, expect, it } from 'vitest';
import { parseLesson, parseLessonValue } from '../../shared/lesson/lesson';

const scenario = {
  format: 'taskmgr-scenario/1',
  name: 's',
  description: 'd',
  tasks: { gc: { runtime: 'background', kind: 'GarbageCollector', tenant: 't1', timeline: null, body: [{ op: 'wait_shutdown' }] } },
  steps: [{ at: 0, do: 'spawn', task: 'gc' }],
  end_at: 20,
};

function lesson(steps: unknown[], sc: unknown = scenario): Record<string, unknown> {
  return { format: 'taskmgr-lesson/1', name: 'l', title: 't', teaches: 'x', scenario: sc, steps };
}

const none = (): null => null;
const err = (v: unknown): string => {
  try {
    parseLessonValue(v, none);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('taskmgr-lesson/1', () => {
  it('reads every kind of step, from YAML too, and a scenario named in the library', () => {
    const steps = [
      { narration: 'look' },
      { run: { until_event: { ev: 'spawn', task: 'gc' } } },
      { predict: { question: 'q', choices: ['a', 'b'], answer: 2, explain: 'e', reveal: [{ tasks: { task: 'gc' }, outcome: 'running' }] } },
      { challenge: { goal: 'g', check: [{ observed: 'gc', via: 'watcher' }], solution: [{ at: 5, do: 'shutdown_tasks', label: 'x', kind: null, tenant: 't1', timeline: null }] } },
      { schedule: { goal: 'g', check: [{ exit_code: null }], jitter: 0.5, solution: [{ pos: 0, kind: 'jitter', value: -1 }] } },
    ];
    const l = parseLessonValue({ ...lesson(steps), scenario: 'lib' }, (n) => (n === 'lib' ? scenario : null));
    expect(l.scenarioRef).toBe('lib');
    expect(l.steps.map((s) => s.kind)).toEqual(['narration', 'run', 'predict', 'challenge', 'schedule']);
    const y = parseLesson('format: taskmgr-lesson/1\nname: l\ntitle: t\nteaches: x\nscenario: lib\nsteps:\n  - narration: hi\n', () => scenario);
    expect(y.steps).toEqual([{ kind: 'narration', text: 'hi' }]);
  });

  it('rejects malformed lessons with the JSON path and the reason', () => {
    expect(err({ ...lesson([{ narration: 'x' }]), format: 'taskmgr-lesson/2' })).toBe('$.format: expected "taskmgr-lesson/1", found "taskmgr-lesson/2"');
    expect(err({ ...lesson([{ narration: 'x' }]), scenario: 'nope' })).toBe('$.scenario: no scenario "nope" in the library');
    expect(err(lesson([{ narration: 'x', run: { until_tick: 1 } }]))).toBe('$.steps[0]: expected an object with exactly one of "narration", "run", "predict", "challenge", "schedule"');
    expect(err(lesson([{ run: { until_tick: 99 } }]))).toBe('$.steps[0].run.until_tick: tick 99 comes after end_at 20');
    expect(err(lesson([{ predict: { question: 'q', choices: ['a', 'b'], answer: 1, explain: 'e', reveal: [{ observed: 'zz' }] } }]))).toBe(
      '$.steps[0].predict.reveal[0].observed: no task template "zz"',
    );
    expect(err(lesson([{ predict: { question: 'q', choices: ['a'], answer: 1, explain: 'e', reveal: [] } }]))).toBe('$.steps[0].predict.choices: expected an array of at least 2 choices');
    expect(err(lesson([{ challenge: { goal: 'g', check: [{ exit_code: 0 }], solution: [{ at: 1, do: 'inject', task: 'nobody', fault: 'panic', message: 'm' }] } }]))).toMatch(
      /^\$\.steps\[0\]\.challenge\.solution\[0\]\.task: /,
    );
    expect(err(lesson([{ schedule: { goal: 'g', check: [{ exit_code: 0 }], solution: [{ pos: 0, kind: 'run', value: 0 }] } }]))).toBe(
      '$.steps[0].schedule.solution[0].value: expected an integer >= 1 (0 is the default and is not written)',
    );
    expect(err(lesson([{ narration: 'x' }], { ...scenario, end_at: 'soon' }))).toMatch(/^\$\.scenario\.end_at: /);
  });
});
