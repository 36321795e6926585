/**
 * The Electron main process of TaskMgr Lab: one window on the Lab (electron/host),
 * its menu, and the security settings of DESIGN.md section 7. The Lab runs here,
 * in main; live pools are utility processes (electron/pools/electron-launcher.ts).
 *
 * - one instance (a second launch focuses the first window);
 * - the renderer is served from the privileged `app://lab/` scheme with a strict CSP
 *   header, never from file:// or the network (the dev server only when unpackaged);
 * - the window is sandboxed and context-isolated, without Node (./web-preferences.ts);
 *   navigation, new windows, webviews, permissions and remote requests are denied
 *   (./guards.ts);
 * - IPC: `lab:request` answers only our renderer's top frame and validates the
 *   request (./ipc-bridge.ts); pushes wait for the preload's acknowledgement;
 * - the window's bounds, the theme and recent files persist in userData.
 *
 * This module and ./menu.ts are the only ones here that import 'electron'; the rest
 * is plain TypeScript that the unit tests check without the Electron binary.
 */
import { app, BrowserWindow, dialog, ipcMain, nativeTheme, protocol, screen, session, type WebContents } from 'electron';
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../host/write-file';
import { DEV_RENDERER_CSP, HARDENING_HEADERS, RENDERER_CSP } from '../host/csp';
import { Lab } from '../host/lab';
import { readStatic } from '../host/static-files';
import { ElectronLauncher } from '../pools/electron-launcher';
import { IPC } from '../preload/channels';
import type { LabPush } from '../../shared/protocol/lab';
import type { MenuCommand } from '../../shared/protocol/menu';
import { APP_ENTRY_URL, APP_HOST, APP_SCHEME, isNavigationAllowed, isPermissionGranted, isRequestAllowed, type TrustConfig, windowOpenDecision } from './guards';
import { IpcBridge } from './ipc-bridge';
import { installMenu } from './menu';
import { performMenuAction, type Shell } from './menu-actions';
import { buildMenuModel } from './menu-model';
import { addRecent, parseSettings, serializeSettings, type ShellSettings } from './settings';
import { MIN_HEIGHT, MIN_WIDTH, restoreWindowState, serializeWindowState } from './window-state';
import { windowWebPreferences } from './web-preferences';

const devServerUrl = !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null;
const trust: TrustConfig = { devServerUrl };
const rendererDir = join(__dirname, '..', 'renderer');
const preloadPath = join(__dirname, '..', 'preload', 'index.js');

