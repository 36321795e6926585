/**
 * `taskmgr-lab conform DIR [--mode sim|live] [--tick-ms N] [--seed N] [--policy P] [--out DIR]`
 *
 * Runs every NAME.json of DIR that has a NAME.expected.jsonl beside it and compares
 * the summaries as ../shared/conformance/compare.mjs does. Prints each scenario as
 * conforms or differs (with the differences), then `N conform, M differ`; exit 1 if
 * any differs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { check, diff, summarize } from '../../../shared/trace/summary';
import { formatEvent, parseRecording } from '../../../shared/trace/jsonl';
import { parseArgs } from '../args';
import { execute } from '../execute';
import { UsageError, type CliIO } from '../io';
import { loadScenario } from '../load-scenario';
import { WorkerPools } from '../../pools/worker-pools';
import { RUN_OPTION_SPEC, type RunOptions, readRunOptions } from '../run-options';
import { painter } from '../timeline';
import { writeFileAtomic } from '../../host/write-file';

export async function conformCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { ...RUN_OPTION_SPEC, out: 'string' });
  if (args.positional.length !== 1) throw new UsageError('usage: taskmgr-lab conform DIR [--mode sim|live] [--tick-ms N] [--out DIR]');
  const dir = args.positional[0];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: not a directory`);
  const opts = readRunOptions(args, { tickMs: opts0(args) });
  const p = painter(io.color ?? false);
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && existsSync(join(dir, f.replace(/\.json$/, '.expected.jsonl'))))
    .map((f) => basename(f, '.json'))
    .sort();
  if (!names.length) throw new UsageError(`${dir}: no NAME.json with a NAME.expected.jsonl beside it`);
  let conform = 0;
  let differ = 0;
  // Live runs share one set of pools: starting four pools per scenario costs a second each.
  if (opts.mode === 'live') {
    opts.pools = new WorkerPools({ workers: opts.workers });
    await opts.pools.start();
  }
  try {
    for (const name of names) {
      const verdict = await conformOne(dir, name, opts, args.options.out);
      if (verdict.length) {
        differ++;
        io.out(`${name}: ${p('red', 'differs')}`);
        for (const line of verdict) io.out(`  ${line}`);
      } else {
        conform++;
        io.out(`${name}: ${p('green', 'conforms')}`);
      }
    }
  } finally {
    await opts.pools?.stop();
  }
  io.out(`${conform} conform, ${differ} differ`);
  return differ ? 1 : 0;
}

/** Runs one scenario and lists how its trace differs from the expected one (empty: it conforms). */
async function conformOne(dir: string, name: string, opts: RunOptions, out: unknown): Promise<string[]> {
  try {
    const { scenario } = loadScenario(join(dir, `${name}.json`));
    const expected = parseRecording(readFileSync(join(dir, `${name}.expected.jsonl`), 'utf8')).events;
    const result = await execute(scenario, opts);
    const actual = result.events.map((e, i) => ({ ...e, line: i + 1 }));
    if (typeof out === 'string') {
      writeFileAtomic(join(out, `${name}.actual.jsonl`), result.events.map(formatEvent).join('\n') + '\n');
    }
    return [
      ...check(expected).map((x) => `expected trace: ${x}`),
      ...check(actual).map((x) => `actual trace: ${x}`),
      ...diff(summarize(expected), summarize(actual)),
      ...result.problems,
    ];
  } catch (err) {
    if (err instanceof Error) return [err.message];
    throw err;
  }
}

/** Live runs default to 20 ms ticks (the reference's stability check runs at 10 and 20). */
function opts0(args: ReturnType<typeof parseArgs>): number {
  return args.options.mode === 'live' ? 20 : 10;
}
