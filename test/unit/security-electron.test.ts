/**
 * The Electron window's security settings (DESIGN.md section 7), checked without
 * Electron: the webPreferences, the CSP, the guards wired to navigation, new
 * windows, permissions and requests, and the IPC sender check. The modules under
 * test must not import 'electron' at all (the binary cannot be had here).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, DEV_RENDERER_CSP, HARDENING_HEADERS, RENDERER_CSP } from '../../electron/host/csp';
import {
  APP_ENTRY_URL,
  isNavigationAllowed,
  isPermissionGranted,
  isRendererUrl,
  isRequestAllowed,
  isTrustedSender,
  windowOpenDecision,
} from '../../electron/main/guards';
import { IpcBridge, type LabPort } from '../../electron/main/ipc-bridge';
import { SECURE_WEB_PREFERENCES, windowWebPreferences } from '../../electron/main/web-preferences';
import type { LabPush } from '../../shared/protocol/lab';
import type { PushSink } from '../../electron/host/push-hub';

const ROOT = join(__dirname, '..', '..');
const PURE_MODULES = [
  'electron/main/web-preferences.ts',
  'electron/main/guards.ts',
  'electron/main/ipc-bridge.ts',
  'electron/main/menu-model.ts',
  'electron/main/menu-actions.ts',
  'electron/main/settings.ts',
  'electron/main/window-state.ts',
  'electron/preload/channels.ts',
  'electron/host/csp.ts',
  'electron/host/static-files.ts',
  'electron/host/web/guard.ts',
];

describe('webPreferences', () => {
  it('isolate, sandbox and deny Node to the renderer', () => {
    const p = windowWebPreferences('/app/out/preload/index.js');
    expect(p).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      preload: '/app/out/preload/index.js',
    });
    expect(p).not.toHaveProperty('enableBlinkFeatures');
    expect(Object.isFrozen(SECURE_WEB_PREFERENCES)).toBe(true);
  });
});

describe('Content-Security-Policy', () => {
  const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

  it('allows nothing by default and only our own origin for scripts, styles and connections', () => {
    const d = directives(RENDERER_CSP);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
  });

  it('never allows inline code, eval or remote hosts', () => {
    for (const csp of [RENDERER_CSP, contentSecurityPolicy({ connect: ['ws://127.0.0.1:1234'] })]) {
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|https?:|\*/);
    }
    expect(DEV_RENDERER_CSP).not.toContain('unsafe-eval');
  });

  it('comes with the hardening headers', () => {
    expect(HARDENING_HEADERS['X-Content-Type-Options']).toBe('nosniff');
    expect(HARDENING_HEADERS['X-Frame-Options']).toBe('DENY');
  });
});

describe('guards', () => {
  it('know our renderer by its scheme and host, and the dev server only when configured', () => {
    expect(isRendererUrl(APP_ENTRY_URL)).toBe(true);
    expect(isRendererUrl('app://lab/assets/x.js')).toBe(true);
    for (const url of ['app://lab.evil/', 'app://evil/', 'app://user:pw@lab/', 'file:///app/out/renderer/index.html', 'https://lab/', 'http://localhost:5173/', '', 'not a url']) {
      expect(isRendererUrl(url)).toBe(false);
    }
    const dev = { devServerUrl: 'http://localhost:5173/' };
    expect(isRendererUrl('http://localhost:5173/src/main.ts', dev)).toBe(true);
    expect(isRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isRendererUrl('http://evil.example/', { devServerUrl: 'http://evil.example/' })).toBe(false);
  });

  it('deny navigation away from the renderer and every new window', () => {
    expect(isNavigationAllowed('app://lab/index.html#/tasks')).toBe(true);
    expect(isNavigationAllowed('https://example.com/')).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd')).toBe(false);
    expect(isNavigationAllowed('javascript:alert(1)')).toBe(false);
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });

  it('grant no permission', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'hid', 'serial']) {
      expect(isPermissionGranted(p)).toBe(false);
    }
  });

  it('block remote requests', () => {
    expect(isRequestAllowed('app://lab/assets/index.js')).toBe(true);
    expect(isRequestAllowed('data:image/png;base64,AAAA')).toBe(true);
    expect(isRequestAllowed('devtools://devtools/bundled/inspector.html')).toBe(true);
    expect(isRequestAllowed('https://example.com/track.js')).toBe(false);
    expect(isRequestAllowed('http://127.0.0.1:8080/')).toBe(false);
    expect(isRequestAllowed('ws://localhost:5173/')).toBe(false);
    expect(isRequestAllowed('ws://localhost:5173/', { devServerUrl: 'http://localhost:5173' })).toBe(true);
  });

  it('trust only the top frame of our renderer as an IPC sender', () => {
    expect(isTrustedSender({ url: 'app://lab/index.html', isMainFrame: true })).toBe(true);
    expect(isTrustedSender({ url: 'app://lab/index.html', isMainFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: undefined, isMainFrame: true })).toBe(false);
  });
});

