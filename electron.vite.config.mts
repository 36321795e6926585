/**
 * electron-vite build of the desktop app: three bundles in out/.
 *
 * - main (out/main): the Electron main process (electron/main/index.ts) and two more
 *   entries: the pool worker that utilityProcess forks (out/main/pool-worker.js, where
 *   electron/pools/electron-launcher.ts looks for it) and the pageserver workloads it
 *   loads in live runs (out/main/pageserver-workloads.js), and the thread that parses
 *   users' scenarios (out/main/parse-worker.js, electron/host/parse-worker.ts). The built-in scenario
 *   library is copied beside them (out/main/library/*.json): the packaged app has no
 *   sources. Dependencies are bundled in, so the package needs no node_modules.
 * - preload (out/preload/index.js): CommonJS, one self-contained file, because a
 *   sandboxed preload can only `require` Electron's renderer modules.
 * - renderer (out/renderer): the Vue app of renderer/.
 *
 * Named .mts with import.meta.dirname: Vite 8 warns about .ts configs in a CommonJS
 * package, and package.json has no "type": "module" (the preload must stay CommonJS).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = import.meta.dirname;
const at = (...p: string[]) => resolve(root, ...p);

const workerEntry = at('electron/pools/worker-entry.ts');
const workloadsEntry = at('electron/pageserver/workloads/module.ts');
const exploreWorkerEntry = at('electron/explore/worker.ts');
const parseWorkerEntry = at('electron/host/parse-worker-entry.ts');
const libraryDir = at('electron/scenario/library');

/** Emits the scenario library as assets of the main bundle (out/main/library/NAME.json). */
function scenarioLibrary(): Plugin {
  return {
    name: 'taskmgr-scenario-library',
    generateBundle() {
      if (!existsSync(libraryDir)) return;
      for (const file of readdirSync(libraryDir).filter((f) => f.endsWith('.json'))) {
        this.emitFile({ type: 'asset', fileName: `library/${file}`, source: readFileSync(resolve(libraryDir, file)) });
      }
    },
  };
}

export default defineConfig({
  main: {
    plugins: [scenarioLibrary()],
    build: {
      outDir: at('out/main'),
      // Bundle yaml, ws and the rest: the package ships out/** only.
      externalizeDeps: false,
      rollupOptions: {
        input: {
          index: at('electron/main/index.ts'),
          ...(existsSync(workerEntry) ? { 'pool-worker': workerEntry } : {}),
          ...(existsSync(workloadsEntry) ? { 'pageserver-workloads': workloadsEntry } : {}),
          ...(existsSync(exploreWorkerEntry) ? { 'explore-worker': exploreWorkerEntry } : {}),
          ...(existsSync(parseWorkerEntry) ? { 'parse-worker': parseWorkerEntry } : {}),
        },
        external: ['electron', /^node:/],
      },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: at('electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: at('renderer'),
    plugins: [vue()],
    build: {
      outDir: at('out/renderer'),
      rollupOptions: { input: { index: at('renderer/index.html') } },
    },
  },
});
