/**
 * What a CLI command writes to: two line sinks and whether colour is wanted. Tests
 * pass their own, so that every command is checked without spawning a process.
 *
 * The process's own sinks survive a reader that goes away (`taskmgr-lab run demo |
 * head -1`): once stdout's pipe is closed, its lines are dropped quietly and the
 * command finishes as it would have (its trace file is still written), rather
 * than dying of an unhandled EPIPE with a stack trace.
 */
export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  color?: boolean;
  /** A transient status line (progress), rewritten in place; only on a terminal. '' clears it. */
  status?: (line: string) => void;
}

/** A usage error: one line on stderr and exit code 2. */
export class UsageError extends Error {}

/** The writable side of stdout or stderr, as far as a line sink needs it. */
export interface LineStream {
  write(chunk: string): unknown;
  on(event: 'error', listener: (err: Error & { code?: string }) => void): unknown;
}

/**
 * A line sink on a stream that may be a pipe whose reader is gone: the first write
 * error (EPIPE, or any other) closes the sink for good, silently; lines written
 * after that are dropped.
 */
export function lineSink(stream: LineStream): (line: string) => void {
  let closed = false;
  stream.on('error', () => {
    closed = true;
  });
  return (line) => {
    if (closed) return;
    try {
      stream.write(`${line}\n`);
    } catch {
      closed = true;
    }
  };
}

let sinks: { out: (line: string) => void; err: (line: string) => void } | null = null;

export const processIO = (): CliIO => {
  // One sink per stream for the whole process: each adds an error listener.
  sinks ??= { out: lineSink(process.stdout), err: lineSink(process.stderr) };
  const status = process.stderr.isTTY ? (line: string) => void process.stderr.write(`\r\x1b[K${line}`) : undefined;
  return { ...sinks, color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, status };
};
