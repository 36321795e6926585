/**
 * The desktop app's own start, under Node: the BUILT main bundle (out/main/index.js)
 * is loaded with the Electron stand-in (test/electron-stand-in/) in place of
 * `electron`, and driven through a whole start as Electron would: the app:// scheme
 * registered before ready, ready, the window with its secure preferences, the page
 * served by the app:// handler (and nothing else served), the preload's `window.lab`
 * answering a request and carrying pushes (an injected fault's exit comes back as an
 * event), a live run on utility-process pools, and a quit that leaves no process.
 *
 * What this cannot prove: anything Chromium does (rendering, GPU, the sandbox,
 * context isolation and the CSP being enforced, Mojo IPC), Electron's real event
 * order, and the process exiting when the app quits (here: no worker is left).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabApi, LabPush } from '../../shared/protocol/lab';
import type { TraceEvent } from '../../shared/trace/events';
import { SECURE_WEB_PREFERENCES } from '../../electron/main/web-preferences';
import * as electron from '../electron-stand-in/electron';
import { untilWithin } from '../helpers/until';
import { alive } from '../helpers/process';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'out', 'main', 'index.js');
const PRELOAD = join(ROOT, 'out', 'preload', 'index.js');
const { record, app } = electron;

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Loader };
const realLoad = loader._load;
let userData: string;

/** Waits at most 30 s unless a call says otherwise. */
const until = untilWithin(30_000);

beforeAll(() => {
  // The bundle as it ships: built from the current sources.
  const vite = join(dirname(createRequire(__filename).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`electron-vite build failed:\n${built.stdout}\n${built.stderr}`);
  userData = mkdtempSync(join(tmpdir(), 'taskmgr-electron-'));
  electron.setUserData(userData);
  electron.resetRecord();
  delete process.env.ELECTRON_RENDERER_URL;
  // `require('electron')`, from the bundle and from the preload, gets the stand-in.
  loader._load = function (request, parent, isMain) {
    return request === 'electron' ? electron : realLoad.call(this, request, parent, isMain);
  };
}, 180_000);

afterAll(() => {
  loader._load = realLoad;
  for (const u of record.utilityProcesses) if (alive(u.pid)) u.child.kill('SIGKILL');
  if (userData) rmSync(userData, { recursive: true, force: true });
});

describe('the desktop app started with the Electron stand-in', () => {
  let lab: LabApi;
  const pushes: LabPush[] = [];
  const pushed = (pred: (e: TraceEvent) => boolean) => pushes.some((p) => p.type === 'events' && p.events.some(pred));

  it('registers app:// as a privileged scheme and enables the sandbox before ready', () => {
    createRequire(MAIN)(MAIN);
    expect(record.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(record.sandboxEnabled).toBe(true);
    expect(record.windows).toEqual([]);
  });

  it('on ready, opens one window with the secure preferences and the built preload', async () => {
    app.emitReady();
    await until('the window to load and show', () => record.windows.length === 1 && record.windows[0].visible);
    const win = record.windows[0];
    expect(win.options.webPreferences).toEqual({ ...SECURE_WEB_PREFERENCES, preload: PRELOAD, devTools: true });
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(win.options.show).toBe(false); // shown on ready-to-show, never blank
    expect(record.menus).toBeGreaterThan(0);
  });

  it('serves index.html from app://lab/ with the CSP, and refuses anything else', async () => {
    const win = record.windows[0];
    expect(win.loaded).toMatchObject({ url: 'app://lab/index.html', status: 200 });
    expect(win.loaded!.body).toContain('<div id="app">');
    const handler = record.protocolHandlers.get('app')!;
    const index = await handler(new Request('app://lab/index.html'));
    expect(index.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(index.headers.get('Content-Type')).toMatch(/^text\/html/);
    for (const refused of ['app://lab/../main/index.js', 'app://lab/%2e%2e/%2e%2e/package.json', 'app://other/index.html', 'app://lab/no-such-file.js']) {
      expect((await handler(new Request(refused))).status, refused).toBe(404);
    }
    expect((await handler(new Request('app://lab/index.html', { method: 'POST', body: 'x' }))).status).toBe(404);
    // Requests leaving the app are cancelled by the session.
    const verdict = (url: string) => new Promise<boolean>((resolve) => record.beforeRequest!({ url }, (r) => resolve(r.cancel)));
    expect(await verdict('https://example.com/')).toBe(true);
    expect(await verdict('app://lab/assets/x.js')).toBe(false);
    expect(await new Promise((resolve) => record.permissionRequestHandler!({}, 'geolocation', resolve))).toBe(false);
  });

  it("answers a Lab request through the preload's window.lab, and refuses a sender that is not the window", async () => {
    lab = record.exposed.lab as LabApi;
    expect(Object.keys(record.exposed).sort()).toEqual(['lab', 'labMenu']);
    const list = await lab.request({ type: 'listScenarios' });
    expect(list.ok).toBe(true);
    if (list.ok) expect(list.value.map((s) => s.name)).toContain('s01-detach-while-attaching');
    const handler = electron.ipcMain.handlers.get('lab:request')!;
    const foreign = { sender: record.windows[0].webContents, senderFrame: { url: 'https://evil.example/' } };
    expect(await handler(foreign, { type: 'status' })).toEqual({ ok: false, error: 'refused: the sender is not the Lab window' });
  });

  it('runs the demo on utility-process pools, and a fault injected through the bridge comes back as an event', async () => {
    lab.subscribe((p) => pushes.push(p));
    const run = await lab.request({ type: 'run', scenario: { library: 'demo' }, mode: 'live', tickMs: 20 });
    expect(run).toMatchObject({ ok: true, value: { mode: 'live', running: true } });
    await until('the pools to start and gc t1 to start', () => pushed((e) => e.ev === 'start' && e.task === 'gc t1'));
    // Four pools of utility processes, named as the OS task manager shows them.
    const names = record.utilityProcesses.map((u) => u.options.serviceName).sort();
    expect(names.length).toBeGreaterThanOrEqual(4);
    for (const runtime of ['compute_request', 'mgmt_request', 'walreceiver', 'background']) expect(names).toContain(`taskmgr-${runtime}-0`);
    expect(record.utilityProcesses.every((u) => alive(u.pid))).toBe(true);
    // The task ran in one of those utility processes: its start event names the pid.
    const pids = new Set(record.utilityProcesses.map((u) => u.pid));
    const started = pushes.flatMap((p) => (p.type === 'events' ? p.events : [])).find((e) => e.ev === 'start' && e.task === 'gc t1');
    expect(started).toMatchObject({ runtime: 'background' });
    expect(pids.has(started!.ev === 'start' ? started!.pid : undefined)).toBe(true);

    const inject = await lab.request({ type: 'inject', task: 'gc t1', fault: 'panic', message: 'from the stand-in test' });
    expect(inject).toEqual({ ok: true, value: { applied: true } });
    await until('the injected panic to come back as an exit event', () => pushed((e) => e.ev === 'exit' && e.task === 'gc t1' && e.outcome === 'panic'));
  });

  it('quits when its window closes, and no worker process is left', async () => {
    record.windows[0].close();
    await until('the app to quit (the Lab closed first)', () => record.quit, 30_000);
    expect(record.quitRequested).toBe(2); // the first one waited for the Lab to close
    await until('every utility process to exit', () => record.utilityProcesses.every((u) => u.exitCode !== null && !alive(u.pid)), 15_000);
    const status = await electron.ipcMain.handlers.get('lab:request')!(record.windows[0].webContents.ipcEvent(), { type: 'status' });
    expect(status).toMatchObject({ ok: false });
  });
});
