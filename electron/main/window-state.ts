/**
 * The window's remembered bounds (a JSON file in userData): read back at start only
 * if they still make sense, i.e. a sane size and a title bar that is on one of the
 * current displays (a monitor may have been unplugged since). Pure functions; the
 * main process reads and writes the file.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the window manager place it. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_WIDTH = 720;
export const MIN_HEIGHT = 480;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e6;

/** Is a strip of the window's top (its title bar) inside one of the displays' work areas? */
export function titleBarVisible(bounds: Rect, displays: readonly Rect[]): boolean {
  const bar = { x: bounds.x + 40, y: bounds.y + 8, width: Math.max(1, bounds.width - 80) };
  return displays.some((d) => bar.x < d.x + d.width && bar.x + bar.width > d.x && bar.y >= d.y && bar.y < d.y + d.height);
}

/** The state to open with, from the saved text (or null) and the current displays' work areas. */
export function restoreWindowState(text: string | null, displays: readonly Rect[]): WindowState {
  if (!text) return { ...DEFAULT_WINDOW_STATE };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (v === null || typeof v !== 'object') return { ...DEFAULT_WINDOW_STATE };
  const o = v as Record<string, unknown>;
  if (!isInt(o.width) || !isInt(o.height)) return { ...DEFAULT_WINDOW_STATE };
  const largest = displays.reduce((m, d) => ({ width: Math.max(m.width, d.width), height: Math.max(m.height, d.height) }), { width: 0, height: 0 });
  const width = Math.max(MIN_WIDTH, largest.width ? Math.min(o.width, largest.width) : o.width);
  const height = Math.max(MIN_HEIGHT, largest.height ? Math.min(o.height, largest.height) : o.height);
  const state: WindowState = { width, height, maximized: o.maximized === true };
  if (isInt(o.x) && isInt(o.y) && titleBarVisible({ x: o.x, y: o.y, width, height }, displays)) {
    state.x = o.x;
    state.y = o.y;
  }
  return state;
}

/** The text to save: the normal (unmaximized) bounds and whether the window was maximized. */
export function serializeWindowState(normal: Rect, maximized: boolean): string {
  return `${JSON.stringify({ x: normal.x, y: normal.y, width: normal.width, height: normal.height, maximized })}\n`;
}
