/**
 * Chooses the Lab API for this page: the Electron preload's `window.lab`, else the
 * browser mode's WebSocket (when the URL carries a token), else an offline Lab that
 * refuses commands: recordings can still be opened and replayed in the page.
 */
import type { LabApi } from '../../../shared/protocol/lab';
import { electronLab } from './electron-lab';
import { FakeLab } from './fake-lab';
import { labSocketUrl, WsLab } from './ws-lab';

export type LabTransport = 'electron' | 'websocket' | 'offline';

export function pickLab(w: Window = window): { api: LabApi; transport: LabTransport } {
  const lab = electronLab(w);
  if (lab) return { api: lab, transport: 'electron' };
  const url = labSocketUrl(w.location);
  if (url) return { api: new WsLab(url), transport: 'websocket' };
  return {
    api: new FakeLab({}, 'no Lab backend: start the app with `taskmgr-lab serve` or in Electron; recordings can still be opened'),
    transport: 'offline',
  };
}
