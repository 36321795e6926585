/**
 * `taskmgr-lab explore FILE|NAME [--strategy random|pct|dfs] [--runs N] [--depth D]
 *  [--jitter F] [--max-preemptions K] [--jobs N] [--seed S] [--shard I/N] [--out DIR]
 *  [--property NAME[,NAME]] [--allow-lint RULE[,RULE]] [--json]`
 *
 * Runs the scenario under many schedules (docs/explorer.md), groups the failures,
 * shrinks each group's schedule and writes it to DIR. On a terminal a progress line
 * comes first; then one entry per group. `--json` prints one object instead. Exit 0:
 * no failure; 1: failures found; 2: bad usage.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { STRATEGIES, type StrategyName } from '../../../shared/protocol/schedule';
import type { ExploreSpec } from '../../explore/engine';
import { explore, type ExploreOutcome } from '../../explore/explore';
import { PROPERTIES } from '../../explore/properties';
import { defaultSeed } from '../../explore/schedule-file';
import { parseArgs } from '../args';
import { UsageError, type CliIO } from '../io';
import { loadScenario } from '../load-scenario';
import { writeFileAtomic } from '../../host/write-file';

const USAGE =
  'usage: taskmgr-lab explore FILE|NAME [--strategy random|pct|dfs] [--runs N] [--depth D] [--jitter F] [--max-preemptions K] [--jobs N] [--seed S] [--shard I/N] [--out DIR] [--property NAME] [--allow-lint RULE] [--json]';

const list = (v: unknown): string[] | undefined =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

function shardOf(v: unknown): { index: number; count: number } | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(String(v));
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) throw new UsageError(`--shard: expected I/N with 0 <= I < N, got "${String(v)}"`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

function int(v: unknown, name: string, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  const n = v as number;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}: expected a whole number from ${min} to ${max}`);
  return n;
}

export async function exploreCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, {
    strategy: 'string',
    runs: 'int',
    depth: 'int',
    jitter: 'number',
    'max-preemptions': 'int',
    jobs: 'int',
    seed: 'int',
    shard: 'string',
    out: 'string',
    property: 'string',
    'allow-lint': 'string',
    json: 'flag',
  });
  if (args.positional.length !== 1) throw new UsageError(USAGE);
  const o = args.options;
  const strategy = (o.strategy ?? 'pct') as StrategyName;
  if (!(STRATEGIES as readonly string[]).includes(strategy)) throw new UsageError(`--strategy: expected random, pct or dfs, got "${String(o.strategy)}"`);
  const jitter = (o.jitter as number | undefined) ?? 0.2;
  if (jitter > 1) throw new UsageError('--jitter: expected a fraction from 0 to 1');
  const properties = list(o.property);
  for (const p of properties ?? []) {
    if (!(PROPERTIES as readonly string[]).includes(p) && !/^[a-z][a-z-]*$/.test(p)) throw new UsageError(`--property: unknown property "${p}"`);
  }
  const shard = shardOf(o.shard);
  if (strategy === 'dfs' && shard && shard.count > 1) throw new UsageError('--shard: dfs is one sequence of schedules and cannot be split');
  const { scenario } = loadScenario(args.positional[0]);
  const spec: ExploreSpec = {
    scenario,
    strategy,
    runs: int(o.runs, 'runs', 1, 10_000_000, strategy === 'dfs' ? 100_000 : 1000),
    jitter,
    depth: int(o.depth, 'depth', 1, 10, 3),
    maxPreemptions: int(o['max-preemptions'], 'max-preemptions', 0, 10, 2),
    seed: int(o.seed, 'seed', 0, 2 ** 32 - 1, 1),
    runSeed: defaultSeed(scenario),
    judge: { properties, allowLints: list(o['allow-lint']) },
  };
  const jobs = int(o.jobs, 'jobs', 1, 64, Math.max(1, availableParallelism()));
  const json = o.json === true;
  const outDir = typeof o.out === 'string' ? o.out : `explore-${scenario.name || 'scenario'}`;

  const status = io.status;
  const outcome = await explore(spec, {
    jobs: jobs === 1 ? 0 : jobs,
    shard,
    progressMs: 250,
    onProgress: status && !json ? (p) => status(`${p.state === 'shrinking' ? 'shrinking' : 'exploring'} ${scenario.name}: ${p.runs}/${p.total} runs, ${p.runsPerS} runs/s, ${p.failures} failed${p.etaS !== null ? `, ETA ${p.etaS} s` : ''}`) : undefined,
  });
  status?.('');

  const files = writeSchedules(outcome, outDir, scenario.name || 'scenario');
  if (json) {
    io.out(
      JSON.stringify({
        runs: outcome.runs,
        runs_per_s: Math.round(outcome.runsPerS * 10) / 10,
        exhausted: outcome.exhausted,
        failures: outcome.groups.map((g, i) => ({ signature: g.signature, count: g.count, schedule: files[i], decisions: g.decisions, explanation: g.explanation })),
      }),
    );
  } else {
    const secs = (outcome.elapsedMs / 1000).toFixed(1);
    const how = strategy === 'pct' ? `pct, depth ${spec.depth}` : strategy === 'dfs' ? `dfs, at most ${spec.maxPreemptions} non-default choices` : 'random';
    io.out(`explore ${scenario.name} (${how}, jitter ${jitter}, seed ${spec.seed}): ${outcome.runs} schedules in ${secs} s (${Math.round(outcome.runsPerS)} runs/s)`);
    io.out(outcome.verdict);
    outcome.groups.forEach((g, i) => {
      io.out(`  #${i + 1}  ${g.count} run${g.count === 1 ? '' : 's'}  ${g.signature}`);
      for (const f of g.failures) io.out(`      ${f}`);
      io.out(`      first at schedule ${g.firstRun}; ${g.explanation}`);
      io.out(`      schedule: ${files[i]}  (replay: taskmgr-lab run ${args.positional[0]} --schedule ${files[i]})`);
    });
  }
  return outcome.groups.length ? 1 : 0;
}

/** Writes each group's (shrunk) schedule; returns the paths, in group order. */
function writeSchedules(outcome: ExploreOutcome, dir: string, name: string): string[] {
  return outcome.groups.map((g, i) => {
    const path = join(dir, `${name}-${i + 1}.schedule.json`);
    writeFileAtomic(path, `${JSON.stringify(g.schedule, null, 2)}\n`);
    return path;
  });
}
