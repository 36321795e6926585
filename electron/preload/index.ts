/**
 * The preload of the Lab's window: the only bridge between the untrusted renderer
 * and the main process. It runs sandboxed and context-isolated, so it is bundled
 * into one CommonJS file and `require`s nothing but Electron's renderer modules.
 *
 * It exposes exactly two narrow objects through contextBridge, never `ipcRenderer`:
 * - `window.lab`, the Lab API (shared/protocol/lab.ts): `request(req)` and
 *   `subscribe(listener)`; every request is validated again in main;
 * - `window.labMenu`, the menu commands meant for the page (shared/protocol/menu.ts).
 * Listeners get plain data, never an IpcRendererEvent. Each push is acknowledged
 * once the page's listeners have run, so that main never sends faster than the
 * page handles them.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { LabApi, LabPush } from '../../shared/protocol/lab';
import { isMenuCommand, type LabMenuApi, type MenuCommand } from '../../shared/protocol/menu';
import { IPC } from './channels';

const pushListeners = new Set<(push: LabPush) => void>();
const menuListeners = new Set<(command: MenuCommand) => void>();

ipcRenderer.on(IPC.push, (_event, push: LabPush) => {
  try {
    for (const listener of [...pushListeners]) {
      try {
        listener(push);
      } catch (err) {
        console.error('taskmgr-lab: a push listener failed', err);
      }
    }
  } finally {
    ipcRenderer.send(IPC.ack);
  }
});

ipcRenderer.on(IPC.menu, (_event, command: unknown) => {
  if (!isMenuCommand(command)) return;
  for (const listener of [...menuListeners]) listener(command);
});

const lab: LabApi = {
  request(req) {
    // The answer is checked by its type only: it comes from our own main process.
    return ipcRenderer.invoke(IPC.request, req);
  },
  subscribe(listener) {
    if (typeof listener !== 'function') throw new TypeError('subscribe: expected a function');
    pushListeners.add(listener);
    // The first listener starts the pushes (the whole current log first); later ones
    // catch up with request({ type: 'events', from }).
    if (pushListeners.size === 1) ipcRenderer.send(IPC.subscribe);
    return () => {
      if (pushListeners.delete(listener) && pushListeners.size === 0) ipcRenderer.send(IPC.unsubscribe);
    };
  },
};

const labMenu: LabMenuApi = {
  onCommand(listener) {
    if (typeof listener !== 'function') throw new TypeError('onCommand: expected a function');
    menuListeners.add(listener);
    return () => {
      menuListeners.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld('lab', lab);
contextBridge.exposeInMainWorld('labMenu', labMenu);
