/**
 * The CLI's argument reading, through its contract (electron/cli/main.ts `main`):
 * whatever parses the arguments inside, an unknown flag or a bad value gives one
 * line on stderr, naming the command and the option, nothing on stdout, and exit
 * code 2; `--name value` and `--name=value` mean the same.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';

/** One stderr line from `taskmgr-lab <command>:` that names `option`, nothing on stdout, exit 2. */
async function refused(option: string, ...argv: string[]) {
  const r = await cli(...argv);
  expect(r.code, argv.join(' ')).toBe(2);
  expect(r.out, argv.join(' ')).toEqual([]);
  expect(r.err, argv.join(' ')).toHaveLength(1);
  expect(r.err[0], argv.join(' ')).toMatch(new RegExp(`^taskmgr-lab ${argv[0]}: .*${option}`));
  expect(r.err[0]).not.toMatch(/\n|\s+at .*:\d+/); // one line, no stack
}

describe('CLI arguments', () => {
  it('refuses an unknown flag in every command', async () => {
    await refused('bogus', 'run', 'demo', '--bogus');
    await refused('bogus', 'run', 'demo', '--bogus=1');
    await refused('nope', 'conform', 'test/fixtures/conformance', '--nope');
    await refused('nope', 'scenarios', '--nope');
    await refused('frob', 'serve', '--frob');
    await refused('verbose', 'export', 'x.jsonl', '--verbose');
  });

  it('refuses a value of the wrong kind, or out of range, naming the option', async () => {
    await refused('seed', 'run', 'demo', '--seed', 'abc');
    await refused('seed', 'run', 'demo', '--seed', '1.5');
    await refused('seed', 'run', 'demo', '--seed', '-1');
    await refused('seed', 'run', 'demo', '--seed', String(2 ** 32));
    await refused('tick-ms', 'run', 'demo', '--tick-ms', '0');
    await refused('tick-ms', 'run', 'demo', '--tick-ms', 'fast');
    await refused('workers', 'run', 'demo', '--workers', '0');
    await refused('workers', 'run', 'demo', '--workers', '65');
    await refused('mode', 'run', 'demo', '--mode', 'turbo');
    await refused('policy', 'run', 'demo', '--policy', 'lifo');
    await refused('log-level', 'run', 'demo', '--log-level', 'loud');
    await refused('max-steps', 'run', 'demo', '--max-steps', '0');
    await refused('port', 'serve', '--port', '70000');
    await refused('port', 'serve', '--port', 'eighty');
  });

  it('refuses an option that needs a value and has none', async () => {
    await refused('seed', 'run', 'demo', '--seed');
    await refused('trace', 'run', 'demo', '--trace');
  });

  it('reads --name=value as --name value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-args-'));
    const a = await cli('run', 'demo', '--quiet', '--seed=7', '--policy=random', `--trace=${join(dir, 'a.jsonl')}`);
    const b = await cli('run', 'demo', '--quiet', '--seed', '7', '--policy', 'random', '--trace', join(dir, 'b.jsonl'));
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(readFileSync(join(dir, 'a.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'b.jsonl'), 'utf8'));
  });

  it('refuses a missing or extra positional argument with the usage line', async () => {
    const r = await cli('run');
    expect(r).toMatchObject({ code: 2, out: [] });
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^taskmgr-lab run: usage: taskmgr-lab run FILE\|NAME/);
    expect((await cli('run', 'demo', 'demo')).code).toBe(2);
  });
});
