/**
 * `taskmgr-lab export TRACE --perfetto OUT.json`
 *
 * Converts a recorded JSON-lines trace to Chrome trace-event JSON for ui.perfetto.dev
 * or chrome://tracing (shared/trace/perfetto.ts). A recording cut off by a crash is
 * exported up to its last whole line (with a warning), as DESIGN.md section 7 asks.
 * Exit codes: 0 written; 2 bad usage, an unreadable or malformed trace, or an output
 * that cannot be written. Every failure is one line on stderr.
 */
import { readFile } from 'node:fs/promises';
import { parseRecording } from '../../../shared/trace/jsonl';
import { serializePerfetto, TASK_CATEGORY, toPerfetto } from '../../../shared/trace/perfetto';
import { writeFileAtomic } from '../../host/write-file';

export const EXPORT_USAGE = 'usage: taskmgr-lab export TRACE --perfetto OUT.json';

const PREFIX = 'taskmgr-lab export';

export interface ExportIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

type Parsed = { trace: string; out: string } | { help: true } | { error: string };

function parseExportArgs(argv: readonly string[]): Parsed {
  const positional: string[] = [];
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--perfetto' || arg.startsWith('--perfetto=')) {
      const value = arg === '--perfetto' ? argv[++i] : arg.slice('--perfetto='.length);
      if (value === undefined || value === '') return { error: '--perfetto needs a value' };
      if (out !== null) return { error: '--perfetto given twice' };
      out = value;
    } else if (arg.startsWith('-') && arg !== '-') {
      return { error: `unknown option ${arg.split('=')[0]}` };
    } else {
      positional.push(arg);
    }
  }
  if (positional.length === 0) return { error: 'missing TRACE' };
  if (positional.length > 1) return { error: `one TRACE expected, got ${positional.length}` };
  if (out === null) return { error: 'missing --perfetto OUT.json' };
  return { trace: positional[0], out };
}

/** The reason of a file system error in a few words. */
function reason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a parent is not a directory';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

export async function exportCommand(argv: string[], io: ExportIO): Promise<number> {
  const args = parseExportArgs(argv);
  if ('help' in args) {
    io.out(EXPORT_USAGE);
    return 0;
  }
  if ('error' in args) {
    io.err(`${PREFIX}: ${args.error} (${EXPORT_USAGE})`);
    return 2;
  }

  let text: string;
  try {
    text = await readFile(args.trace, 'utf8');
  } catch (err) {
    io.err(`${PREFIX}: cannot read ${args.trace}: ${reason(err)}`);
    return 2;
  }
  let parsed: ReturnType<typeof parseRecording>;
  try {
    parsed = parseRecording(text);
  } catch (err) {
    io.err(`${PREFIX}: ${args.trace}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  const { events, truncated } = parsed;
  if (truncated) {
    const last = events.length ? events[events.length - 1].line : 0;
    io.err(`${PREFIX}: warning: ${args.trace}: the last line is cut off; exported up to line ${last}`);
  }

  const trace = toPerfetto(events);
  const tasks = trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === TASK_CATEGORY).length;
  try {
    writeFileAtomic(args.out, serializePerfetto(trace));
  } catch (err) {
    io.err(`${PREFIX}: cannot write ${args.out}: ${reason(err)}`);
    return 2;
  }
  io.out(`wrote ${args.out} (${events.length} events, ${tasks} tasks)`);
  return 0;
}
