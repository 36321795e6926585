/**
 * The four runtimes and their workers at the cursor: tasks alive on each worker
 * (from start/exit, so also in the simulator), tasks ever placed there, and in live
 * mode CPU and event-loop-delay series from `pool_stats` for the sparklines. Tasks
 * stay on the worker they were placed on (no work stealing), which these counts show.
 */
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { RUNTIME_NAMES, RUNTIME_THREAD_NAMES, type RuntimeName } from '../../../shared/model/runtime';
import type { PoolStatsEvent } from '../../../shared/trace/events';
import { LogIndex } from '../model/log-index';
import { useEventsStore } from './events';

/** Samples kept for a sparkline. */
export const SPARK_SAMPLES = 60;

export interface WorkerView {
  worker: number;
  pid: number | null;
  /** Tasks running on it at the cursor. */
  live: number;
  /** Tasks ever started on it up to the cursor. */
  placed: number;
  /** CPU use per sample interval, in percent of one core. */
  cpu: number[];
  /** Worst event-loop delay per sample, ms. */
  delay: number[];
}

export interface RuntimeView {
  runtime: RuntimeName;
  thread: string;
  workers: WorkerView[];
  live: number;
  placed: number;
}

export const usePoolsStore = defineStore('pools', () => {
  const events = useEventsStore();

  /** pool_stats events up to the cursor: live mode only. */
  const statsCount = computed(() => {
    void events.revision;
    return LogIndex.countBelow(events.log.index.poolStats, events.cursor);
  });
  const hasStats = computed(() => statsCount.value > 0);

  const runtimes = computed<RuntimeView[]>(() => {
    void events.revision;
    const log = events.log;
    const s = events.state;
    const byKey = new Map<string, WorkerView>();
    const get = (runtime: string, worker: number): WorkerView => {
      const k = `${runtime}:${worker}`;
      let w = byKey.get(k);
      if (!w) byKey.set(k, (w = { worker, pid: null, live: 0, placed: 0, cpu: [], delay: [] }));
      return w;
    };
    // Declared worker counts (sim: the scenario event), so idle workers show too.
    const declared = s.scenario?.workers ?? null;
    if (declared) for (const r of RUNTIME_NAMES) for (let i = 0; i < (declared[r] ?? 0); i++) get(r, i);
    for (const lane of log.index.lanes) {
      if (lane.worker < 0) continue;
      const placed = LogIndex.countBelow(lane.startIdx, events.cursor);
      if (placed > 0) get(lane.runtime, lane.worker).placed = placed;
    }
    for (const r of s.live.values()) if (r.worker !== null) get(r.runtime, r.worker).live++;
    // Sparklines from the last SPARK_SAMPLES pool_stats before the cursor.
    const idx = log.index.poolStats;
    const n = statsCount.value;
    const prev = new Map<string, { cpu: number; t: number }>();
    for (let i = Math.max(0, n - SPARK_SAMPLES - 1); i < n; i++) {
      const e = log.store.get(idx[i]) as PoolStatsEvent;
      if (!Array.isArray(e.workers)) continue;
      for (const ws of e.workers) {
        if (typeof ws?.runtime !== 'string' || typeof ws.worker !== 'number') continue;
        const w = get(ws.runtime, ws.worker);
        w.pid = typeof ws.pid === 'number' ? ws.pid : w.pid;
        const k = `${ws.runtime}:${ws.worker}`;
        const p = prev.get(k);
        if (p && e.t > p.t) {
          const wallMs = (e.t - p.t) * events.tickMs;
          w.cpu.push(Math.max(0, Math.min(100, ((ws.cpu_ms - p.cpu) / wallMs) * 100)));
          w.delay.push(Math.max(0, ws.loop_delay_ms));
        }
        prev.set(k, { cpu: ws.cpu_ms, t: e.t });
      }
    }
    return RUNTIME_NAMES.map((runtime) => {
      const workers = [...byKey.entries()]
        .filter(([k]) => k.startsWith(`${runtime}:`))
        .map(([, w]) => w)
        .sort((a, b) => a.worker - b.worker);
      return {
        runtime,
        thread: RUNTIME_THREAD_NAMES[runtime],
        workers,
        live: workers.reduce((a, w) => a + w.live, 0),
        placed: workers.reduce((a, w) => a + w.placed, 0),
      };
    });
  });

  return { hasStats, statsCount, runtimes };
});
