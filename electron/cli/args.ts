/**
 * A small argument reader for the CLI: positional arguments and `--name value`
 * options, each option declared with how to read its value, so that a wrong value
 * is a one-line usage error rather than a stack trace.
 */
import { UsageError } from './io';

export type OptionKind = 'flag' | 'string' | 'number' | 'int';

export interface ParsedArgs {
  positional: string[];
  options: Record<string, string | number | boolean>;
}

export function parseArgs(argv: string[], spec: Record<string, OptionKind>): ParsedArgs {
  const positional: string[] = [];
  const options: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (kind === 'flag') {
      options[name] = true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new UsageError(`--${name} needs a value`);
    if (kind === 'string') {
      options[name] = raw;
      continue;
    }
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || (kind === 'int' && !Number.isInteger(n))) {
      throw new UsageError(`--${name}: expected ${kind === 'int' ? 'a whole number' : 'a number'} >= 0, got "${raw}"`);
    }
    options[name] = n;
  }
  return { positional, options };
}
