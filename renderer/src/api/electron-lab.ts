/**
 * The Lab API in Electron: `window.lab`, exposed by electron/preload through
 * contextBridge. The renderer never sees ipcRenderer; the preload's object already
 * has the LabApi shape, so this only checks that it is there and looks right.
 */
import type { LabApi } from '../../../shared/protocol/lab';

/** `window.lab` when the preload exposed it, else null (the browser mode). */
export function electronLab(w: Window = window): LabApi | null {
  const lab = w.lab;
  if (lab && typeof lab.request === 'function' && typeof lab.subscribe === 'function') return lab;
  return null;
}