describe('IPC bridge', () => {
  function fakeLab() {
    const calls: unknown[] = [];
    const sinks: PushSink[] = [];
    const lab: LabPort = {
      handleRaw: async (raw) => {
        calls.push(raw);
        return { ok: true, value: { applied: true } };
      },
      addSink: (s) => {
        sinks.push(s);
        return () => sinks.splice(sinks.indexOf(s), 1);
      },
    };
    return { lab, calls, sinks };
  }
  const trusted = { url: APP_ENTRY_URL, isMainFrame: true };

  it('refuses requests from an untrusted sender without reaching the Lab', async () => {
    const { lab, calls } = fakeLab();
    const logs: string[] = [];
    const bridge = new IpcBridge(lab, {}, (l) => logs.push(l));
    expect(await bridge.request({ url: 'https://evil.example/', isMainFrame: true }, { type: 'status' })).toEqual({ ok: false, error: expect.stringContaining('refused') });
    expect(await bridge.request({ url: APP_ENTRY_URL, isMainFrame: false }, { type: 'status' })).toEqual({ ok: false, error: expect.stringContaining('refused') });
    expect(calls).toEqual([]);
    expect(logs).toHaveLength(2);
    expect(await bridge.request(trusted, { type: 'status' })).toEqual({ ok: true, value: { applied: true } });
    expect(calls).toEqual([{ type: 'status' }]);
  });

  it('holds pushes to a window until it acknowledges them', () => {
    const { lab, sinks } = fakeLab();
    const bridge = new IpcBridge(lab, {}, () => {}, 2);
    const sent: LabPush[] = [];
    expect(bridge.subscribe(7, { url: 'https://evil.example/', isMainFrame: true }, (p) => sent.push(p))).toBe(false);
    expect(bridge.subscribe(7, trusted, (p) => sent.push(p))).toBe(true);
    const sink = sinks[0];
    const push: LabPush = { type: 'events', from: 0, events: [], reset: true };
    expect(sink.ready()).toBe(true);
    sink.send(push);
    sink.send(push);
    expect(sink.ready()).toBe(false);
    bridge.ack(7);
    expect(sink.ready()).toBe(true);
    bridge.unsubscribe(7);
    expect(sinks).toHaveLength(0);
    expect(bridge.subscribers).toBe(0);
  });
});

describe('module boundaries', () => {
  it('keep every security and shell module free of Electron imports', () => {
    for (const file of PURE_MODULES) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(text, file).not.toMatch(/from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)/);
    }
  });

  it('import Electron only in the main entry, the menu, the preload and the utility-process launcher', () => {
    for (const file of ['electron/main/index.ts', 'electron/main/menu.ts', 'electron/preload/index.ts']) {
      expect(readFileSync(join(ROOT, file), 'utf8'), file).toMatch(/from 'electron'/);
    }
  });
});