// Before `ready`: our scheme is standard (relative URLs, an origin) and secure.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function start(): void {
  let window: BrowserWindow | null = null;
  let lab: Lab | null = null;
  let settings: ShellSettings = { theme: 'system', recent: [] };
  const settingsPath = () => join(app.getPath('userData'), 'settings.json');
  const windowStatePath = () => join(app.getPath('userData'), 'window-state.json');

  const saveSettings = () => {
    try {
      writeFileAtomic(settingsPath(), serializeSettings(settings));
    } catch (err) {
      console.error('taskmgr-lab: cannot save settings:', err);
    }
  };

  const refreshMenu = () => {
    const status = lab?.status();
    installMenu(
      buildMenuModel({
        platform: process.platform,
        theme: settings.theme,
        recent: settings.recent,
        running: status?.running ?? false,
        hasRun: lab?.lastRun != null,
        hasEvents: (status?.events ?? 0) > 0,
      }),
      (action) => {
        if (lab) void performMenuAction(action, lab, desktop).then(refreshMenu);
      },
    );
  };

  const desktop: Shell = {
    async chooseFileToOpen(kind) {
      const filters = kind === 'scenario'
        ? [{ name: 'Scenarios', extensions: ['json', 'yaml', 'yml'] }]
        : [{ name: 'Recordings', extensions: ['jsonl', 'part'] }];
      const options = { title: kind === 'scenario' ? 'Open scenario' : 'Open recording', properties: ['openFile' as const], filters };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled || !result.filePaths.length ? null : result.filePaths[0];
    },
    async chooseFileToSave(defaultName, kind) {
      const filters = kind === 'recording' ? [{ name: 'Recordings', extensions: ['jsonl'] }] : [{ name: 'Perfetto trace', extensions: ['json'] }];
      const options = { title: kind === 'recording' ? 'Save recording as' : 'Export Perfetto trace', defaultPath: defaultName, filters };
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async readText(path, maxBytes) {
      const size = statSync(path).size;
      if (size > maxBytes) throw new Error(`${path} is ${size} bytes; the Lab opens files up to ${maxBytes} bytes`);
      return readFile(path, 'utf8');
    },
    async writeText(path, text) {
      writeFileAtomic(path, text);
    },
    showError(title, message) {
      dialog.showErrorBox(title, message);
    },
    showAbout() {
      const v = process.versions;
      const detail = `Version ${app.getVersion()}\nElectron ${v.electron}, Chromium ${v.chrome}, Node ${v.node}\n\nA simulator and debugger of the task manager of Neon's pageserver (task_mgr.rs, November 2022).`;
      const options = { type: 'info' as const, title: 'About TaskMgr Lab', message: 'TaskMgr Lab', detail, buttons: ['OK'] };
      void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
    },
    sendToPage(command: MenuCommand) {
      window?.webContents.send(IPC.menu, command);
    },
    setTheme(theme) {
      settings.theme = theme;
      nativeTheme.themeSource = theme;
      saveSettings();
    },
    addRecent(file) {
      settings.recent = addRecent(settings.recent, file);
      app.addRecentDocument(file.path);
      saveSettings();
    },
    clearRecent() {
      settings.recent = [];
      app.clearRecentDocuments();
      saveSettings();
    },
  };

  const hardenSession = () => {
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((_wc, permission, callback) => callback(isPermissionGranted(permission)));
    ses.setPermissionCheckHandler((_wc, permission) => isPermissionGranted(permission));
    ses.setDevicePermissionHandler(() => false);
    ses.webRequest.onBeforeRequest((details, callback) => {
      const allowed = isRequestAllowed(details.url, trust);
      if (!allowed) console.warn(`taskmgr-lab: blocked a request to ${details.url}`);
      callback({ cancel: !allowed });
    });
    if (devServerUrl) {
      // The dev server does not send our CSP; add it (relaxed for Vite's injected styles).
      ses.webRequest.onHeadersReceived((details, callback) => {
        callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DEV_RENDERER_CSP] } });
      });
    }
  };

  const serveRenderer = () => {
    protocol.handle(APP_SCHEME, async (request) => {
      const url = new URL(request.url);
      const headers = { 'Content-Security-Policy': RENDERER_CSP, ...HARDENING_HEADERS };
      if (url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) {
        return new Response('Not found', { status: 404, headers });
      }
      const file = await readStatic(rendererDir, url.pathname);
      if (!file) return new Response('Not found', { status: 404, headers });
      return new Response(new Uint8Array(file.body), { status: 200, headers: { ...headers, 'Content-Type': file.type } });
    });
  };

  const guardContents = (contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isNavigationAllowed(url, trust)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isNavigationAllowed(url, trust)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => windowOpenDecision());
  };

  const wireIpc = (l: Lab) => {
    const b = new IpcBridge(l, trust);
    const senderOf = (event: Electron.IpcMainEvent | Electron.IpcMainInvokeEvent) => ({
      url: event.senderFrame?.url,
      isMainFrame: event.senderFrame != null && event.senderFrame === event.sender.mainFrame,
    });
    ipcMain.handle(IPC.request, async (event, raw: unknown) => {
      const result = await b.request(senderOf(event), raw);
      setImmediate(refreshMenu);
      return result;
    });
    const watched = new Set<number>();
    ipcMain.on(IPC.subscribe, (event) => {
      const contents = event.sender;
      const id = contents.id;
      const ok = b.subscribe(id, senderOf(event), (push: LabPush) => {
        if (!contents.isDestroyed()) contents.send(IPC.push, push);
        if (push.type === 'status') refreshMenu();
      });
      if (ok && !watched.has(id)) {
        // A page that is gone, crashed or replaced no longer hears pushes (a reload subscribes again).
        watched.add(id);
        const drop = () => b.unsubscribe(id);
        contents.on('did-navigate', drop);
        contents.on('render-process-gone', drop);
        contents.once('destroyed', () => {
          drop();
          watched.delete(id);
        });
      }
    });
    ipcMain.on(IPC.unsubscribe, (event) => b.unsubscribe(event.sender.id));
    ipcMain.on(IPC.ack, (event) => b.ack(event.sender.id));
  };

  const createWindow = () => {
    const state = restoreWindowState(readText(windowStatePath()), screen.getAllDisplays().map((d) => d.workArea));
    const win = new BrowserWindow({
      ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
      width: state.width,
      height: state.height,
      minWidth: MIN_WIDTH,
      minHeight: MIN_HEIGHT,
      title: 'TaskMgr Lab',
      show: false,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1e1e' : '#ffffff',
      // DevTools stay available (View ▸ Toggle DevTools): the Lab is a debugger, run by its user.
      webPreferences: windowWebPreferences(preloadPath, true),
    });
    if (state.maximized) win.maximize();
    win.once('ready-to-show', () => win.show());
    win.on('close', () => {
      try {
        writeFileAtomic(windowStatePath(), serializeWindowState(win.getNormalBounds(), win.isMaximized()));
      } catch (err) {
        console.error('taskmgr-lab: cannot save the window state:', err);
      }
    });
    win.on('closed', () => {
      if (window === win) window = null;
    });
    void win.loadURL(devServerUrl ?? APP_ENTRY_URL);
    window = win;
  };

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardContents(contents));

  void app.whenReady().then(() => {
    settings = parseSettings(readText(settingsPath()));
    nativeTheme.themeSource = settings.theme;
    app.setAboutPanelOptions({ applicationName: 'TaskMgr Lab', applicationVersion: app.getVersion() });
    hardenSession();
    serveRenderer();
    lab = new Lab({
      recordingsDir: join(app.getPath('userData'), 'recordings'),
      libraryDir: join(__dirname, 'library'),
      live: { launcher: new ElectronLauncher(), workloadsModule: join(__dirname, 'pageserver-workloads.js') },
      exploreWorker: join(__dirname, 'explore-worker.js'),
    });
    wireIpc(lab);
    void lab.runDemo();
    refreshMenu();
    createWindow();
    app.on('activate', () => {
      if (!window) createWindow();
    });
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !lab) return;
    // Finish the recording and stop the pools before the process goes.
    event.preventDefault();
    quitting = true;
    const l = lab;
    void l.close().finally(() => app.quit());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
