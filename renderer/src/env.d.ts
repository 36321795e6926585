/**
 * Ambient types of the renderer: `.vue` single-file components for TypeScript, and
 * `window.lab`, the Lab API the Electron preload exposes through contextBridge
 * (absent in the browser mode, which talks over a WebSocket instead).
 */
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  // The generic parameters are the ones vue's own shim uses; `{}` means "no props declared here".
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  const component: DefineComponent<{}, {}, unknown>;
  export default component;
}

interface Window {
  /** Set by electron/preload (contextBridge.exposeInMainWorld('lab', ...)). */
  lab?: import('../../shared/protocol/lab').LabApi;
}

/** Vite's `?raw` imports (test fixtures). */
declare module '*?raw' {
  const text: string;
  export default text;
}

/** Global stylesheets imported for their side effect (bundled by vite). */
declare module '*.css';

interface Window {
  /** Set by electron/preload: the application menu's commands meant for the page. */
  labMenu?: import('../../shared/protocol/menu').LabMenuApi;
}
