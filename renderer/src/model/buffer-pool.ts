/**
 * Buffers that go round between a scan worker and the page: the worker copies each
 * delta's columns into buffers from its pool, transfers them to the page, and the
 * page transfers them back once it has absorbed the delta (ScanIn `recycle`).
 *
 * Why: memory a process has not touched yet costs a page fault per 4 KB on first
 * write, and a 1M-event recording's columns are about 40 MB: fresh buffers for every
 * delta cost the worker about 0.2 s of faults. Recycled ones are already mapped.
 *
 * Sizes come in powers of two (at least 4 KB), so that a buffer fits any column of
 * its class; the pool keeps at most `limit` buffers.
 */
const MIN_BYTES = 4096;

export class BufferPool {
  private free = new Map<number, ArrayBuffer[]>();
  private count = 0;
  /** Buffers handed out that were recycled (the rest were new). */
  reused = 0;

  constructor(private readonly limit = 256) {}

  /** A buffer of at least `bytes` bytes: a recycled one of its size class, or a new one. */
  take = (bytes: number): ArrayBuffer => {
    const size = BufferPool.sizeClass(bytes);
    const list = this.free.get(size);
    const b = list?.pop();
    if (b) {
      this.count--;
      this.reused++;
      return b;
    }
    return new ArrayBuffer(size);
  };

  /** Takes buffers back (detached or odd-sized ones are dropped). */
  give(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) {
      if (this.count >= this.limit) return;
      const size = b.byteLength;
      if (size < MIN_BYTES || (size & (size - 1)) !== 0) continue;
      let list = this.free.get(size);
      if (!list) this.free.set(size, (list = []));
      list.push(b);
      this.count++;
    }
  }

  get size(): number {
    return this.count;
  }

  static sizeClass(bytes: number): number {
    let size = MIN_BYTES;
    while (size < bytes) size *= 2;
    return size;
  }
}
