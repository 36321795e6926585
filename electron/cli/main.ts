/**
 * The `taskmgr-lab` command. Each subcommand lives in ./commands; this module only
 * dispatches, and turns usage errors and malformed scenarios into one line on
 * stderr with exit code 2, never a stack trace.
 */
import { conformCommand } from './commands/conform';
import { exploreCommand } from './commands/explore';
import { exportCommand } from './commands/export';
import { lessonCommand, lessonsCommand } from './commands/lessons';
import { runCommand } from './commands/run';
import { scenariosCommand } from './commands/scenarios';
import { serveCommand } from './commands/serve';
import { DEMO_SCENARIO } from '../pageserver/demo';
import { type CliIO, processIO, UsageError } from './io';
import { ScenarioFileError } from './load-scenario';

export const HELP = `taskmgr-lab: a simulator and debugger of the task manager of Neon's pageserver (task_mgr.rs, Nov 2022)

usage:
  taskmgr-lab run FILE|NAME [--mode sim|live] [--seed N] [--policy fifo|random] [--tick-ms N]
                            [--workers N] [--log-level debug|info|...] [--trace OUT.jsonl] [--perfetto OUT.json]
                            [--max-steps N] [--schedule S.json] [--verbose] [--quiet]
  taskmgr-lab explore FILE|NAME [--strategy random|pct|dfs] [--runs N] [--depth D] [--jitter F]
                            [--max-preemptions K] [--jobs N] [--seed S] [--shard I/N] [--out DIR]
                            [--property NAME] [--allow-lint RULE] [--json]
                            search schedules for failures, shrink them, save them (docs/explorer.md)
  taskmgr-lab conform DIR [--mode sim|live] [--tick-ms N] [--out DIR]
  taskmgr-lab export TRACE --perfetto OUT.json
  taskmgr-lab serve [--port N] [--no-open]   the Lab in a browser (127.0.0.1, per-run token)
  taskmgr-lab scenarios [--json] [--check]   list the built-in scenarios (catalog ids, Neon issues); --check runs them all and checks their outcome
  taskmgr-lab lessons [--check] [FILE...]   the course (what each lesson teaches); --check runs every lesson headless
  taskmgr-lab lesson NAME|FILE [--save-schedule S.json]   one lesson step by step (docs/lessons.md)
  taskmgr-lab demo [--mode sim|live]    run the built-in demo (a pageserver with two tenants) in the terminal
  taskmgr-lab help

Scenario files are JSON or YAML in the format taskmgr-scenario/1 (docs/scenario-format.md).
Exit codes: 0 success, 1 a run or comparison failed, 2 bad usage or a malformed scenario.`;

type Command = (argv: string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  explore: exploreCommand,
  conform: conformCommand,
  export: exportCommand,
  scenarios: scenariosCommand,
  serve: serveCommand,
  lessons: lessonsCommand,
  lesson: lessonCommand,
  demo: (argv, io) => runCommand([DEMO_SCENARIO, ...argv], io),
};

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(HELP);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`taskmgr-lab: unknown command "${name}" (try: taskmgr-lab help)`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ScenarioFileError) {
      io.err(`taskmgr-lab ${name}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
