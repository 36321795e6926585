/**
 * The scenarios the Lab can run: the built-in library (one JSON file per scenario
 * in a directory; the CLI's, or a copy beside the Electron bundle) or a text the
 * user opened, in either format (plain task_mgr scenarios and pageserver scenarios).
 * A malformed text comes back as the parser's error, with the JSON path, never as a
 * thrown exception.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { ScenarioError } from '../../shared/scenario/parse';
import { type AnyScenario, isPageserverScenario, parseAnyScenario } from '../../shared/scenario/pageserver-parse';
import type { ScenarioInfo, ScenarioParseError } from '../../shared/protocol/lab';
import { DEMO_SCENARIO, INTERACTIVE_DEMO, interactiveDemo } from '../pageserver/demo';

export type Loaded = { ok: true; scenario: AnyScenario; title: string } | { ok: false; error: string; parse?: ScenarioParseError };

/** The parser's format for a file name: YAML for .yaml/.yml, JSON for .json, else by content. */
export function formatOf(filename: string): 'json' | 'yaml' | 'auto' {
  const ext = extname(filename).toLowerCase();
  return ext === '.yaml' || ext === '.yml' ? 'yaml' : ext === '.json' ? 'json' : 'auto';
}

export function parseText(text: string, filename: string): Loaded {
  try {
    const scenario = parseAnyScenario(text, { format: formatOf(filename) });
    return { ok: true, scenario, title: scenario.name };
  } catch (err) {
    if (err instanceof ScenarioError) {
      return { ok: false, error: `${filename}: ${err.message}`, parse: { path: err.path, reason: err.reason, message: err.message } };
    }
    return { ok: false, error: `${filename}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Issue numbers named in a description (`#123`): how a plain task_mgr scenario names its incident. */
export function issuesOf(text: string): number[] {
  return [...new Set([...text.matchAll(/#(\d+)\b/g)].map((m) => Number(m[1])))];
}

export class ScenarioLibrary {
  constructor(readonly dir: string) {}

  /** The files' names, and the interactive demo beside the scripted one it is made from. */
  names(): string[] {
    if (!existsSync(this.dir)) return [];
    const files = readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => basename(f, '.json'));
    if (files.includes(DEMO_SCENARIO)) files.push(INTERACTIVE_DEMO);
    return files.sort();
  }

  /** A library scenario by name; names are checked against the listing (no paths). */
  load(name: string): Loaded {
    if (!this.names().includes(name)) return { ok: false, error: `no built-in scenario "${name}"` };
    if (name === INTERACTIVE_DEMO) {
      const scripted = this.load(DEMO_SCENARIO);
      if (!scripted.ok || !isPageserverScenario(scripted.scenario)) return scripted;
      const scenario = interactiveDemo(scripted.scenario);
      return { ok: true, scenario, title: scenario.name };
    }
    const filename = `${name}.json`;
    return parseText(readFileSync(join(this.dir, filename), 'utf8'), filename);
  }

  list(): ScenarioInfo[] {
    const out: ScenarioInfo[] = [];
    for (const name of this.names()) {
      const loaded = this.load(name);
      if (!loaded.ok) continue;
      const s = loaded.scenario;
      if (isPageserverScenario(s)) {
        out.push({ name, title: s.title || name, description: s.description, issues: [...s.issues] });
      } else {
        out.push({ name, title: s.description.split(/(?<=\.)\s/)[0] || name, description: s.description, issues: issuesOf(s.description) });
      }
    }
    return out;
  }
}
