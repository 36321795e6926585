/**
 * Menu commands that the Electron shell hands to the renderer: the application menu
 * lives in the main process, but a few of its items act on the view only (pause the
 * live view) or need the page to ask the user something (a seed). The preload
 * exposes them as `window.labMenu`; the browser mode has no application menu and no
 * `window.labMenu`.
 */
export type MenuCommand =
  /** Run ▸ Pause view: freeze (or unfreeze) the live view; the run goes on. */
  | 'pauseView'
  /** Run ▸ Run simulated with seed…: ask for a seed, then request a `run` in sim mode. */
  | 'runSimWithSeed'
  /** Help ▸ User guide: show the guide. */
  | 'userGuide';

export const MENU_COMMANDS: readonly MenuCommand[] = ['pauseView', 'runSimWithSeed', 'userGuide'];

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}

/** `window.labMenu` in the Electron window. */
export interface LabMenuApi {
  /** Hears menu commands; returns the unsubscribe function. */
  onCommand(listener: (command: MenuCommand) => void): () => void;
}
