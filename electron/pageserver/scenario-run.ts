/**
 * Runs a pageserver scenario (`taskmgr-pageserver/1`) on the simulator: one
 * SimExecutor for the whole run, one Lab (disk, remote storage, the run's log), a
 * process started at tick 0 and restarted by `restart` steps. The steps are HTTP
 * requests, compute connections, signals, crashes, failpoints and fault injections;
 * the v1 steps act on the current process's task manager. Phases are narrated as
 * they begin; expectations are checked at their tick or at `end_at`, each an
 * `assertion` event. Deterministic for a given scenario and seed.
 */
import type { PageserverScenario, PageserverStep } from '../../shared/scenario/pageserver-types';
import type { Scenario, Step } from '../../shared/scenario/types';
import type { TraceEvent } from '../../shared/trace/events';
import { EventLog } from '../core/event-log';
import type { Executor, ServiceResult, StartRequest } from '../core/executor';
import { TaskManager } from '../core/task-manager';
import { makeBodyResolver } from '../scenario/bodies';
import { performStep } from '../scenario/driver';
import type { SimRunOptions } from '../scenario/run-sim';
import { SimExecutor } from '../sim/sim-executor';
import { DRIVER } from '../sim/virtual-clock';
import type { FaultKind } from '../../shared/model';
import { modelConfig, type Durations, type ModelConfig } from './config';
import { checkExpectation, type ExpectationResult } from './expectations';
import { requestLabel, type HttpRequest } from './http-api';
import { PageserverLab, type LabHost } from './lab';
import { seedWorld } from './world';
import { PAGESERVER_WORKLOADS } from './workloads';

export interface PageserverRunResult {
  events: TraceEvent[];
  /** The exit code of the last process, or null if it still ran at end_at. */
  exitCode: number | null;
  problems: string[];
  manager: TaskManager;
  assertions: ExpectationResult[];
  lab: PageserverLab;
}

/**
 * The simulator as seen by one process: a process that exits or crashes ends its
 * tasks without stopping the run, because a restart may follow on the same clock.
 */
class ProcessExecutor implements Executor {
  constructor(private sim: SimExecutor) {}
  start(task: StartRequest): void {
    this.sim.start(task);
  }
  signal(id: number): void {
    this.sim.signal(id);
  }
  inject(id: number, fault: FaultKind, message: string): void {
    this.sim.inject(id, fault, message);
  }
  callDone(callerId: number, callId: number, result?: ServiceResult): void {
    this.sim.callDone(callerId, callId, result);
  }
  kill(): void {
    this.sim.killTasks();
  }
}

export function simLabHost(exec: SimExecutor): LabHost {
  return {
    now: () => exec.now(),
    at: (tick, fn) => void exec.clock.schedule(tick, DRIVER, fn),
    jitter: (ticks, task, what) => exec.jittered(ticks, task, what),
    newManager(log, labelSuffix) {
      const manager = new TaskManager(log, { victimOrder: (v) => exec.victimOrder(v), labelSuffix });
      manager.attach(new ProcessExecutor(exec));
      exec.connect(manager, log);
      return manager;
    },
  };
}

export function configOf(scn: PageserverScenario): ModelConfig {
  const ps = scn.pageserver;
  return modelConfig({
    secondTicks: ps.second_ticks,
    remoteStorage: ps.remote_storage,
    durations: ps.durations as Partial<Durations>,
    tenantDefaults: ps.tenant_defaults,
    stuckAfter: ps.stuck_after,
  });
}

const isV1Step = (s: Step | PageserverStep): s is Step =>
  ['spawn', 'shutdown_tasks', 'inject', 'snapshot', 'check_shutdown', 'record_kind', 'shutdown_pageserver'].includes(s.do);

