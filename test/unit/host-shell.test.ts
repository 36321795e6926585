/**
 * The desktop shell's plain parts, without Electron: remembered window bounds that
 * survive an unplugged monitor, settings that survive a damaged file, the menu's
 * items, and what the menu's actions ask of the Lab and the desktop.
 */
import { describe, expect, it } from 'vitest';
import type { LabRequest, LabRequestType, LabResult, RunMode, ScenarioSource } from '../../shared/protocol/lab';
import type { MenuCommand } from '../../shared/protocol/menu';
import { type LabControl, performMenuAction, type Shell } from '../../electron/main/menu-actions';
import { buildMenuModel, type MenuNode } from '../../electron/main/menu-model';
import { addRecent, MAX_RECENT, parseSettings } from '../../electron/main/settings';
import { DEFAULT_WINDOW_STATE, MIN_WIDTH, restoreWindowState, serializeWindowState } from '../../electron/main/window-state';

const display = { x: 0, y: 0, width: 1920, height: 1080 };

describe('window state', () => {
  it('restores saved bounds that are on a display', () => {
    const text = serializeWindowState({ x: 100, y: 50, width: 1000, height: 700 }, true);
    expect(restoreWindowState(text, [display])).toEqual({ x: 100, y: 50, width: 1000, height: 700, maximized: true });
  });

  it('drops the position when its display is gone, and clamps the size', () => {
    const text = serializeWindowState({ x: 2500, y: 100, width: 5000, height: 100 }, false);
    expect(restoreWindowState(text, [display])).toEqual({ width: 1920, height: 480, maximized: false });
  });

  it('falls back to the defaults on a missing or damaged file', () => {
    expect(restoreWindowState(null, [display])).toEqual(DEFAULT_WINDOW_STATE);
    expect(restoreWindowState('{"width":', [display])).toEqual(DEFAULT_WINDOW_STATE);
    expect(restoreWindowState('{"width":"wide","height":3}', [display])).toEqual(DEFAULT_WINDOW_STATE);
    expect(restoreWindowState('{"width":100,"height":100}', [display]).width).toBe(MIN_WIDTH);
  });
});

describe('settings', () => {
  it('keep a valid theme and recent list, and ignore the rest', () => {
    const s = parseSettings(JSON.stringify({ theme: 'dark', recent: [{ path: '/a.json', kind: 'scenario' }, { path: 3 }, { path: '/a.json', kind: 'recording' }, { path: '/b.jsonl', kind: 'recording' }] }));
    expect(s).toEqual({ theme: 'dark', recent: [{ path: '/a.json', kind: 'scenario' }, { path: '/b.jsonl', kind: 'recording' }] });
    expect(parseSettings('nonsense')).toEqual({ theme: 'system', recent: [] });
    expect(parseSettings('{"theme":"neon"}').theme).toBe('system');
  });

  it('put the newest recent file first, once, and keep at most ten', () => {
    let list = addRecent([], { path: '/a', kind: 'scenario' });
    for (let i = 0; i < 12; i++) list = addRecent(list, { path: `/f${i}`, kind: 'recording' });
    list = addRecent(list, { path: '/f5', kind: 'recording' });
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0].path).toBe('/f5');
    expect(list.filter((r) => r.path === '/f5')).toHaveLength(1);
  });
});

describe('menu model', () => {
  const labels = (nodes: MenuNode[]): string[] => nodes.flatMap((n) => [n.label ?? n.role ?? n.type ?? '', ...(n.submenu ? labels(n.submenu) : [])]);
  const state = { platform: 'linux', theme: 'dark' as const, recent: [{ path: '/x/demo.json', kind: 'scenario' as const }], running: true, hasRun: true, hasEvents: true };

  it('has File, Run, View and Help with the items of the issue', () => {
    const menu = buildMenuModel(state);
    expect(menu.map((m) => m.label ?? m.role)).toEqual(['File', 'editMenu', 'Run', 'View', 'Help']);
    const all = labels(menu);
    for (const item of ['Open scenario…', 'Open recording…', 'Save recording as…', 'Export Perfetto trace…', 'Open recent', 'Run live', 'Run simulated with seed…', 'Pause view', 'Stop', 'Restart process', 'reload', 'toggleDevTools', 'zoomIn', 'Theme', 'About TaskMgr Lab', 'User guide']) {
      expect(all, item).toContain(item);
    }
    const theme = menu.find((m) => m.label === 'View')!.submenu!.find((m) => m.label === 'Theme')!;
    expect(theme.submenu!.filter((t) => t.checked).map((t) => t.label)).toEqual(['Dark']);
  });

  it('disables what cannot be done now, and uses the app menu on macOS', () => {
    const idle = buildMenuModel({ ...state, running: false, hasRun: false, hasEvents: false, recent: [] });
    const run = idle.find((m) => m.label === 'Run')!.submenu!;
    expect(run.find((m) => m.label === 'Stop')!.enabled).toBe(false);
    expect(run.find((m) => m.label === 'Restart process')!.enabled).toBe(false);
    expect(labels(idle)).toContain('No recent files');
    expect(buildMenuModel({ ...state, platform: 'darwin' })[0].role).toBe('appMenu');
  });
});

