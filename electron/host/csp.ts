/**
 * The Content-Security-Policy of the renderer, in both places it is served: the
 * Electron window (the `app://lab` protocol) and the browser mode (127.0.0.1). The
 * renderer is built by Vite into files of its own origin, so nothing inline and
 * nothing remote is ever needed: scripts, styles, images and fonts come from 'self'
 * only, no eval, no plugins, no frames, no forms, and the page cannot be framed.
 * The browser mode adds its WebSocket endpoint to `connect-src`.
 */

/** Directives in the order they are written; `connect` is the only one that varies. */
export function contentSecurityPolicy(options: { connect?: readonly string[] } = {}): string {
  const connect = ["'self'", ...(options.connect ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "child-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The Electron window's policy: its own origin only. */
export const RENDERER_CSP = contentSecurityPolicy();

/**
 * Development only (`electron-vite dev`, never packaged): Vite's dev server injects
 * styles as <style> elements and talks to its HMR WebSocket.
 */
export const DEV_RENDERER_CSP = RENDERER_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
  "connect-src 'self'",
  "connect-src 'self' ws://localhost:* ws://127.0.0.1:*",
);

/** The browser mode's policy: its own origin and its WebSocket on the same port. */
export function browserModeCsp(port: number): string {
  return contentSecurityPolicy({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] });
}

/** Headers sent with every response of the renderer, besides the CSP. */
export const HARDENING_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=()',
  'Cache-Control': 'no-store',
};
