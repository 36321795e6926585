/**
 * One task running in a pool worker: the `TaskContext` its body gets, implemented
 * over messages to the coordinator and real time. It follows the simulator's rules
 * (electron/sim/sim-executor.ts) so that a body behaves the same on both executors:
 *
 * - a body parks on a task-API primitive; an `await` event says on what;
 * - `is_shutdown_requested()` reads the local flag that the coordinator's `signal`
 *   message sets, and that message wakes the task's watchers;
 * - an injected fault rejects the current interruptible await, or the next one; it
 *   wins over an await that is ready at the same moment (checked first), and a
 *   waiting fault ends the task before a `shutdown_tasks` or service call is made;
 * - a task started in a coordinator turn takes its first step only after that turn
 *   has landed (./worker-session.ts), so a signal or fault sent with its start is
 *   already applied;
 * - in `sleep_or_shutdown`, shutdown wins over the end of the sleep, also when the
 *   signal landed after the timer ran out but before the task resumed (a timer's
 *   wake waits for the messages that arrived meanwhile);
 * - `busy(ticks)` spins the CPU for ticks * tick_ms: the other tasks of this worker
 *   stall (it is one thread, like blocking code on a tokio worker), other workers
 *   and pools go on; it is not interruptible;
 * - sleeps are real timers with deadlines on the run's timeline: a task keeps the
 *   logical time of what last moved it (the tick its spawn step was due, the
 *   coordinator's time of a signal, its own previous deadline), and `sleep(n)` ends
 *   n ticks after that, as tokio's timer fires at an Instant. Delivery latency and
 *   a stalled coordinator then delay events without shifting the schedule; only
 *   `busy` really takes the time (after it, the task's time is the wall clock);
 * - `spawn` and `associate_with` are fire-and-forget requests; `shutdown_tasks` and
 *   service calls are requests the coordinator answers with `call_done` (a service
 *   call's with its result); the channel keeps their order.
 *
 * Once the task is killed (process exit, end of the run) nothing it does goes out,
 * and every await it reaches never completes.
 */
import type { FaultKind, RuntimeName, ShutdownFilter, TaskKind } from '../../shared/model';
import type { FromWorker, WireServiceResult, WireStartRequest } from '../../shared/protocol/worker';
import { InjectedFault, TaskError } from '../core/errors';
import type { BodyEvent, SpawnSpec } from '../core/executor';
import type { TaskContext } from '../core/task-context';
import { epochNow } from './epoch';

/** What a task needs from the run it belongs to (./worker-session.ts). */
export interface TaskSink {
  readonly run: number;
  readonly tickMs: number;
  /** The run's time zero, epoch ms: a message's `at` counts from it. */
  readonly t0: number;
  send(message: FromWorker): void;
  /** Sends what is queued now, ending the worker's turn (before the worker blocks). */
  flush(): void;
  nextCallId(): number;
}

type Wake = 'timer' | 'shutdown' | 'call';

interface Wait {
  onShutdown: boolean;
  callId: number | null;
  interruptible: boolean;
  timer: NodeJS.Timeout | null;
  resolve: (reason: Wake) => void;
  reject: (err: unknown) => void;
}

interface ParkOptions {
  ticks?: number;
  onShutdown?: boolean;
  callId?: number;
  interruptible?: boolean;
}

const never = <T>() => new Promise<T>(() => {});

/** Blocks this process's thread for `ms` (what `busy` models). */
export function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // blocking code on the runtime thread
  }
}

export class WorkerTask {
  state: 'running' | 'done' | 'dead' = 'running';
  private shutdown = false;
  private pendingFault: { kind: FaultKind; message: string } | null = null;
  /** Returned calls by call id, with a service call's result. */
  private doneCalls: Map<number, WireServiceResult | undefined> | null = null;
  private wait: Wait | null = null;
  /** The task's logical time, epoch ms: its timers count from it. */
  private time: number;
  readonly ctx: TaskContext;

  constructor(
    readonly req: WireStartRequest,
    runtime: RuntimeName,
    private sink: TaskSink,
    at?: number,
  ) {
    this.time = this.causeTime(at);
    this.ctx = new WorkerTaskContext(this, req, runtime, sink);
  }

  /** When a message's cause happened, epoch ms (when it landed, if it does not say). */
  private causeTime(at: number | undefined): number {
    return at === undefined ? epochNow() : this.sink.t0 + at;
  }

  get alive(): boolean {
    return this.state === 'running';
  }

  /** The coordinator set the shutdown flag. */
  signal(at?: number): void {
    this.shutdown = true;
    if (this.wait?.onShutdown) this.wake('shutdown', this.causeTime(at));
  }

  inject(kind: FaultKind, message: string, at?: number): void {
    if (!this.alive) return;
    const wait = this.wait;
    if (wait?.interruptible) {
      this.release();
      this.advance(this.causeTime(at));
      wait.reject(new InjectedFault(kind, message));
    } else {
      this.pendingFault = { kind, message };
    }
  }

  callDone(callId: number, result?: WireServiceResult, at?: number): void {
    (this.doneCalls ??= new Map()).set(callId, result);
    if (this.wait?.callId === callId) this.wake('call', this.causeTime(at));
  }

  /** Process exit or end of the run: the body never resumes. */
  kill(): void {
    this.state = 'dead';
    this.release();
  }

  private release(): void {
    if (this.wait?.timer) clearTimeout(this.wait.timer);
    this.wait = null;
  }

  private wake(reason: Wake, time: number): void {
    const wait = this.wait;
    if (!wait) return;
    this.release();
    this.advance(time);
    wait.resolve(reason);
  }

  private advance(time: number): void {
    if (time > this.time) this.time = time;
  }

