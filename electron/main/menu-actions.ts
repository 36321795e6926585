/**
 * What the menu's items do. Each action is a few Lab requests plus what only the
 * shell can do (file dialogs, files, message boxes, the theme), which comes in as a
 * `Shell` so that the actions are tested without Electron. Failures are shown to
 * the user in an error box, never thrown into the menu.
 */
import type { LabRequest, LabRequestType, LabResult, RunMode, ScenarioSource } from '../../shared/protocol/lab';
import type { MenuCommand } from '../../shared/protocol/menu';
import { DEMO_SCENARIO } from '../pageserver/demo';
import type { MenuAction } from './menu-model';
import type { RecentFile, Theme } from './settings';

/** The validator's limits: a scenario up to 64 MiB, a recording up to 512 MiB of text. */
export const MAX_SCENARIO_BYTES = 64 * 1024 * 1024;
export const MAX_RECORDING_BYTES = 512 * 1024 * 1024;

/** What the actions need of the Lab. */
export interface LabControl {
  handle<T extends LabRequestType>(req: Extract<LabRequest, { type: T }>): Promise<LabResult<T>>;
  readonly lastRun: { source: ScenarioSource; mode: RunMode; seed?: number } | null;
}

/** What the actions need of the desktop. */
export interface Shell {
  /** A file dialog; null when cancelled. */
  chooseFileToOpen(kind: RecentFile['kind']): Promise<string | null>;
  chooseFileToSave(defaultName: string, kind: 'recording' | 'perfetto'): Promise<string | null>;
  /** Reads a text file, refusing one larger than `maxBytes`. */
  readText(path: string, maxBytes: number): Promise<string>;
  /** Writes a file atomically. */
  writeText(path: string, text: string): Promise<void>;
  showError(title: string, message: string): void;
  showAbout(): void;
  /** Hands a command to the page (window.labMenu). */
  sendToPage(command: MenuCommand): void;
  setTheme(theme: Theme): void;
  addRecent(file: RecentFile): void;
  clearRecent(): void;
}

class ActionError extends Error {}

function value<T extends LabRequestType>(result: LabResult<T>): LabResult<T> & { ok: true } {
  if (!result.ok) throw new ActionError(result.error);
  return result as LabResult<T> & { ok: true };
}

const fileName = (path: string) => path.replace(/^.*[\\/]/, '');

async function openScenario(path: string, lab: LabControl, shell: Shell): Promise<void> {
  const text = await shell.readText(path, MAX_SCENARIO_BYTES);
  value(await lab.handle({ type: 'run', scenario: { text, filename: fileName(path) }, mode: 'sim' }));
  shell.addRecent({ path, kind: 'scenario' });
}

async function openRecording(path: string, lab: LabControl, shell: Shell): Promise<void> {
  const text = await shell.readText(path, MAX_RECORDING_BYTES);
  const opened = value(await lab.handle({ type: 'openRecording', text, filename: fileName(path) }));
  shell.addRecent({ path, kind: 'recording' });
  if (opened.value.truncated) {
    shell.showError('Recording was cut off', `${fileName(path)} ends in a partial line (the run was interrupted). It was opened up to its last whole line: ${opened.value.events} events.`);
  }
}

const TITLES: Record<MenuAction['type'], string> = {
  openScenario: 'Cannot open the scenario',
  openRecording: 'Cannot open the recording',
  openRecent: 'Cannot open the file',
  clearRecent: 'Cannot clear the list',
  saveRecordingAs: 'Cannot save the recording',
  exportPerfetto: 'Cannot export the Perfetto trace',
  runLive: 'Cannot run live',
  runSimWithSeed: 'Cannot run',
  pauseView: 'Cannot pause',
  stop: 'Cannot stop',
  restart: 'Cannot restart',
  theme: 'Cannot change the theme',
  about: 'About',
  userGuide: 'User guide',
};

export async function performMenuAction(action: MenuAction, lab: LabControl, shell: Shell): Promise<void> {
  try {
    switch (action.type) {
      case 'openScenario': {
        const path = await shell.chooseFileToOpen('scenario');
        if (path) await openScenario(path, lab, shell);
        return;
      }
      case 'openRecording': {
        const path = await shell.chooseFileToOpen('recording');
        if (path) await openRecording(path, lab, shell);
        return;
      }
      case 'openRecent':
        if (action.file.kind === 'scenario') await openScenario(action.file.path, lab, shell);
        else await openRecording(action.file.path, lab, shell);
        return;
      case 'clearRecent':
        shell.clearRecent();
        return;
      case 'saveRecordingAs': {
        const rec = value(await lab.handle({ type: 'recording' }));
        const path = await shell.chooseFileToSave(rec.value.filename, 'recording');
        if (path) {
          await shell.writeText(path, rec.value.text);
          shell.addRecent({ path, kind: 'recording' });
        }
        return;
      }
      case 'exportPerfetto': {
        const exported = value(await lab.handle({ type: 'exportPerfetto' }));
        const path = await shell.chooseFileToSave(exported.value.filename, 'perfetto');
        if (path) await shell.writeText(path, exported.value.json);
        return;
      }
      case 'runLive': {
        const source = lab.lastRun?.source ?? { library: DEMO_SCENARIO };
        value(await lab.handle({ type: 'run', scenario: source, mode: 'live' }));
        return;
      }
      case 'runSimWithSeed':
      case 'pauseView':
      case 'userGuide':
        shell.sendToPage(action.type);
        return;
      case 'stop':
        value(await lab.handle({ type: 'stop' }));
        return;
      case 'restart':
        value(await lab.handle({ type: 'restart' }));
        return;
      case 'theme':
        shell.setTheme(action.theme);
        return;
      case 'about':
        shell.showAbout();
        return;
    }
  } catch (err) {
    shell.showError(TITLES[action.type], err instanceof Error ? err.message : String(err));
  }
}
