/**
 * A simulated task as the simulator keeps it (a fiber on its worker), and how its
 * wait ends. The scheduler (./sim-executor.ts) decides when a ready fiber runs; this
 * module holds the rules that make it ready: its timer ran out, its shutdown flag was
 * set, a fault was injected, or the call it awaits returned, and which of two wakes
 * wins when both are due before it is polled (a shutdown over an ended sleep, a fault
 * over either, as in the seed's `select!`). They are kept apart from the scheduler
 * because they are about one fiber only: none of them looks at other tasks, the
 * clock or the decider.
 */
import type { FaultKind, RuntimeName } from '../../shared/model';
import { InjectedFault } from '../core/errors';
import type { ServiceResult, StartRequest } from '../core/executor';
import type { TaskContext } from '../core/task-context';
import { TASK, type Timer } from './virtual-clock';

export type WakeReason = 'start' | 'timer' | 'shutdown' | 'call' | 'fault' | 'yield';

/** A parked task's wait; it is also its own timer entry in the virtual clock. */
export class Wait implements Timer {
  time = 0;
  cls = TASK;
  seq = 0;
  cancelled = true;
  resolve!: (reason: WakeReason) => void;
  reject!: (err: unknown) => void;

  constructor(
    readonly fiber: Fiber,
    readonly what: string,
    readonly onShutdown: boolean,
    readonly callId: number | null,
    readonly interruptible: boolean,
  ) {}

  /** The timer of the wait ran out. */
  fire(): void {
    this.cancelled = true;
    if (this.fiber.state === 'parked' && this.fiber.wait === this) wake(this.fiber, 'timer');
  }
}

export interface SimWorker {
  runtime: RuntimeName;
  index: number;
  busyUntil: number;
  tasks: number;
  ready: Fiber[];
  /** The task running on this worker now (a worker runs one at a time). */
  current: Fiber | null;
}

export interface Fiber {
  req: StartRequest;
  worker: SimWorker;
  state: 'new' | 'ready' | 'running' | 'parked' | 'done' | 'dead';
  wait: Wait | null;
  wakeReason: WakeReason;
  shutdown: boolean;
  pendingFault: { kind: FaultKind; message: string } | null;
  /** Returned calls by call id, with a service call's result. */
  doneCalls: Map<number, ServiceResult | undefined>;
  ctx: TaskContext;
}

/** Ends the fiber's wait: it is ready, at the back of its worker's queue. */
export function wake(f: Fiber, reason: WakeReason): void {
  if (f.wait) f.wait.cancelled = true;
  f.state = 'ready';
  f.wakeReason = reason;
  f.worker.ready.push(f);
}

/** The fault waiting for the fiber, taken (it is delivered once); the caller made sure there is one. */
export function takeFault(f: Fiber): InjectedFault {
  const { kind, message } = f.pendingFault!;
  f.pendingFault = null;
  return new InjectedFault(kind, message);
}

/** Its shutdown flag is set: a wait that listens for it ends. */
export function signalFiber(f: Fiber): void {
  f.shutdown = true;
  if (f.state === 'parked' && f.wait?.onShutdown) wake(f, 'shutdown');
  // Its sleep has ended but it has not resumed yet: when it is polled, both are due,
  // and in `sleep_or_shutdown` the shutdown wins (FORMAT.md note 7), as a fault does.
  else if (f.state === 'ready' && f.wakeReason === 'timer' && f.wait?.onShutdown) f.wakeReason = 'shutdown';
}

/** A fault for the fiber: an interruptible wait ends with it, now or (already woken) when it resumes. */
export function injectFault(f: Fiber, kind: FaultKind, message: string): void {
  if (f.state === 'done' || f.state === 'dead') return;
  f.pendingFault = { kind, message };
  if (f.state === 'parked' && f.wait?.interruptible) wake(f, 'fault');
  else if (f.state === 'ready' && f.wait?.interruptible) f.wakeReason = 'fault';
}

/** Call `callId` of the fiber returned (with a service call's result): a wait for it ends. */
export function callReturned(f: Fiber, callId: number, result: ServiceResult | undefined): void {
  f.doneCalls.set(callId, result);
  if (f.state === 'parked' && f.wait?.callId === callId) wake(f, 'call');
}
