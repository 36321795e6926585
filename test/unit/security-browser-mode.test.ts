/**
 * The browser mode's request guard and file mapping, as pure functions: Host and
 * Origin must name this server, the per-run token must come in the query or the
 * cookie, and no URL reaches a file outside the built renderer.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserModeCsp } from '../../electron/host/csp';
import { resolveInside } from '../../electron/host/static-files';
import { checkRequest, cookieName, newToken, tokenCookie } from '../../electron/host/web/guard';

const config = { token: 'T0KEN-abcdefghijklmnopqrstuvwxyz', port: 4321 };
const host = '127.0.0.1:4321';
const req = (url: string, headers: Record<string, string> = {}) => checkRequest(config, { url, headers: { host, ...headers } });

describe('browser mode guard', () => {
  it('lets in the tokened URL and asks to set the cookie', () => {
    expect(req(`/?token=${config.token}`)).toEqual({ ok: true, setCookie: true, pathname: '/' });
    expect(req(`/?token=${config.token}`, { host: 'localhost:4321' })).toMatchObject({ ok: true });
  });

  it('lets in the cookie alone, for assets and the WebSocket', () => {
    expect(req('/assets/a.js', { cookie: `other=1; ${cookieName(4321)}=${config.token}` })).toEqual({ ok: true, setCookie: false, pathname: '/assets/a.js' });
  });

  it('refuses a missing or wrong token', () => {
    expect(req('/')).toEqual({ ok: false, reason: 'missing token' });
    expect(req('/?token=wrong')).toEqual({ ok: false, reason: 'wrong token' });
    expect(req(`/?token=${config.token}x`)).toEqual({ ok: false, reason: 'wrong token' });
    expect(req('/', { cookie: `${cookieName(4321)}=wrong` })).toEqual({ ok: false, reason: 'wrong token' });
    expect(req('/', { cookie: `${cookieName(9999)}=${config.token}` })).toEqual({ ok: false, reason: 'missing token' });
    expect(req(`/?token=${config.token}&token=x`)).toMatchObject({ ok: false });
  });

  it('refuses a foreign or missing Host, even with the token', () => {
    expect(req(`/?token=${config.token}`, { host: 'evil.example:4321' })).toEqual({ ok: false, reason: 'foreign Host header' });
    expect(req(`/?token=${config.token}`, { host: '127.0.0.1:80' })).toMatchObject({ ok: false });
    expect(checkRequest(config, { url: `/?token=${config.token}`, headers: {} })).toMatchObject({ ok: false });
  });

  it('refuses a foreign Origin and cross-site fetches, even with the token', () => {
    expect(req(`/?token=${config.token}`, { origin: 'http://evil.example' })).toEqual({ ok: false, reason: 'foreign Origin header' });
    expect(req(`/?token=${config.token}`, { origin: 'null' })).toMatchObject({ ok: false });
    expect(req(`/?token=${config.token}`, { origin: 'http://127.0.0.1:4322' })).toMatchObject({ ok: false });
    expect(req(`/?token=${config.token}`, { 'sec-fetch-site': 'cross-site' })).toMatchObject({ ok: false });
    expect(req(`/?token=${config.token}`, { origin: 'http://127.0.0.1:4321' })).toMatchObject({ ok: true });
  });

  it('makes a random token per run and a strict cookie', () => {
    expect(newToken()).not.toBe(newToken());
    expect(newToken()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(tokenCookie(config)).toBe(`taskmgr_lab_4321=${config.token}; Path=/; HttpOnly; SameSite=Strict`);
  });

  it('allows connections only to its own WebSocket in the CSP', () => {
    const csp = browserModeCsp(4321);
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:4321 ws://localhost:4321");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
});

describe('static files', () => {
  const root = join('/srv', 'renderer');

  it('maps / to index.html and paths inside the directory', () => {
    expect(resolveInside(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveInside(root, '/assets/index-1.js')).toBe(join(root, 'assets', 'index-1.js'));
    expect(resolveInside(root, '/a%20b.css')).toBe(join(root, 'a b.css'));
  });

  it('refuses paths that leave the directory or are malformed', () => {
    for (const p of ['/../etc/passwd', '/%2e%2e/etc/passwd', '/assets/..%2f..%2fsecret', '/..', '/%2e%2e', '/a%00b', '/%E0%A4%A', '/..\\secret', '//etc/passwd/../../..']) {
      const r = resolveInside(root, p);
      if (r !== null) expect(r.startsWith(`${root}/`)).toBe(true);
    }
    expect(resolveInside(root, '/../etc/passwd')).toBeNull();
    expect(resolveInside(root, '/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveInside(root, '/a%00b')).toBeNull();
  });
});