  /** Takes a returned call's result (undefined for `shutdown_tasks`). */
  takeResult(callId: number): WireServiceResult | undefined {
    const result = this.doneCalls?.get(callId);
    this.doneCalls?.delete(callId);
    return result;
  }

  get isShutdownRequested(): boolean {
    return this.shutdown;
  }

  emit(event: BodyEvent): void {
    if (this.alive) this.sink.send({ t: 'event', run: this.sink.run, id: this.req.id, event });
  }

  /**
   * A fault that is waiting, taken (null if none). `shutdown_tasks` and service
   * calls are async fns in the seed: nothing happens until they are first polled,
   * and a waiting fault wins before that, so the request is never made.
   */
  takeFault(): InjectedFault | null {
    if (!this.alive || !this.pendingFault) return null;
    const { kind, message } = this.pendingFault;
    this.pendingFault = null;
    return new InjectedFault(kind, message);
  }

  /** Parks the body until one of the conditions holds; rejects with an injected fault. */
  park(what: string, opts: ParkOptions): Promise<Wake> {
    if (!this.alive) return never();
    const interruptible = opts.interruptible ?? true;
    if (interruptible && this.pendingFault) {
      const { kind, message } = this.pendingFault;
      this.pendingFault = null;
      return Promise.reject(new InjectedFault(kind, message));
    }
    if (opts.onShutdown && this.shutdown) return Promise.resolve('shutdown');
    if (opts.callId !== undefined && this.doneCalls?.has(opts.callId)) return Promise.resolve('call');
    this.emit({ ev: 'await', what });
    return new Promise<Wake>((resolve, reject) => {
      const wait: Wait = {
        onShutdown: opts.onShutdown ?? false,
        callId: opts.callId ?? null,
        interruptible,
        timer: null,
        resolve,
        reject,
      };
      if (opts.ticks !== undefined) {
        const deadline = this.time + opts.ticks * this.sink.tickMs;
        wait.timer = setTimeout(() => {
          wait.timer = null;
          // A signal or fault may have landed while the timer ran out (say, while a busy
          // task held this thread): it is read after the timers. Let it land first, so
          // that when both are due the shutdown or the fault wins, as in the seed.
          setImmediate(() => {
            if (this.wait === wait) this.wake(wait.onShutdown && this.shutdown ? 'shutdown' : 'timer', deadline);
          });
        }, Math.max(0, deadline - epochNow()));
      }
      this.wait = wait;
    });
  }

  async busy(ticks: number, what: string): Promise<void> {
    if (!this.alive) return never();
    this.emit({ ev: 'await', what });
    this.sink.flush();
    spin(ticks * this.sink.tickMs);
    // Let the messages that arrived meanwhile (signals, faults) land before the body goes on.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!this.alive) return never();
    this.advance(epochNow()); // blocking code really took the time
  }
}

/** The task API of a worker task; methods on the prototype, so a task costs two small objects. */
class WorkerTaskContext implements TaskContext {
  readonly id: number;
  readonly label: string;
  readonly name: string;
  readonly kind: TaskKind;
  readonly runtime: RuntimeName;

  constructor(
    private task: WorkerTask,
    req: WireStartRequest,
    runtime: RuntimeName,
    private sink: TaskSink,
  ) {
    this.id = req.id;
    this.label = req.label;
    this.name = req.name ?? req.label;
    this.kind = req.kind;
    this.runtime = runtime;
  }

  isShutdownRequested(): boolean {
    return this.task.isShutdownRequested;
  }

  async shutdownWatcher(what = 'shutdown_watcher()'): Promise<void> {
    await this.task.park(what, { onShutdown: true });
  }

  async sleep(ticks: number, what = `sleep ${ticks} ticks`): Promise<void> {
    await this.task.park(what, { ticks });
  }

  async sleepOrShutdown(ticks: number, what = `select! { shutdown_watcher(), sleep ${ticks} ticks }`): Promise<boolean> {
    return (await this.task.park(what, { ticks, onShutdown: true })) === 'shutdown';
  }

  busy(ticks: number, what = `busy ${ticks} ticks (holds the worker)`): Promise<void> {
    return this.task.busy(ticks, what);
  }

  async hang(what = 'a future that never completes'): Promise<never> {
    await this.task.park(what, {});
    return never();
  }

  spawn(spec: SpawnSpec): void {
    if (this.task.alive) this.sink.send({ t: 'spawn', run: this.sink.run, parent: this.id, spec });
  }

  associateWith(tenant: string | null, timeline: string | null): void {
    if (this.task.alive) this.sink.send({ t: 'associate', run: this.sink.run, id: this.id, tenant, timeline });
  }

  async shutdownTasks(label: string, filter: ShutdownFilter): Promise<void> {
    if (!this.task.alive) return never();
    const fault = this.task.takeFault();
    if (fault) throw fault;
    const call = this.sink.nextCallId();
    this.sink.send({ t: 'shutdown_tasks', run: this.sink.run, id: this.id, call, label, filter });
    await this.task.park(`shutdown_tasks ${label}`, { callId: call });
    this.task.takeResult(call);
  }

  async service<T = unknown>(name: string, args?: unknown, what = `${name}()`): Promise<T> {
    if (!this.task.alive) return never();
    const fault = this.task.takeFault();
    if (fault) throw fault;
    const call = this.sink.nextCallId();
    this.sink.send({ t: 'service', run: this.sink.run, id: this.id, call, service: name, args });
    await this.task.park(what, { callId: call });
    const result = this.task.takeResult(call);
    if (!result) throw new TaskError(`service ${name} returned no result`);
    if (!result.ok) throw new TaskError(result.error);
    return result.value as T;
  }

  emit(event: BodyEvent): void {
    this.task.emit(event);
  }
}
