/**
 * The deterministic executor: every body runs in this process on virtual time.
 *
 * Each runtime has W virtual workers; a task is placed on the least-loaded worker
 * of its runtime and stays there (no work stealing, as the Lab says of the pools).
 * A worker runs one task at a time; `busy(N)` holds it for N ticks like blocking
 * code holds a tokio worker thread, so the other tasks of that worker wait while
 * other workers and runtimes go on.
 *
 * The scheduler works in rounds: it picks at most one ready task per free worker
 * (policy `fifo`: the one that became ready first; `random`: a seeded choice, with
 * the workers visited in a seeded order), resumes them, and waits until each has
 * parked again on a task-API primitive or ended. When nothing is ready, the virtual
 * clock jumps to the next timer. JavaScript itself is deterministic, so the same
 * scenario, seed and policy give the same trace, byte for byte.
 *
 * With a `decider` (./decisions.ts, the explorer's seam) every choice is drawn from
 * it instead of the policy: which ready task a worker runs, the order of a round's
 * workers, the order in which a `shutdown_tasks` call joins its victims, and a
 * bounded jitter on every timed wait. A decider that always answers 0 gives exactly
 * the fifo trace.
 *
 * A body that awaits anything else (a real timer, I/O, a foreign promise) would
 * make the run depend on the wall clock: it is detected when the round cannot
 * settle and the task fails at once with an error that names it.
 *
 * A fiber (a task as the simulator keeps it) and the rules of how its wait ends (a
 * timer, a signal, a fault, a returned call) are in ./fiber.ts.
 */
import { RUNTIME_NAMES, type FaultKind, type RuntimeName, type ShutdownFilter } from '../../shared/model';
import { TaskError } from '../core/errors';
import type { BodyEvent, Executor, ServiceResult, SpawnSpec, StartRequest, TaskHost } from '../core/executor';
import type { UnstampedEvent } from '../../shared/trace/events';
import { DEFAULT_MAX_STEPS, workLimitMessage } from '../core/work-limit';
import type { TaskContext } from '../core/task-context';
import { type BodyResolver, runTaskBody } from '../core/task-wrapper';
import type { TaskRecord } from '../core/task-record';
import { type ChoiceObserver, type Decider, chooseAmong, jitterTicks, orderBy } from './decisions';
import { type Fiber, type SimWorker, Wait, type WakeReason, callReturned, injectFault, signalFiber, takeFault } from './fiber';
import { Rng } from './rng';
import { VirtualClock } from './virtual-clock';

export type SchedulingPolicy = 'fifo' | 'random';

/**
 * Paces virtual time against the wall clock for interactive runs (the app's sim
 * mode): `wait(ticks)` resolves after that many ticks of wall time, or earlier when a
 * command arrives, with the ticks that actually passed.
 */
export interface Pacer {
  wait(ticks: number): Promise<number>;
}

export interface SimOptions {
  seed?: number;
  policy?: SchedulingPolicy;
  /** Virtual workers per runtime (default 2). */
  workers?: Partial<Record<RuntimeName, number>>;
  /**
   * Lets coordinator-side async code (the pageserver model's HTTP handlers, signal
   * handler, tenant_mgr operations) finish its microtasks before the scheduler picks
   * tasks or moves the clock, so that it runs at the virtual instant it was woken.
   */
  drainCoordinator?: boolean;
  /** The bound of the run's work: task resumptions, at most (../core/work-limit.ts). */
  maxSteps?: number;
  /** Draws every choice (the explorer's schedules); without it, the policy decides. */
  decider?: Decider;
}

/** Where the executor's own events go (the `error` of a run stopped at its bound): the run's EventLog. */
export interface SimEventSink {
  emit(event: UnstampedEvent): unknown;
}

export const FOREIGN_AWAIT =
  'awaited something the simulator does not control (a real timer, I/O or a foreign promise); in the simulator a body may only await the task API';

const never = <T>() => new Promise<T>(() => {});
const fiberLabel = (f: Fiber): string => f.req.label;
const recordLabel = (r: TaskRecord): string => r.label;

