/**
 * The invariants of neon-semantics.md section 8.4, checked while the run goes on.
 * A violation is a `lint` event: a rule name and one sentence naming the tasks
 * involved, e.g. "LayerFlushTask 17 (flush t1/l2) was spawned after detach t1 took
 * its snapshot and was never waited for". The seed breaks several of them on
 * purpose (the Lab reproduces, it does not fix): these lints are how the scenarios
 * and the UI point at the flaw.
 *
 * Most checks follow the process's events (spawns, waits, exits); a few are called
 * by the model at the moment it does the questionable thing (a directory removed
 * with uploads pending, a tenant activated outside the map).
 */
import type { ShutdownFilter } from '../../shared/model';
import type { TraceEvent, UnstampedEvent } from '../../shared/trace/events';
import type { TaskRecord } from '../core/task-record';
import type { Pageserver } from './process';
import type { IndexPart } from './remote-storage';
import type { RemoteTimelineClient } from './remote-timeline-client';

export const LINT_RULES = {
  'late-spawn': 'a task was spawned after a stop operation took its snapshot and was never waited for',
  'stuck-shutdown': 'a shutdown_tasks call has been waiting long for a task that does not observe shutdown',
  'orphaned-upload': 'an upload task died with its op in progress: the queue is blocked behind it for good',
  'flush-loop-stuck': 'the flush task died without marking flush_loop Exited: flush waiters hang',
  'loop-gone': 'a tenant background loop died and is never restarted',
  'stuck-loading': 'InitialLoad or Attach died without setting the tenant Broken: it stays Loading/Attaching',
  'ingest-stopped': 'a WAL receiver manager died: ingestion stopped silently while the timeline stays Active',
  'pending-upload-deleted': 'local layer files were removed while their uploads were pending',
  'activate-outside-map': 'a tenant became Active after it had left TENANTS',
  'untracked-after-removal': 'untracked work (an HTTP handler) touched files after detach/delete removed them',
  'self-join': 'a task called shutdown_tasks with a filter that matches itself: it waits for its own join handle forever',
  'remote-consistency': 'an index upload lists a layer that is not in remote storage',
  'lsn-not-monotonic': 'remote_consistent_lsn went backwards',
} as const;

export type LintRule = keyof typeof LINT_RULES;

interface Scope {
  label: string;
  filter: ShutdownFilter;
  /** Tasks spawned while the scope was open that match its filter. */
  late: TaskRecord[];
  open: boolean;
}

const matches = (f: ShutdownFilter, t: { kind: string; tenant: string | null; timeline: string | null }) =>
  (f.kind === null || f.kind === t.kind) && (f.tenant === null || f.tenant === t.tenant) && (f.timeline === null || f.timeline === t.timeline);

const who = (t: TaskRecord) => `${t.kind} ${t.id} (${t.label})`;

export class Linter {
  private reported = new Set<string>();
  private scopes = new WeakMap<Pageserver, Scope[]>();

  constructor(private emitLint: (event: UnstampedEvent) => void) {}

