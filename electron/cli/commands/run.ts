/**
 * `taskmgr-lab run FILE|NAME [--mode sim|live] [--seed N] [--policy fifo|random]
 *  [--tick-ms N] [--workers N] [--trace OUT.jsonl] [--perfetto OUT.json] [--verbose] [--quiet]`
 *
 * Runs a scenario, prints a readable timeline and the summary, and writes the trace.
 */
import { formatEvent } from '../../../shared/trace/jsonl';
import { toPerfetto } from '../../../shared/trace/perfetto';
import { parseArgs } from '../args';
import { execute } from '../execute';
import { UsageError, type CliIO } from '../io';
import { loadScenario } from '../load-scenario';
import { RUN_OPTION_SPEC, readRunOptions } from '../run-options';
import { formatSummary } from '../summary-report';
import { formatTimelineEvent } from '../timeline';
import { writeFileAtomic } from '../write-file';

export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { ...RUN_OPTION_SPEC, trace: 'string', perfetto: 'string', verbose: 'flag', quiet: 'flag' });
  if (args.positional.length !== 1) throw new UsageError('usage: taskmgr-lab run FILE|NAME [--mode sim|live] [--seed N] [--policy fifo|random] [--tick-ms N] [--trace OUT.jsonl] [--perfetto OUT.json]');
  const opts = readRunOptions(args, { tickMs: 10 });
  const { scenario } = loadScenario(args.positional[0]);
  const color = io.color ?? false;
  const quiet = args.options.quiet === true;
  const verbose = args.options.verbose === true;
  if (!quiet && scenario.description) io.out(scenario.description);
  const result = await execute(scenario, opts, (e) => {
    if (quiet) return;
    const line = formatTimelineEvent(e, color, verbose);
    if (line !== null) io.out(line);
  });
  if (!quiet) for (const line of formatSummary(result.events, color)) io.out(line);
  for (const p of result.problems) io.err(`problem: ${p}`);
  if (typeof args.options.trace === 'string') {
    writeFileAtomic(args.options.trace, result.events.map(formatEvent).join('\n') + '\n');
    if (!quiet) io.out(`trace written to ${args.options.trace} (${result.events.length} events)`);
  }
  if (typeof args.options.perfetto === 'string') {
    writeFileAtomic(args.options.perfetto, JSON.stringify(toPerfetto(result.events)));
    if (!quiet) io.out(`Perfetto trace written to ${args.options.perfetto}`);
  }
  return result.problems.length ? 1 : 0;
}
