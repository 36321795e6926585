/**
 * `taskmgr-lab lessons [--check] [FILE...]` and `taskmgr-lab lesson NAME|FILE
 * [--save-schedule FILE]` (docs/lessons.md). The list says what each lesson
 * teaches; `--check` runs every lesson headless (each reveal holds, each reference
 * solution reaches its goal and the goal fails without it) and exits 1 naming the
 * lesson and the step that broke. `lesson` walks one lesson in the terminal: Enter
 * goes on, a prediction is answered by number, a challenge's reference solution is
 * run on request; when stdin is not a terminal it prints the whole lesson with its
 * solutions, run and checked.
 */
import { writeFileSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import type { Lesson, LessonStep } from '../../../shared/lesson/lesson';
import { checkScenarioExpect, type ExpectResult } from '../../../shared/scenario/expect-check';
import { describeEvent } from '../../../shared/trace/wording';
import { checkLesson, eventsUntil, lessonSchedule, runLessonScenario, runSolution } from '../../lessons/engine';
import { findLesson as find, LessonFileError, lessonFiles, loadLessonFile as load, NoSuchLesson } from '../../lessons/load';
import { ScenarioFileError } from '../load-scenario';
import { parseArgs } from '../args';
import { type CliIO, UsageError } from '../io';
import { painter } from '../timeline';

/** The loaders' errors as the CLI's: a malformed lesson exits 2 like a malformed scenario. */
function cliErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof LessonFileError) throw new ScenarioFileError(err.message);
    if (err instanceof NoSuchLesson) throw new UsageError(err.message);
    throw err;
  }
}

const loadLessonFile = (path: string): Lesson => cliErrors(() => load(path));
const findLesson = (ref: string): { lesson: Lesson; path: string } => cliErrors(() => find(ref));

export async function lessonsCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { check: 'flag' });
  const files = args.positional.length ? args.positional : lessonFiles();
  // Every file parsed first: a malformed lesson is exit 2 before anything runs.
  const lessons = files.map((f) => ({ file: f, lesson: loadLessonFile(f) }));
  if (args.options.check !== true) {
    for (const [i, { lesson }] of lessons.entries()) io.out(`${String(i + 1).padStart(2)}. ${lesson.name.padEnd(26)} ${lesson.title}\n    ${lesson.teaches}`);
    return 0;
  }
  const p = painter(io.color ?? false);
  let broken = 0;
  for (const { lesson } of lessons) {
    const problems = await checkLesson(lesson);
    io.out(`${lesson.name}: ${problems.length ? p('red', 'FAILED') : p('green', 'ok')} (${lesson.steps.length} steps)`);
    for (const pr of problems) io.out(`  ${lesson.name} step ${pr.step} (${pr.kind}): ${pr.reason}`);
    if (problems.length) broken++;
  }
  io.out(`${lessons.length - broken} passed, ${broken} failed`);
  return broken ? 1 : 0;
}

function claimLines(results: readonly ExpectResult[]): string[] {
  return results.map((r) => `  ${r.ok ? '✓' : '✗'} ${r.description}${r.ok ? '' : ` (found: ${r.detail})`}`);
}

export async function lessonCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { 'save-schedule': 'string' });
  if (args.positional.length !== 1) throw new UsageError('usage: taskmgr-lab lesson NAME|FILE [--save-schedule FILE]');
  const { lesson } = findLesson(args.positional[0]);
  const save = typeof args.options['save-schedule'] === 'string' ? args.options['save-schedule'] : null;
  const rl = process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stdout }) : null;
  try {
    return await walk(lesson, io, rl, save);
  } finally {
    rl?.close();
  }
}

