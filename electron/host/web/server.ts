/**
 * The browser mode (`taskmgr-lab serve`): the built renderer over HTTP and the Lab
 * over one WebSocket, on 127.0.0.1 only, for a browser instead of the Electron
 * window. Every request passes ./guard.ts (Host, Origin, per-run token) or gets 403;
 * every response carries the strict CSP and the hardening headers of ../csp.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { WS_PATH } from '../../../shared/protocol/ws';
import { browserModeCsp, HARDENING_HEADERS } from '../csp';
import type { Lab } from '../lab';
import { RateLimitedLog } from '../rate-log';
import { readStatic } from '../static-files';
import { checkRequest, type GuardConfig, newToken, tokenCookie } from './guard';
import { bridgeSocket } from './ws-bridge';

export const LOOPBACK = '127.0.0.1';

/**
 * The largest frame: a scenario is at most 1 MiB of text, and the page sends a
 * recording through the Lab only up to 8 MiB (bigger ones are read in the page),
 * which JSON escaping can nearly double. Documented in docs/user-guide.md.
 */
export const MAX_FRAME_BYTES = 32 * 1024 * 1024;

/** Tabs connected at once: each may hold a frame of MAX_FRAME_BYTES in memory. */
export const MAX_CONNECTIONS = 16;

export interface WebServerOptions {
  lab: Lab;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A fixed token (tests); a random one by default. */
  token?: string;
  /**
   * Largest WebSocket frame accepted (default MAX_FRAME_BYTES). A bigger frame
   * closes its socket (code 1009) before it is buffered whole.
   */
  maxPayload?: number;
  /** WebSocket connections at once (default MAX_CONNECTIONS); more are refused with 503. */
  maxConnections?: number;
  maxBufferedBytes?: number;
  log?: (line: string) => void;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** `http://127.0.0.1:PORT/?token=TOKEN`: the URL to open. */
  readonly url: string;
  close(): Promise<void>;
}

function headers(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return { 'Content-Security-Policy': browserModeCsp(port), ...HARDENING_HEADERS, ...extra };
}

function refuse(res: ServerResponse, port: number, status: number, text: string): void {
  res.writeHead(status, headers(port, { 'Content-Type': 'text/plain; charset=utf-8' }));
  res.end(`${text}\n`);
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const token = options.token ?? newToken();
  const guard: GuardConfig = { token, port: 0 };
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? MAX_FRAME_BYTES });
  const maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  // One rate-limited log for every socket: a flood of bad frames writes a few lines.
  const refusals = new RateLimitedLog(log);
  wss.on('connection', (ws) => bridgeSocket(ws, options.lab, { maxBufferedBytes: options.maxBufferedBytes, log: (line) => refusals.write(line) }));

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void handleHttp(req, res);
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const verdict = checkRequest(guard, { url: req.url ?? '/', headers: req.headers });
    if (!verdict.ok) return refuse(res, guard.port, 403, `Forbidden: ${verdict.reason}. Open the URL that taskmgr-lab serve printed.`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, guard.port, 405, 'Method not allowed');
    if (verdict.pathname === WS_PATH) return refuse(res, guard.port, 426, 'Upgrade required');
    const file = await readStatic(options.rendererDir, verdict.pathname);
    if (!file) return refuse(res, guard.port, 404, 'Not found');
    const extra: Record<string, string> = { 'Content-Type': file.type, 'Content-Length': String(file.body.length) };
    if (verdict.setCookie) extra['Set-Cookie'] = tokenCookie(guard);
    res.writeHead(200, headers(guard.port, extra));
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = checkRequest(guard, { url: req.url ?? '/', headers: req.headers });
    if (!verdict.ok || verdict.pathname !== WS_PATH) {
      const reason = verdict.ok ? 'not the Lab endpoint' : verdict.reason;
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length + 1}\r\n\r\n${reason}\n`);
      return;
    }
    if (wss.clients.size >= maxConnections) {
      const reason = `too many connections (at most ${maxConnections})`;
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length + 1}\r\n\r\n${reason}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
  guard.port = address.port;

  return {
    port: guard.port,
    token,
    url: `http://${LOOPBACK}:${guard.port}/?token=${token}`,
    close: async () => {
      refusals.flush();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
