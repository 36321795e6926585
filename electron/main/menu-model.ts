/**
 * The application menu as data: File (open a scenario or a recording, save the
 * recording, export a Perfetto trace, open recent), Run (live, simulated with a
 * seed, pause the view, stop, restart), View (reload, DevTools, zoom, theme) and
 * Help (about, user guide), plus the app and Edit menus a desktop app needs for
 * its keyboard shortcuts. Items carry an `action` (performed by ./menu-actions.ts)
 * or an Electron `role`. No Electron imports: ./menu.ts turns this into a Menu.
 */
import { basename } from 'node:path';
import type { RecentFile, Theme } from './settings';

export type MenuAction =
  | { type: 'openScenario' }
  | { type: 'openRecording' }
  | { type: 'saveRecordingAs' }
  | { type: 'exportPerfetto' }
  | { type: 'openRecent'; file: RecentFile }
  | { type: 'clearRecent' }
  | { type: 'runLive' }
  | { type: 'runSimWithSeed' }
  | { type: 'pauseView' }
  | { type: 'stop' }
  | { type: 'restart' }
  | { type: 'theme'; theme: Theme }
  | { type: 'about' }
  | { type: 'userGuide' };

/** The Electron roles the menu uses. */
export type MenuRole =
  | 'appMenu'
  | 'editMenu'
  | 'windowMenu'
  | 'quit'
  | 'close'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen';

export interface MenuNode {
  label?: string;
  role?: MenuRole;
  type?: 'separator' | 'radio' | 'checkbox';
  accelerator?: string;
  action?: MenuAction;
  checked?: boolean;
  enabled?: boolean;
  submenu?: MenuNode[];
}

export interface MenuState {
  platform: string;
  theme: Theme;
  recent: readonly RecentFile[];
  /** A run is going on (Stop is enabled). */
  running: boolean;
  /** A scenario has run (Run live and Restart know what to run). */
  hasRun: boolean;
  /** The log has events (saving and exporting make sense). */
  hasEvents: boolean;
}

const separator: MenuNode = { type: 'separator' };

export function buildMenuModel(state: MenuState): MenuNode[] {
  const mac = state.platform === 'darwin';
  const recent: MenuNode[] = state.recent.length
    ? [
        ...state.recent.map((file): MenuNode => ({ label: `${basename(file.path)}  (${file.kind})`, action: { type: 'openRecent', file } })),
        separator,
        { label: 'Clear recent', action: { type: 'clearRecent' } },
      ]
    : [{ label: 'No recent files', enabled: false }];

  const file: MenuNode = {
    label: 'File',
    submenu: [
      { label: 'Open scenario…', accelerator: 'CmdOrCtrl+O', action: { type: 'openScenario' } },
      { label: 'Open recording…', accelerator: 'CmdOrCtrl+Shift+O', action: { type: 'openRecording' } },
      { label: 'Open recent', submenu: recent },
      separator,
      { label: 'Save recording as…', accelerator: 'CmdOrCtrl+S', action: { type: 'saveRecordingAs' }, enabled: state.hasEvents },
      { label: 'Export Perfetto trace…', accelerator: 'CmdOrCtrl+E', action: { type: 'exportPerfetto' }, enabled: state.hasEvents },
      separator,
      mac ? { role: 'close' } : { role: 'quit', label: 'Quit' },
    ],
  };
  const run: MenuNode = {
    label: 'Run',
    submenu: [
      { label: 'Run simulated with seed…', accelerator: 'F5', action: { type: 'runSimWithSeed' } },
      { label: 'Run live', accelerator: 'CmdOrCtrl+F5', action: { type: 'runLive' } },
      separator,
      { label: 'Pause view', accelerator: 'F8', action: { type: 'pauseView' } },
      { label: 'Stop', accelerator: 'Shift+F5', action: { type: 'stop' }, enabled: state.running },
      { label: 'Restart process', accelerator: 'CmdOrCtrl+Shift+F5', action: { type: 'restart' }, enabled: state.hasRun },
    ],
  };
  const themes: Array<[Theme, string]> = [
    ['system', 'System'],
    ['light', 'Light'],
    ['dark', 'Dark'],
  ];
  const view: MenuNode = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      { role: 'forceReload' },
      { role: 'toggleDevTools' },
      separator,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { label: 'Theme', submenu: themes.map(([theme, label]): MenuNode => ({ label, type: 'radio', checked: state.theme === theme, action: { type: 'theme', theme } })) },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuNode = {
    label: 'Help',
    submenu: [
      { label: 'User guide', accelerator: 'F1', action: { type: 'userGuide' } },
      ...(mac ? [] : [separator, { label: 'About TaskMgr Lab', action: { type: 'about' } } as MenuNode]),
    ],
  };
  const appMenu: MenuNode[] = mac ? [{ role: 'appMenu' }] : [];
  return [...appMenu, file, { role: 'editMenu' }, run, view, ...(mac ? [{ role: 'windowMenu' } as MenuNode] : []), help];
}
