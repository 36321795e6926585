/**
 * `taskmgr-lab scenarios [--check]`: lists the built-in scenarios (name, catalog
 * entries, title). With `--check`, runs every one in the simulator with its fixed
 * seed, checks its expected outcome, prints `NAME: ok` or `NAME: FAILED` with the
 * failed expectations, then `N passed, N failed`; exit 1 if any failed.
 */
import { parseArgs } from '../args';
import type { CliIO } from '../io';
import { libraryNames, loadScenario } from '../load-scenario';
import { checkLibrary } from '../../pageserver/library-check';
import { painter } from '../timeline';

export async function scenariosCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { check: 'flag' });
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
  for (const name of libraryNames()) {
    const { scenario } = loadScenario(name);
    if (scenario.format === 'taskmgr-pageserver/1') {
      io.out(`${name.padEnd(36)} ${scenario.catalog.join(',').padEnd(8)} ${scenario.title}`);
    } else {
      const first = scenario.description.split(/(?<=\.)\s/)[0] ?? '';
      io.out(`${name.padEnd(36)} ${''.padEnd(8)} ${first}`);
    }
  }
  return 0;
}
