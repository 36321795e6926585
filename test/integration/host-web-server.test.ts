/**
 * The browser mode's server on a real socket: it refuses requests without the
 * per-run token, with a foreign Host, or with a foreign Origin (HTTP and WebSocket
 * upgrade alike), serves the renderer with a strict CSP, and carries the Lab API
 * over a real WebSocket: a numbered request is answered by number, and a run's
 * events arrive as pushes.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { LabPush } from '../../shared/protocol/lab';
import type { ServerFrame } from '../../shared/protocol/ws';
import { Lab } from '../../electron/host/lab';
import { startWebServer, type WebServer } from '../../electron/host/web/server';
import { until } from '../helpers/until';

let dir: string;
let lab: Lab;
let server: WebServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'taskmgr-web-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>lab</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log("lab")');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  lab = new Lab({ recordingsDir: join(dir, 'recordings'), live: false, logger: () => {} });
  server = await startWebServer({ lab, rendererDir: renderer, log: () => {} });
});

afterAll(async () => {
  await server.close();
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket; resolves with it, or with the HTTP status of a refused upgrade. */
function connect(path: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

const token = () => server.token;

describe('browser mode: who may connect', () => {
  it('listens on 127.0.0.1 and prints a tokened URL', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the page with the token, sets the token cookie, and sends a strict CSP', async () => {
    const r = await get(`/?token=${token()}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>lab</title>');
    expect(String(r.headers['set-cookie'])).toContain(`taskmgr_lab_${server.port}=${token()}`);
    expect(String(r.headers['set-cookie'])).toContain('HttpOnly');
    expect(String(r.headers['set-cookie'])).toContain('SameSite=Strict');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves assets with the cookie alone', async () => {
    const r = await get('/assets/app.js', { cookie: `taskmgr_lab_${server.port}=${token()}` });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/javascript');
  });

  it('refuses a request without the token (403)', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/assets/app.js')).status).toBe(403);
  });

  it('refuses a wrong token, in the query or the cookie (403)', async () => {
    expect((await get('/?token=nope')).status).toBe(403);
    expect((await get('/', { cookie: `taskmgr_lab_${server.port}=nope` })).status).toBe(403);
  });

  it('refuses a foreign Host header even with the token (DNS rebinding) (403)', async () => {
    const r = await get(`/?token=${token()}`, { host: `evil.example:${server.port}` });
    expect(r.status).toBe(403);
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a foreign Origin header even with the token (403)', async () => {
    expect((await get(`/?token=${token()}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(`/?token=${token()}`, { origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });

  it('does not serve files outside the renderer directory', async () => {
    const c = { cookie: `taskmgr_lab_${server.port}=${token()}` };
    expect((await get('/../secret.txt', c)).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt', c)).status).toBe(404);
    expect((await get('/assets/%2e%2e%2f%2e%2e%2fsecret.txt', c)).status).toBe(404);
  });

  it('refuses WebSocket upgrades without the token, with a foreign Host or a foreign Origin (403)', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    expect(await connect('/lab', { origin })).toBe(403);
    expect(await connect('/lab?token=nope', { origin })).toBe(403);
    expect(await connect(`/lab?token=${token()}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await connect(`/lab?token=${token()}`, { origin, host: `evil.example:${server.port}` })).toBe(403);
    expect(await connect(`/elsewhere?token=${token()}`, { origin })).toBe(403);
  });
});

describe('browser mode: the Lab API over a real WebSocket', () => {
  it('answers numbered requests and pushes a run’s events and status', async () => {
    const ws = await connect(`/lab?token=${token()}`, { origin: `http://127.0.0.1:${server.port}` });
    if (typeof ws === 'number') throw new Error(`upgrade refused: ${ws}`);
    const replies = new Map<number, ServerFrame>();
    const pushes: LabPush[] = [];
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      if ('push' in frame) pushes.push(frame.push);
      else replies.set(frame.id ?? -1, frame);
    });
    ws.send(JSON.stringify({ id: 1, req: { type: 'listScenarios' } }));
    await until(() => replies.has(1));
    const list = replies.get(1) as Extract<ServerFrame, { result: unknown }>;
    expect(list.result.ok).toBe(true);
    expect((list.result as { ok: true; value: Array<{ name: string }> }).value.map((s) => s.name)).toContain('demo');

    ws.send(JSON.stringify({ id: 2, req: { type: 'run', scenario: { library: 'demo' }, mode: 'sim', tickMs: 1 } }));
    await until(() => replies.has(2));
    expect((replies.get(2) as { result: { ok: boolean } }).result.ok).toBe(true);
    await until(() => pushes.some((p) => p.type === 'events' && p.events.some((e) => e.ev === 'end' || e.ev === 'process_exit')));
    const events = pushes.filter((p): p is Extract<LabPush, { type: 'events' }> => p.type === 'events');
    expect(events.some((p) => p.reset && p.from === 0)).toBe(true);
    expect(events.flatMap((p) => p.events).some((e) => e.ev === 'spawn')).toBe(true);
    expect(pushes.some((p) => p.type === 'status' && p.status.mode === 'sim')).toBe(true);

    ws.send(JSON.stringify({ id: 3, req: { type: 'nope' } }));
    ws.send(JSON.stringify({ id: 4, req: { type: 'events', from: 0 } }));
    await until(() => replies.has(3) && replies.has(4));
    expect(replies.get(3)).toEqual({ id: 3, result: { ok: false, error: expect.stringContaining('unknown request') } });
    const caught = replies.get(4) as { result: { ok: true; value: { from: number; events: unknown[] } } };
    expect(caught.result.value.from).toBe(0);
    expect(caught.result.value.events.length).toBe(lab.events().length);
    ws.close();
  });
});
