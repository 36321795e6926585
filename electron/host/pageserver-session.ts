/**
 * Runs of pageserver scenarios (`taskmgr-pageserver/1`) for the Lab: the pageserver
 * model (electron/pageserver) with its disk and remote storage, processes that exit,
 * crash and restart within one run, narrated phases and expected outcomes. The
 * same parts as electron/pageserver/scenario-run.ts and scenario-run-live.ts, put
 * together so that the run is paced against the wall clock, can be stopped in the
 * middle, takes the user's commands, and restarts a dead process on request, from
 * the same disk and in the same log: the crash-safe attach demonstration.
 *
 * Commands act on the current process's task manager; when the process has exited
 * or crashed they fail with a message that says to restart it.
 */
import type { PageserverAction } from '../../shared/protocol/lab';
import type { PageserverScenario, PageserverStep } from '../../shared/scenario/pageserver-types';
import { EventLog } from '../core/event-log';
import { TaskManager } from '../core/task-manager';
import { PageserverLab } from '../pageserver/lab';
import { checkRemaining, configOf, driveLab, performPageserverStep, simLabHost } from '../pageserver/scenario-run';
import { liveLabHost, WORKLOADS_MODULE } from '../pageserver/scenario-run-live';
import { PAGESERVER_WORKLOADS } from '../pageserver/workloads';
import { PoolExecutor } from '../pools/pool-executor';
import { makeBodyResolver } from '../scenario/bodies';
import { WallClock } from '../scenario/wall-clock';
import { SimExecutor } from '../sim/sim-executor';
import { LabError } from './errors';
import type { LivePools } from './live-session';
import { liveSession } from './live-frame';
import { pacedRun, type RunSession, type SessionOptions, stopMessage } from './session';

export class NoProcessError extends LabError {
  constructor() {
    super('the pageserver process is not running (restart it)');
  }
}

function currentManager(lab: PageserverLab): TaskManager {
  const ps = lab.current;
  if (!ps) throw new NoProcessError();
  return ps.manager;
}

/** What a user's stop leaves in the log; the expectations are not checked (the run did not get there). */
function stopRun(log: EventLog, lab: PageserverLab): void {
  const ps = lab.current;
  if (ps) stopMessage(log, ps.manager);
  else {
    log.emit({ ev: 'log', level: 'info', task: null, message: 'run stopped from the Lab' });
    log.emit({ ev: 'end', registry: [], pending: [], stopped: true });
  }
}

export function startPageserverSimSession(scn: PageserverScenario, options: SessionOptions): RunSession {
  const exec = new SimExecutor(makeBodyResolver(scn.tasks, { ...PAGESERVER_WORKLOADS, ...options.workloads }), {
    seed: options.seed ?? scn.seed,
    policy: options.policy,
    workers: { ...scn.pageserver.workers, ...options.workers },
    drainCoordinator: true,
    maxSteps: options.maxSteps,
  });
  const log = new EventLog(() => exec.now());
  log.emit({ ev: 'scenario', name: scn.name, tick_ms: options.tickMs, mode: 'sim', seed: exec.seed, policy: exec.policy });
  const lab = new PageserverLab(simLabHost(exec), configOf(scn), log);
  let stopped = false;
  const assertions = driveLab(scn, lab, () => exec.stop());
  const run = pacedRun(exec, log, options.tickMs);
  const done = run.finished.then(() => {
    if (!stopped) checkRemaining(scn, lab, assertions);
  });

  return {
    mode: 'sim',
    seed: exec.seed,
    events: log.events,
    subscribe: (listener) => log.subscribe(listener),
    done,
    get running() {
      return run.running;
    },
    problems: exec.problems,
    apply: (fn) => run.apply(() => fn(currentManager(lab))),
    async stop() {
      if (run.running) {
        stopped = true;
        await run.apply(() => stopRun(log, lab));
      }
      run.halt();
      await done;
    },
    async restartProcess() {
      if (!run.running || lab.current) return false;
      return run.apply(() => lab.start() !== null);
    },
    pageserver: (action) => run.apply(() => performAction(lab, action)),
  };
}

/** A user's operation, performed as the scenario step it mirrors, now. */
function performAction(lab: PageserverLab, action: PageserverAction): void {
  if (!lab.current) throw new NoProcessError();
  performPageserverStep(lab, { ...action, at: 0 } as PageserverStep);
}

export function startPageserverLiveSession(scn: PageserverScenario, tickMs: number, pools: LivePools): RunSession {
  const clock = new WallClock(tickMs);
  const executors: PoolExecutor[] = [];
  return liveSession(clock, async (frame) => {
    const workers = await pools.ready({ ...scn.pageserver.workers });
    if (frame.stopping) return null;
    const log = new EventLog(() => clock.now(), false);
    log.subscribe(frame.append);
    const host = liveLabHost(scn, workers, clock, tickMs, pools.options.workloadsModule ?? WORKLOADS_MODULE, executors);
    const lab = new PageserverLab(host, configOf(scn), log);
    const assertions = driveLab(scn, lab, frame.endRun);
    clock.start();
    log.emit({ ev: 'scenario', name: scn.name, tick_ms: tickMs, mode: 'live', workers: { ...workers.counts } });
    return {
      log,
      manager: () => currentManager(lab),
      stopMessage: () => stopRun(log, lab),
      finish(stopped) {
        if (!stopped) checkRemaining(scn, lab, assertions);
        return executors.flatMap((e) => {
          e.close();
          return e.problems;
        });
      },
      restartProcess: () => !lab.current && lab.start() !== null,
      pageserver: (action) => performAction(lab, action),
    };
  });
}
