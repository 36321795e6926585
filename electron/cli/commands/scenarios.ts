/**
 * `taskmgr-lab scenarios`: lists the built-in scenarios with their first sentence.
 */
import { parseArgs } from '../args';
import type { CliIO } from '../io';
import { libraryNames, loadScenario } from '../load-scenario';

export async function scenariosCommand(argv: string[], io: CliIO): Promise<number> {
  parseArgs(argv, {});
  for (const name of libraryNames()) {
    const { scenario } = loadScenario(name);
    const first = scenario.description.split(/(?<=\.)\s/)[0] ?? '';
    io.out(`${name.padEnd(28)} ${first}`);
  }
  return 0;
}
