/**
 * `taskmgr-lab scenarios [--json] [--check]`: lists the built-in scenarios: name,
 * catalog ids (S1, S2, ... of the incident catalog), title, and the Neon issue and
 * PR numbers the app's library shows (`#2910`), the things people search by.
 * `--json` gives the same as one JSON array. With `--check`, runs every one in the simulator with its fixed
 * seed, checks its expected outcome, prints `NAME: ok` or `NAME: FAILED` with the
 * failed expectations, then `N passed, N failed`; exit 1 if any failed.
 */
import { parseArgs } from '../args';
import type { CliIO } from '../io';
import { libraryNames, loadScenario } from '../load-scenario';
import { issuesOf } from '../../host/library';
import { checkLibrary } from '../../run/library-check';
import { painter } from '../timeline';

export async function scenariosCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { check: 'flag', json: 'flag' });
  if (args.options.check === true) {
    const p = painter(io.color ?? false);
    const results = await checkLibrary(libraryNames().map((name) => ({ name, scenario: loadScenario(name).scenario })));
    for (const r of results) {
      io.out(`${r.name}: ${r.ok ? p('green', 'ok') : p('red', 'FAILED')}`);
      for (const f of r.failures) io.out(`  ${f}`);
    }
    const failed = results.filter((r) => !r.ok).length;
    io.out(`${results.length - failed} passed, ${failed} failed`);
    return failed ? 1 : 0;
  }
  const entries = libraryNames().map(libraryEntry);
  if (args.options.json === true) {
    io.out(JSON.stringify(entries, null, 2));
    return 0;
  }
  for (const e of entries) {
    const issues = e.issues.length ? `  · #${e.issues.join(' #')}` : '';
    io.out(`${e.name.padEnd(36)} ${e.catalog.join(',').padEnd(8)} ${e.title}${issues}`);
  }
  return 0;
}

/** One scenario of the library as `scenarios` lists it (and `--json` gives it). */
export interface LibraryEntry {
  name: string;
  format: 'taskmgr-scenario/1' | 'taskmgr-pageserver/1';
  /** Ids in the incident catalog (`S1`); none for plain task_mgr scenarios. */
  catalog: string[];
  /** Neon issue and PR numbers of the incident, as the app's library shows them. */
  issues: number[];
  title: string;
}

function libraryEntry(name: string): LibraryEntry {
  const { scenario } = loadScenario(name);
  if (scenario.format === 'taskmgr-pageserver/1') {
    return { name, format: scenario.format, catalog: [...scenario.catalog], issues: [...scenario.issues], title: scenario.title };
  }
  const first = scenario.description.split(/(?<=\.)\s/)[0] ?? '';
  return { name, format: scenario.format, catalog: [], issues: issuesOf(scenario.description), title: first };
}
