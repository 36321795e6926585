/**
 * The pool supervisor: four pools of worker processes, one per runtime of the seed
 * (compute_request, mgmt_request, walreceiver, background), W workers each, started
 * through a ProcessLauncher. It owns the processes and their channels; the runs
 * (one `PoolExecutor` each) attach to it and hear the messages of their tasks.
 *
 * - start: launch every worker, wait for each `hello`, send `init`.
 * - messages: validated (shared/protocol/worker-validate.ts); a malformed one is
 *   reported to the runs as a problem (an `error` event), never thrown.
 * - statistics: every `statsIntervalMs` each run gets the figures of every worker.
 * - crash: a worker that exits while the pools run is a crash of the whole simulated
 *   pageserver (a segfault in one thread kills a real one): every run hears it, the
 *   other workers are stopped, and the pools stay `crashed` until `restart`.
 * - stop: ask each worker to exit, wait `stopGraceMs`, then SIGKILL; resolves only
 *   once every process has exited, so nothing is left behind.
 */
import { constants as osConstants } from 'node:os';
import { RUNTIME_NAMES, type RuntimeName } from '../../shared/model';
import { type EchoReplyMessage, type FromWorker, type ToWorker, WORKER_PROTOCOL } from '../../shared/protocol/worker';
import { parseFromWorker } from '../../shared/protocol/worker-validate';
import { NodeLauncher, type ProcessLauncher } from './launcher';
import { type BatchingOptions, DEFAULT_BATCH_CAP } from './outbox';
import { PoolWorker, type WorkerExit, type WorkerStats } from './pool-worker';

export const DEFAULT_WORKERS_PER_POOL = 2;
export const DEFAULT_STATS_INTERVAL_MS = 250;

export interface PoolsOptions {
  launcher?: ProcessLauncher;
  /** Workers per runtime (default 2 each). */
  workers?: Partial<Record<RuntimeName, number>>;
  /** How often workers report and runs get `pool_stats` (default 250; 0: never). */
  statsIntervalMs?: number;
  /** Batch messages both ways (default true). */
  batching?: boolean;
  batchCap?: number;
  /** How long workers have to say hello (default 30 s). */
  startTimeoutMs?: number;
  /** How long stopping workers have to exit before SIGKILL (default 1 s). */
  stopGraceMs?: number;
}

export type PoolsState = 'idle' | 'starting' | 'running' | 'crashed' | 'stopping' | 'stopped';

/** A worker's death while the pools ran. `code` is what a shell would report (128 + signal number). */
export interface CrashInfo {
  runtime: RuntimeName;
  worker: number;
  pid: number | null;
  exit_code: number | null;
  signal: string | null;
  code: number;
}

/** The messages that belong to a run. */
export type RunMessage = Extract<FromWorker, { t: 'started' | 'exited' | 'spawn' | 'associate' | 'shutdown_tasks' | 'service' | 'event' }>;

/** A run as the supervisor sees it (PoolExecutor). */
export interface PoolClient {
  readonly run: number;
  receive(worker: PoolWorker, message: RunMessage): void;
  problem(message: string): void;
  crashed(crash: CrashInfo): void;
  /** The pools were stopped while the run was attached: it cannot go on. */
  poolsStopped(): void;
  poolStats(workers: WorkerStats[]): void;
}

