/**
 * Installs the application menu of ./menu-model.ts: each node becomes an Electron
 * menu item, actions are routed to `perform`. Rebuilt whenever its state changes
 * (a run starts or stops, a file is opened, the theme changes).
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuAction, MenuNode } from './menu-model';

function toItem(node: MenuNode, perform: (action: MenuAction) => void): MenuItemConstructorOptions {
  const item: MenuItemConstructorOptions = {};
  if (node.label !== undefined) item.label = node.label;
  if (node.role !== undefined) item.role = node.role;
  if (node.type !== undefined) item.type = node.type;
  if (node.accelerator !== undefined) item.accelerator = node.accelerator;
  if (node.checked !== undefined) item.checked = node.checked;
  if (node.enabled !== undefined) item.enabled = node.enabled;
  if (node.submenu) item.submenu = node.submenu.map((n) => toItem(n, perform));
  const action = node.action;
  if (action) item.click = () => perform(action);
  return item;
}

export function installMenu(nodes: MenuNode[], perform: (action: MenuAction) => void): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(nodes.map((n) => toItem(n, perform))));
}
