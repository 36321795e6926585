/**
 * The coordinator: a port of the seed's `task_mgr.rs`. It owns the registry
 * (`TASKS`), hands out ids from 1 (`NEXT_TASK_ID`), and makes every decision the
 * seed makes: `spawn`, `associate_with`, `shutdown_tasks`, `task_finish` and the
 * escalation of a failing `shutdown_process_on_error` task to the process shutdown
 * sequence. Bodies run elsewhere, behind the executor seam; this class only hears
 * that a task started, asked for something, or ended.
 *
 * Every state change is appended to the event log. The flaws of the seed are kept:
 * the snapshot in `shutdown_tasks`, join handles taken by the first waiter, no
 * timeouts, panics only logged.
 */
import { type FaultKind, RUNTIME_THREAD_NAMES, type RuntimeName, type ShutdownFilter, type TaskKind } from '../../shared/model';
import type { EventLog } from './event-log';
import type { BodyEvent, Executor, Placement, ServiceResult, SpawnSpec, TaskHost } from './executor';
import { JoinHandle } from './join-handle';
import { runShutdownSequence, type SequenceHost } from './process-shutdown';
import { type CallHost, ShutdownCall } from './shutdown-call';
import type { TaskRecord } from './task-record';

export interface TaskManagerOptions {
  /** The order in which a call joins its victims (the seed's HashMap order); id order by default. */
  victimOrder?: (victims: TaskRecord[]) => TaskRecord[];
  /**
   * Appended to every task and call label of this process (e.g. " @2" for the second
   * process lifetime of a pageserver run), so that labels stay unique in a log that
   * spans restarts.
   */
  labelSuffix?: string;
  /** `tenant_mgr::shutdown_all_tenants()`, when a tenant model is present. */
  shutdownAllTenants?: (caller: TaskRecord | null, done: () => void) => void;
}

/** A coordinator service: answers a task's call now or later through `reply`. */
export type ServiceHandler = (caller: TaskRecord, args: unknown, reply: (result: ServiceResult) => void) => void;

const byLabel = (tasks: Iterable<TaskRecord>) => [...tasks].map((t) => t.label).sort();
const fmtOpt = (v: string | null) => (v === null ? 'None' : `Some(${v})`);

export class TaskManager implements TaskHost, CallHost {
  /** `TASKS`: insertion order is id order. */
  readonly registry = new Map<number, TaskRecord>();
  readonly calls: ShutdownCall[] = [];
  /** The calls a task awaits from its body; its end abandons them (FORMAT.md note 5). */
  private awaitedBy = new Map<TaskRecord, Set<ShutdownCall>>();
  private nextTaskId = 1;
  private nextCallId = 1;
  private labels = new Map<string, number>();
  /** Names asked for as labels so far; a repeat gets `#id` (ids are unique, so that label is too). */
  private wantedLabels = new Set<string>();
  private exitCode: number | null = null;
  private exitListeners: Array<(code: number) => void> = [];
  private executor: Executor | null = null;
  private services = new Map<string, ServiceHandler>();

  constructor(
    readonly log: EventLog,
    private options: TaskManagerOptions = {},
  ) {}

  attach(executor: Executor): void {
    this.executor = executor;
  }

  private get exec(): Executor {
    if (!this.executor) throw new Error('TaskManager has no executor attached');
    return this.executor;
  }

  get isExited(): boolean {
    return this.exitCode !== null;
  }

  get processExitCode(): number | null {
    return this.exitCode;
  }

  onProcessExit(listener: (code: number) => void): void {
    this.exitListeners.push(listener);
  }

  setShutdownAllTenants(fn: TaskManagerOptions['shutdownAllTenants']): void {
    this.options.shutdownAllTenants = fn;
  }

  // ---- spawn --------------------------------------------------------------------

  /**
   * `task_mgr::spawn`: registers the task before its body can run, then hands it to
   * the executor. The seed stores the join handle right after `runtime.spawn`; here
   * that is the same synchronous turn, so no call can find the handle missing.
   */
  spawn(spec: SpawnSpec, parent: TaskRecord | null = null): number {
    return this.spawnTask(spec, parent)?.id ?? 0;
  }

