/**
 * `npm run bench [-- --json]`: measures the Lab against the budgets of DESIGN.md
 * section 6 in one run (ratios are only meaningful within one run on a noisy
 * machine). Prints a readable table, or one JSON object with --json.
 *
 * Each group (sim, live, ui) is measured in a fresh process: after the simulator's
 * figures (100k tasks parked in memory among them) the live ratio measured 2.73-2.83
 * in the same process and 2.41-2.6 in the next one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { measureLive } from './live';
import { measureSim } from './sim';

type Figures = Record<string, number>;

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const want = (name: string) => !only || only.includes(name);
  const figures: Figures = {};
  const groups = ['sim', 'live', 'ui'].filter(want);
  if (groups.length > 1) {
    for (const g of groups) {
      const out = execFileSync(process.execPath, [join(__dirname, '..', 'bin', 'bench.cjs'), '--json', `--only=${g}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      Object.assign(figures, JSON.parse(out.trim().split('\n').pop()!) as Figures);
    }
    print(figures, json);
    return 0;
  }
  if (want('sim')) Object.assign(figures, await measureSim());
  if (want('live')) {
    const live = await measureLive();
    Object.assign(figures, live);
    // The same with batching off, to show what batching is worth.
    const unbatched = await measureLive({ batching: false, tasks: 5000 });
    figures.live_tasks_per_s_unbatched = unbatched.live_tasks_per_s;
    figures.live_shutdown_10k_ms_unbatched = unbatched.live_shutdown_10k_ms;
  }
  if (want('ui')) {
    // The renderer is measured in Debian's chromium against the browser mode: it needs the built renderer.
    const root = join(__dirname, '..');
    if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
      execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'ignore' });
    }
    // Loaded at run time: its page code is typechecked with the DOM library (test/e2e/tsconfig.json), not here.
    const uiModule = join(root, 'test', 'e2e', 'bench-ui.ts');
    const { measureUi } = require(uiModule) as { measureUi: () => Promise<Record<string, number>> };
    Object.assign(figures, await measureUi());
  }
  print(figures, json);
  return 0;
}

function print(figures: Figures, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } else {
    for (const [k, v] of Object.entries(figures)) process.stdout.write(`${k.padEnd(28)} ${v}\n`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
