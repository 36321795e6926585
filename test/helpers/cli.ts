/**
 * The CLI in process: `taskmgr-lab` with its lines captured (no colour), for tests
 * that read what a command prints and its exit code without spawning node.
 */
import { main } from '../../electron/cli/main';

export async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), color: false });
  return { code, out, err };
}
