/**
 * `npm run bench [-- --json]`: measures the Lab against the budgets of DESIGN.md
 * section 6 in one run (ratios are only meaningful within one run on a noisy
 * machine). Prints a readable table, or one JSON object with --json.
 */
import { measureSim } from './sim';

type Figures = Record<string, number>;

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const want = (name: string) => !only || only.includes(name);
  const figures: Figures = {};
  if (want('sim')) Object.assign(figures, await measureSim());
  if (json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } else {
    for (const [k, v] of Object.entries(figures)) process.stdout.write(`${k.padEnd(28)} ${v}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
