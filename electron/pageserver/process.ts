/**
 * One pageserver process: from start (or restart) to exit or crash. It owns what
 * lives in the process's memory at the seed: `TENANTS` (tenant_mgr's map), the
 * Tenant and Timeline objects (also those that left the map but are still held by a
 * task, the `Arc`s of the Rust code), upload queues, WAL connections, failpoints and
 * the signal handler's state. The disk and remote storage belong to the Lab and
 * outlive it.
 *
 * Task bodies reach this state only through service calls (`pageserver.*`), with
 * JSON arguments naming objects by id, so that the same workloads can run in worker
 * processes. Procedures that are not task_mgr tasks (HTTP handlers, the signal
 * handler, tenant_mgr operations) run here as async code on the run's clock; they
 * have no task-locals, exactly as in neon.
 */
import { IS_SHUTDOWN_REQUESTED_OUTSIDE_TASK } from '../core/task-locals';
import { Panic } from '../core/errors';
import type { EventLog } from '../core/event-log';
import type { SpawnSpec } from '../core/executor';
import type { TaskManager } from '../core/task-manager';
import type { TaskRecord } from '../core/task-record';
import type { ShutdownFilter } from '../../shared/model';
import type { LogLevel, ProcessSignalEvent, UnstampedEvent } from '../../shared/trace/events';
import type { Actor } from './actor';
import type { ModelConfig } from './config';
import type { Disk } from './disk';
import { ModelError, messageOf } from './errors';
import { Failpoints } from './failpoints';
import { HttpServer } from './http-api';
import type { Linter } from './lints';
import { PageService } from './page-service';
import { registerServices } from './services';
import { httpListenerSpec, libpqListenerSpec } from './spawn-specs';
import { initTenantMgr, shutdownAllTenants } from './tenant-mgr';
import { WalReceivers } from './wal';
import type { RemoteStorage } from './remote-storage';
import type { RemoteTimelineClient } from './remote-timeline-client';
import type { Tenant } from './tenant';
import type { Timeline } from './timeline';

/** What the process needs from the Lab around it. */
export interface ProcessHost {
  readonly disk: Disk;
  readonly remote: RemoteStorage;
  readonly config: ModelConfig;
  now(): number;
  /** Runs `fn` at tick `at` on the run's clock. */
  at(tick: number, fn: () => void): void;
  /** How long a timed wait of the model lasts (the explorer's jitter); as asked without it. */
  jitter?(ticks: number, task: string | null, what: string): number;
  /** Ticks between two WAL messages (1 MiB each) the safekeeper sends for a timeline; 0: none. */
  walRate(tenant: string, timeline: string): number;
  /** Appends to the run's log (lints, storage changes). */
  emit(event: UnstampedEvent): void;
  /** The process ended (exit or crash). */
  processEnded(ps: Pageserver): void;
}

/**
 * A service of the model: args are JSON from a body (or a direct call), caller null
 * for untracked code. `any` because each service declares the JSON shape it reads.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ServiceHandler = (args: any, caller: TaskRecord | null) => unknown;

export type Signal = ProcessSignalEvent['signal'];

/** The exit status a shell reports for a process killed by SIGKILL. */
export const KILLED_EXIT_CODE = 137;

const never = <T>() => new Promise<T>(() => {});

export class Pageserver {
  /** tenant_mgr's `TENANTS`. */
  readonly tenants = new Map<string, Tenant>();
  /** Every Tenant/Timeline/client object of this process by object id (the Arcs tasks hold). */
  readonly tenantObjects = new Map<number, Tenant>();
  readonly timelineObjects = new Map<number, Timeline>();
  readonly clients = new Map<number, RemoteTimelineClient>();
  readonly failpoints = new Failpoints();
  readonly walReceivers: WalReceivers;
  readonly pageService: PageService;
  readonly http: HttpServer;
  /** The invariant checks of section 8.4 (set by the Lab). */
  lints: Linter | null = null;
  dead = false;
  exitCode: number | null = null;
  /** signal_hook's `term_now`: a TERM-class signal was received. */
  termNow = false;
  private nextObject = 1;
  private services = new Map<string, ServiceHandler>();
  private shutdownWaiters = new Map<number, Array<() => void>>();
  private exitWaiters = new Map<number, Array<() => void>>();
  private taskListeners: Array<(ev: 'exit', task: TaskRecord, outcome: string) => void> = [];

