/**
 * A hand-made stand-in for the `electron` module (as Electron Fiddle's tests keep
 * one mock of it), so that the BUILT main bundle (out/main/index.js) and preload
 * (out/preload/index.js) can be started under plain Node: the Electron binary cannot
 * be downloaded on the build machines. The only one in the project; keep it small.
 *
 * What it models, and how:
 * - `app`: the lifecycle (`whenReady`, 'ready' when the test says so, `quit` with a
 *   preventable 'before-quit', then 'will-quit' and 'quit'), paths under a scratch
 *   userData directory;
 * - `BrowserWindow`: keeps its options; `loadURL` fetches the page through the
 *   registered protocol handler (as Chromium would), then runs the preload from
 *   webPreferences with this module's `contextBridge` and `ipcRenderer`, then emits
 *   'ready-to-show';
 * - `protocol`, `session` (permission handlers, webRequest), `Menu`, `dialog`,
 *   `nativeTheme`, `screen`: recorded, so the test can look at what main set;
 * - `ipcMain` and `ipcRenderer`: one renderer; messages cross as structured clones,
 *   with the sender's frame URL and main-frame flag, as Electron reports them;
 * - `utilityProcess.fork`: a `child_process.fork` whose child sees
 *   `process.parentPort` (./utility-process.cjs), as a utility process does.
 *
 * What it cannot model (the test says so): Chromium's rendering, GPU, sandbox,
 * context isolation and CSP enforcement, Mojo IPC, and a process that ends when
 * `app.quit` finishes (here the test checks that nothing is left instead).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** What the test sees of everything main did. */
export const record = {
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
  windows: [] as StandInBrowserWindow[],
  menus: 0,
  permissionRequestHandler: null as null | ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void),
  beforeRequest: null as null | ((details: { url: string }, callback: (r: { cancel: boolean }) => void) => void),
  utilityProcesses: [] as StandInUtilityProcess[],
  /** What the preload exposed with contextBridge: the page's `window.lab`, `window.labMenu`. */
  exposed: {} as Record<string, unknown>,
  sandboxEnabled: false,
  quitRequested: 0,
  quit: false,
};

class StandInApp extends EventEmitter {
  isPackaged = true;
  private ready = false;
  private readyPromise: Promise<void>;
  private markReady!: () => void;

  constructor(private userData: () => string) {
    super();
    this.readyPromise = new Promise((resolve) => (this.markReady = resolve));
  }

  enableSandbox(): void {
    record.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.ready;
  }
  /** The test's part: Electron emits 'ready' once Chromium is up. */
  emitReady(): void {
    this.ready = true;
    this.emit('ready');
    this.markReady();
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`stand-in: app.getPath(${name}) is not modelled`);
    return this.userData();
  }
  getVersion(): string {
    return '0.0.0-stand-in';
  }
  setAboutPanelOptions(): void {}
  addRecentDocument(): void {}
  clearRecentDocuments(): void {}
  quit(): void {
    record.quitRequested++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.emit('will-quit', { preventDefault: () => {} });
    for (const w of [...record.windows]) w.destroy();
    record.quit = true;
    this.emit('quit');
  }
}

let userDataDir = '';
export function setUserData(dir: string): void {
  userDataDir = dir;
}
export const app = new StandInApp(() => userDataDir);

/** The renderer side of IPC: one page at a time. */
class StandInIpcRenderer extends EventEmitter {
  constructor(private contents: () => StandInWebContents) {
    super();
  }
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return Promise.resolve(handler(this.contents().ipcEvent(), ...structuredClone(args))).then((r) => structuredClone(r));
  }
  send(channel: string, ...args: unknown[]): void {
    const event = this.contents().ipcEvent();
    ipcMain.emit(channel, event, ...structuredClone(args));
  }
}

class StandInIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
}
export const ipcMain = new StandInIpcMain();

let nextContentsId = 1;
class StandInWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = { url: '' };
  windowOpenHandler: ((details: unknown) => unknown) | null = null;
  private destroyed = false;

  ipcEvent() {
    return { sender: this, senderFrame: this.mainFrame, frameId: 1, processId: 1 };
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    ipcRenderer.emit(channel, { sender: ipcRenderer }, ...structuredClone(args));
  }
  setWindowOpenHandler(handler: (details: unknown) => unknown): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
  }
}

let currentContents: StandInWebContents | null = null;
export const ipcRenderer = new StandInIpcRenderer(() => {
  if (!currentContents) throw new Error('stand-in: no page is loaded');
  return currentContents;
});