export class SimExecutor implements Executor {
  readonly clock = new VirtualClock();
  readonly policy: SchedulingPolicy;
  readonly seed: number;
  private rng: Rng;
  private host: TaskHost | null = null;
  private fibers = new Map<number, Fiber>();
  private workers = new Map<RuntimeName, SimWorker[]>();
  private allWorkers: SimWorker[] = [];
  private inFlight = 0;
  /** Counts parks, ends and resumes, so that `settle` can tell progress from a stall. */
  private progress = 0;
  private stopped = false;
  private nextCallId = 1;
  private pacer: Pacer | null = null;
  private drainCoordinator: boolean;
  private readonly maxSteps: number;
  /** Task resumptions so far: the run's work, bounded by `maxSteps`. */
  private steps = 0;
  private events: SimEventSink | null = null;
  /** Failures of the simulator itself (foreign awaits), for the caller to report. */
  readonly problems: string[] = [];
  private readonly decider: Decider | null;
  /** Told the context of every choice (the explorer's explanations); null in ordinary runs. */
  observer: ChoiceObserver | null = null;

  constructor(
    private resolveBody: BodyResolver,
    options: SimOptions = {},
  ) {
    this.seed = options.seed ?? 1;
    this.policy = options.policy ?? 'fifo';
    this.rng = new Rng(this.seed);
    this.drainCoordinator = options.drainCoordinator ?? false;
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    this.decider = options.decider ?? null;
    for (const runtime of RUNTIME_NAMES) {
      const n = Math.max(1, Math.floor(options.workers?.[runtime] ?? 2));
      const list: SimWorker[] = [];
      for (let index = 0; index < n; index++) list.push({ runtime, index, busyUntil: 0, tasks: 0, ready: [], current: null });
      this.workers.set(runtime, list);
      this.allWorkers.push(...list);
    }
  }

  /** Paces the run against the wall clock; without a pacer it runs as fast as it can. */
  setPacer(pacer: Pacer | null): void {
    this.pacer = pacer;
  }

  /** `events`: where a run stopped at its bound says so (the run's log). */
  connect(host: TaskHost, events?: SimEventSink): void {
    this.host = host;
    if (events) this.events = events;
  }

  private get th(): TaskHost {
    if (!this.host) throw new Error('SimExecutor is not connected to a TaskHost');
    return this.host;
  }

  /** Virtual ticks since the start. */
  now(): number {
    return this.clock.now;
  }

  /** The order in which `shutdown_tasks` joins its victims (the seed's HashMap order): drawn, shuffled (random) or as given. */
  victimOrder(victims: TaskRecord[]): TaskRecord[] {
    const d = this.decider;
    if (d) return victims.length > 1 ? orderBy([...victims], 'join', d, recordLabel, this.observer, this.clock.now) : victims;
    return this.policy === 'random' ? this.rng.shuffle(victims) : victims;
  }

