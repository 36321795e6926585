/**
 * What a CLI command writes to: two line sinks and whether colour is wanted. Tests
 * pass their own, so that every command is checked without spawning a process.
 */
export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  color?: boolean;
}

/** A usage error: one line on stderr and exit code 2. */
export class UsageError extends Error {}

export const processIO = (): CliIO => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
});