/** Resolves true if `p` settles within `ms`. */
function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([p.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

export class WorkerPools {
  state: PoolsState = 'idle';
  /** The crash that ended the pools, until restart. */
  crash: CrashInfo | null = null;
  readonly launcher: ProcessLauncher;
  readonly counts: Record<RuntimeName, number>;
  readonly statsIntervalMs: number;
  private workers: PoolWorker[] = [];
  private pools = new Map<RuntimeName, PoolWorker[]>();
  private clients = new Map<number, PoolClient>();
  private nextRun = 1;
  private statsTimer: NodeJS.Timeout | null = null;
  private batchingOptions: BatchingOptions;
  private crashStop: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private failStart: ((err: Error) => void) | null = null;
  /** Messages received from workers, valid or not. */
  received = 0;
  /** Problems heard while no run was open (newest last, at most 100). */
  readonly problems: string[] = [];
  /** Echo replies (the IPC benchmark). */
  onEcho: ((message: EchoReplyMessage, worker: PoolWorker) => void) | null = null;
  private killOnExit = () => this.killAll();
  /**
   * Workers whose current turn has not ended (their last envelope said `more`). The
   * coordinator's own turn goes on until they end, so that what one poll of a body
   * asked for (a spawn, then a `shutdown_tasks`) reaches the other workers as one turn.
   */
  private openTurns = new Set<PoolWorker>();
  private holdTurn = () => this.openTurns.size > 0;

  constructor(private options: PoolsOptions = {}) {
    this.launcher = options.launcher ?? new NodeLauncher();
    this.statsIntervalMs = options.statsIntervalMs ?? DEFAULT_STATS_INTERVAL_MS;
    this.batchingOptions = { batching: options.batching ?? true, cap: options.batchCap ?? DEFAULT_BATCH_CAP };
    const counts = {} as Record<RuntimeName, number>;
    for (const r of RUNTIME_NAMES) counts[r] = Math.max(1, Math.floor(options.workers?.[r] ?? DEFAULT_WORKERS_PER_POOL));
    this.counts = counts;
  }

  /** Every worker of the current set, pool by pool. */
  get all(): readonly PoolWorker[] {
    return this.workers;
  }

  workersOf(runtime: RuntimeName): readonly PoolWorker[] {
    return this.pools.get(runtime) ?? [];
  }

  /** Pids of the current set (exited ones included). */
  pids(): number[] {
    return this.workers.map((w) => w.pid).filter((p): p is number => p !== null);
  }

  /** Messages sent to workers so far. */
  get sent(): number {
    let n = 0;
    for (const w of this.workers) n += w.outbox.messages;
    return n;
  }

  get batching(): BatchingOptions {
    return this.batchingOptions;
  }

  // ---- lifecycle -------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.state !== 'idle' && this.state !== 'stopped') throw new Error(`cannot start pools that are ${this.state}`);
    this.state = 'starting';
    this.crash = null;
    this.crashStop = null;
    this.stopping = null;
    this.workers = [];
    this.pools.clear();
    this.openTurns.clear();
    process.on('exit', this.killOnExit);
    const failed = new Promise<never>((_, reject) => (this.failStart = reject));
    failed.catch(() => {});
    const timeoutMs = this.options.startTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`pool workers did not start within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      for (const runtime of RUNTIME_NAMES) {
        const list: PoolWorker[] = [];
        this.pools.set(runtime, list);
        for (let index = 0; index < this.counts[runtime]; index++) {
          const w = new PoolWorker(runtime, index, this.launcher.launch(runtime, index), this.batchingOptions, this.holdTurn);
          w.channel.onMessage((raw) => this.receive(w, raw));
          void w.exited.then((exit) => this.workerExited(w, exit));
          list.push(w);
          this.workers.push(w);
        }
      }
      await Promise.race([Promise.all(this.workers.map((w) => w.ready)), failed, timeout]);
    } catch (err) {
      this.failStart = null;
      this.state = 'stopping';
      await this.stopWorkers(0); // nothing ran on them yet: no need to ask
      this.finishStop();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    this.failStart = null;
    this.state = 'running';
    if (this.statsIntervalMs > 0) {
      this.statsTimer = setInterval(() => this.publishStats(), this.statsIntervalMs);
      this.statsTimer.unref();
    }
  }

  /** Stops every worker (asks, waits, then SIGKILL) and resolves once all have exited. */
  stop(): Promise<void> {
    if (this.state === 'idle' || this.state === 'stopped') return Promise.resolve();
    if (!this.stopping) this.stopping = this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.failStart?.(new Error('pools stopped while starting'));
    this.state = 'stopping';
    this.clearStatsTimer();
    const clients = [...this.clients.values()];
    this.clients.clear();
    for (const c of clients) c.poolsStopped();
    if (this.crashStop) await this.crashStop;
    await this.stopWorkers();
    this.finishStop();
  }

  private finishStop(): void {
    process.off('exit', this.killOnExit);
    this.clients.clear();
    this.state = 'stopped';
  }

  /** Fresh processes, no run attached (after a crash, or to start over). */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Asks every live worker to exit, waits `graceMs`, then SIGKILLs the rest; resolves when all have exited. */
  private async stopWorkers(graceMs = this.options.stopGraceMs ?? 1000): Promise<void> {
    const live = this.workers.filter((w) => w.state !== 'exited');
    if (!live.length) return;
    for (const w of live) {
      w.state = 'stopping';
      w.send({ t: 'stop' });
      w.outbox.flush();
    }
    const allExited = Promise.all(live.map((w) => w.exited));
    if (graceMs > 0 && (await within(allExited, graceMs))) return;
    for (const w of live) if (w.state !== 'exited') w.channel.kill('SIGKILL');
    if (!(await within(allExited, 5000))) {
      this.problem(`pool workers did not exit after SIGKILL: ${live.filter((w) => w.state !== 'exited').map((w) => w.pid).join(', ')}`, null);
    }
  }

  /** The coordinator process is exiting: no worker may outlive it. */
  private killAll(): void {
    for (const w of this.workers) if (w.state !== 'exited') w.channel.kill('SIGKILL');
  }

  private workerExited(w: PoolWorker, exit: WorkerExit): void {
    this.turnEnded(w);
    if (this.failStart) {
      this.failStart(new Error(`pool worker ${w.name} exited while starting (code ${exit.code}, signal ${exit.signal})`));
      return;
    }
    if (this.state !== 'running') return; // being stopped, or another worker already crashed the set
    this.state = 'crashed';
    this.clearStatsTimer();
    const signo = exit.signal ? ((osConstants.signals as Record<string, number>)[exit.signal] ?? 0) : 0;
    const crash: CrashInfo = {
      runtime: w.runtime,
      worker: w.index,
      pid: w.pid,
      exit_code: exit.code,
      signal: exit.signal,
      code: exit.code ?? 128 + signo,
    };
    this.crash = crash;
    const clients = [...this.clients.values()];
    this.clients.clear();
    for (const c of clients) {
      try {
        c.crashed(crash);
      } catch (err) {
        this.problem(`a run failed to handle the crash: ${(err as Error)?.stack ?? err}`, null);
      }
    }
    this.crashStop = this.stopWorkers();
  }

  // ---- runs --------------------------------------------------------------------------

  /** A new run id; the run then `attach`es. */
  newRun(): number {
    return this.nextRun++;
  }

  attach(client: PoolClient): void {
    if (this.state !== 'running') throw new Error(`pool workers are ${this.state}${this.crash ? ' (a worker crashed: restart them)' : ''}`);
    this.clients.set(client.run, client);
  }

  detach(run: number): void {
    this.clients.delete(run);
  }

  /** The least-loaded worker of the runtime (the first of equals); the task stays there. */
  place(runtime: RuntimeName): PoolWorker {
    const list = this.pools.get(runtime);
    if (!list?.length) throw new Error(`no pool for runtime ${runtime}`);
    let best = list[0];
    for (const w of list) if (w.tasks < best.tasks) best = w;
    return best;
  }

  broadcast(message: ToWorker): void {
    for (const w of this.workers) w.send(message);
  }

  /** Batching on or off, both ways, from now on. */
  setBatching(batching: boolean, cap = this.batchingOptions.cap): void {
    this.batchingOptions = { batching, cap };
    for (const w of this.workers) {
      w.send({ t: 'config', batching, batch_cap: cap });
      w.outbox.configure(this.batchingOptions);
    }
  }

  // ---- messages from workers -------------------------------------------------------

  private receive(w: PoolWorker, raw: unknown): void {
    const { messages, rejected, more } = parseFromWorker(raw);
    this.received += messages.length + rejected.length;
    for (const r of rejected) this.problem(`malformed message from pool worker ${w.name} (pid ${w.pid}): ${r.reason}`, r.run);
    for (const m of messages) {
      try {
        this.dispatch(w, m);
      } catch (err) {
        this.problem(`handling "${m.t}" from pool worker ${w.name} failed: ${(err as Error)?.stack ?? err}`, 'run' in m ? m.run : null);
      }
    }
    if (more) this.openTurns.add(w);
    else this.turnEnded(w);
  }

  /** Worker `w`'s turn ended (or it exited): once no worker's turn is open, the coordinator's ends. */
  private turnEnded(w: PoolWorker): void {
    if (!this.openTurns.delete(w) || this.openTurns.size) return;
    for (const x of this.workers) x.outbox.resumeTurn();
  }

  private dispatch(w: PoolWorker, m: FromWorker): void {
    switch (m.t) {
      case 'hello':
        if (w.state !== 'starting') {
          this.problem(`pool worker ${w.name} said hello twice`, null);
          return;
        }
        w.hello(m.pid);
        w.send({
          t: 'init',
          protocol: WORKER_PROTOCOL,
          runtime: w.runtime,
          worker: w.index,
          stats_ms: this.statsIntervalMs,
          batching: this.batchingOptions.batching,
          batch_cap: this.batchingOptions.cap,
        });
        return;
      case 'stats':
        w.noteStats(m.cpu_ms, m.loop_delay_ms);
        return;
      case 'echo':
        this.onEcho?.(m, w);
        return;
      case 'problem':
        this.problem(`pool worker ${w.name} (pid ${w.pid}): ${m.message}`, m.run);
        return;
      default: {
        const client = this.clients.get(m.run);
        if (client) client.receive(w, m);
        else if (m.run >= this.nextRun) this.problem(`pool worker ${w.name} sent "${m.t}" for run ${m.run}, which never began`, null);
        // else: a run that has ended; its late messages are dropped
      }
    }
  }

  /** Reports to the run concerned, or to every run, or keeps it when no run is open. */
  private problem(message: string, run: number | null): void {
    const target = run !== null ? this.clients.get(run) : undefined;
    if (target) {
      target.problem(message);
      return;
    }
    if (this.clients.size) {
      for (const c of this.clients.values()) c.problem(message);
      return;
    }
    this.problems.push(message);
    if (this.problems.length > 100) this.problems.shift();
  }

  private publishStats(): void {
    const snapshot = this.workers.map((w) => w.stats());
    for (const c of this.clients.values()) c.poolStats(snapshot);
  }

  private clearStatsTimer(): void {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
  }
}
