/**
 * The tasks of one run inside a pool worker. A run is one coordinator registry
 * (one scenario run); its `load` message brings the scenario's templates, so the
 * worker resolves bodies with the same `makeBodyResolver` as the simulator and runs
 * them with the same `runTaskBody` (task-locals in AsyncLocalStorage, outcomes
 * classified alike). Named workloads come from a module the run names (functions
 * cannot travel over IPC). A worker may host several runs side by side; `kill`
 * ends one.
 */
import type { FaultKind, RuntimeName } from '../../shared/model';
import type { FromWorker, WireServiceResult, WireStartRequest } from '../../shared/protocol/worker';
import type { TaskTemplate } from '../../shared/scenario/types';
import type { BodySpec } from '../core/executor';
import type { TaskBody } from '../core/task-context';
import { type BodyResolver, runTaskBody } from '../core/task-wrapper';
import { makeBodyResolver, type Workload } from '../scenario/bodies';
import { epochNow } from './epoch';
import { type TaskSink, WorkerTask } from './worker-task';

export interface SessionOutput {
  push(message: FromWorker): void;
  /** Ends the worker's turn now: what is queued goes out (before a body blocks the thread). */
  endTurnNow(): void;
}

export class WorkerSession implements TaskSink {
  private tasks = new Map<number, WorkerTask>();
  private resolveBody: BodyResolver;
  /** Template bodies are pure functions of their context: resolved once per run. */
  private templateBodies = new Map<string, TaskBody>();
  private calls = 0;
  private closed = false;
  /** Tasks started in the coordinator's current turn: their bodies wait for its end (`release`). */
  private held: WorkerTask[] = [];

  constructor(
    readonly run: number,
    /** The runtime of this worker: every task placed here belongs to it. */
    readonly runtime: RuntimeName,
    readonly tickMs: number,
    templates: Record<string, TaskTemplate>,
    private out: SessionOutput,
    workloads: Record<string, Workload> = {},
    /** The run's time zero, epoch ms. */
    readonly t0: number = epochNow(),
  ) {
    this.resolveBody = makeBodyResolver(templates, workloads);
  }

  /** Tasks of this run now running here. */
  get size(): number {
    return this.tasks.size;
  }

  send(message: FromWorker): void {
    if (!this.closed) this.out.push(message);
  }

  flush(): void {
    this.out.endTurnNow();
  }

  nextCallId(): number {
    return ++this.calls;
  }

  start(req: WireStartRequest, at?: number): void {
    if (this.closed) return;
    if (this.tasks.has(req.id)) {
      this.send({ t: 'problem', run: this.run, message: `task ${req.id} was started twice` });
      return;
    }
    const task = new WorkerTask(req, this.runtime, this, at);
    this.tasks.set(req.id, task);
    this.held.push(task);
  }

  /**
   * The coordinator's turn is over (its last envelope has been handled): the bodies
   * it started take their first step now, after every signal and fault of that turn
   * reached them. In the seed a spawned task is registered, and can be signalled,
   * before it is first polled.
   */
  release(): void {
    if (!this.held.length) return;
    const held = this.held;
    this.held = [];
    for (const task of held) if (task.alive) void this.runTask(task);
  }

  private async runTask(task: WorkerTask): Promise<void> {
    const { id } = task.req;
    this.send({ t: 'started', run: this.run, id });
    const body = this.bodyOf(task.req.body as BodySpec);
    const result = await runTaskBody(task.ctx, body);
    if (!task.alive) return;
    task.state = 'done';
    this.tasks.delete(id);
    if (result.outcome === 'ok') this.send({ t: 'exited', run: this.run, id, outcome: 'ok' });
    else this.send({ t: 'exited', run: this.run, id, outcome: result.outcome, message: result.message ?? '' });
  }

  private bodyOf(spec: BodySpec): TaskBody {
    const cached = spec.type === 'template' ? this.templateBodies.get(spec.template) : undefined;
    if (cached) return cached;
    let body: TaskBody;
    try {
      body = this.resolveBody(spec);
    } catch (err) {
      return () => Promise.reject(err);
    }
    if (spec.type === 'template') this.templateBodies.set(spec.template, body);
    return body;
  }

  signal(id: number, at?: number): void {
    this.tasks.get(id)?.signal(at);
  }

  inject(id: number, fault: FaultKind, message: string, at?: number): void {
    this.tasks.get(id)?.inject(fault, message, at);
  }

  callDone(id: number, call: number, result?: WireServiceResult, at?: number): void {
    this.tasks.get(id)?.callDone(call, result, at);
  }

  /** The run is over: no body of it runs or reports any more. */
  kill(): void {
    this.closed = true;
    for (const t of this.tasks.values()) t.kill();
    this.tasks.clear();
    this.held = [];
  }
}
