/**
 * The Electron application menu's commands for the page (`window.labMenu`, see
 * shared/protocol/menu.ts): pause the view, run simulated with a seed the user types,
 * show the help. The browser mode has no application menu: the same actions are in
 * the views and on the keyboard.
 */
import type { MenuCommand } from '../../../shared/protocol/menu';
import { isMenuCommand } from '../../../shared/protocol/menu';

export function onMenuCommand(listener: (command: MenuCommand) => void, w: Window = window): () => void {
  const menu = w.labMenu;
  if (!menu || typeof menu.onCommand !== 'function') return () => undefined;
  return menu.onCommand((c) => {
    if (isMenuCommand(c)) listener(c);
  });
}
