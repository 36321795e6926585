/**
 * Finds and parses lessons on disk: the built-in course (./library, in order of
 * their file names) or a lesson file a teacher wrote. A lesson names a scenario
 * of the built-in library or embeds one. A malformed lesson is one line with the
 * file and the JSON path (a LessonFileError: exit code 2 in the CLI).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { type Lesson, parseLesson } from '../../shared/lesson/lesson';
import { readScenarioText } from '../../shared/scenario/read-text';
import { ScenarioError } from '../../shared/scenario/values';
import { LIBRARY_DIR } from '../scenario/library-dir';

/** A lesson file that cannot be read or is malformed: one line with the file and the JSON path. */
export class LessonFileError extends Error {}

/** No file and no built-in lesson of that name. */
export class NoSuchLesson extends Error {}

export const LESSONS_DIR = join(__dirname, 'library');

/** The built-in lessons' file names, in course order. */
export function lessonFiles(): string[] {
  if (!existsSync(LESSONS_DIR)) return [];
  return readdirSync(LESSONS_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => join(LESSONS_DIR, f));
}

function resolveScenario(name: string): unknown {
  const path = join(LIBRARY_DIR, `${basename(name)}.json`);
  return existsSync(path) ? readScenarioText(readFileSync(path, 'utf8'), { format: 'json' }) : null;
}

export function loadLessonFile(path: string): Lesson {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new LessonFileError(`${path}: ${(err as Error).message}`);
  }
  const ext = extname(path).toLowerCase();
  try {
    return parseLesson(text, resolveScenario, { format: ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : 'auto' });
  } catch (err) {
    if (err instanceof ScenarioError) throw new LessonFileError(`${path}: ${err.message}`);
    throw err;
  }
}

/** A lesson by file path, or by its name (or file name without the number) in the built-in course. */
export function findLesson(ref: string): { lesson: Lesson; path: string } {
  if (existsSync(ref)) return { lesson: loadLessonFile(ref), path: ref };
  for (const path of lessonFiles()) {
    const lesson = loadLessonFile(path);
    const file = basename(path).replace(/\.(ya?ml|json)$/, '');
    if (lesson.name === ref || file === ref || file.replace(/^\d+-/, '') === ref) return { lesson, path };
  }
  throw new NoSuchLesson(`${ref}: no such file, and no built-in lesson of that name (see: taskmgr-lab lessons)`);
}
