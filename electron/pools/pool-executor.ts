/**
 * The live executor (DESIGN.md section 4.1): task bodies run in the worker
 * processes of four runtime pools. One `PoolExecutor` is one run: one coordinator
 * (TaskManager) and its registry, attached to a `WorkerPools` that owns the
 * processes. It places each task on the least-loaded worker of its runtime (the
 * task stays there: no work stealing), forwards the coordinator's start, signal,
 * fault and call-done to that worker, and the worker's requests and events to the
 * coordinator. Messages are batched by the pools' outboxes.
 *
 * A message about a task from a worker that does not run it is rejected like a
 * malformed one: an `error` event, and the run goes on. A worker crash ends the
 * run as a crash of the simulated process (`TaskManager.processCrash`).
 */
import type { FaultKind } from '../../shared/model';
import type { WireStartRequest } from '../../shared/protocol/worker';
import type { ProcessCrashEvent, UnstampedEvent } from '../../shared/trace/events';
import type { TaskTemplate } from '../../shared/scenario/types';
import type { Executor, ServiceResult, StartRequest, TaskHost } from '../core/executor';
import { DEFAULT_MAX_STEPS, workLimitMessage } from '../core/work-limit';
import { epochNow } from './epoch';
import type { PoolWorker, WorkerStats } from './pool-worker';
import type { CrashInfo, PoolClient, RunMessage, WorkerPools } from './worker-pools';

/** The coordinator as the live executor needs it: a TaskHost that can also crash. */
export interface PoolHost extends TaskHost {
  processCrash(code: number, crash: Omit<ProcessCrashEvent, 't' | 'ev'>): void;
}

/** Where the executor's own events go (`pool_stats`, `error`): the run's EventLog. */
export interface EventSink {
  emit(event: UnstampedEvent): unknown;
}

export interface PoolExecutorOptions {
  /** The scenario's templates: workers resolve `template` bodies from them. */
  templates?: Record<string, TaskTemplate>;
  /** A module exporting `workloads: Record<string, Workload>`, loaded by each worker (absolute path). */
  workloadsModule?: string;
  tickMs: number;
  /**
   * The coordinator's logical time, epoch ms: when the cause of what it sends now
   * happened (a step's due tick while the driver runs it; the wall clock otherwise).
   * Workers count a task's sleeps from it. Default: the wall clock.
   */
  now?: () => number;
  /** The bound of the run's work: messages from the workers, at most (../core/work-limit.ts). */
  maxSteps?: number;
}

export class PoolExecutor implements Executor, PoolClient {
  readonly run: number;
  /** Problems of the run itself (malformed or misdirected worker messages). */
  readonly problems: string[] = [];
  private placement = new Map<number, PoolWorker>();
  private host: PoolHost | null = null;
  private events: EventSink | null = null;
  private closed = false;
  private closeListeners: Array<() => void> = [];
  /** The run's time zero on the workers' clock (epoch ms); `at` in messages counts from it. */
  private readonly t0 = epochNow();
  private readonly now: () => number;
  private readonly maxSteps: number;
  /** Messages received so far: the run's work, bounded by `maxSteps`. */
  private steps = 0;

  constructor(
    readonly pools: WorkerPools,
    options: PoolExecutorOptions,
  ) {
    this.run = pools.newRun();
    this.now = options.now ?? epochNow;
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    pools.attach(this);
    pools.broadcast({
      t: 'load',
      run: this.run,
      tick_ms: options.tickMs,
      t0: this.t0,
      templates: options.templates ?? {},
      workloads_module: options.workloadsModule ?? null,
    });
  }

  connect(host: PoolHost, events: EventSink): void {
    this.host = host;
    this.events = events;
  }

