/**
 * A synthetic but well-formed trace of any length, for the renderer's reducer tests
 * (random interleavings of every event type) and the UI benchmark (a 1M-event
 * recording without waiting for a simulator run). Pure TypeScript, seeded: the same
 * options give the same trace.
 *
 * What it models, in the order the coordinator would log it: spawn (+ start, + the
 * "Starting task" line), awaits and log lines of running tasks, re-association,
 * injected panics, tasks ending by themselves, shutdown_tasks calls for a tenant that
 * signal the matching tasks and join them one by one (some victims never look at the
 * signal, so their call stays stuck on them), pool_stats samples, and a final `end`.
 */
import type { TraceEvent } from '../../shared/trace/events';
import { RUNTIME_NAMES, type RuntimeName } from '../../shared/model/runtime';
import { TASK_KINDS, type TaskKind } from '../../shared/model/task-kind';

export interface SynthOptions {
  events: number;
  seed?: number;
  /** Tasks alive at once (about). */
  concurrency?: number;
  workersPerRuntime?: number;
  tenants?: number;
  tickMs?: number;
  /** Emit pool_stats every this many ticks (0: never, as in the simulator). */
  poolStatsEvery?: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Live {
  name: string;
  kind: TaskKind;
  runtime: RuntimeName;
  tenant: string | null;
  timeline: string | null;
  signalled: boolean;
  /** Never observes the signal (a hung victim). */
  deaf: boolean;
  worker: number;
}

interface Call {
  label: string;
  victims: string[];
  queue: string[];
  waited: string[];
  current: string | null;
}

const AWAITS = [
  'shutdown_watcher()',
  'select! { shutdown_watcher(), sleep 1000 ticks }',
  'sleep 4 ticks, then poll is_shutdown_requested()',
  'blocking code for 3 ticks (holds the worker thread)',
  'sleep 8 ticks (ignores shutdown)',
  'remote storage upload',
  'layer flush',
];

export function synthTrace(opts: SynthOptions): TraceEvent[] {
  const rnd = mulberry32(opts.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const concurrency = opts.concurrency ?? 200;
  const workers = opts.workersPerRuntime ?? 4;
  const tenants = opts.tenants ?? 8;
  const statsEvery = opts.poolStatsEvery ?? 0;
  const out: TraceEvent[] = [];
  let t = 0;
  let nextId = 1;
  let callNo = 0;
  let nextStats = statsEvery;
  const cpu = new Map<string, number>();
  const live = new Map<string, Live>();
  const liveNames: string[] = [];
  let active: Call | null = null;
  const pending: string[] = [];
  const emit = (e: TraceEvent): void => {
    out.push(e);
  };
  const removeLive = (name: string): void => {
    live.delete(name);
    const i = liveNames.indexOf(name);
    if (i >= 0) {
      liveNames[i] = liveNames[liveNames.length - 1];
      liveNames.pop();
    }
  };
  const exit = (l: Live, outcome: 'ok' | 'error' | 'panic', message: string | null): void => {
    emit({ t, ev: 'exit', task: l.name, outcome, message });
    emit({ t, ev: 'log', level: outcome === 'ok' ? 'debug' : 'error', task: l.name, message: outcome === 'ok' ? `Task '${l.name}' exited normally` : `Task '${l.name}' ${outcome === 'panic' ? 'panicked' : 'exited with error'}: ${message}` });
    removeLive(l.name);
  };

  emit({ t, ev: 'scenario', name: `synthetic-${opts.events}`, tick_ms: opts.tickMs ?? 10, mode: 'sim', seed: opts.seed ?? 1, policy: 'fifo' });
  const budget = opts.events - 1;
  while (out.length < budget) {
    if (rnd() < 0.05) t += 1;
    if (statsEvery > 0 && t >= nextStats) {
      nextStats = t + statsEvery;
      emit({
        t,
        ev: 'pool_stats',
        workers: RUNTIME_NAMES.flatMap((runtime) =>
          Array.from({ length: workers }, (_, worker) => {
            const k = `${runtime}:${worker}`;
            const c = (cpu.get(k) ?? 0) + Math.floor(rnd() * statsEvery * (opts.tickMs ?? 10) * 0.6);
            cpu.set(k, c);
            const tasks = [...live.values()].filter((l) => l.runtime === runtime && l.worker === worker).length;
            return { runtime, worker, pid: 1000 + RUNTIME_NAMES.indexOf(runtime) * 100 + worker, cpu_ms: c, loop_delay_ms: Math.round(rnd() * 30) / 10, tasks, placed: tasks };
          }),
        ),
      });
      continue;
    }
    const r = rnd();
    if (active !== null) {
      // The wait phase of the current call: join the current victim, then the next.
      const cur = active.current !== null ? live.get(active.current) : undefined;
      if (cur && cur.deaf) {
        pending.push(active.label);
        active = null; // stuck on a task that never looks: leave the call pending
        continue;
      }
      if (cur && r < 0.5) {
        emit({ t, ev: 'observe', task: cur.name, via: rnd() < 0.5 ? 'watcher' : 'poll' });
        exit(cur, 'ok', null);
        continue;
      }
      if (!cur && r < 0.5) {
        const next = active.queue.shift();
        if (next === undefined) {
          emit({ t, ev: 'shutdown_end', label: active.label, victims: [...active.victims].sort(), waited: [...active.waited].sort() });
          active = null;
        } else {
          active.current = next;
          emit({ t, ev: 'log', level: 'info', task: null, message: `waiting for ${next} to shut down` });
          const alive = live.has(next);
          emit({ t, ev: 'shutdown_wait', label: active.label, task: next, took_handle: alive });
          if (alive) active.waited.push(next);
          else active.current = null;
        }
        continue;
      }
    }
    if (liveNames.length < concurrency && r < 0.3) {
      const id = nextId++;
      const kind = pick(TASK_KINDS);
      const runtime = pick(RUNTIME_NAMES);
      const tenant = rnd() < 0.8 ? `t${1 + Math.floor(rnd() * tenants)}` : null;
      const timeline = tenant !== null && rnd() < 0.5 ? `l${1 + Math.floor(rnd() * 3)}` : null;
      const name = `${kind.toLowerCase()} ${id}`;
      const parent = liveNames.length > 0 && rnd() < 0.2 ? pick(liveNames) : null;
      const worker = Math.floor(rnd() * workers);
      const l: Live = { name, kind, runtime, tenant, timeline, signalled: false, deaf: rnd() < 0.002, worker };
      emit({ t, ev: 'spawn', task: name, id, kind, runtime, tenant, timeline, parent, name, shutdown_process_on_error: false });
      emit({ t, ev: 'start', task: name, runtime, worker });
      emit({ t, ev: 'log', level: 'debug', task: name, message: `Starting task '${name}'` });
      emit({ t, ev: 'await', task: name, what: pick(AWAITS) });
      live.set(name, l);
      liveNames.push(name);
      continue;
    }
    if (liveNames.length === 0) continue;
    const l = live.get(pick(liveNames))!;
    if (r < 0.75) {
      emit({ t, ev: 'await', task: l.name, what: pick(AWAITS) });
    } else if (r < 0.85) {
      emit({ t, ev: 'log', level: pick(['debug', 'info', 'info', 'warn'] as const), task: l.name, message: `did some work for ${l.tenant ?? 'no tenant'}` });
    } else if (r < 0.95) {
      if (!l.signalled) {
        const outcome = rnd() < 0.9 ? 'ok' : 'error';
        exit(l, outcome, outcome === 'ok' ? null : 'remote storage said no');
      }
    } else if (r < 0.96) {
      emit({ t, ev: 'inject', task: l.name, fault: 'panic', applied: true, message: 'injected panic' });
      if (active?.current === l.name) active.current = null;
      exit(l, 'panic', 'injected panic');
    } else if (r < 0.97) {
      const tenant = `t${1 + Math.floor(rnd() * tenants)}`;
      l.tenant = tenant;
      emit({ t, ev: 'associate', task: l.name, tenant, timeline: l.timeline });
    } else if (r < 0.975 && active === null && liveNames.length > concurrency / 2) {
      const tenant = l.tenant ?? 't1';
      const label = `detach ${tenant} #${++callNo}`;
      emit({ t, ev: 'shutdown_begin', label, kind: null, tenant, timeline: null, caller: null });
      const victims = liveNames.map((n) => live.get(n)!).filter((v) => v.tenant === tenant && !v.signalled);
      for (const v of victims) {
        v.signalled = true;
        emit({ t, ev: 'signal', task: v.name, by: label });
      }
      const names = victims.map((v) => v.name);
      active = { label, victims: names, queue: [...names], waited: [], current: null };
    }
  }
  // A step can emit several events: cut to the exact length (the end event is the last).
  out.length = Math.min(out.length, budget);
  emit({ t: t + 1, ev: 'end', registry: [...liveNames].sort(), pending: [...pending, ...(active ? [active.label] : [])].sort() });
  return out;
}

/** The trace as a JSONL recording (one event per line). */
export function toJsonl(events: readonly TraceEvent[]): string {
  let s = '';
  for (const e of events) s += `${JSON.stringify(e)}\n`;
  return s;
}