  /** `spawn`, returning the record (null once the process has exited): it may have exited already. */
  spawnTask(spec: SpawnSpec, parent: TaskRecord | null = null): TaskRecord | null {
    if (this.isExited) return null;
    const id = this.nextTaskId++;
    const label = this.uniqueTaskLabel(spec.label ?? spec.name, id);
    const completion = new JoinHandle();
    const task: TaskRecord = {
      id,
      label,
      name: spec.name,
      kind: spec.kind,
      runtime: spec.runtime,
      tenant: spec.tenant,
      timeline: spec.timeline,
      parent: parent?.label ?? null,
      shutdownProcessOnError: spec.shutdownProcessOnError,
      body: spec.body,
      shutdownRequested: false,
      joinHandle: null,
      completion,
      started: false,
      worker: null,
    };
    this.registry.set(id, task);
    this.log.emit({
      ev: 'spawn',
      task: label,
      id,
      kind: task.kind,
      runtime: task.runtime,
      tenant: task.tenant,
      timeline: task.timeline,
      parent: task.parent,
      name: task.name,
      shutdown_process_on_error: task.shutdownProcessOnError,
    });
    // The record has every field of a StartRequest; executors only read it.
    this.exec.start(task);
    task.joinHandle = completion;
    return task;
  }

  private uniqueTaskLabel(wanted: string, id: number): string {
    // Only the wanted names are remembered: hashing every generated label cost a tenth
    // of the coordinator's time per task in live runs.
    const repeat = this.wantedLabels.has(wanted);
    if (!repeat) this.wantedLabels.add(wanted);
    return (repeat ? `${wanted}#${id}` : wanted) + (this.options.labelSuffix ?? '');
  }

  spawnFrom(parentId: number, spec: SpawnSpec): number {
    return this.spawn(spec, this.registry.get(parentId) ?? null);
  }

  started(id: number, placement: Placement): void {
    const task = this.registry.get(id);
    if (!task || this.isExited) return;
    task.started = true;
    task.worker = placement.worker;
    const start: Parameters<EventLog['emit']>[0] & { pid?: number } = { ev: 'start', task: task.label, runtime: task.runtime, worker: placement.worker };
    if (placement.pid !== undefined) start.pid = placement.pid;
    this.log.emit(start);
    if (this.log.wants('debug')) this.log.emit({ ev: 'log', level: 'debug', task: task.label, message: `Starting task '${task.name}'` });
  }

  // ---- task-locals and queries ----------------------------------------------------

  /** `associate_with`: overwrites both fields of the task's mutable state. */
  associate(id: number, tenant: string | null, timeline: string | null): void {
    const task = this.registry.get(id);
    if (!task || this.isExited) return;
    task.tenant = tenant;
    task.timeline = timeline;
    this.log.emit({ ev: 'associate', task: task.label, tenant, timeline });
  }

  bodyEvent(id: number, event: BodyEvent): void {
    const task = this.registry.get(id);
    if (!task || this.isExited) return;
    // Body events are fresh objects from the executor: tag them in place rather than copy.
    (event as { task?: string }).task = task.label;
    this.log.emit(event as Parameters<EventLog['emit']>[0]);
  }

  /** The registered task with this trace name, if it is still registered. */
  findRegistered(label: string): TaskRecord | undefined {
    for (const t of this.registry.values()) if (t.label === label) return t;
    return undefined;
  }

  // ---- services ------------------------------------------------------------------

  /** Makes a service callable from bodies through `TaskContext.service(name, args)`. */
  registerService(name: string, handler: ServiceHandler): void {
    this.services.set(name, handler);
  }

