/**
 * Where the built renderer is and how to get it: `electron-vite build` writes
 * out/main, out/preload and out/renderer. The browser mode serves out/renderer, so
 * when it is missing the CLI builds it first (about two seconds) rather than serve
 * an empty page, and says how to do it by hand if the build fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The repository root: this file is electron/host/renderer-build.ts. */
export const PROJECT_ROOT = join(__dirname, '..', '..');

export const BUILD_HINT = 'npx electron-vite build';

export function defaultRendererDir(root = PROJECT_ROOT): string {
  return join(root, 'out', 'renderer');
}

export function isRendererBuilt(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

export type BuildResult = { ok: true } | { ok: false; error: string };

/** Runs `electron-vite build` in `root`; its output goes to `log` line by line. */
export function buildApp(root: string, log: (line: string) => void): BuildResult {
  let bin: string;
  try {
    bin = join(dirname(createRequire(join(root, 'package.json')).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  } catch {
    return { ok: false, error: 'electron-vite is not installed (run npm install)' };
  }
  if (!existsSync(join(root, 'renderer', 'index.html'))) return { ok: false, error: 'renderer/index.html is missing: there is no renderer to build' };
  const result = spawnSync(process.execPath, [bin, 'build'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  for (const line of `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')) if (line.trim()) log(line);
  if (result.error) return { ok: false, error: result.error.message };
  if (result.status !== 0) return { ok: false, error: `electron-vite build exited with code ${result.status}` };
  return { ok: true };
}
