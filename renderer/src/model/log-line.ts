/**
 * One line of the Log view: time, level, task and the words of the event, which come
 * from shared/trace/wording.ts so that the CLI's timeline says the same.
 */
import type { AnyEvent, LogLevel } from '../../../shared/trace/events';
import { describeEvent } from '../../../shared/trace/wording';

export interface LogLine {
  idx: number;
  t: number;
  level: LogLevel;
  task: string | null;
  /** What happened and who (shared/trace/wording.ts: the CLI prints the same words). */
  what: string;
  message: string;
}

/** Reads an event as a log line, in the words the CLI uses too. */
export function toLogLine(e: AnyEvent, idx: number): LogLine {
  const { level, what, text } = describeEvent(e);
  const task = (e as { task?: unknown }).task;
  return { idx, t: typeof e.t === 'number' ? e.t : 0, level, task: typeof task === 'string' ? task : null, what, message: text };
}
