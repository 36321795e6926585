/**
 * The Lab API in the browser mode (`taskmgr-lab serve`): one WebSocket to
 * `ws://HOST/lab?token=TOKEN` (shared/protocol/ws.ts), numbered requests answered by
 * number, pushes in between. The token comes from the page's own URL.
 *
 * The connection comes back by itself (backoff from 250 ms to 5 s). Requests made
 * while it is down wait for it (up to `requestTimeoutMs`); requests in flight when it
 * drops are answered with an error, as data, never a throw. After a reconnect the
 * client pushes a fresh `status` so that the events store can catch up on what it
 * missed with an `events` request (see stores/lab.ts).
 */
import type { LabApi, LabPush, LabRequest, LabRequestType, LabResult } from '../../../shared/protocol/lab';
import { WS_PATH, type ServerFrame } from '../../../shared/protocol/ws';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The WebSocket constructor (injectable for tests). */
export type SocketFactory = (url: string) => WebSocket;

export interface WsLabOptions {
  socket?: SocketFactory;
  requestTimeoutMs?: number;
  /** Backoff bounds of reconnecting. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** ws://host/lab?token=... for a page served at http://host/?token=... */
export function labSocketUrl(loc: Pick<Location, 'protocol' | 'host' | 'search'>): string | null {
  const token = new URLSearchParams(loc.search).get('token');
  if (!token) return null;
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}${WS_PATH}?token=${encodeURIComponent(token)}`;
}

interface Pending {
  resolve: (r: LabResult<LabRequestType>) => void;
  timer: ReturnType<typeof setTimeout>;
  sent: boolean;
  frame: string;
}

export class WsLab implements LabApi {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(p: LabPush) => void>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private delay: number;
  private closedForGood = false;
  private everOpened = false;
  state: ConnectionState = 'connecting';

  constructor(
    private readonly url: string,
    private readonly opts: WsLabOptions = {},
  ) {
    this.delay = opts.minDelayMs ?? 250;
    this.connect();
  }

  request<T extends LabRequestType>(req: Extract<LabRequest, { type: T }>): Promise<LabResult<T>> {
    const id = this.nextId++;
    const frame = JSON.stringify({ id, req });
    return new Promise<LabResult<T>>((resolve) => {
      const timer = setTimeout(() => this.settle(id, { ok: false, error: `no answer to "${req.type}" (connection ${this.state})` }), this.opts.requestTimeoutMs ?? 30_000);
      this.pending.set(id, { resolve: resolve as (r: LabResult<LabRequestType>) => void, timer, sent: false, frame });
      this.flush();
    });
  }

  subscribe(listener: (push: LabPush) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.closedForGood = true;
    this.ws?.close();
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  private connect(): void {
    if (this.closedForGood) return;
    this.setState('connecting');
    let ws: WebSocket;
    try {
      ws = (this.opts.socket ?? ((u) => new WebSocket(u)))(this.url);
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.delay = this.opts.minDelayMs ?? 250;
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.setState('open');
      this.flush();
      if (reconnected) void this.pushFreshStatus();
    };
    ws.onmessage = (m: MessageEvent) => this.receive(m.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      // Requests already sent will never be answered by this connection.
      for (const [id, p] of this.pending) if (p.sent) this.settle(id, { ok: false, error: 'connection to the Lab lost' });
      this.setState('closed');
      this.retry();
    };
    ws.onerror = () => {
      /* onclose follows */
    };
  }

  private retry(): void {
    if (this.closedForGood) return;
    const d = this.delay;
    this.delay = Math.min(this.delay * 2, this.opts.maxDelayMs ?? 5000);
    setTimeout(() => this.connect(), d);
  }

  private async pushFreshStatus(): Promise<void> {
    const r = await this.request({ type: 'status' });
    if (r.ok) this.emit({ type: 'status', status: r.value });
  }

  private flush(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1 /* OPEN */) return;
    for (const p of this.pending.values()) {
      if (p.sent) continue;
      ws.send(p.frame);
      p.sent = true;
    }
  }

  private settle(id: number, result: LabResult<LabRequestType>): void {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.resolve(result);
  }

  private emit(push: LabPush): void {
    for (const l of this.listeners) {
      try {
        l(push);
      } catch (err) {
        console.error('lab push listener failed', err);
      }
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      console.warn('lab: a frame that is not JSON was ignored');
      return;
    }
    if (frame === null || typeof frame !== 'object') return;
    if ('push' in frame && frame.push && typeof frame.push === 'object') {
      this.emit(frame.push);
    } else if ('id' in frame && typeof frame.id === 'number' && 'result' in frame) {
      const r = frame.result as LabResult<LabRequestType> | undefined;
      this.settle(frame.id, r && typeof r === 'object' && typeof r.ok === 'boolean' ? r : { ok: false, error: 'malformed answer from the Lab' });
    }
  }
}
