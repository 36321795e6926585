/**
 * The webPreferences of the Lab's window (DESIGN.md section 7, Electron's security
 * checklist items 2-4, 6, 8-12): the renderer is untrusted, so it gets no Node, its
 * own JavaScript world, Chromium's sandbox, the same-origin policy, and nothing
 * experimental. Its only door to the main process is the preload's `window.lab`.
 *
 * A plain object without Electron imports, so that a unit test checks every flag.
 */
export const SECURE_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
} as const);

export type SecureWebPreferences = typeof SECURE_WEB_PREFERENCES & { preload: string; devTools: boolean };

/** The window's webPreferences with its preload script. */
export function windowWebPreferences(preload: string, devTools = true): SecureWebPreferences {
  return { ...SECURE_WEB_PREFERENCES, preload, devTools };
}