async function walk(lesson: Lesson, io: CliIO, rl: Interface | null, save: string | null): Promise<number> {
  // Lines are read through one iterator, so that lines typed ahead are kept, not dropped.
  const lines = rl ? rl[Symbol.asyncIterator]() : null;
  const ask = async (q: string): Promise<string> => {
    if (!lines) return '';
    process.stdout.write(q);
    const r = await lines.next();
    return r.done ? '' : String(r.value);
  };
  const base = await runLessonScenario(lesson);
  io.out(`# ${lesson.title}\n${lesson.teaches}\n(scenario: ${lesson.scenario.name} — ${lesson.scenario.description})`);
  let shown = 0;
  let ok = true;
  for (const [i, s] of lesson.steps.entries()) {
    io.out(`\n── step ${i + 1}/${lesson.steps.length}: ${s.kind}`);
    if (s.kind === 'narration') io.out(s.text.trimEnd());
    else if (s.kind === 'run') {
      const upto = eventsUntil(base.events, s.until) ?? base.events;
      for (const e of upto.slice(shown)) {
        const w = describeEvent(e);
        io.out(`  t=${String(e.t).padStart(5)}  ${w.what} ${w.text}`);
      }
      shown = Math.max(shown, upto.length);
      io.out(`  (paused at tick ${upto.at(-1)?.t ?? 0})`);
    } else if (s.kind === 'predict') {
      io.out(s.question);
      s.choices.forEach((c, k) => io.out(`  ${k + 1}. ${c}`));
      const a = (await ask('your answer (number): ')).trim();
      if (rl) io.out(Number(a) === s.answer ? 'Right.' : `Not quite: the answer is ${s.answer}.`);
      else io.out(`answer: ${s.answer}. ${s.choices[s.answer - 1]}`);
      io.out(s.explain.trimEnd());
      io.out('the Lab runs on; over the event log:');
      const revealed = checkScenarioExpect(s.reveal, base.events);
      for (const l of claimLines(revealed)) io.out(l);
      ok &&= revealed.every((r) => r.ok);
    } else {
      ok = (await solutionStep(lesson, s, i, io, ask, rl !== null, save)) && ok;
    }
    if (rl && s.kind !== 'predict') await ask('[Enter] ');
  }
  io.out(`\nEnd of lesson "${lesson.name}".`);
  return ok ? 0 : 1;
}

async function solutionStep(
  lesson: Lesson,
  s: Extract<LessonStep, { kind: 'challenge' | 'schedule' }>,
  i: number,
  io: CliIO,
  ask: (q: string) => Promise<string>,
  interactive: boolean,
  save: string | null,
): Promise<boolean> {
  io.out(`${s.kind === 'schedule' ? 'Be the scheduler' : 'Challenge'}: ${s.goal}`);
  io.out('the goal, checked over the event log:');
  for (const c of checkScenarioExpect(s.check, [])) io.out(`  - ${c.description}`);
  if (s.hint) io.out(`hint: ${s.hint}`);
  if (interactive && !/^y/i.test((await ask('run the reference solution? [y/N] ')).trim())) return true;
  const r = await runSolution(lesson, s, i);
  io.out('reference solution:');
  if (s.kind === 'challenge') for (const st of s.solution) io.out(`  ${JSON.stringify(st)}`);
  else {
    const at = new Map(s.solution.map((d) => [d.pos, d]));
    r.choices.forEach((c, pos) => {
      const d = at.get(pos);
      if (!d) return;
      const what = d.kind === 'jitter' ? `${c.task ?? 'pageserver'} waits ${c.ticks}${d.value > 0 ? '+' : ''}${d.value} ticks (${c.what})` : `${c.options[d.value]} instead of ${c.options[0]} (ready: ${c.options.join(', ')})`;
      io.out(`  choice ${pos} at tick ${c.tick}, ${d.kind}: ${what}`);
    });
  }
  for (const l of claimLines(r.results)) io.out(l);
  io.out(r.reached ? 'goal reached.' : 'goal NOT reached.');
  if (s.kind === 'schedule' && save) {
    writeFileSync(save, `${JSON.stringify(lessonSchedule(lesson, s, i), null, 2)}\n`);
    io.out(`schedule written to ${save} (replay: taskmgr-lab run SCENARIO --schedule ${save}; or open it in the Explore view)`);
  }
  return r.reached;
}
