/**
 * The scan worker pool (renderer/src/model/scan-worker-pool.ts) with fake workers:
 * prestarted workers are warmed and handed out first, a finished one is reused, one
 * beyond the pool's size is ended, a worker that fails to load leaves the pool, and a
 * place where no worker can start leaves the pool empty.
 */
import { describe, expect, it } from 'vitest';
import { type PoolWorker, ScanWorkerPool } from '../../renderer/src/model/scan-worker-pool';

class FakeWorker implements PoolWorker {
  static made = 0;
  readonly n = ++FakeWorker.made;
  onmessage: ((m: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  posted: unknown[] = [];
  terminated = false;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('scan worker pool', () => {
  it('prestarts and warms `size` workers, hands them out first, and starts more only when none is idle', () => {
    const started: FakeWorker[] = [];
    const pool = new ScanWorkerPool(() => {
      const w = new FakeWorker();
      started.push(w);
      return w;
    }, 2);
    pool.prestart();
    expect(started.map((w) => w.posted)).toEqual([[{ type: 'warm' }], [{ type: 'warm' }]]);
    expect([pool.take(), pool.take()]).toEqual(started);
    const third = pool.take();
    expect(started).toHaveLength(3);
    expect(third.posted).toEqual([]); // started cold, for a part that cannot wait
  });

  it('takes a finished worker back (its handlers cleared) and ends one beyond its size', () => {
    const pool = new ScanWorkerPool(() => new FakeWorker(), 1);
    const [a, b] = [pool.take(), pool.take()];
    a.onmessage = () => undefined;
    pool.release(a);
    pool.release(b);
    expect([a.onmessage, a.terminated, b.terminated, pool.idleCount]).toEqual([null, false, true, 1]);
    expect(pool.take()).toBe(a);
  });

  it('drops a prestarted worker whose script fails to load, and ends it', () => {
    const started: FakeWorker[] = [];
    const pool = new ScanWorkerPool(() => {
      const w = new FakeWorker();
      started.push(w);
      return w;
    }, 2);
    pool.prestart();
    started[0].onerror?.({} as ErrorEvent);
    expect([pool.idleCount, started[0].terminated]).toEqual([1, true]);
    expect(pool.take()).toBe(started[1]);
  });

  it('stays empty where no worker can start', () => {
    const pool = new ScanWorkerPool<FakeWorker>(() => {
      throw new Error('workers are not allowed here');
    }, 2);
    pool.prestart();
    expect(pool.idleCount).toBe(0);
  });
});
