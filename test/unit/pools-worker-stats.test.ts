/**
 * What a pool worker's figures in `pool_stats` say: the worst event-loop delay the
 * worker reported since the last snapshot (a stall is reported once, after it, and
 * the next report must not hide it), or its last one when nothing came in between.
 */
import { describe, expect, it } from 'vitest';
import type { WorkerChannel } from '../../electron/pools/launcher';
import { PoolWorker } from '../../electron/pools/pool-worker';

const channel: WorkerChannel = { pid: 42, postMessage: () => {}, onMessage: () => {}, onExit: () => {}, kill: () => {} };

describe('pool worker statistics', () => {
  it('a snapshot shows the worst delay since the last one, then the last delay again', () => {
    const w = new PoolWorker('background', 0, channel, { batching: true, cap: 256 });
    w.noteStats(10, 2);
    expect(w.stats()).toMatchObject({ cpu_ms: 10, loop_delay_ms: 2 });
    // A 600 ms stall, then a quiet report before the coordinator's next snapshot.
    w.noteStats(20, 590);
    w.noteStats(25, 1);
    expect(w.stats()).toMatchObject({ cpu_ms: 25, loop_delay_ms: 590 });
    // Nothing reported since: the last figure stands.
    expect(w.stats()).toMatchObject({ cpu_ms: 25, loop_delay_ms: 1 });
  });
});
