/**
 * The options shared by `run`, `conform` and `scenarios`: which executor, its seed
 * and policy, the tick length, and the worker counts; read once, checked once.
 */
import { RUNTIME_NAMES, type RuntimeName } from '../../shared/model';
import { LOG_LEVELS, type LogLevel } from '../../shared/trace/events';
import { DEFAULT_MAX_STEPS, MAX_MAX_STEPS } from '../core/work-limit';
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
  'max-steps': 'int',
};

/** The largest seed (the simulator's PRNG keeps 32 bits: a larger one would repeat a smaller one). */
const MAX_SEED = 2 ** 32 - 1;
/** Workers per runtime, at most (each is an OS process in live mode). */
const MAX_WORKERS = 64;
/** The longest tick, in ms (an hour). */
const MAX_TICK_MS = 3_600_000;

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
  /** The bound of a run's work (electron/core/work-limit.ts). */
  maxSteps: number;
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
  if (tickMs <= 0 || tickMs > MAX_TICK_MS) throw new UsageError(`--tick-ms: must be > 0 and at most ${MAX_TICK_MS}`);
  const seed = (o.seed as number | undefined) ?? 1;
  if (seed > MAX_SEED) throw new UsageError(`--seed: must be at most ${MAX_SEED}`);
  const maxSteps = (o['max-steps'] as number | undefined) ?? DEFAULT_MAX_STEPS;
  if (maxSteps < 1 || maxSteps > MAX_MAX_STEPS) throw new UsageError(`--max-steps: expected a whole number from 1 to ${MAX_MAX_STEPS}`);
  const workers: Partial<Record<RuntimeName, number>> = {};
  if (o.workers !== undefined) {
    if ((o.workers as number) < 1 || (o.workers as number) > MAX_WORKERS) throw new UsageError(`--workers: must be from 1 to ${MAX_WORKERS}`);
    for (const r of RUNTIME_NAMES) workers[r] = o.workers as number;
  }
  const logLevel = (o['log-level'] as string | undefined) ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) throw new UsageError(`--log-level: expected trace, debug, info, warn or error, got "${logLevel}"`);
  return { logLevel: logLevel as LogLevel, mode, seed, maxSteps, seedGiven: o.seed !== undefined, policy, tickMs, workers };
}