  /** How long a timed wait of `ticks` lasts (jitter drawn by the decider; `task` null: the model's own work). */
  jittered(ticks: number, task: string | null, what: string): number {
    return jitterTicks(this.decider, this.observer, this.clock.now, ticks, task, what);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  // ---- Executor ----------------------------------------------------------------

  start(req: StartRequest): void {
    if (this.stopped) return;
    const list = this.workers.get(req.runtime)!;
    let worker = list[0];
    for (const w of list) if (w.tasks < worker.tasks) worker = w;
    worker.tasks++;
    const fiber: Fiber = {
      req,
      worker,
      state: 'new',
      wait: null,
      wakeReason: 'start',
      shutdown: false,
      pendingFault: null,
      doneCalls: new Map(),
      ctx: null as unknown as TaskContext,
    };
    fiber.ctx = this.makeContext(fiber);
    this.fibers.set(req.id, fiber);
    worker.ready.push(fiber);
  }

  signal(id: number): void {
    const f = this.fibers.get(id);
    if (f) signalFiber(f);
  }

  inject(id: number, fault: FaultKind, message: string): void {
    const f = this.fibers.get(id);
    if (f) injectFault(f, fault, message);
  }

  callDone(callerId: number, callId: number, result?: ServiceResult): void {
    const f = this.fibers.get(callerId);
    if (f) callReturned(f, callId, result);
  }

  /** Ends the run: nothing is scheduled any more (the end of the scenario, or of its one process). */
  stop(): void {
    this.stopped = true;
  }

  /**
   * The simulated process died (exit or crash); the run may go on, because a later
   * restart starts a new process on the same virtual time: every task is gone at
   * once, its pending awaits never return, and the workers are free again.
   */
  endProcess(): void {
    for (const f of this.fibers.values()) {
      if (f.state === 'running') this.inFlight--;
      if (f.wait) f.wait.cancelled = true;
      f.state = 'dead';
      f.wait = null;
    }
    this.fibers.clear();
    for (const w of this.allWorkers) {
      w.ready = [];
      w.current = null;
      w.tasks = 0;
      w.busyUntil = Math.min(w.busyUntil, this.clock.now);
    }
  }

  // ---- scheduling --------------------------------------------------------------

  /** Runs until the run is stopped (end of scenario, process exit) or nothing can ever happen again. */
  async run(): Promise<void> {
    while (!this.stopped) {
      if (this.drainCoordinator) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.stopped) return;
      }
      const round = this.pickRound();
      if (round.length) {
        this.resume(round);
        await this.settle();
        continue;
      }
      const next = this.nextTime();
      if (this.pacer) {
        const now = this.clock.now;
        const target = next ?? Number.POSITIVE_INFINITY;
        const passed = await this.pacer.wait(target - now);
        if (this.stopped) return;
        if (now + passed < target) {
          // A command arrived: run what it made ready at the time it arrived.
          this.clock.now = now + passed;
          continue;
        }
      }
      if (next === undefined) return;
      this.clock.now = next;
      this.clock.fireDue();
    }
  }

  private nextTime(): number | undefined {
    let next = this.clock.nextTime();
    for (const w of this.allWorkers) {
      if (w.ready.length && w.busyUntil > this.clock.now && (next === undefined || w.busyUntil < next)) next = w.busyUntil;
    }
    return next;
  }

  /** Starts one ready task on every free worker; each worker then chains to its next ready task. */
  private pickRound(): Fiber[] {
    const round: Fiber[] = [];
    const workers = this.policy === 'random' && !this.decider ? this.rng.shuffle(this.allWorkers) : this.allWorkers;
    for (const w of workers) {
      const f = this.takeReady(w);
      if (f) round.push(f);
    }
    if (this.decider && round.length > 1) orderBy(round, 'order', this.decider, fiberLabel, this.observer, this.clock.now);
    return round;
  }

  private takeReady(w: SimWorker): Fiber | undefined {
    if (!w.ready.length || w.busyUntil > this.clock.now || w.current) return undefined;
    const n = w.ready.length;
    const d = this.decider;
    const i = d ? (n > 1 ? chooseAmong('run', w.ready, d, fiberLabel, this.observer, this.clock.now) : 0) : this.policy === 'random' ? this.rng.int(n) : 0;
    return i === 0 ? w.ready.shift() : w.ready.splice(i, 1)[0];
  }

  private resume(round: Fiber[]): void {
    for (const f of round) this.resumeOne(f);
  }

  private resumeOne(f: Fiber): void {
    if (this.stopped) return;
    if (++this.steps > this.maxSteps) {
      this.workLimitReached();
      return;
    }
    const reason = f.wakeReason;
    const wait = f.wait;
    f.wait = null;
    f.state = 'running';
    f.worker.current = f;
    this.inFlight++;
    this.progress++;
    if (reason === 'start') {
      // Not inline: a worker chaining through thousands of new tasks would nest calls.
      queueMicrotask(() => void this.runFiber(f));
    } else if (reason === 'fault' && f.pendingFault) {
      wait!.reject(takeFault(f));
    } else {
      wait!.resolve(reason);
    }
  }

  /** The run has done all the work it may: it ends here, saying why. */
  private workLimitReached(): void {
    const message = workLimitMessage(this.maxSteps);
    this.problems.push(message);
    this.events?.emit({ ev: 'error', message, source: 'sim' });
    this.stop();
  }

  /** The worker's current task parked or ended: the worker runs its next ready task, as a runtime thread would. */
  private yieldWorker(f: Fiber): void {
    const w = f.worker;
    if (w.current === f) w.current = null;
    this.inFlight--;
    this.progress++;
    const next = this.takeReady(w);
    if (next) this.resumeOne(next);
  }

  private async runFiber(f: Fiber): Promise<void> {
    this.th.started(f.req.id, { worker: f.worker.index });
    const body = this.resolveBody(f.req.body);
    const result = await runTaskBody(f.ctx, body);
    if (f.state === 'dead' || this.stopped) return;
    f.state = 'done';
    f.worker.tasks--;
    this.fibers.delete(f.req.id);
    this.yieldWorker(f);
    this.th.exited(f.req.id, result.outcome, result.message);
  }

  /**
   * Waits until every resumed task has parked or ended. Microtask turns are cheap, so
   * it spins on them while tasks make progress; when nothing moves, one macrotask turn
   * drains whatever is left, and a task still running after that awaits something
   * foreign: it fails, naming itself.
   */
  private async settle(): Promise<void> {
    let seen = this.progress;
    let idle = 0;
    while (this.inFlight > 0 && !this.stopped) {
      await null;
      if (this.progress !== seen) {
        seen = this.progress;
        idle = 0;
        continue;
      }
      if (++idle < 64) continue;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.progress !== seen) {
        seen = this.progress;
        idle = 0;
        continue;
      }
      this.failForeign();
    }
  }

  private failForeign(): void {
    for (const w of this.allWorkers) {
      const f = w.current;
      if (!f || f.state !== 'running') continue;
      f.state = 'dead';
      f.worker.tasks--;
      this.fibers.delete(f.req.id);
      const message = `task ${f.req.label} (id ${f.req.id}) ${FOREIGN_AWAIT}`;
      this.problems.push(message);
      this.yieldWorker(f);
      this.th.exited(f.req.id, 'panic', message);
    }
  }

  // ---- the task API of a simulated task ------------------------------------------

  /**
   * Parks the fiber until one of the conditions holds: `ticks` passed (-1: no timer),
   * its shutdown flag is set (`onShutdown`), or call `callId` returned (-1: none).
   * Rejects with an injected fault unless the wait is not interruptible (busy).
   */
  private park(f: Fiber, what: string, ticks: number, onShutdown: boolean, callId: number, interruptible: boolean, holdsWorker = false): Promise<WakeReason> {
    if (f.state !== 'running' || this.stopped) return never();
    if (interruptible && f.pendingFault) return Promise.reject(takeFault(f));
    if (onShutdown && f.shutdown) return Promise.resolve('shutdown');
    if (callId >= 0 && f.doneCalls.has(callId)) return Promise.resolve('call');
    this.th.bodyEvent(f.req.id, { ev: 'await', what });
    const wait = new Wait(f, what, onShutdown, callId >= 0 ? callId : null, interruptible);
    const promise = new Promise<WakeReason>((resolve, reject) => {
      wait.resolve = resolve;
      wait.reject = reject;
    });
    if (ticks >= 0) {
      wait.time = this.clock.now + jitterTicks(this.decider, this.observer, this.clock.now, ticks, f.req.label, what);
      // `busy`: the worker is held for as long as the wait lasts.
      if (holdsWorker) f.worker.busyUntil = Math.max(f.worker.busyUntil, wait.time);
      this.clock.add(wait);
    }
    f.wait = wait;
    f.state = 'parked';
    this.yieldWorker(f);
    return promise;
  }

  private makeContext(f: Fiber): TaskContext {
    return new SimTaskContext(this, f);
  }

  // The task API calls these on behalf of a simulated task.
  /** @internal */ parkFor(f: Fiber, what: string, ticks: number, onShutdown: boolean, callId: number, interruptible: boolean, holdsWorker = false) {
    return this.park(f, what, ticks, onShutdown, callId, interruptible, holdsWorker);
  }
  /**
   * `shutdown_tasks` and service calls are async fns in the seed: nothing happens
   * until their first poll, and a fault already waiting wins before it, so the
   * request is never made (no scan, no signal).
   * @internal
   */
  throwWaitingFault(f: Fiber): void {
    if (f.pendingFault) throw takeFault(f);
  }
  /** @internal */ get taskHost(): TaskHost {
    return this.th;
  }
  /** @internal */ newCallId(): number {
    return this.nextCallId++;
  }
}

