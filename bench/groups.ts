/**
 * The groups of `npm run bench`, one entry each: its name, what each of its figures
 * includes, why it cannot run here (if it cannot), and how to measure it. Each group
 * runs in a fresh process (bench/main.ts), so one group's garbage and JIT state do
 * not colour another's figures. To add a group, add an entry here (and the budgets of
 * its figures in ./budgets.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Samples } from './figures';
import { EXPLORE_ABOUT, measureExplore } from './explore';
import { LIVE_ABOUT, measureLive } from './live';
import { measureSim, SIM_ABOUT } from './sim';

export interface BenchGroup {
  name: string;
  /** What each figure of the group includes: every figure it measures has a line. */
  about: Record<string, string>;
  /** Why the group cannot be measured on this machine, or null when it can. */
  unavailable(): string | null;
  /** Every run of every figure (./figures.ts turns them into medians and spreads). */
  measure(): Promise<Samples>;
}

const ROOT = join(__dirname, '..');

/** The chromium the ui group drives (test/e2e/harness.ts reads the same variable). */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

async function measureUiGroup(): Promise<Samples> {
  // The renderer is measured in Debian's chromium against the browser mode: it needs the built renderer.
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    const { execFileSync } = await import('node:child_process');
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'ignore' });
  }
  // Loaded at run time: its page code is typechecked with the DOM library (test/e2e/tsconfig.json), not here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
  const { measureUi } = require(join(ROOT, 'test', 'e2e', 'bench-ui.ts')) as { measureUi: () => Promise<Samples> };
  return measureUi();
}

/** The ui group's descriptions, without loading playwright (the parent process only needs the words). */
function uiAbout(): Record<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
  return (require(join(ROOT, 'test', 'e2e', 'bench-ui.ts')) as { UI_ABOUT: Record<string, string> }).UI_ABOUT;
}

export const BENCH_GROUPS: BenchGroup[] = [
  { name: 'sim', about: SIM_ABOUT, unavailable: () => null, measure: measureSim },
  {
    name: 'live',
    about: LIVE_ABOUT,
    unavailable: () => null,
    async measure() {
      const samples = await measureLive();
      // The same with batching off, to show what batching is worth.
      const unbatched = await measureLive({ batching: false, tasks: 5000 });
      samples.live_tasks_per_s_unbatched = unbatched.live_tasks_per_s;
      samples.live_shutdown_10k_ms_unbatched = unbatched.live_shutdown_10k_ms;
      return samples;
    },
  },
  { name: 'explore', about: EXPLORE_ABOUT, unavailable: () => null, measure: measureExplore },
  {
    name: 'ui',
    get about() {
      return uiAbout();
    },
    unavailable: () => (existsSync(chromiumPath()) ? null : `no chromium at ${chromiumPath()} (apt-get install chromium, or set CHROMIUM_PATH)`),
    measure: measureUiGroup,
  },
];
