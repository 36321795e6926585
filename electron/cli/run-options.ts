/**
 * The options shared by `run`, `conform` and `scenarios`: which executor, its seed
 * and policy, the tick length, and the worker counts; read once, checked once.
 */
import { RUNTIME_NAMES, type RuntimeName } from '../../shared/model';
import { LOG_LEVELS, type LogLevel } from '../../shared/trace/events';
import type { WorkerPools } from '../pools/worker-pools';
import type { SchedulingPolicy } from '../sim/sim-executor';
import type { OptionKind, ParsedArgs } from './args';
import { UsageError } from './io';

export const RUN_OPTION_SPEC: Record<string, OptionKind> = {
  mode: 'string',
  seed: 'int',
  policy: 'string',
  'tick-ms': 'number',
  workers: 'int',
  'log-level': 'string',
};

export interface RunOptions {
  mode: 'sim' | 'live';
  seed: number;
  /** Was --seed given? (A pageserver scenario otherwise runs with its own fixed seed.) */
  seedGiven: boolean;
  policy: SchedulingPolicy;
  tickMs: number;
  workers: Partial<Record<RuntimeName, number>>;
  /** The lowest level of log lines recorded (info by default, as the pageserver). */
  logLevel: LogLevel;
  /** Live pools shared by several runs (conform starts them once for every scenario). */
  pools?: WorkerPools;
}

export function readRunOptions(args: ParsedArgs, defaults: { tickMs: number }): RunOptions {
  const o = args.options;
  const mode = (o.mode as string | undefined) ?? 'sim';
  if (mode !== 'sim' && mode !== 'live') throw new UsageError(`--mode: expected sim or live, got "${mode}"`);
  const policy = (o.policy as string | undefined) ?? 'fifo';
  if (policy !== 'fifo' && policy !== 'random') throw new UsageError(`--policy: expected fifo or random, got "${policy}"`);
  const tickMs = (o['tick-ms'] as number | undefined) ?? defaults.tickMs;
  if (tickMs <= 0) throw new UsageError('--tick-ms: must be > 0');
  const workers: Partial<Record<RuntimeName, number>> = {};
  if (o.workers !== undefined) {
    if ((o.workers as number) < 1) throw new UsageError('--workers: must be at least 1');
    for (const r of RUNTIME_NAMES) workers[r] = o.workers as number;
  }
  const logLevel = (o['log-level'] as string | undefined) ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) throw new UsageError(`--log-level: expected trace, debug, info, warn or error, got "${logLevel}"`);
  return { logLevel: logLevel as LogLevel, mode, seed: (o.seed as number | undefined) ?? 1, seedGiven: o.seed !== undefined, policy, tickMs, workers };
}