  constructor(
    readonly host: ProcessHost,
    /** 1 for the first process of the run, 2 after the first restart, ... */
    readonly number: number,
    readonly manager: TaskManager,
    readonly log: EventLog,
  ) {
    log.subscribe((e) => {
      if (e.ev === 'signal') {
        const task = manager.findRegistered(e.task);
        if (task) this.wakeShutdownWaiters(task.id);
      } else if (e.ev === 'exit' && e.outcome !== 'killed') {
        const task = manager.findRegistered(e.task);
        if (!task) return;
        this.shutdownWaiters.delete(task.id);
        const ws = this.exitWaiters.get(task.id) ?? [];
        this.exitWaiters.delete(task.id);
        for (const w of ws) w();
        for (const l of this.taskListeners) l('exit', task, e.outcome);
      }
    });
    manager.onProcessExit((code) => {
      this.dead = true;
      this.exitCode = code;
      host.processEnded(this);
    });
    this.walReceivers = new WalReceivers(this);
    this.pageService = new PageService(this);
    this.http = new HttpServer(this);
  }

  /**
   * `start_pageserver`: the services, `shutdown_all_tenants` as step 3 of the process
   * shutdown sequence, `init_tenant_mgr` (which spawns InitialLoad/Attach tasks and
   * does not wait for them), then the HTTP and libpq listeners.
   */
  start(): void {
    registerServices(this);
    this.manager.setShutdownAllTenants((caller, done) => {
      shutdownAllTenants(this, caller).then(done, (err) => {
        this.logLine('error', caller, `shutdown_all_tenants failed: ${messageOf(err)}`);
        done();
      });
    });
    initTenantMgr(this);
    this.spawn(httpListenerSpec(), null);
    this.spawn(libpqListenerSpec(), null);
  }

  walRate(tl: Timeline): number {
    return this.host.walRate(tl.tenant.id, tl.id);
  }

  get config(): ModelConfig {
    return this.host.config;
  }

  get disk(): Disk {
    return this.host.disk;
  }

  get remote(): RemoteStorage {
    return this.host.remote;
  }

  now(): number {
    return this.host.now();
  }

  newObjectId(): number {
    return this.nextObject++;
  }

  /** Seconds of the seed's clock in ticks. */
  seconds(s: number): number {
    return s * this.config.secondTicks;
  }

  // ---- events and logs ------------------------------------------------------------

  emit(event: UnstampedEvent): void {
    if (!this.dead) this.log.emit(event);
  }

  /** A tracing line; `who` is the task (or null for the main thread and HTTP handlers). */
  logLine(level: LogLevel, who: TaskRecord | string | null, message: string): void {
    this.emit({ ev: 'log', level, task: typeof who === 'string' ? who : (who?.label ?? null), message });
  }

  // ---- time --------------------------------------------------------------------------

  /**
   * Sleeps on the run's clock; never resolves if the process dies first. A timed wait
   * of the model: the explorer may jitter it (`what`, `task`: its words for it).
   */
  sleep(ticks: number, what = 'model work', task: string | null = null): Promise<void> {
    if (this.dead) return never();
    const t = this.host.jitter ? this.host.jitter(ticks, task, what) : ticks;
    return new Promise((resolve) => this.host.at(this.now() + t, () => (this.dead ? undefined : resolve())));
  }

  /**
   * Work done on behalf of `caller` (a remote operation, a download) taking `ticks`:
   * if the calling task ended meanwhile (an injected fault), the work's effect is
   * dropped as its future would have been.
   */
  async work(caller: TaskRecord | null, ticks: number, what = 'model work'): Promise<void> {
    await this.sleep(ticks, what, caller?.label ?? null);
    if (caller && !this.manager.registry.has(caller.id)) await never();
  }

  // ---- tasks ---------------------------------------------------------------------------

  spawn(spec: SpawnSpec, parent: TaskRecord | null): TaskRecord | null {
    if (this.dead) return null;
    return this.manager.spawnTask(spec, parent);
  }

  isRegistered(task: TaskRecord): boolean {
    return this.manager.registry.has(task.id);
  }

  /** `shutdown_tasks` from coordinator code (or on behalf of `caller`), awaited. */
  shutdownTasks(label: string, filter: ShutdownFilter, caller: TaskRecord | null): Promise<void> {
    if (this.dead) return never();
    return new Promise((resolve) => this.manager.shutdownTasks(label, filter, caller, resolve));
  }

  /** Resolves when `task` is asked to shut down (at once if it already was); never for untracked code. */
  untilShutdown(task: TaskRecord | null): Promise<'shutdown'> {
    if (!task) return never();
    if (task.shutdownRequested) return Promise.resolve('shutdown');
    return new Promise((resolve) => {
      const list = this.shutdownWaiters.get(task.id) ?? [];
      list.push(() => resolve('shutdown'));
      this.shutdownWaiters.set(task.id, list);
    });
  }

