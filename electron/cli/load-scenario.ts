/**
 * Finds and parses a scenario for the CLI: a file path (JSON or YAML by its
 * extension), or the name of a scenario of the built-in library. Parse errors come
 * back as one line with the file and the JSON path. Both formats are read: plain
 * task_mgr scenarios and pageserver scenarios (`taskmgr-pageserver/1`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { ScenarioError } from '../../shared/scenario/parse';
import { type AnyScenario, parseAnyScenario } from '../../shared/scenario/pageserver-parse';
import { LIBRARY_DIR } from '../scenario/library-dir';
import { UsageError } from './io';


export function libraryNames(): string[] {
  if (!existsSync(LIBRARY_DIR)) return [];
  return readdirSync(LIBRARY_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

export class ScenarioFileError extends Error {}

export function loadScenario(ref: string): { scenario: AnyScenario; path: string } {
  let path = ref;
  if (!existsSync(path)) {
    const lib = join(LIBRARY_DIR, `${ref}.json`);
    if (!existsSync(lib)) throw new UsageError(`${ref}: no such file, and no built-in scenario of that name (see: taskmgr-lab scenarios)`);
    path = lib;
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScenarioFileError(`${path}: ${(err as Error).message}`);
  }
  const ext = extname(path).toLowerCase();
  try {
    const scenario = parseAnyScenario(text, { format: ext === '.yaml' || ext === '.yml' ? 'yaml' : ext === '.json' ? 'json' : 'auto' });
    return { scenario, path };
  } catch (err) {
    if (err instanceof ScenarioError) throw new ScenarioFileError(`${path}: ${err.message}`);
    throw err;
  }
}
