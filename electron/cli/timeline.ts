/**
 * The CLI's readable timeline: one line per interesting event, in the order the
 * coordinator saw them, with the tick, what happened and who, coloured on a terminal.
 * The words and the level are the app's own (shared/trace/wording.ts), so a run reads
 * the same here and in the Log view. Lines below info (`start`, `await`, the waits of
 * a call, the storage and flush-loop traffic) and the task bodies' log lines below
 * warn are left out unless asked for (--verbose).
 */
import type { TraceEvent } from '../../shared/trace/events';
import { LOG_LEVELS, type LogLevel } from '../../shared/trace/events';
import { describeEvent } from '../../shared/trace/wording';

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export function painter(enabled: boolean) {
  return (colour: Colour, s: string) => (enabled ? `\x1b[${CODES[colour]}m${s}\x1b[0m` : s);
}

const rank = (l: LogLevel): number => LOG_LEVELS.indexOf(l);

/** The colour of an info line by what it is about (warnings and errors are yellow and red). */
function colourOf(e: TraceEvent, level: LogLevel): Colour {
  if (e.ev === 'exit') return e.outcome === 'ok' ? 'green' : e.outcome === 'killed' ? 'magenta' : 'red';
  if (e.ev === 'process_shutdown' || e.ev === 'process_exit' || e.ev === 'process_start' || e.ev === 'process_signal') return 'magenta';
  if (e.ev === 'http' && e.phase === 'response') return e.status !== null && e.status < 400 ? 'green' : 'red';
  if (e.ev === 'assertion' || e.ev === 'lint' || e.ev === 'inject' || e.ev === 'shutdown_abandoned') return e.ev === 'assertion' && e.ok ? 'green' : 'red';
  if (level === 'error') return 'red';
  if (level === 'warn') return 'yellow';
  if (rank(level) < rank('info')) return 'gray';
  switch (e.ev) {
    case 'spawn':
    case 'associate':
    case 'tenant_state':
    case 'timeline_state':
      return 'cyan';
    case 'signal':
    case 'observe':
    case 'upload_queue':
      return 'yellow';
    case 'shutdown_begin':
    case 'shutdown_end':
    case 'http':
      return 'blue';
    case 'end':
      return 'bold';
    default:
      return 'gray';
  }
}

export function formatTimelineEvent(e: TraceEvent, color: boolean, verbose = false): string | null {
  const p = painter(color);
  const { level, what, text } = describeEvent(e);
  const shown = verbose || rank(level) >= rank(e.ev === 'log' ? 'warn' : 'info');
  if (!shown) return null;
  if (e.ev === 'scenario') return p('bold', `${what} ${text}`);
  if (e.ev === 'narration') return `\n${p('bold', what)}${text ? `\n${text}` : ''}`;
  const t = p('gray', e.t.toFixed(1).padStart(8));
  if (e.ev === 'log') return `${t}  ${p(colourOf(e, level), level.toUpperCase().padEnd(16))} ${e.task ? `${e.task}: ` : ''}${text}`;
  return `${t}  ${p(colourOf(e, level), what.padEnd(16))} ${text}`;
}
