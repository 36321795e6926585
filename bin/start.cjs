#!/usr/bin/env node
// `npm start`: opens TaskMgr Lab's desktop window, or, when the Electron binary
// cannot be had (an offline machine: Electron's npm package downloads it from
// GitHub releases on first use), says so in one paragraph and serves the same Lab
// to a browser instead (`taskmgr-lab serve`).
//
// 1. Builds out/ with electron-vite when it is missing or older than the sources.
// 2. Finds the Electron binary in a child process (require('electron') downloads it
//    on first use, or throws offline) and starts the app with it.
// 3. If that fails, or the app exits with an error within a few seconds (no
//    display, a broken binary), starts the browser mode and prints its URL.
//
// The browser mode serves until it is stopped (Ctrl-C, SIGTERM), whatever the
// terminal: with output redirected to a file, under a process manager or an IDE task
// the printed URL keeps working. Only tests ask it to exit after printing the URL
// (TASKMGR_LAB_EXIT_AFTER_URL=1, or `-- --exit-after-url`).
// Options after `--` go to the browser mode: `npm start -- --port 8080 --no-open`.
// Environment: TASKMGR_LAB_BROWSER=1 skips the desktop app; TASKMGR_LAB_ELECTRON_PATH
// names the binary to try; TASKMGR_LAB_SKIP_BUILD=1 skips the build check.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const OUTPUTS = ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'].map((p) => path.join(ROOT, p));
const SOURCES = ['electron', 'shared', 'renderer', 'electron.vite.config.mts', 'package.json'].map((p) => path.join(ROOT, p));
/** The app must live this long to count as started. */
const STARTUP_GRACE_MS = 4000;

const truthy = (v) => v !== undefined && v !== '' && v !== '0' && String(v).toLowerCase() !== 'false';
const say = (text) => process.stdout.write(`${text}\n`);

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of fs.readdirSync(p)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, name)));
  }
  return newest;
}

function buildIsCurrent() {
  let oldestOutput = Infinity;
  for (const out of OUTPUTS) {
    try {
      oldestOutput = Math.min(oldestOutput, fs.statSync(out).mtimeMs);
    } catch {
      return false;
    }
  }
  return Math.max(...SOURCES.map(newestMtime)) <= oldestOutput;
}

function build() {
  say('Building TaskMgr Lab (electron-vite build)...');
  const bin = path.join(path.dirname(require.resolve('electron-vite/package.json', { paths: [ROOT] })), 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [bin, 'build'], { cwd: ROOT, stdio: 'inherit' });
  return r.status === 0;
}

/** The Electron binary's path, or the reason there is none (in a child: require('electron') may download, print and throw). */
function findElectron() {
  if (process.env.TASKMGR_LAB_ELECTRON_PATH !== undefined) return { path: process.env.TASKMGR_LAB_ELECTRON_PATH };
  const probe = 'try { process.stdout.write("\\nELECTRON_PATH=" + require("electron")) } catch (e) { process.stdout.write("\\nELECTRON_ERROR=" + String(e && e.message).split("\\n").join(" ")); }';
  const r = spawnSync(process.execPath, ['-e', probe], { cwd: ROOT, encoding: 'utf8', timeout: 10 * 60 * 1000, env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
  const out = `${r.stdout || ''}`;
  const found = /\nELECTRON_PATH=(.*)$/.exec(out);
  if (found && fs.existsSync(found[1])) return { path: found[1] };
  const error = /\nELECTRON_ERROR=(.*)$/.exec(out);
  const all = `${out}\n${r.stderr || ''}`;
  const network = /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|network/i.exec(all);
  if (error && /failed to install correctly/i.test(error[1])) {
    return { error: `require('electron') found no binary in node_modules/electron and its download failed${network ? ` (${network[0]})` : ''}` };
  }
  return { error: error ? error[1] : r.error ? r.error.message : 'the electron package gave no binary' };
}

/** Starts the app; resolves 'started' once it has lived STARTUP_GRACE_MS, or the reason it failed first. */
function launch(electronPath) {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    let child;
    try {
      child = spawn(electronPath, [ROOT], { cwd: ROOT, env, stdio: ['inherit', 'inherit', 'pipe'] });
    } catch (err) {
      resolve({ failed: err.message });
      return;
    }
    let stderr = '';
    let settled = false;
    child.stderr.on('data', (d) => {
      if (settled) process.stderr.write(d);
      else stderr += d;
    });
    const timer = setTimeout(() => {
      settled = true;
      process.stderr.write(stderr);
      resolve({ started: child });
    }, STARTUP_GRACE_MS);
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ failed: err.message });
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (code === 0) {
        resolve({ exited: 0 });
        return;
      }
      const last = stderr.trim().split('\n').filter(Boolean).pop();
      resolve({ failed: `it exited ${signal ? `on ${signal}` : `with code ${code}`} within a few seconds${last ? ` ("${last.slice(0, 200)}")` : ''}` });
    });
  });
}

function explain(reason) {
  say(
    `TaskMgr Lab cannot open its desktop window here: ${reason}. The desktop app runs on Electron, ` +
      "whose npm package fetches the Electron binary from GitHub releases the first time it is used; this machine " +
      'has no such binary and cannot download one (it is offline, or reaches only the npm registry), or the binary ' +
      'cannot run (no display). Starting the browser mode instead: the same Lab, served on 127.0.0.1 with a per-run ' +
      'token, for any browser. On a machine with internet access and a display, `npm start` opens the desktop app.',
  );
  say('');
}

function browserMode() {
  require('tsx/cjs');
  const { main } = require('../electron/cli/main.ts');
  return main(['serve', ...process.argv.slice(2)]);
}

async function run() {
  if (!truthy(process.env.TASKMGR_LAB_SKIP_BUILD) && !buildIsCurrent() && !build()) {
    process.stderr.write('taskmgr-lab: the build failed (see above); fix it, or run `npx electron-vite build` to see why.\n');
    return 1;
  }
  if (truthy(process.env.TASKMGR_LAB_BROWSER)) return browserMode();
  const electron = findElectron();
  if (electron.error !== undefined) {
    explain(`the Electron binary is not installed and could not be obtained: ${electron.error}`);
    return browserMode();
  }
  const result = await launch(electron.path);
  if (result.failed !== undefined) {
    explain(`the Electron binary (${electron.path}) failed to start: ${result.failed}`);
    return browserMode();
  }
  if (result.exited !== undefined) return result.exited;
  return new Promise((resolve) => {
    result.started.on('exit', (code) => resolve(code ?? 1));
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => result.started.kill(sig));
  });
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`taskmgr-lab: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