export const contextBridge = {
  exposeInMainWorld(name: string, api: unknown): void {
    if (name in record.exposed) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${name}`);
    record.exposed[name] = api;
  },
};

export class StandInBrowserWindow extends EventEmitter {
  readonly webContents = new StandInWebContents();
  /** What the page got: the HTTP status and body of its URL, through the protocol handler. */
  loaded: { url: string; status: number; body: string } | null = null;
  visible = false;
  private maximized = false;
  private destroyed = false;

  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    record.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }

  async loadURL(url: string): Promise<void> {
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = record.protocolHandlers.get(scheme);
    if (!handler) throw new Error(`ERR_UNKNOWN_URL_SCHEME: ${url}`);
    const response = await handler(new Request(url));
    this.loaded = { url, status: response.status, body: await response.text() };
    this.webContents.mainFrame.url = url;
    // The preload runs in the page's isolated world before the page's scripts.
    const preload = this.options.webPreferences?.preload;
    if (typeof preload === 'string') {
      currentContents = this.webContents;
      const req = createRequire(preload);
      delete req.cache[req.resolve(preload)];
      req(preload);
    }
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
  }
  show(): void {
    this.visible = true;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
  getNormalBounds() {
    return { x: 10, y: 10, width: Number(this.options.width ?? 800), height: Number(this.options.height ?? 600) };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** The user closes the window: 'close', then 'closed', then the app hears 'window-all-closed'. */
  close(): void {
    if (this.destroyed) return;
    this.emit('close', { preventDefault: () => {} });
    this.destroy();
    if (record.windows.every((w) => w.isDestroyed())) app.emit('window-all-closed');
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
  }
}
export { StandInBrowserWindow as BrowserWindow };

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    record.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response> | Response): void {
    if (!app.isReady()) throw new Error('protocol.handle should be called after app is ready');
    record.protocolHandlers.set(scheme, handler);
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h: typeof record.permissionRequestHandler) => void (record.permissionRequestHandler = h),
    setPermissionCheckHandler: () => {},
    setDevicePermissionHandler: () => {},
    webRequest: {
      onBeforeRequest: (h: typeof record.beforeRequest) => void (record.beforeRequest = h),
      onHeadersReceived: () => {},
    },
  },
};

export const Menu = {
  buildFromTemplate: (template: unknown[]) => ({ template }),
  setApplicationMenu: () => void record.menus++,
};

export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async () => ({ canceled: true }),
  showMessageBox: async () => ({ response: 0 }),
  showErrorBox: () => {},
};

export const nativeTheme = { themeSource: 'system', shouldUseDarkColors: false };

export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };

/** A utility process: `child_process.fork` with a `process.parentPort` in the child. */
class StandInUtilityProcess extends EventEmitter {
  readonly child: ChildProcess;
  exitCode: number | null = null;

  constructor(entry: string, args: string[], readonly options: { serviceName?: string; execArgv?: string[]; env?: NodeJS.ProcessEnv }) {
    super();
    this.child = fork(entry, args, {
      execArgv: [...(options.execArgv ?? []), '--require', join(__dirname, 'utility-process.cjs')],
      env: options.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced', // structured clone, as Mojo's messages are
    });
    this.child.on('message', (m) => this.emit('message', m));
    // A send that races the child's exit fails asynchronously with EPIPE; Electron's
    // utilityProcess drops such a message, and its 'exit' event follows.
    this.child.on('error', () => {});
    this.child.on('exit', (code, signal) => {
      // Electron reports only a code; a killed process reports a non-zero one.
      this.exitCode = code ?? (signal ? 1 : 0);
      this.emit('exit', this.exitCode);
    });
    record.utilityProcesses.push(this);
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  postMessage(message: unknown): void {
    if (!this.child.connected) throw new Error('the utility process is gone');
    this.child.send(message as object, () => {
      // An error here is the EPIPE of a child that exited meanwhile (see above).
    });
  }
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
}

export const utilityProcess = {
  fork: (entry: string, args: string[] = [], options: ConstructorParameters<typeof StandInUtilityProcess>[2] = {}) => new StandInUtilityProcess(entry, args, options),
};

/** Clears what one start recorded (the module itself stays loaded). */
export function resetRecord(): void {
  record.privilegedSchemes = [];
  record.protocolHandlers.clear();
  record.windows = [];
  record.menus = 0;
  record.utilityProcesses = [];
  record.exposed = {};
  record.quitRequested = 0;
  record.quit = false;
  app.removeAllListeners();
  ipcMain.removeAllListeners();
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  currentContents = null;
}
