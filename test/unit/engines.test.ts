/**
 * The Node versions the project asks for agree everywhere: package.json's `engines`
 * is accepted by every package in package-lock.json (so `npm install` on those
 * versions prints no EBADENGINE warning), and the README names the same versions.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * npm's own range logic (the `semver` package, installed with electron-builder and
 * many others; not a dependency of ours, hence no types): what decides EBADENGINE.
 */
const semver = createRequire(__filename)('semver') as { subset(sub: string, dom: string): boolean; minVersion(range: string): { version: string } | null };

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('Node versions', () => {
  const ours = pkg.engines.node;

  it('asks for versions every locked package accepts', () => {
    const refusing: string[] = [];
    for (const [path, p] of Object.entries(lock.packages)) {
      const theirs = p.engines && !Array.isArray(p.engines) ? p.engines.node : undefined;
      if (path === '' || theirs === undefined) continue;
      if (!semver.subset(ours, theirs)) refusing.push(`${path.replace(/^node_modules\//, '')} wants ${theirs}`);
    }
    expect(refusing).toEqual([]);
  });

  it('names in the README each version package.json asks for', () => {
    const lowest = semver.minVersion(ours)!.version;
    const floors = [...ours.matchAll(/(\d+\.\d+\.\d+)/g)].map((m) => m[1]);
    expect(floors).toContain(lowest);
    const setUp = readme.slice(readme.indexOf('## Set up'), readme.indexOf('## Browser mode'));
    for (const v of floors) expect(setUp).toContain(v);
    expect(setUp).toMatch(/desktop app runs on the Node that Electron \d+ bundles/);
  });
});
