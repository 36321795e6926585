/**
 * Checks a pageserver scenario's expected outcome. Most expectations are read from
 * the run's event log (states, task outcomes, HTTP answers, shutdown calls, exit
 * codes, lints, log lines), so that what the runner checks is what the trace shows;
 * the disk, remote storage and upload queues are read from the model. Each result
 * is one line: what was expected, and what was found when it failed.
 */
import type { Expectation, TaskSelector } from '../../shared/scenario/pageserver-types';
import type { TraceEvent } from '../../shared/trace/events';
import { outcomeVerdict, shutdownVerdict, type Verdict } from '../../shared/scenario/expect-check';
import { describeProcessEnd, exitCodeHolds, processEnds } from '../../shared/trace/process-end';
import type { PageserverLab } from './lab';

export interface ExpectationResult {
  description: string;
  ok: boolean;
  detail: string | null;
}

interface TaskInfo {
  /** The task's label (its name in the trace). */
  name: string;
  kind: string;
  tenant: string | null;
  timeline: string | null;
  process: number;
  outcome: string;
}

/** Tasks of the run with their process and outcome, from the events. */
export function tasksOf(events: readonly TraceEvent[]): TaskInfo[] {
  const byLabel = new Map<string, TaskInfo>();
  let process = 1;
  for (const e of events) {
    if (e.ev === 'process_start') process = e.process;
    else if (e.ev === 'spawn') byLabel.set(e.task, { name: e.task, kind: e.kind, tenant: e.tenant, timeline: e.timeline, process, outcome: 'running' });
    else if (e.ev === 'associate') {
      const t = byLabel.get(e.task);
      if (t) Object.assign(t, { tenant: e.tenant, timeline: e.timeline });
    } else if (e.ev === 'exit') {
      const t = byLabel.get(e.task);
      if (t) t.outcome = e.outcome;
    }
  }
  return [...byLabel.values()];
}

function selects(s: TaskSelector, t: TaskInfo): boolean {
  return (
    (s.kind === undefined || s.kind === t.kind) &&
    (s.tenant === undefined || s.tenant === t.tenant) &&
    (s.timeline === undefined || s.timeline === t.timeline) &&
    (s.label === undefined || s.label === t.name) &&
    (s.process === undefined || s.process === t.process)
  );
}

function describeSelector(s: TaskSelector): string {
  const parts = [s.kind ?? 'task'];
  if (s.label !== undefined) parts.push(`"${s.label}"`);
  if (s.tenant !== undefined) parts.push(`of tenant ${s.tenant ?? 'None'}`);
  if (s.timeline !== undefined) parts.push(`timeline ${s.timeline ?? 'None'}`);
  if (s.process !== undefined) parts.push(`in process ${s.process}`);
  return parts.join(' ');
}

/** Events of the last process (from its process_start on). */
function lastProcessEvents(events: readonly TraceEvent[]): readonly TraceEvent[] {
  let from = 0;
  events.forEach((e, i) => {
    if (e.ev === 'process_start') from = i;
  });
  return events.slice(from);
}

const split = (path: string) => {
  const [tenant, timeline] = path.split('/');
  return { tenant, timeline: timeline ?? null };
};