describe('menu actions', () => {
  function fakes(files: Record<string, string> = {}, chosen: string | null = null) {
    const requests: LabRequest[] = [];
    const said: string[] = [];
    const written: Record<string, string> = {};
    const toPage: MenuCommand[] = [];
    const lab: LabControl = {
      lastRun: null as { source: ScenarioSource; mode: RunMode; seed?: number } | null,
      async handle<T extends LabRequestType>(req: Extract<LabRequest, { type: T }>): Promise<LabResult<T>> {
        requests.push(req);
        const values: Partial<Record<LabRequestType, unknown>> = {
          recording: { filename: 'demo.jsonl', text: '{"ev":"end"}\n' },
          exportPerfetto: { filename: 'demo.perfetto.json', json: '{}' },
          openRecording: { events: 3, truncated: true },
        };
        return { ok: true, value: (values[req.type] ?? {}) as never };
      },
    };
    const shell: Shell = {
      chooseFileToOpen: async () => chosen,
      chooseFileToSave: async (name) => (chosen === null ? null : `/out/${name}`),
      readText: async (path) => {
        if (!(path in files)) throw new Error(`${path}: no such file`);
        return files[path];
      },
      writeText: async (path, text) => {
        written[path] = text;
      },
      showError: (title, message) => said.push(`${title}: ${message}`),
      showAbout: () => said.push('about'),
      sendToPage: (c) => toPage.push(c),
      setTheme: (t) => said.push(`theme ${t}`),
      addRecent: (f) => said.push(`recent ${f.path}`),
      clearRecent: () => said.push('clear'),
    };
    return { lab, shell, requests, said, written, toPage };
  }

  it('opens a scenario file and runs it in the simulator', async () => {
    const f = fakes({ '/s/demo.yaml': 'name: x' }, '/s/demo.yaml');
    await performMenuAction({ type: 'openScenario' }, f.lab, f.shell);
    expect(f.requests).toEqual([{ type: 'run', scenario: { text: 'name: x', filename: 'demo.yaml' }, mode: 'sim' }]);
    expect(f.said).toEqual(['recent /s/demo.yaml']);
  });

  it('opens a cut-off recording and says it was cut off', async () => {
    const f = fakes({ '/r/a.jsonl.part': '{"ev":"x"}\n{"ev' }, '/r/a.jsonl.part');
    await performMenuAction({ type: 'openRecording' }, f.lab, f.shell);
    expect(f.requests[0]).toMatchObject({ type: 'openRecording', filename: 'a.jsonl.part' });
    expect(f.said.some((s) => s.startsWith('Recording was cut off'))).toBe(true);
  });

  it('saves the recording and exports Perfetto where the user chose', async () => {
    const f = fakes({}, 'yes');
    await performMenuAction({ type: 'saveRecordingAs' }, f.lab, f.shell);
    await performMenuAction({ type: 'exportPerfetto' }, f.lab, f.shell);
    expect(f.written).toEqual({ '/out/demo.jsonl': '{"ev":"end"}\n', '/out/demo.perfetto.json': '{}' });
  });

  it('does nothing when a dialog is cancelled, and shows failures in an error box', async () => {
    const f = fakes({}, null);
    await performMenuAction({ type: 'openScenario' }, f.lab, f.shell);
    expect(f.requests).toEqual([]);
    await performMenuAction({ type: 'openRecent', file: { path: '/gone.json', kind: 'scenario' } }, f.lab, f.shell);
    expect(f.said).toEqual(['Cannot open the file: /gone.json: no such file']);
  });

  it('runs live, stops, restarts, and hands view commands to the page', async () => {
    const f = fakes();
    await performMenuAction({ type: 'runLive' }, f.lab, f.shell);
    await performMenuAction({ type: 'stop' }, f.lab, f.shell);
    await performMenuAction({ type: 'restart' }, f.lab, f.shell);
    await performMenuAction({ type: 'pauseView' }, f.lab, f.shell);
    await performMenuAction({ type: 'runSimWithSeed' }, f.lab, f.shell);
    await performMenuAction({ type: 'theme', theme: 'light' }, f.lab, f.shell);
    expect(f.requests).toEqual([{ type: 'run', scenario: { library: 'pageserver-demo' }, mode: 'live' }, { type: 'stop' }, { type: 'restart' }]);
    expect(f.toPage).toEqual(['pauseView', 'runSimWithSeed']);
    expect(f.said).toEqual(['theme light']);
  });
});
