/**
 * `taskmgr-lab run FILE|NAME [--mode sim|live] [--seed N] [--policy fifo|random]
 *  [--tick-ms N] [--workers N] [--schedule S.json] [--trace OUT.jsonl] [--perfetto OUT.json] [--verbose] [--quiet]`
 *
 * Runs a scenario, prints a readable timeline and the summary, and writes the trace.
 * A pageserver scenario also prints its narration as phases begin (even with
 * --quiet); a scenario with expectations prints its expected outcome at the end;
 * exit 1 if an expectation fails. `--schedule` replays an explorer's schedule file
 * (docs/explorer.md) exactly; one made for another scenario is refused (exit 2).
 */
import { toPerfetto } from '../../../shared/trace/perfetto';
import { parseArgs } from '../args';
import { execute } from '../execute';
import { UsageError, type CliIO } from '../io';
import { loadScenario } from '../load-scenario';
import { RUN_OPTION_SPEC, readRunOptions, type RunOptions } from '../run-options';
import type { AnyScenario } from '../../../shared/scenario/pageserver-parse';
import type { TraceEvent } from '../../../shared/trace/events';
import { ReplayDecider } from '../../explore/deciders';
import { checkScheduleFits, readScheduleFile, ScheduleMismatch } from '../../explore/schedule-file';
import type { Decider } from '../../sim/decisions';
import { formatSummary } from '../summary-report';
import { formatTimelineEvent } from '../timeline';
import { writeFileAtomic } from '../../host/write-file';
import { TraceFileWriter } from '../../host/trace-file';

export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { ...RUN_OPTION_SPEC, trace: 'string', perfetto: 'string', verbose: 'flag', quiet: 'flag', schedule: 'string' });
  if (args.positional.length !== 1) throw new UsageError('usage: taskmgr-lab run FILE|NAME [--mode sim|live] [--seed N] [--policy fifo|random] [--tick-ms N] [--trace OUT.jsonl] [--perfetto OUT.json]');
  const opts = readRunOptions(args, { tickMs: 10 });
  const { scenario } = loadScenario(args.positional[0]);
  const decider = typeof args.options.schedule === 'string' ? scheduleDecider(args.options.schedule, scenario, opts) : undefined;
  const color = io.color ?? false;
  const quiet = args.options.quiet === true;
  const verbose = args.options.verbose === true;
  const pageserver = scenario.format === 'taskmgr-pageserver/1';
  if (!quiet && pageserver && scenario.title) io.out(`${scenario.title}${scenario.catalog.length ? ` (${scenario.catalog.join(', ')})` : ''}${scenario.issues.length ? `, issues ${scenario.issues.map((n) => `#${n}`).join(' ')}` : ''}`);
  if (!quiet && scenario.description) io.out(scenario.description);
  // The trace is written as the run goes (append-only, flushed at least every second,
  // synced and renamed at the end), so that a killed run leaves OUT.jsonl.part.
  const trace = typeof args.options.trace === 'string' ? openTrace(args.options.trace) : null;
  const onEvent = (e: TraceEvent): void => {
    trace?.append(e);
    // Narration is printed even with --quiet: it is what the scenario explains.
    if (quiet && e.ev !== 'narration') return;
    if (e.ev === 'assertion') return; // printed together at the end
    const line = formatTimelineEvent(e, color, verbose);
    if (line !== null) io.out(line);
  };
  const result = await execute(scenario, opts, onEvent, decider);
  if (!quiet) for (const line of formatSummary(result.events, color)) io.out(line);
  for (const p of result.problems) io.err(`problem: ${p}`);
  const failed = (result.assertions ?? []).filter((a) => !a.ok).length;
  if (result.assertions?.length) {
    io.out(`expected outcome: ${result.assertions.length - failed} of ${result.assertions.length} hold`);
    for (const a of result.assertions) io.out(`  ${a.ok ? 'ok    ' : 'FAILED'} ${a.description}${a.detail ? `: found ${a.detail}` : ''}`);
  }
  if (trace) {
    try {
      trace.finish();
    } catch (err) {
      io.err(`taskmgr-lab run: cannot write ${trace.path}: ${(err as Error).message}`);
      return 2;
    }
    if (!quiet) io.out(`trace written to ${trace.path} (${result.events.length} events)`);
  }
  if (typeof args.options.perfetto === 'string') {
    writeFileAtomic(args.options.perfetto, JSON.stringify(toPerfetto(result.events)));
    if (!quiet) io.out(`Perfetto trace written to ${args.options.perfetto}`);
  }
  return result.problems.length || failed ? 1 : 0;
}

/** The trace file, or one usage line when it cannot be created. */
function openTrace(path: string): TraceFileWriter {
  try {
    return new TraceFileWriter(path);
  } catch (err) {
    throw new UsageError(`--trace: cannot write ${path}: ${(err as Error).message}`);
  }
}

/** The decider that replays a schedule file; a file made for another scenario is a usage error. */
function scheduleDecider(path: string, scenario: AnyScenario, opts: RunOptions): Decider {
  if (opts.mode !== 'sim') throw new UsageError('--schedule: a schedule replays in the simulator only (--mode sim)');
  try {
    const schedule = readScheduleFile(path);
    checkScheduleFits(schedule, scenario, path);
    // The schedule's seed, so that the trace is the one the explorer saw.
    opts.seed = schedule.seed;
    opts.seedGiven = true;
    return new ReplayDecider(schedule.decisions, schedule.jitter);
  } catch (err) {
    if (err instanceof ScheduleMismatch) throw new UsageError(err.message);
    throw err;
  }
}