/** Performs one pageserver step against the Lab's current process. */
export function performPageserverStep(lab: PageserverLab, step: PageserverStep): void {
  const ps = lab.current;
  const noProcess = () => lab.emit({ ev: 'log', level: 'warn', task: null, message: `${step.do}: no pageserver process is running` });
  const http = (req: HttpRequest) => {
    if (!ps) return noProcess();
    void ps.http.request(step.label ?? requestLabel(req), req);
  };
  switch (step.do) {
    case 'attach':
    case 'detach':
      return http({ op: step.do, tenant: step.tenant });
    case 'create_tenant':
      return http({ op: step.do, tenant: step.tenant, conf: step.conf });
    case 'create_timeline':
    case 'delete_timeline':
    case 'gc':
    case 'checkpoint':
    case 'compact':
    case 'timeline_detail':
      return http({ op: step.do, tenant: step.tenant, timeline: step.timeline });
    case 'page_requests':
      if (!ps) return noProcess();
      ps.pageService.connect({ tenant: step.tenant, timeline: step.timeline, mode: step.mode, requests: step.requests, every: step.every });
      return;
    case 'wal':
      lab.setWalRate(step.tenant, step.timeline, step.every);
      return;
    case 'signal':
      if (!ps) return noProcess();
      ps.signal(step.signal);
      return;
    case 'crash':
      if (!ps) return noProcess();
      ps.crash(null);
      return;
    case 'restart':
      lab.start(step.failpoints);
      return;
    case 'failpoint':
      if (!ps) return noProcess();
      ps.logLine('info', null, `failpoint ${step.name} configured: ${step.action}${step.ticks !== undefined ? ` ${step.ticks} ticks` : ''}`);
      ps.failpoints.set(step.name, { action: step.action, ticks: step.ticks, times: step.times ?? null });
      return;
    case 'inject_into': {
      if (!ps) return noProcess();
      const target = [...ps.manager.registry.values()].find(
        (t) => t.kind === step.kind && (step.tenant === null || t.tenant === step.tenant) && (step.timeline === null || t.timeline === step.timeline),
      );
      if (!target) {
        ps.logLine('warn', null, `inject: no running ${step.kind} task of tenant ${step.tenant ?? 'None'}, timeline ${step.timeline ?? 'None'}`);
        return;
      }
      ps.manager.inject(target.label, step.fault, step.message);
      return;
    }
  }
}

/**
 * Schedules a scenario on a Lab: the first process at tick 0, phases, steps,
 * expectations at their tick, and the end at `end_at` (which calls `onEnd`). Shared
 * by the simulator and the live runner.
 */
export function driveLab(scn: PageserverScenario, lab: PageserverLab, onEnd: () => void): ExpectationResult[] {
  const log = lab.log;
  seedWorld(lab, scn.pageserver.tenants);
  const v1: Scenario = { format: 'taskmgr-scenario/1', name: scn.name, description: scn.description, tasks: scn.tasks, steps: [], end_at: scn.end_at };
  const assertions: ExpectationResult[] = [];
  const check = (i: number) => {
    const r = checkExpectation(scn.expect[i], lab, log.events);
    assertions[i] = r;
    log.emit({ ev: 'assertion', description: r.description, ok: r.ok, detail: r.detail });
  };
  const at = (tick: number, fn: () => void) => lab.at(tick, fn);

  // A phase is narrated before anything else of its tick (the first start included).
  for (const phase of scn.phases) at(phase.at, () => log.emit({ ev: 'narration', title: phase.title, text: phase.text }));
  at(0, () => {
    const fps = Object.fromEntries(Object.entries(scn.pageserver.failpoints).map(([n, f]) => [n, { ...f, times: f.times ?? null }]));
    lab.start(fps);
  });
  for (const step of scn.steps) {
    at(step.at, () => {
      if (isV1Step(step)) {
        const ps = lab.current;
        if (ps) performStep(ps.manager, v1, step);
      } else {
        performPageserverStep(lab, step);
      }
    });
  }
  scn.expect.forEach((e, i) => {
    if (e.at !== undefined) at(e.at, () => check(i));
  });
  at(scn.end_at, () => {
    lab.current?.manager.end();
    scn.expect.forEach((e, i) => {
      if (e.at === undefined) check(i);
    });
    onEnd();
  });
  return assertions;
}

/** Checks what a run that stopped early did not get to check. */
export function checkRemaining(scn: PageserverScenario, lab: PageserverLab, assertions: ExpectationResult[]): void {
  scn.expect.forEach((e, i) => {
    if (assertions[i]) return;
    const r = checkExpectation(e, lab, lab.log.events);
    assertions[i] = r;
    lab.log.emit({ ev: 'assertion', description: r.description, ok: r.ok, detail: r.detail });
  });
}

export async function runPageserverScenario(scn: PageserverScenario, options: SimRunOptions = {}): Promise<PageserverRunResult> {
  const exec = new SimExecutor(makeBodyResolver(scn.tasks, { ...PAGESERVER_WORKLOADS, ...options.workloads }), {
    seed: options.seed ?? scn.seed,
    policy: options.policy,
    workers: { ...scn.pageserver.workers, ...options.workers },
    drainCoordinator: true,
    maxSteps: options.maxSteps,
    decider: options.decider,
  });
  if (options.observer) exec.observer = options.observer;
  const log = new EventLog(() => exec.now(), options.keepEvents ?? true);
  if (options.onEvent) log.subscribe(options.onEvent);
  log.emit({ ev: 'scenario', name: scn.name, tick_ms: options.tickMs ?? 10, mode: 'sim', seed: exec.seed, policy: exec.policy });
  const lab = new PageserverLab(simLabHost(exec), configOf(scn), log);
  const assertions = driveLab(scn, lab, () => exec.stop());
  await exec.run();
  checkRemaining(scn, lab, assertions);
  const last = lab.last!;
  return { events: log.events, exitCode: last.exitCode, problems: exec.problems, manager: last.manager, assertions, lab };
}