  private get th(): PoolHost {
    if (!this.host) throw new Error('PoolExecutor is not connected to a TaskHost');
    return this.host;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The worker a task was placed on, while it runs. */
  workerOf(id: number): PoolWorker | undefined {
    return this.placement.get(id);
  }

  // ---- Executor ----------------------------------------------------------------------

  start(task: StartRequest): void {
    if (this.closed) return;
    const w = this.pools.place(task.runtime);
    w.tasks++;
    w.placed++;
    this.placement.set(task.id, w);
    const wire: WireStartRequest = { id: task.id, label: task.label, kind: task.kind, body: task.body };
    if (task.name !== task.label) wire.name = task.name;
    w.send({ t: 'start', run: this.run, task: wire, at: this.at() });
  }

  signal(id: number): void {
    if (!this.closed) this.placement.get(id)?.send({ t: 'signal', run: this.run, id, at: this.at() });
  }

  inject(id: number, fault: FaultKind, message: string): void {
    if (!this.closed) this.placement.get(id)?.send({ t: 'inject', run: this.run, id, fault, message, at: this.at() });
  }

  callDone(callerId: number, callId: number, result?: ServiceResult): void {
    if (this.closed) return;
    const w = this.placement.get(callerId);
    if (!w) return;
    if (result === undefined) w.send({ t: 'call_done', run: this.run, id: callerId, call: callId, at: this.at() });
    else w.send({ t: 'call_done', run: this.run, id: callerId, call: callId, result, at: this.at() });
  }

  /** Now, in ms after the run's t0 (to 10 µs: it travels in every message that starts or wakes a task). */
  private at(): number {
    return Math.round((this.now() - this.t0) * 100) / 100;
  }

  /**
   * The simulated process ended (exit or crash): one PoolExecutor serves one process
   * lifetime, so its tasks end on the workers as its run closes.
   */
  endProcess(): void {
    this.close();
  }

  /** Ends the run on the workers (end of the scenario, process exit, crash, pools stopped); idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.placement.values()) w.tasks--;
    this.placement.clear();
    this.pools.detach(this.run);
    this.pools.broadcast({ t: 'kill', run: this.run });
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const l of listeners) l();
  }

  /** Called once when the run is closed, whatever closed it. */
  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  // ---- PoolClient ----------------------------------------------------------------------

  receive(w: PoolWorker, m: RunMessage): void {
    if (this.closed) return;
    if (++this.steps > this.maxSteps) {
      // The run has done all the work it may: it ends here, saying why.
      this.problem(workLimitMessage(this.maxSteps));
      this.close();
      return;
    }
    const id = m.t === 'spawn' ? m.parent : m.id;
    if (this.placement.get(id) !== w) {
      this.problem(`pool worker ${w.name} (pid ${w.pid}) sent "${m.t}" for task ${id}, which it does not run`);
      return;
    }
    switch (m.t) {
      case 'started':
        this.th.started(id, { worker: w.index, pid: w.pid ?? undefined });
        return;
      case 'exited':
        this.placement.delete(id);
        w.tasks--;
        this.th.exited(id, m.outcome, m.message ?? null);
        return;
      case 'spawn':
        this.th.spawnFrom(id, m.spec);
        return;
      case 'associate':
        this.th.associate(id, m.tenant, m.timeline);
        return;
      case 'shutdown_tasks':
        this.th.shutdownTasksFrom(id, m.call, m.label, m.filter);
        return;
      case 'service':
        this.th.serviceCall(id, m.call, m.service, m.args);
        return;
      case 'event':
        this.th.bodyEvent(id, m.event);
        return;
    }
  }

  problem(message: string): void {
    this.problems.push(message);
    this.events?.emit({ ev: 'error', message, source: 'pools' });
  }

  crashed(crash: CrashInfo): void {
    if (this.closed) return;
    const { code, ...event } = crash;
    this.th.processCrash(code, event);
    this.close();
  }

  poolsStopped(): void {
    if (this.closed) return;
    this.events?.emit({ ev: 'log', level: 'warn', task: null, message: 'the worker pools were stopped while the run was going on' });
    this.close();
  }

  poolStats(workers: WorkerStats[]): void {
    if (!this.closed) this.events?.emit({ ev: 'pool_stats', workers });
  }
}