  serviceCall(callerId: number, callId: number, service: string, args: unknown): void {
    const caller = this.registry.get(callerId);
    if (!caller || this.isExited) return;
    const handler = this.services.get(service);
    let replied = false;
    const reply = (result: ServiceResult) => {
      if (replied || this.isExited) return;
      replied = true;
      this.exec.callDone(callerId, callId, result);
    };
    if (!handler) {
      reply({ ok: false, error: `no service "${service}"` });
      return;
    }
    try {
      handler(caller, args, reply);
    } catch (err) {
      reply({ ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  // ---- shutdown_tasks -----------------------------------------------------------

  /** The seed's filter: None is a wildcard, a value matches only an equal current value. */
  matching(filter: ShutdownFilter): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const t of this.registry.values()) {
      if (
        (filter.kind === null || t.kind === filter.kind) &&
        (filter.tenant === null || t.tenant === filter.tenant) &&
        (filter.timeline === null || t.timeline === filter.timeline)
      ) {
        out.push(t);
      }
    }
    return out;
  }

  /**
   * Starts `shutdown_tasks(kind, tenant, timeline)`. The signal phase happens now;
   * `done` runs when the call returns (never, if a victim never exits).
   */
  shutdownTasks(label: string, filter: ShutdownFilter, caller: TaskRecord | null, done?: () => void): ShutdownCall {
    const unique = this.uniqueCallLabel(label);
    const call = new ShutdownCall(this.nextCallId++, unique, filter, caller, this);
    this.calls.push(call);
    if (done) call.onDone(done);
    if (this.isExited) return call;
    this.log.emit({
      ev: 'shutdown_begin',
      label: unique,
      kind: filter.kind,
      tenant: filter.tenant,
      timeline: filter.timeline,
      caller: caller?.label ?? null,
    });
    call.begin(this.options.victimOrder ?? ((v) => v));
    return call;
  }

  shutdownTasksFrom(callerId: number, callId: number, label: string, filter: ShutdownFilter): void {
    const caller = this.registry.get(callerId) ?? null;
    const call = this.shutdownTasks(label, filter, caller, () => this.exec.callDone(callerId, callId));
    if (!caller || call.state !== 'waiting') return;
    let awaited = this.awaitedBy.get(caller);
    if (!awaited) this.awaitedBy.set(caller, (awaited = new Set()));
    awaited.add(call);
    call.onDone(() => awaited.delete(call));
  }

  private uniqueCallLabel(label: string): string {
    const n = (this.labels.get(label) ?? 0) + 1;
    this.labels.set(label, n);
    return (n === 1 ? label : `${label}#${n}`) + (this.options.labelSuffix ?? '');
  }

  /** `send_replace(true)`: level-triggered and idempotent; one `signal` per victim and call. */
  signal(task: TaskRecord, call: ShutdownCall): void {
    task.shutdownRequested = true;
    this.log.emit({ ev: 'signal', task: task.label, by: call.label });
    this.exec.signal(task.id);
  }

  waitingFor(call: ShutdownCall, task: TaskRecord, tookHandle: boolean): void {
    this.log.emit({ ev: 'log', level: 'info', task: call.caller?.label ?? null, message: `waiting for ${task.name} to shut down` });
    this.log.emit({ ev: 'shutdown_wait', label: call.label, task: task.label, took_handle: tookHandle });
  }

  ended(call: ShutdownCall): void {
    this.log.emit({ ev: 'shutdown_end', label: call.label, victims: byLabel(call.victims), waited: byLabel(call.waited) });
  }

  abandoned(call: ShutdownCall): void {
    this.log.emit({ ev: 'shutdown_abandoned', label: call.label, caller: call.caller?.label ?? null });
  }

  /** Calls that have begun and not returned (abandoned ones never will). */
  pendingCalls(): ShutdownCall[] {
    return this.calls.filter((c) => c.state !== 'done');
  }

  // ---- task_finish ---------------------------------------------------------------

  /**
   * `task_finish`: the task leaves the registry, its outcome is logged, and a
   * `shutdown_process_on_error` task that failed runs `shutdown_pageserver(1)` from
   * its own context, after leaving the registry (so it does not wait for itself).
   * Its join handle then never completes: the sequence ends in process exit.
   */
  exited(id: number, outcome: 'ok' | 'error' | 'panic', message: string | null): void {
    const task = this.registry.get(id);
    if (!task || this.isExited) return;
    const awaited = this.awaitedBy.get(task);
    if (awaited) {
      this.awaitedBy.delete(task);
      for (const call of awaited) call.abandon();
    }
    this.log.emit({ ev: 'exit', task: task.label, outcome, message: outcome === 'ok' ? null : message });
    this.registry.delete(id);
    const escalate = task.shutdownProcessOnError && outcome !== 'ok';
    if (outcome === 'ok') {
      if (this.log.wants('debug')) this.log.emit({ ev: 'log', level: 'debug', task: task.label, message: `Task '${task.name}' exited normally` });
    } else {
      if (outcome === 'panic') {
        // The default panic hook prints the message on stderr; task_finish only sees
        // the payload, a Box<dyn Any> whose Debug form is `Any { .. }`.
        const thread = RUNTIME_THREAD_NAMES[task.runtime];
        this.log.emit({ ev: 'log', level: 'error', task: task.label, message: `thread '${thread}' panicked at '${message}'` });
      }
      const where = `tenant_id: ${fmtOpt(task.tenant)}, timeline_id: ${fmtOpt(task.timeline)}`;
      const prefix = escalate ? 'Shutting down: task' : 'Task';
      const what = outcome === 'error' ? `exited with error: ${message}` : 'panicked: Any { .. }';
      this.log.emit({ ev: 'log', level: 'error', task: task.label, message: `${prefix} '${task.name}' ${where} ${what}` });
    }
    if (escalate) {
      this.shutdownPageserver(1, task);
      return;
    }
    task.completion.complete();
  }

  // ---- faults, snapshots ---------------------------------------------------------

  /** Injects a fault into the registered task with this trace name; false if it is not running. */
  inject(label: string, fault: FaultKind, message: string): boolean {
    if (this.isExited) return false;
    const task = this.findRegistered(label);
    this.log.emit({ ev: 'inject', task: label, fault, applied: task !== undefined, message });
    if (task) this.exec.inject(task.id, fault, message);
    return task !== undefined;
  }

  snapshot(label: string): void {
    if (this.isExited) return;
    this.log.emit({ ev: 'snapshot', label, tasks: byLabel(this.registry.values()) });
  }

  /** The `end` event: what is still registered and which calls never returned; `stopped` when a user stopped the run. */
  end(stopped = false): void {
    if (this.isExited) return;
    const registry = byLabel(this.registry.values());
    const pending = this.pendingCalls().map((c) => c.label).sort();
    this.log.emit(stopped ? { ev: 'end', registry, pending, stopped: true } : { ev: 'end', registry, pending });
  }

  // ---- process shutdown ----------------------------------------------------------

  /** `shutdown_pageserver(code)`; `cause` is the failing task, or null for a signal or a step. */
  shutdownPageserver(code: number, cause: TaskRecord | null = null): void {
    if (this.isExited) return;
    this.log.emit({ ev: 'process_shutdown', code, cause: cause?.label ?? null });
    const exited = () => this.isExited;
    const host: SequenceHost = {
      shutdownTasks: (label, kind: TaskKind | null, caller, done) => {
        this.shutdownTasks(label, { kind, tenant: null, timeline: null }, caller, done);
      },
      shutdownAllTenants: this.options.shutdownAllTenants,
      exit: (c) => {
        this.log.emit({ ev: 'log', level: 'info', task: null, message: 'Shut down successfully completed' });
        this.processExit(c);
      },
      get isExited() {
        return exited();
      },
    };
    runShutdownSequence(host, code, cause);
  }

  /** `std::process::exit(code)`: every task still running is gone; nothing runs after it. */
  processExit(code: number): void {
    if (this.isExited) return;
    this.log.emit({ ev: 'process_exit', code });
    this.endProcess(code);
  }

  /**
   * A live worker process died while the pageserver ran (DESIGN.md section 1): the
   * whole simulated process crashed, as a segfault in one thread kills a real
   * pageserver. No shutdown sequence runs; every task still registered ends
   * `killed`, as at process exit. `code` is the status a shell would report (the
   * worker's exit code, or 128 + its signal number).
   */
  processCrash(code: number, crash: { runtime: RuntimeName; worker: number; pid: number | null; exit_code: number | null; signal: string | null }): void {
    if (this.isExited) return;
    this.log.emit({ ev: 'process_crash', ...crash });
    this.endProcess(code);
  }

  /** The end of the process, however it came: the log closes, the tasks still registered are killed. */
  private endProcess(code: number): void {
    this.exitCode = code;
    this.log.close();
    for (const t of this.registry.values()) {
      this.log.epilogue({ ev: 'exit', task: t.label, outcome: 'killed', message: null });
    }
    this.exec.endProcess();
    for (const l of this.exitListeners) l(code);
  }
}
