/**
 * The Electron window's guards (DESIGN.md section 7; Electron's security checklist
 * items 5, 13, 14, 17 and 1/18): which URLs are our renderer, whether a navigation,
 * a new window, a permission or a network request is allowed, and whether an IPC
 * message comes from our renderer. Pure functions without Electron imports; the
 * main process wires them to `will-navigate`, `setWindowOpenHandler`,
 * `setPermissionRequestHandler`, `webRequest.onBeforeRequest` and the IPC handlers.
 *
 * The renderer is served from the app's own privileged scheme (`app://lab/`), never
 * from file:// (which would make every local file same-origin) and never from the
 * network. During development only (`electron-vite dev`, unpackaged), the dev
 * server's origin on localhost is trusted as well.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'lab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export interface TrustConfig {
  /** The electron-vite dev server (`ELECTRON_RENDERER_URL`), only when unpackaged. */
  devServerUrl?: string | null;
}

function parse(url: string | null | undefined): URL | null {
  if (typeof url !== 'string' || url === '') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The dev server origin, if it is a plain http URL on the loopback interface. */
export function devOrigin(config: TrustConfig): string | null {
  const u = parse(config.devServerUrl);
  if (!u || u.protocol !== 'http:') return null;
  if (u.hostname !== 'localhost' && u.hostname !== '127.0.0.1' && u.hostname !== '[::1]') return null;
  return u.origin;
}

/** Is this URL a page of our renderer? */
export function isRendererUrl(url: string | null | undefined, config: TrustConfig = {}): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '') return true;
  const dev = devOrigin(config);
  return dev !== null && u.origin === dev;
}

/** `will-navigate` / `will-redirect`: only within our renderer (a reload, an in-app link). */
export function isNavigationAllowed(target: string, config: TrustConfig = {}): boolean {
  return isRendererUrl(target, config);
}

/** `setWindowOpenHandler`: the Lab never opens windows for the page. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/** `setPermissionRequestHandler` / `setPermissionCheckHandler`: nothing is granted. */
export function isPermissionGranted(_permission: string): boolean {
  return false;
}

/** `webRequest.onBeforeRequest`: our own scheme, inline data, DevTools; the dev server in development. No remote content. */
export function isRequestAllowed(url: string, config: TrustConfig = {}): boolean {
  const u = parse(url);
  if (!u) return false;
  if (isRendererUrl(url, config)) return true;
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'devtools:') return true;
  const dev = devOrigin(config);
  if (dev !== null && (u.protocol === 'ws:' || u.protocol === 'http:')) return `http://${u.host}` === dev;
  return false;
}

/** Who sent an IPC message: the frame's URL, and whether it is the window's top frame. */
export interface SenderInfo {
  url: string | null | undefined;
  isMainFrame: boolean;
}

/** IPC sender check: the top frame of a page of our renderer, nothing else. */
export function isTrustedSender(sender: SenderInfo, config: TrustConfig = {}): boolean {
  return sender.isMainFrame && isRendererUrl(sender.url, config);
}
