/**
 * `npm run bench [-- --json] [-- --check] [-- --only=sim,live,ui]`: measures the Lab
 * against the budgets of DESIGN.md section 6 in one run (ratios are only meaningful
 * within one run on a noisy machine). Prints a table (median, spread, budget), or
 * with --json one object: each figure's median under its own key, `spread`
 * ({key: {min, max, runs}}), `about` ({key: what it includes}) and, if a group could
 * not be measured, `skipped` ({group: why}). `--check` compares every figure with its
 * budget and exits 1 on a miss or on a budgeted figure that was not measured.
 *
 * Each group (./groups.ts) is measured in a fresh process (./run-group.ts): after the
 * simulator's figures (100k tasks parked in memory among them) the live ratio
 * measured 2.73-2.83 in the same process and 2.41-2.6 in the next one. A group that
 * cannot run here (the ui group without chromium) is skipped with one line saying
 * why, and one that fails is reported in one line; the others are measured anyway.
 */
import { join } from 'node:path';
import { type Budget, BUDGETS, checkBudgets, describeBudget, type Verdict } from './budgets';
import { type Report, type Samples, summarize } from './figures';
import { BENCH_GROUPS, type BenchGroup } from './groups';
import { runGroupProcess } from './run-group';

const BIN = join(__dirname, '..', 'bin', 'bench.cjs');

interface Options {
  json: boolean;
  check: boolean;
  groups: BenchGroup[];
  /** Internal: measure this one group here and print its samples (the fresh process). */
  child: string | null;
}

function parse(argv: string[]): Options | string {
  const options: Options = { json: false, check: false, groups: BENCH_GROUPS, child: null };
  for (const arg of argv) {
    if (arg === '--json') options.json = true;
    else if (arg === '--check') options.check = true;
    else if (arg.startsWith('--only=')) {
      const names = arg.slice('--only='.length).split(',');
      const unknown = names.filter((n) => !BENCH_GROUPS.some((g) => g.name === n));
      if (unknown.length) return `--only: no group ${unknown.join(', ')} (groups: ${BENCH_GROUPS.map((g) => g.name).join(', ')})`;
      options.groups = BENCH_GROUPS.filter((g) => names.includes(g.name));
    } else if (arg.startsWith('--group=')) options.child = arg.slice('--group='.length);
    else return `unknown option ${arg} (usage: npm run bench -- [--json] [--check] [--only=${BENCH_GROUPS.map((g) => g.name).join(',')}])`;
  }
  return options;
}

async function main(argv: string[]): Promise<number> {
  const options = parse(argv);
  if (typeof options === 'string') {
    process.stderr.write(`bench: ${options}\n`);
    return 2;
  }
  if (options.child !== null) {
    const group = BENCH_GROUPS.find((g) => g.name === options.child);
    if (!group) throw new Error(`no group ${options.child}`);
    process.stdout.write(`${JSON.stringify(await group.measure())}\n`);
    return 0;
  }

  const samples: Samples = {};
  const about: Record<string, string> = {};
  const skipped: Record<string, string> = {};
  for (const group of options.groups) {
    const cannot = group.unavailable();
    const outcome = cannot !== null ? { ok: false as const, why: cannot } : await runGroupProcess([BIN, `--group=${group.name}`]);
    if (!outcome.ok) {
      skipped[group.name] = outcome.why;
      const what = cannot !== null ? 'skipped' : 'failed';
      process.stderr.write(`bench: the ${group.name} group ${what}: ${outcome.why}; its figures (${Object.keys(group.about).join(', ')}) are not measured\n`);
      continue;
    }
    Object.assign(samples, outcome.samples);
    Object.assign(about, group.about);
  }
  const report = summarize(samples, about);
  const verdicts = options.check ? checkBudgets(report, options.groups, skipped) : [];
  print(report, skipped, options.json);
  if (!options.check) return 0;
  printVerdicts(verdicts, options.json);
  return verdicts.every((v) => v.status === 'ok') ? 0 : 1;
}

function print(report: Report, skipped: Record<string, string>, json: boolean): void {
  if (json) {
    const out: Record<string, unknown> = { ...report.figures, spread: report.spread, about: report.about };
    if (Object.keys(skipped).length) out.skipped = skipped;
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  process.stdout.write(`${'figure'.padEnd(32)} ${'median'.padStart(12)}   ${'spread (runs)'.padEnd(28)} budget\n`);
  for (const [key, value] of Object.entries(report.figures)) {
    const s = report.spread[key];
    const spread = s.runs > 1 ? `${s.min.toLocaleString('en-US')} - ${s.max.toLocaleString('en-US')} (${s.runs})` : '(1)';
    const budget: Budget | undefined = BUDGETS[key];
    process.stdout.write(`${key.padEnd(32)} ${value.toLocaleString('en-US').padStart(12)}   ${spread.padEnd(28)} ${budget ? describeBudget(budget) : ''}\n`);
  }
  process.stdout.write('What each figure includes: npm run bench -- --json (its "about").\n');
}

function printVerdicts(verdicts: Verdict[], json: boolean): void {
  // With --json, stdout stays one JSON object: the verdicts go to stderr.
  const write = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  for (const v of verdicts) {
    if (v.status === 'not measured') write(`check ${v.key}: NOT MEASURED (${v.why}); budget ${describeBudget(v.budget)}: ${v.budget.rule}`);
    else write(`check ${v.key}: ${v.status === 'ok' ? 'ok' : 'MISSED'} ${v.value} (budget ${describeBudget(v.budget)}: ${v.budget.rule})`);
  }
  const missed = verdicts.filter((v) => v.status !== 'ok').length;
  write(missed ? `check: ${missed} of ${verdicts.length} budgets missed or not measured` : `check: all ${verdicts.length} budgets met`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
