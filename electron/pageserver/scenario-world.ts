/**
 * The pageserver model as a run's world (electron/run/world.ts): one
 * `PageserverLab` (disk, remote storage, the run's log), a process started at tick 0
 * and restarted by `restart` steps or by the user. The steps are HTTP requests,
 * compute connections, signals, crashes, failpoints and fault injections; the v1
 * steps act on the current process's task manager. Phases are narrated as they
 * begin; expectations are checked at their tick or at `end_at`, each an `assertion`
 * event. The world knows nothing of the executors: the run assembly gives it a
 * clock and a coordinator per process lifetime, on the simulator or on live pools.
 */
import { join } from 'node:path';
import type { PageserverAction } from '../../shared/protocol/lab';
import type { PageserverScenario, PageserverStep } from '../../shared/scenario/pageserver-types';
import type { Scenario, Step } from '../../shared/scenario/types';
import { NoProcessError } from '../run/errors';
import { stopMessage, type World } from '../run/world';
import type { Workload } from '../scenario/bodies';
import { performStep } from '../scenario/driver';
import { modelConfig, type Durations, type ModelConfig } from './config';
import { checkExpectation, type ExpectationResult } from './expectations';
import { requestLabel, type HttpRequest } from './http-api';
import { PageserverLab } from './lab';
import { seedWorld } from './world';
import { PAGESERVER_WORKLOADS } from './workloads';

/** The module live workers load for the model's workloads. */
export const WORKLOADS_MODULE = join(__dirname, 'workloads', 'module.ts');

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


/** A pageserver world: its Lab once open, and the expectations checked so far. */
export interface PageserverWorld extends World {
  readonly lab: PageserverLab;
  readonly assertions: ExpectationResult[];
}

/** `workloads`: more named bodies over the model's own (tests add theirs). */
export function pageserverWorld(scn: PageserverScenario, workloads?: Record<string, Workload>): PageserverWorld {
  let lab: PageserverLab | null = null;
  let assertions: ExpectationResult[] = [];
  const opened = () => {
    if (!lab) throw new Error('the pageserver world is not open yet');
    return lab;
  };
  return {
    needs: { workloads: workloads ? { ...PAGESERVER_WORKLOADS, ...workloads } : PAGESERVER_WORKLOADS, workloadsModule: WORKLOADS_MODULE, workers: scn.pageserver.workers, seed: scn.seed, drainCoordinator: true },
    open(run, endRun) {
      lab = new PageserverLab(run, configOf(scn), run.log);
      assertions = driveLab(scn, lab, endRun);
    },
    get lab() {
      return opened();
    },
    get assertions() {
      return assertions;
    },
    manager() {
      const ps = opened().current;
      if (!ps) throw new NoProcessError();
      return ps.manager;
    },
    get lastManager() {
      return opened().last!.manager;
    },
    get exitCode() {
      return opened().last?.exitCode ?? null;
    },
    stopMessage() {
      // The expectations are not checked: the run did not get there.
      const l = opened();
      if (l.current) stopMessage(l.log, l.current.manager);
      else {
        l.log.emit({ ev: 'log', level: 'info', task: null, message: 'run stopped from the Lab' });
        l.log.emit({ ev: 'end', registry: [], pending: [], stopped: true });
      }
    },
    finish(stopped) {
      if (!stopped && lab) checkRemaining(scn, lab, assertions);
    },
    restartProcess() {
      const l = opened();
      return !l.current && l.start() !== null;
    },
    pageserver(action: PageserverAction) {
      const l = opened();
      if (!l.current) throw new NoProcessError();
      performPageserverStep(l, { ...action, at: 0 } as PageserverStep);
    },
  };
}