  private wakeShutdownWaiters(id: number): void {
    const ws = this.shutdownWaiters.get(id) ?? [];
    this.shutdownWaiters.delete(id);
    for (const w of ws) w();
  }

  /** Resolves when the task has exited (its body ended). */
  untilExit(task: TaskRecord): Promise<void> {
    if (!this.isRegistered(task)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.exitWaiters.get(task.id) ?? [];
      list.push(resolve);
      this.exitWaiters.set(task.id, list);
    });
  }

  onTaskExit(listener: (ev: 'exit', task: TaskRecord, outcome: string) => void): void {
    this.taskListeners.push(listener);
  }

  // ---- services ---------------------------------------------------------------------------

  /** Registers a `pageserver.*` service, callable by bodies and directly by coordinator code. */
  register(name: string, handler: ServiceHandler): void {
    this.services.set(name, handler);
    this.manager.registerService(name, (caller, args, reply) => {
      const fail = (err: unknown) => {
        if (err instanceof Panic) reply({ ok: true, value: { __panic: err.message } });
        else reply({ ok: false, error: messageOf(err) });
      };
      let result: unknown;
      try {
        result = handler(args ?? {}, caller);
      } catch (err) {
        fail(err);
        return;
      }
      if (result instanceof Promise) result.then((value) => reply({ ok: true, value: value ?? null }), fail);
      else reply({ ok: true, value: result ?? null });
    });
  }

  /** Calls a service from coordinator code (an HTTP handler): no caller, errors thrown as they are. */
  async call<T>(name: string, args: object, caller: TaskRecord | null = null): Promise<T> {
    const handler = this.services.get(name);
    if (!handler) throw new Error(`no service "${name}"`);
    return (await handler(args, caller)) as T;
  }

  /** An actor for untracked coordinator work (an HTTP handler doing a checkpoint). */
  untrackedActor(label: string): Actor {
    return {
      label,
      tracked: false,
      call: <T>(service: string, args: object) => this.call<T>(service, args, null),
      sleep: (ticks: number) => this.sleep(ticks),
      isShutdownRequested: () => {
        this.logLine('warn', label, IS_SHUTDOWN_REQUESTED_OUTSIDE_TASK);
        return false;
      },
      log: (level, message) => this.logLine(level, label, message),
    };
  }

  // ---- failpoints ---------------------------------------------------------------------------

  /** `fail_point!(name)`: what the point is configured to do happens here. */
  async failpoint(name: string, who: TaskRecord | string | null): Promise<void> {
    const fp = this.failpoints.evaluate(name);
    if (!fp) return;
    this.logLine('info', who, `failpoint ${name}: ${fp.action}${fp.action === 'sleep' ? ` ${fp.ticks ?? 0} ticks` : ''}`);
    switch (fp.action) {
      case 'sleep':
        await this.sleep(fp.ticks ?? 0);
        return;
      case 'pause':
        await this.failpoints.untilChanged(name);
        return;
      case 'return':
        throw new ModelError(`failpoint ${name}`);
      case 'panic':
        throw new Panic(`failpoint ${name}`);
      case 'crash':
        this.crash(`failpoint ${name}`);
        return never();
      case 'off':
        return;
    }
  }

  // ---- signals, exit, crash ---------------------------------------------------------------

  /**
   * A signal from outside (section 2.1): the first SIGINT/SIGTERM runs the graceful
   * shutdown with code 0 on the main thread, outside any task; SIGQUIT exits 111 at
   * once; any TERM-class signal after the first exits 1 at once (signal_hook).
   */
  signal(signal: Exclude<Signal, 'SIGKILL'>): void {
    if (this.dead) return;
    if (this.termNow) {
      this.emit({ ev: 'process_signal', signal, effect: 'exit' });
      this.logLine('info', null, `Got ${signal} again: exiting immediately`);
      this.manager.processExit(1);
      return;
    }
    this.termNow = true;
    if (signal === 'SIGQUIT') {
      this.emit({ ev: 'process_signal', signal, effect: 'exit' });
      this.logLine('info', null, 'Got SIGQUIT. Terminating in immediate shutdown mode');
      this.manager.processExit(111);
      return;
    }
    this.emit({ ev: 'process_signal', signal, effect: 'graceful_shutdown' });
    this.logLine('info', null, `Got ${signal}. Terminating gracefully in fast shutdown mode`);
    this.manager.shutdownPageserver(0, null);
  }

  /** kill -9 (or a `crash` failpoint): no shutdown runs, every task is gone, the disk stays as it is. */
  crash(cause: string | null = null): void {
    if (this.dead) return;
    this.emit({ ev: 'process_signal', signal: 'SIGKILL', effect: 'kill', cause });
    this.manager.processExit(KILLED_EXIT_CODE);
  }
}
