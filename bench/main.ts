/**
 * `npm run bench [-- --json]`: measures the Lab against the budgets of DESIGN.md
 * section 6 in one run (ratios are only meaningful within one run on a noisy
 * machine). Prints a readable table, or one JSON object with --json.
 */
import { measureLive } from './live';
import { measureSim } from './sim';

type Figures = Record<string, number>;

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const want = (name: string) => !only || only.includes(name);
  const figures: Figures = {};
  if (want('sim')) Object.assign(figures, await measureSim());
  if (want('live')) {
    const live = await measureLive();
    Object.assign(figures, live);
    // Budget: spawn-to-exit within 3x of the raw batched message rate, counting the messages one task needs.
    figures.live_vs_raw_ratio = +(live.ipc_raw_msgs_per_s / live.messages_per_task / live.live_tasks_per_s).toFixed(2);
    // The same with batching off, to show what batching is worth.
    const unbatched = await measureLive({ batching: false, tasks: 5000 });
    figures.live_tasks_per_s_unbatched = unbatched.live_tasks_per_s;
    figures.live_shutdown_10k_ms_unbatched = unbatched.live_shutdown_10k_ms;
  }
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
