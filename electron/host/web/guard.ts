/**
 * Who may talk to the browser mode (DESIGN.md section 7). The server listens on
 * 127.0.0.1 only, but any web page the user visits can still send requests to it,
 * and a DNS-rebinding page can even make them look same-origin. So every request,
 * HTTP or WebSocket upgrade, must:
 *
 * - name this server in its Host header (`127.0.0.1:PORT` or `localhost:PORT`): a
 *   rebinding page's requests carry its own host name;
 * - if it has an Origin header, come from this server's origin: a foreign page's
 *   fetches and WebSockets carry theirs;
 * - carry the per-run token, in the query (`?token=...`, the URL the CLI prints) or
 *   in the cookie set when that URL was first loaded (so that the page's own assets
 *   and its WebSocket need not repeat it).
 *
 * Pure functions (no sockets), so that the rules are tested on their own.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface GuardConfig {
  token: string;
  port: number;
}

export interface RequestHead {
  /** The request target, e.g. `/assets/index.js?token=...`. */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type Verdict = { ok: true; setCookie: boolean; pathname: string } | { ok: false; reason: string };

/** A fresh per-run token: 192 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The cookie that carries the token; named by port, since cookies do not tell ports apart. */
export function cookieName(port: number): string {
  return `taskmgr_lab_${port}`;
}

export function tokenCookie(config: GuardConfig): string {
  return `${cookieName(config.port)}=${config.token}; Path=/; HttpOnly; SameSite=Strict`;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

function header(head: RequestHead, name: string): string | undefined {
  const v = head.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(head: RequestHead, port: number): string | null {
  const raw = header(head, 'cookie');
  if (!raw) return null;
  const name = cookieName(port);
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** Decides whether a request may proceed; a refusal says why (the server answers 403). */
export function checkRequest(config: GuardConfig, head: RequestHead): Verdict {
  const host = header(head, 'host');
  if (!host || !allowedHosts(config.port).includes(host.toLowerCase())) return { ok: false, reason: 'foreign Host header' };
  const origin = header(head, 'origin');
  if (origin !== undefined && !allowedOrigins(config.port).includes(origin.toLowerCase())) return { ok: false, reason: 'foreign Origin header' };
  if (header(head, 'sec-fetch-site') === 'cross-site') return { ok: false, reason: 'cross-site request' };

  let url: URL;
  try {
    url = new URL(head.url, `http://${host}`);
  } catch {
    return { ok: false, reason: 'malformed request target' };
  }
  const queryTokens = url.searchParams.getAll('token');
  if (queryTokens.length > 1) return { ok: false, reason: 'more than one token' };
  if (queryTokens.length === 1) {
    if (!sameToken(queryTokens[0], config.token)) return { ok: false, reason: 'wrong token' };
    return { ok: true, setCookie: true, pathname: url.pathname };
  }
  const fromCookie = cookieToken(head, config.port);
  if (fromCookie !== null && sameToken(fromCookie, config.token)) return { ok: true, setCookie: false, pathname: url.pathname };
  return { ok: false, reason: fromCookie === null ? 'missing token' : 'wrong token' };
}
