/**
 * The machine the pageserver runs on, across process lifetimes: the disk and the
 * remote storage (which survive a crash), the safekeepers' WAL rates, the run's one
 * event log, the linter, and the sequence of processes. `start` begins a process
 * lifetime with a fresh TaskManager (registry ids from 1 again); a restart is a new
 * `start` from the same disk. Each process writes into its own log, forwarded to the
 * run's log, and its task and call labels carry ` @N` from the second process on, so
 * that they stay unique in one log.
 */
import type { UnstampedEvent } from '../../shared/trace/events';
import { EventLog } from '../core/event-log';
import type { TaskManager } from '../core/task-manager';
import type { ModelConfig } from './config';
import { Disk } from './disk';
import type { FailpointConfig } from './failpoints';
import { Linter } from './lints';
import { Pageserver, type ProcessHost } from './process';
import { RemoteStorage } from './remote-storage';

/** What the Lab needs from the executor side (the simulator, or live pools). */
export interface LabHost {
  now(): number;
  /** Runs `fn` at tick `at` (before the tasks' timers of that tick). */
  at(tick: number, fn: () => void): void;
  /** A TaskManager for a new process lifetime, attached to an executor with no task of an earlier process. */
  newManager(log: EventLog, labelSuffix: string): TaskManager;
  /** How long a timed wait of the model lasts (the explorer's jitter); absent: as asked. */
  jitter?(ticks: number, task: string | null, what: string): number;
}

export class PageserverLab implements ProcessHost {
  readonly disk = new Disk();
  readonly remote = new RemoteStorage();
  readonly processes: Pageserver[] = [];
  readonly linter: Linter;
  private walRates = new Map<string, number>();

  constructor(
    readonly host: LabHost,
    readonly config: ModelConfig,
    /** The run's log. */
    readonly log: EventLog,
  ) {
    this.linter = new Linter((e) => this.emit(e));
    this.traceStorage(true);
  }

  /** Storage changes become `storage` events (off while the world is seeded). */
  traceStorage(on: boolean): void {
    this.disk.onChange(on ? (op, path) => this.emit({ ev: 'storage', where: 'disk', op, path }) : null);
    this.remote.onChange(on ? (op, path) => this.emit({ ev: 'storage', where: 'remote', op, path }) : null);
  }

  now(): number {
    return this.host.now();
  }

  at(tick: number, fn: () => void): void {
    this.host.at(tick, fn);
  }

  jitter(ticks: number, task: string | null, what: string): number {
    return this.host.jitter ? this.host.jitter(ticks, task, what) : ticks;
  }

  emit(event: UnstampedEvent): void {
    this.log.emit(event);
  }

  /** The running process, if any. */
  get current(): Pageserver | null {
    const last = this.last;
    return last && !last.dead ? last : null;
  }

  get last(): Pageserver | null {
    return this.processes[this.processes.length - 1] ?? null;
  }

  setWalRate(tenant: string, timeline: string, every: number): void {
    this.walRates.set(`${tenant}/${timeline}`, every);
  }

  walRate(tenant: string, timeline: string): number {
    return this.walRates.get(`${tenant}/${timeline}`) ?? 0;
  }

  processEnded(): void {
    // Nothing to do: the disk and remote storage stay as the process left them.
  }

  /** Starts a process (the first, or a restart from the same disk); null if one is running. */
  start(failpoints: Record<string, FailpointConfig> = {}): Pageserver | null {
    if (this.current) {
      this.emit({ ev: 'error', message: 'restart: the pageserver process is still running', source: 'pageserver' });
      return null;
    }
    const number = this.processes.length + 1;
    const suffix = number === 1 ? '' : ` @${number}`;
    const plog = new EventLog(() => this.host.now(), false);
    plog.subscribe((e) => this.log.emit(e as UnstampedEvent));
    const manager = this.host.newManager(plog, suffix);
    const ps = new Pageserver(this, number, manager, plog);
    this.processes.push(ps);
    this.linter.attach(ps);
    for (const [name, fp] of Object.entries(failpoints)) ps.failpoints.set(name, fp);
    ps.emit({ ev: 'process_start', process: number, label_suffix: suffix });
    ps.start();
    return ps;
  }
}