/**
 * The task API of one simulated task. A class rather than closures: a run may start
 * hundreds of thousands of tasks, and prototype methods cost nothing per task.
 */
class SimTaskContext implements TaskContext {
  readonly id: number;
  readonly label: string;
  readonly name: string;
  readonly kind: TaskContext['kind'];
  readonly runtime: TaskContext['runtime'];

  constructor(
    private exec: SimExecutor,
    private f: Fiber,
  ) {
    this.id = f.req.id;
    this.label = f.req.label;
    this.name = f.req.name;
    this.kind = f.req.kind;
    this.runtime = f.req.runtime;
  }

  private alive(): boolean {
    return this.f.state === 'running' && !this.exec.isStopped;
  }

  isShutdownRequested(): boolean {
    return this.f.shutdown;
  }

  // Plain functions returning the park promise: one promise per await, not three.
  shutdownWatcher(what = 'shutdown_watcher()'): Promise<void> {
    return this.exec.parkFor(this.f, what, -1, true, -1, true) as Promise<unknown> as Promise<void>;
  }

  sleep(ticks: number, what = `sleep ${ticks} ticks`): Promise<void> {
    return this.exec.parkFor(this.f, what, ticks, false, -1, true) as Promise<unknown> as Promise<void>;
  }

  async sleepOrShutdown(ticks: number, what = `select! { shutdown_watcher(), sleep ${ticks} ticks }`): Promise<boolean> {
    return (await this.exec.parkFor(this.f, what, ticks, true, -1, true)) === 'shutdown';
  }