export function checkExpectation(exp: Expectation, lab: PageserverLab, events: readonly TraceEvent[]): ExpectationResult {
  const result = (description: string, ok: boolean, found: string): ExpectationResult => ({
    description: exp.why ? `${description} (${exp.why})` : description,
    ok,
    detail: ok ? null : found,
  });
  const verdict = (v: Verdict): ExpectationResult => result(v.claim, v.ok, v.found);
  const last = lastProcessEvents(events);
  if ('tenant' in exp) {
    const ev = last.filter((e): e is Extract<TraceEvent, { ev: 'tenant_state' }> => e.ev === 'tenant_state' && e.tenant === exp.tenant).pop();
    const state = ev?.state ?? 'absent';
    return result(`tenant ${exp.tenant} is ${exp.state}`, state === exp.state, `it is ${state}`);
  }
  if ('timeline' in exp) {
    const { tenant, timeline } = split(exp.timeline);
    const ev = last.filter((e): e is Extract<TraceEvent, { ev: 'timeline_state' }> => e.ev === 'timeline_state' && e.tenant === tenant && e.timeline === timeline).pop();
    const state = ev?.state ?? 'absent';
    return result(`timeline ${exp.timeline} is ${exp.state}`, state === exp.state, `it is ${state}`);
  }
  if ('flush_loop' in exp) {
    const { tenant, timeline } = split(exp.flush_loop);
    const ev = last.filter((e): e is Extract<TraceEvent, { ev: 'flush_loop' }> => e.ev === 'flush_loop' && e.tenant === tenant && e.timeline === timeline).pop();
    const state = ev?.state ?? 'NotStarted';
    return result(`the flush loop of ${exp.flush_loop} is ${exp.state}`, state === exp.state, `it is ${state}`);
  }
  if ('tasks' in exp) {
    const found = tasksOf(events).filter((t) => selects(exp.tasks, t));
    const what = describeSelector(exp.tasks);
    if ('outcome' in exp && exp.outcome !== undefined) return verdict(outcomeVerdict(found, what, exp.outcome, exp.count));
    return result(`${exp.count} ${what} spawned`, found.length === exp.count, `${found.length}: ${found.map((t) => t.name).join(', ')}`);
  }
  if ('http' in exp) {
    const evs = events.filter((e): e is Extract<TraceEvent, { ev: 'http' }> => e.ev === 'http' && e.request === exp.http);
    const resp = evs.filter((e) => e.phase === 'response').pop();
    const found = resp ? (resp.status === null ? `no status (${resp.body})` : `${resp.status} ${resp.body}`) : evs.length ? 'pending' : 'never sent';
    const ok = exp.status === 'pending' ? !resp && evs.length > 0 : !!resp && resp.status === exp.status;
    return result(`HTTP ${exp.http} answers ${exp.status === null ? 'nothing (connection closed)' : exp.status}`, ok, found);
  }
  if ('shutdown' in exp) return verdict(shutdownVerdict(events, exp.shutdown, exp.completed));
  if ('exit_code' in exp) {
    const process = exp.process ?? (lab.processes.length || 1);
    const end = processEnds(events).get(process) ?? { how: 'running' };
    return result(`process ${process} ${exp.exit_code === null ? 'is still running' : `exits with code ${exp.exit_code}`}`, exitCodeHolds(exp.exit_code, end), describeProcessEnd(end));
  }
  if ('processes' in exp) {
    const n = events.filter((e) => e.ev === 'process_start').length;
    return result(`${exp.processes} process lifetimes`, n === exp.processes, `${n}`);
  }
  if ('lint' in exp) {
    const lints = events.filter((e): e is Extract<TraceEvent, { ev: 'lint' }> => e.ev === 'lint' && e.rule === exp.lint);
    return result(`lint ${exp.lint} ${exp.raised ? 'is raised' : 'is not raised'}`, lints.length > 0 === exp.raised, lints.length ? lints.map((l) => l.message).join(' | ') : 'not raised');
  }
  if ('log' in exp) {
    const n = events.filter((e) => e.ev === 'log' && e.message.includes(exp.log)).length;
    const min = exp.min ?? (exp.max !== undefined ? 0 : 1);
    const ok = n >= min && (exp.max === undefined || n <= exp.max);
    const range = exp.max === undefined ? `at least ${min}` : exp.max === min ? `exactly ${min}` : `${min} to ${exp.max}`;
    return result(`${range} log line(s) with "${exp.log}"`, ok, `${n}`);
  }
  if ('disk' in exp) {
    const { tenant, timeline } = split(exp.disk);
    const dir = lab.disk.tenant(tenant);
    const exists = timeline === null ? !!dir : !!lab.disk.timeline(tenant, timeline);
    let ok = exists === exp.exists;
    let found = exists ? 'it exists' : 'it does not exist';
    let desc = `tenants/${timeline === null ? `${tenant}/` : `${tenant}/timelines/${timeline}`} ${exp.exists ? 'exists' : 'does not exist'} on disk`;
    if (exp.marker !== undefined) {
      desc += `, ${exp.marker ? 'with' : 'without'} the attaching marker`;
      ok = ok && !!dir?.attaching === exp.marker;
      found += dir?.attaching ? ', with the marker' : ', no marker';
    }
    return result(desc, ok, found);
  }
  if ('upload_queue' in exp) {
    const { tenant, timeline } = split(exp.upload_queue);
    const tl = [...(lab.last?.timelineObjects.values() ?? [])].filter((t) => t.tenant.id === tenant && t.id === timeline).pop();
    const state = tl?.client?.queue.state ?? 'none';
    return result(`the upload queue of ${exp.upload_queue} is ${exp.state}`, state === exp.state, `it is ${state}`);
  }
  // remote_lsn
  const { tenant, timeline } = split(exp.remote_lsn);
  const local = lab.disk.timeline(tenant, timeline ?? '')?.metadata?.disk_consistent_lsn ?? null;
  const remote = lab.remote.index(tenant, timeline ?? '')?.metadata.disk_consistent_lsn ?? null;
  const behind = local !== null && (remote === null || remote < local);
  return result(
    `remote_consistent_lsn of ${exp.remote_lsn} is ${exp.behind_local ? 'behind' : 'not behind'} the local disk_consistent_lsn`,
    behind === exp.behind_local,
    `local ${local ?? 'none'}, remote ${remote ?? 'none'}`,
  );
}