  private lint(rule: LintRule, message: string, tasks: TaskRecord[] | string[], key = message): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const names = tasks.map((t) => (typeof t === 'string' ? t : t.label));
    this.emitLint({ ev: 'lint', rule, message, tasks: names });
  }

  /** Follows a process's events for the event-driven checks. */
  attach(ps: Pageserver): void {
    ps.lints = this;
    const scopes: Scope[] = [];
    this.scopes.set(ps, scopes);
    const lastAwait = new Map<string, string>();
    let lastCall: string | null = null;
    let shutdownScope: Scope | null = null;
    ps.log.subscribe((e: TraceEvent) => {
      switch (e.ev) {
        case 'spawn': {
          const task = ps.manager.findRegistered(e.task);
          if (!task) return;
          for (const s of scopes) if (s.open && matches(s.filter, task)) s.late.push(task);
          return;
        }
        case 'signal': {
          for (const s of scopes) s.late = s.late.filter((t) => t.label !== e.task);
          return;
        }
        case 'await':
          lastAwait.set(e.task, e.what);
          return;
        case 'shutdown_begin': {
          lastCall = e.label;
          const caller = e.caller ? ps.manager.findRegistered(e.caller) : undefined;
          if (caller && matches({ kind: e.kind, tenant: e.tenant, timeline: e.timeline }, caller)) {
            this.lint('self-join', `${who(caller)} called shutdown_tasks ${e.label}, whose filter matches the task itself: it will wait for its own join handle forever`, [caller]);
          }
          return;
        }
        case 'process_shutdown':
          if (!shutdownScope) {
            shutdownScope = { label: 'shutdown_pageserver', filter: { kind: null, tenant: null, timeline: null }, late: [], open: true };
            scopes.push(shutdownScope);
          }
          return;
        case 'shutdown_wait':
          if (e.took_handle) this.watchWait(ps, e.label, e.task, lastAwait);
          return;
        case 'exit':
          if (e.outcome === 'panic' || e.outcome === 'error') this.taskDied(ps, e.task, e.outcome);
          return;
        case 'process_exit': {
          if (!shutdownScope) return;
          for (const t of shutdownScope.late) {
            if (!ps.manager.registry.has(t.id)) continue;
            this.lint('late-spawn', `${who(t)} was spawned after ${lastCall ?? 'the shutdown sequence'} took its snapshot and was never waited for: process exit killed it`, [t], `late ${t.label}`);
          }
          return;
        }
        default:
          return;
      }
    });
  }

  // ---- stop scopes: detach, timeline delete -------------------------------------------

  beginScope(ps: Pageserver, label: string, filter: ShutdownFilter): Scope {
    const scope: Scope = { label, filter, late: [], open: true };
    this.scopes.get(ps)?.push(scope);
    return scope;
  }

  /** The operation returned: every task it should have stopped and did not wait for. */
  endScope(ps: Pageserver, scope: Scope | undefined): void {
    if (!scope) return;
    scope.open = false;
    for (const t of scope.late) {
      if (!ps.manager.registry.has(t.id)) continue;
      this.lint('late-spawn', `${who(t)} was spawned after ${scope.label} took its snapshot and was never waited for`, [t], `late ${t.label}`);
    }
  }

  // ---- waits -----------------------------------------------------------------------------

  private watchWait(ps: Pageserver, callLabel: string, victim: string, lastAwait: Map<string, string>): void {
    const after = ps.seconds(ps.config.stuckAfter);
    ps.host.at(ps.now() + after, () => {
      if (ps.dead) return;
      const call = ps.manager.calls.find((c) => c.label === callLabel);
      if (!call || call.state !== 'waiting' || call.current?.label !== victim) return;
      const what = lastAwait.get(victim);
      this.lint(
        'stuck-shutdown',
        `${callLabel} has waited ${ps.config.stuckAfter} s for ${who(call.current)}, which has not observed the shutdown request${what ? ` (it awaits: ${what})` : ''}`,
        [call.current],
        `stuck ${callLabel} ${victim}`,
      );
    });
  }

  // ---- tasks that died ----------------------------------------------------------------------

  private taskDied(ps: Pageserver, label: string, outcome: string): void {
    const task = ps.manager.findRegistered(label);
    if (!task) return;
    const args = (task.body.type === 'workload' ? task.body.args : {}) as Record<string, number>;
    const how = outcome === 'panic' ? 'panicked' : 'failed';
    switch (task.kind) {
      case 'RemoteUploadTask': {
        const client = ps.clients.get(args.client);
        const op = client?.queue.inprogress.get(args.task);
        if (client && op && client.queue.state === 'Initialized') {
          this.lint('orphaned-upload', `${who(task)} ${how} with its ${op.kind} in progress: the upload queue of ${client.tenant}/${client.timeline} is blocked behind it and wait_completion() never returns`, [task]);
        }
        return;
      }
      case 'LayerFlushTask': {
        const tl = ps.timelineObjects.get(args.tl);
        if (tl && tl.flushLoop === 'Running') {
          this.lint('flush-loop-stuck', `${who(task)} ${how}; flush_loop of ${tl.path} stays Running, so every later flush_frozen_layers_and_wait waits forever`, [task]);
        }
        return;
      }
      case 'Compaction':
      case 'GarbageCollector':
        if (task.timeline === null) this.lint('loop-gone', `${who(task)} ${how}: ${task.kind === 'Compaction' ? 'compaction' : 'GC'} stops for tenant ${task.tenant} until the next restart`, [task]);
        return;
      case 'InitialLoad':
      case 'Attach': {
        const t = ps.tenantObjects.get(args.tenant);
        if (t && (t.state === 'Loading' || t.state === 'Attaching')) {
          this.lint('stuck-loading', `${who(task)} ${how} before it could set tenant ${t.id} Broken: the tenant stays ${t.state} for good`, [task]);
        }
        return;
      }
      case 'WalReceiverManager': {
        const tl = ps.timelineObjects.get(args.tl);
        this.lint('ingest-stopped', `${who(task)} ${how}: its connection was dropped and WAL ingestion of ${task.tenant}/${task.timeline} stopped while the timeline stays ${tl?.state ?? 'Active'}`, [task]);
        return;
      }
      default:
        return;
    }
  }

  // ---- called by the model -------------------------------------------------------------------

  removingTimelineDir(ps: Pageserver, tenant: string, timeline: string, by: string): void {
    const pending: string[] = [];
    const tasks: string[] = [];
    for (const client of ps.clients.values()) {
      if (client.tenant !== tenant || client.timeline !== timeline) continue;
      for (const s of client.tasks.values()) {
        if (s.op.kind === 'UploadLayer') {
          pending.push(s.op.layer);
          if (s.label) tasks.push(s.label);
        }
      }
      for (const op of client.queue.queued) if (op.kind === 'UploadLayer') pending.push(op.layer);
    }
    if (!pending.length) return;
    const list = [...new Set(pending)].sort();
    this.lint(
      'pending-upload-deleted',
      `${by} removed tenants/${tenant}/timelines/${timeline} while ${list.length} layer upload${list.length > 1 ? 's were' : ' was'} pending (${list.join(', ')})${tasks.length ? `; ${tasks.join(', ')} will fail with "No such file or directory" and retry forever` : ''}`,
      tasks,
    );
  }

  activatedOutsideMap(ps: Pageserver, tenant: string, caller: TaskRecord | null): void {
    this.lint(
      'activate-outside-map',
      `tenant ${tenant} became Active after it had left TENANTS${caller ? `: ${who(caller)} spawned its loops and WAL receivers after the shutdown scans` : ''}`,
      caller ? [caller] : [],
    );
  }

  untrackedAfterRemoval(ps: Pageserver, label: string, tenant: string, message: string): void {
    this.lint('untracked-after-removal', `${label} (not a task_mgr task, so no detach waits for it) touched tenants/${tenant} after it was removed: ${message}`, [label]);
  }

  indexUploaded(ps: Pageserver, client: RemoteTimelineClient, index: IndexPart, caller: TaskRecord | null): void {
    const missing = Object.keys(index.timeline_layers).filter((l) => ps.remote.layer(client.tenant, client.timeline, l) === undefined);
    if (missing.length) {
      this.lint('remote-consistency', `${caller ? who(caller) : 'an upload'} uploads an index of ${client.tenant}/${client.timeline} that lists ${missing.join(', ')}, not (yet) in remote storage`, caller ? [caller] : []);
    }
    const prev = ps.remote.index(client.tenant, client.timeline);
    if (prev && index.metadata.disk_consistent_lsn < prev.metadata.disk_consistent_lsn) {
      this.lint('lsn-not-monotonic', `${caller ? who(caller) : 'an upload'} moves remote_consistent_lsn of ${client.tenant}/${client.timeline} back from ${prev.metadata.disk_consistent_lsn} to ${index.metadata.disk_consistent_lsn}`, caller ? [caller] : []);
    }
  }
}