  async busy(ticks: number, what = `busy ${ticks} ticks (holds the worker)`): Promise<void> {
    if (!this.alive()) return never();
    await this.exec.parkFor(this.f, what, ticks, false, -1, false, true);
  }

  async hang(what = 'a future that never completes'): Promise<never> {
    await this.exec.parkFor(this.f, what, -1, false, -1, true);
    return never();
  }

  spawn(spec: SpawnSpec): void {
    if (this.alive()) this.exec.taskHost.spawnFrom(this.id, spec);
  }

  associateWith(tenant: string | null, timeline: string | null): void {
    if (this.alive()) this.exec.taskHost.associate(this.id, tenant, timeline);
  }

  async shutdownTasks(label: string, filter: ShutdownFilter): Promise<void> {
    if (!this.alive()) return never();
    this.exec.throwWaitingFault(this.f);
    const callId = this.exec.newCallId();
    this.exec.taskHost.shutdownTasksFrom(this.id, callId, label, filter);
    await this.exec.parkFor(this.f, `shutdown_tasks ${label}`, -1, false, callId, true);
  }

  async service<T>(name: string, args?: unknown, what = `${name}()`): Promise<T> {
    if (!this.alive()) return never();
    this.exec.throwWaitingFault(this.f);
    const callId = this.exec.newCallId();
    this.exec.taskHost.serviceCall(this.id, callId, name, args);
    await this.exec.parkFor(this.f, what, -1, false, callId, true);
    const result = this.f.doneCalls.get(callId);
    this.f.doneCalls.delete(callId);
    if (!result) throw new TaskError(`service ${name} returned no result`);
    if (!result.ok) throw new TaskError(result.error);
    return result.value as T;
  }

  emit(event: BodyEvent): void {
    if (this.alive()) this.exec.taskHost.bodyEvent(this.id, event);
  }
}
