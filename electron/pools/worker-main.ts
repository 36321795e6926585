/**
 * The pool worker's message loop: one OS process of one runtime's pool. It greets
 * the coordinator (`hello`), learns who it is (`init`), hosts the runs the
 * coordinator loads, dispatches task messages to them, reports its statistics, and
 * exits on `stop` or when the coordinator goes away. Everything it sends goes
 * through one batching outbox, so the coordinator sees it in order.
 *
 * Takes its channel as a parameter (./parent-channel.ts in a real worker), so that
 * nothing here knows which launcher started the process.
 */
import { type FromWorker, type InitMessage, type ToWorker, WORKER_PROTOCOL } from '../../shared/protocol/worker';
import { parseToWorker } from '../../shared/protocol/worker-validate';
import type { Workload } from '../scenario/bodies';
import { DEFAULT_BATCH_CAP, Outbox } from './outbox';
import type { ParentChannel } from './parent-channel';
import { WorkerSession } from './worker-session';
import { StatsSampler } from './worker-stats';

export interface WorkerLoop {
  /** Reports a failure of the worker itself (before it exits). */
  problem(message: string): void;
}

/** A workloads module exports `workloads: Record<string, Workload>`; loaded once per worker. */
const workloadModules = new Map<string, Record<string, Workload>>();
function loadWorkloads(path: string): Record<string, Workload> {
  let found = workloadModules.get(path);
  if (!found) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the workloads module is named at run time
    const mod = require(path) as { workloads?: Record<string, Workload> };
    if (!mod.workloads || typeof mod.workloads !== 'object') throw new Error('the module exports no `workloads`');
    found = mod.workloads;
    workloadModules.set(path, found);
  }
  return found;
}

export function runWorker(channel: ParentChannel, exit: (code: number) => void = (c) => process.exit(c)): WorkerLoop {
  const outbox = new Outbox<FromWorker>((envelope) => channel.postMessage(envelope), { batching: true, cap: DEFAULT_BATCH_CAP });
  const sessions = new Map<number, WorkerSession>();
  const sampler = new StatsSampler();
  let identity: InitMessage | null = null;
  let stopping = false;

  const taskCount = () => {
    let n = 0;
    for (const s of sessions.values()) n += s.size;
    return n;
  };

  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const s of sessions.values()) s.kill();
    sessions.clear();
    sampler.stop();
    outbox.flush();
    exit(code);
  };

  const handle = (m: ToWorker): void => {
    switch (m.t) {
      case 'init':
        identity = m;
        outbox.configure({ batching: m.batching, cap: m.batch_cap });
        sampler.start(m.stats_ms, (figures) => outbox.push({ t: 'stats', ...figures, tasks: taskCount() }));
        return;
      case 'config':
        outbox.configure({ batching: m.batching, cap: m.batch_cap });
        return;
      case 'load': {
        sessions.get(m.run)?.kill();
        if (!identity) {
          outbox.push({ t: 'problem', run: m.run, message: 'a run was loaded before init' });
          return;
        }
        let workloads: Record<string, Workload> = {};
        if (m.workloads_module) {
          try {
            workloads = loadWorkloads(m.workloads_module);
          } catch (err) {
            outbox.push({ t: 'problem', run: m.run, message: `cannot load workloads from ${m.workloads_module}: ${(err as Error)?.message ?? err}` });
          }
        }
        sessions.set(m.run, new WorkerSession(m.run, identity.runtime, m.tick_ms, m.templates, outbox, workloads, m.t0));
        return;
      }
      case 'kill':
        sessions.get(m.run)?.kill();
        sessions.delete(m.run);
        return;
      case 'echo':
        outbox.push({ t: 'echo', n: m.n, data: m.data });
        return;
      case 'stop':
        stop(0);
        return;
      default:
        break;
    }
    const session = sessions.get(m.run);
    if (!session) return; // a run that has ended here: its late messages are dropped
    switch (m.t) {
      case 'start':
        session.start(m.task, m.at);
        return;
      case 'signal':
        session.signal(m.id, m.at);
        return;
      case 'inject':
        session.inject(m.id, m.fault, m.message, m.at);
        return;
      case 'call_done':
        session.callDone(m.id, m.call, m.result, m.at);
        return;
    }
  };

  channel.onMessage((raw) => {
    if (stopping) return;
    const { messages, rejected, more } = parseToWorker(raw);
    for (const r of rejected) outbox.push({ t: 'problem', run: r.run, message: `malformed message from the coordinator: ${r.reason}` });
    for (const m of messages) handle(m);
    // The bodies this turn started run once all of it has landed (Envelope.more).
    if (!more) for (const s of sessions.values()) s.release();
  });
  channel.onDisconnect(() => stop(0));

  outbox.push({ t: 'hello', protocol: WORKER_PROTOCOL, pid: process.pid });
  outbox.flush();

  return {
    problem(message: string) {
      outbox.push({ t: 'problem', run: null, message });
      outbox.flush();
    },
  };
}
