/**
 * The compute side of page_service (section 5.5): computes connect to the libpq
 * listener, which spawns one PageRequestHandler per accepted connection. A scenario
 * opens connections (`page_requests`); each says which tenant/timeline it reads,
 * pagestream or basebackup, and how many requests it sends.
 */
import { TaskKind } from '../../shared/model';
import type { Pageserver } from './process';

export interface PageConnection {
  id: number;
  tenant: string;
  timeline: string;
  mode: 'pagestream' | 'basebackup';
  requests: number;
  /** Ticks between two requests of a pagestream. */
  every: number;
}

export class PageService {
  private queue: PageConnection[] = [];
  private waiters: Array<(c: PageConnection) => void> = [];
  readonly connections = new Map<number, PageConnection>();
  private nextId = 1;

  constructor(private ps: Pageserver) {}

  /** Is a libpq listener registered to accept connections? */
  get listening(): boolean {
    for (const t of this.ps.manager.registry.values()) if (t.kind === TaskKind.LibpqEndpointListener && !t.shutdownRequested) return true;
    return false;
  }

  /** A compute connects; refused when nobody listens. */
  connect(spec: Omit<PageConnection, 'id'>): PageConnection | null {
    if (!this.listening) {
      this.ps.logLine('info', null, `compute connection to ${spec.tenant}/${spec.timeline} refused: the libpq listener is not running`);
      return null;
    }
    const c: PageConnection = { id: this.nextId++, ...spec };
    this.connections.set(c.id, c);
    const w = this.waiters.shift();
    if (w) w(c);
    else this.queue.push(c);
    return c;
  }

  /** `listener.accept()`. */
  accept(): Promise<PageConnection> {
    const c = this.queue.shift();
    if (c) return Promise.resolve(c);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
