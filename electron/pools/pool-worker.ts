/**
 * The coordinator's handle on one worker process: its channel, its batching
 * outbox, its pid (from its `hello`), how many tasks it runs now and has been given
 * so far (placement reads these), its last reported figures, and its exit.
 */
import type { RuntimeName } from '../../shared/model';
import type { ToWorker } from '../../shared/protocol/worker';
import type { PoolStatsEvent } from '../../shared/trace/events';
import type { WorkerChannel } from './launcher';
import { type BatchingOptions, Outbox } from './outbox';

export type WorkerState = 'starting' | 'ready' | 'stopping' | 'exited';

export interface WorkerExit {
  code: number | null;
  signal: string | null;
}

export type WorkerStats = PoolStatsEvent['workers'][number];

export class PoolWorker {
  state: WorkerState = 'starting';
  /** Tasks placed here and not yet exited (of every run). */
  tasks = 0;
  /** Tasks ever placed here. */
  placed = 0;
  cpuMs = 0;
  /** The worker's last event-loop delay, and the worst one since the last snapshot (stats()). */
  loopDelayMs = 0;
  private worstDelayMs = 0;
  private delaysSinceSnapshot = 0;
  exit: WorkerExit | null = null;
  readonly outbox: Outbox<ToWorker>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<WorkerExit>;
  /** Resolves when the worker has said hello. */
  readonly ready: Promise<void>;
  private greeted!: () => void;
  private helloPid: number | null = null;

  constructor(
    readonly runtime: RuntimeName,
    readonly index: number,
    readonly channel: WorkerChannel,
    batching: BatchingOptions,
    /** While true, this worker's outbox does not end its turn (Outbox.holdTurn). */
    holdTurn?: () => boolean,
  ) {
    this.outbox = new Outbox<ToWorker>((envelope) => channel.postMessage(envelope), batching, holdTurn);
    this.ready = new Promise((resolve) => (this.greeted = resolve));
    this.exited = new Promise((resolve) => {
      channel.onExit((code, signal) => {
        this.exit = { code, signal };
        this.state = 'exited';
        this.outbox.clear();
        resolve(this.exit);
      });
    });
  }

  /** The pid the worker reported (or the launcher's, before its hello). */
  get pid(): number | null {
    return this.helloPid ?? this.channel.pid ?? null;
  }

  get name(): string {
    return `${this.runtime}/${this.index}`;
  }

  hello(pid: number): void {
    this.helloPid = pid;
    if (this.state === 'starting') this.state = 'ready';
    this.greeted();
  }

  send(message: ToWorker): void {
    if (this.state !== 'exited') this.outbox.push(message);
  }

  /** A `stats` message of the worker. */
  noteStats(cpuMs: number, loopDelayMs: number): void {
    this.cpuMs = cpuMs;
    this.loopDelayMs = loopDelayMs;
    this.worstDelayMs = this.delaysSinceSnapshot > 0 ? Math.max(this.worstDelayMs, loopDelayMs) : loopDelayMs;
    this.delaysSinceSnapshot++;
  }

  /**
   * The figures for a `pool_stats` event. The delay is the worst the worker reported
   * since the last snapshot: a stall shows in the report after it (the stalled worker
   * cannot report during it), and with the coordinator's own timer out of step the
   * next report could replace it before any snapshot saw it.
   */
  stats(): WorkerStats {
    const delay = this.delaysSinceSnapshot > 0 ? this.worstDelayMs : this.loopDelayMs;
    this.delaysSinceSnapshot = 0;
    return {
      runtime: this.runtime,
      worker: this.index,
      pid: this.pid ?? 0,
      cpu_ms: this.cpuMs,
      loop_delay_ms: delay,
      tasks: this.tasks,
      placed: this.placed,
    };
  }
}
