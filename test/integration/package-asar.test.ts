/**
 * What goes into the desktop package (electron-builder.yml): app.asar holds the
 * built app (out/main with the pool worker and the scenario library, out/preload,
 * out/renderer) and package.json, and nothing else: no sources, no tests, no
 * node_modules. Packed offline with `electron-builder --linux dir` against a stub
 * Electron that carries the fuse wire, so the hardened fuses are checked too.
 *
 * Everything happens in a scratch copy of the project (node_modules linked), so the
 * test never touches the repository's out/ or dist/. The whole app is built, the
 * renderer included; a build that fails fails the test (a package without its real
 * page proves nothing about what users get).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const requireHere = createRequire(__filename);
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron 45's default fuse wire (version 1, 8 fuses): runAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on, asar integrity off, only-asar off, V8 snapshot off, file privileges on. */
const DEFAULT_WIRE = '10110001';

let work: string;
let entries: string[] = [];
let binary: Buffer;
let preload = '';

function sh(cmd: string, args: string[], cwd: string): { ok: boolean; out: string } {
  const r = spawnSync(process.execPath, [cmd, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  return { ok: r.status === 0, out: `${r.stdout}\n${r.stderr}` };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'taskmgr-pack-'));
  const app = join(work, 'app');
  mkdirSync(app);
  for (const p of ['package.json', 'electron.vite.config.mts', 'electron-builder.yml', 'tsconfig.json', 'tsconfig.base.json', 'tsconfig.node.json', 'tsconfig.web.json', 'electron', 'shared', 'build', 'renderer']) {
    if (existsSync(join(ROOT, p))) cpSync(join(ROOT, p), join(app, p), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'), 'dir');

  const electronVite = join(dirname(requireHere.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const built = sh(electronVite, ['build'], app);
  // The real app, renderer included, or nothing: a failed build fails the test.
  if (!built.ok) throw new Error(`electron-vite build failed:\n${built.out}`);
  preload = readFileSync(join(app, 'out', 'preload', 'index.js'), 'utf8');

  const dist = join(work, 'electron-dist');
  mkdirSync(dist);
  writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\n# stub Electron for packaging tests\nexit 0\n'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from(DEFAULT_WIRE), Buffer.from('\n')]), { mode: 0o755 });

  const builder = requireHere.resolve('electron-builder/cli.js');
  const out = join(work, 'dist');
  const packed = sh(builder, ['--linux', 'dir', `-c.electronDist=${dist}`, `-c.directories.output=${out}`, '--publish', 'never'], app);
  if (!packed.ok) throw new Error(`electron-builder failed:\n${packed.out}`);

  const asar = requireHere('@electron/asar') as { listPackage(path: string, options: { isPack: boolean }): string[] };
  entries = asar.listPackage(join(out, 'linux-unpacked', 'resources', 'app.asar'), { isPack: false }).map((e) => e.replace(/\\/g, '/'));
  binary = readFileSync(join(out, 'linux-unpacked', 'taskmgr-lab'));
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the desktop package', () => {
  it('resolves @electron/asar (electron-builder depends on it)', () => {
    expect(() => requireHere.resolve('@electron/asar')).not.toThrow();
  });

  it('holds the built main, pool worker, scenario library, preload and renderer', () => {
    for (const file of ['/package.json', '/out/main/index.js', '/out/main/pool-worker.js', '/out/main/library/demo.json', '/out/preload/index.js', '/out/renderer/index.html']) {
      expect(entries, file).toContain(file);
    }
    // The real renderer: its bundled script and styles, not a bare page.
    expect(entries.some((e) => /^\/out\/renderer\/assets\/.+\.js$/.test(e))).toBe(true);
    expect(entries.some((e) => /^\/out\/renderer\/assets\/.+\.css$/.test(e))).toBe(true);
  });

  it('holds no sources, tests or node_modules', () => {
    const bad = entries.filter((e) => /^\/(electron|shared|test|renderer|bin|build|node_modules|docs|bench|conformance)(\/|$)/.test(e) || /\.(ts|mts|vue|map)$/.test(e));
    expect(bad).toEqual([]);
    expect(entries.every((e) => e === '/package.json' || e === '/out' || e.startsWith('/out/'))).toBe(true);
  });

  it('has a sandbox-ready CommonJS preload that needs only electron', () => {
    expect(preload).toMatch(/require\("electron"\)/);
    expect(preload).not.toMatch(/^\s*import\s/m);
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
  });

  it('flips the hardened fuses in the Electron binary', () => {
    const at = binary.indexOf(SENTINEL);
    expect(at).toBeGreaterThan(0);
    const wire = binary.subarray(at + SENTINEL.length + 2, at + SENTINEL.length + 2 + 8).toString('latin1');
    // runAsNode off, cookie encryption on, NODE_OPTIONS off, --inspect off, asar integrity on, only asar on, (V8 snapshot as is), file privileges off
    expect(wire).toBe('01001100');
  });
});
