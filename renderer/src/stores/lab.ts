/**
 * The connection to the Lab: which transport, its status, and every command the
 * renderer sends. Results are data (`{ ok, value | error }`): a failed command becomes
 * a notice, never an exception in a view.
 *
 * It also hands the Lab's pushes to the log sync (../model/log-sync.ts), which keeps
 * the events store in step with the Lab's log (gaps, catch-up, a new log).
 */
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { LabApi, LabPush, LabRequest, PageserverAction, LabRequestType, LabResult, LabStatus, RunMode, ScenarioSource } from '../../../shared/protocol/lab';
import type { TaskKind } from '../../../shared/model/task-kind';
import type { LabTransport } from '../api/pick-lab';
import type { ConnectionState } from '../api/ws-lab';
import { LogSync, type SyncedLog } from '../model/log-sync';
import { useEventsStore } from './events';

export interface Notice {
  id: number;
  level: 'info' | 'error';
  text: string;
}

/** Recordings larger than this are parsed in the page instead of sent to the backend. */
export const LOCAL_PARSE_BYTES = 8 * 1024 * 1024;

export const useLabStore = defineStore('lab', () => {
  const api = shallowRef<LabApi | null>(null);
  const transport = ref<LabTransport>('offline');
  const connection = ref<ConnectionState>('connecting');
  const status = ref<LabStatus | null>(null);
  const notices = ref<Notice[]>([]);
  let noticeId = 0;
  let unsubscribe: (() => void) | null = null;

  function notify(level: Notice['level'], text: string): void {
    const n = { id: ++noticeId, level, text };
    notices.value = [...notices.value.slice(-4), n];
    setTimeout(() => dismiss(n.id), level === 'error' ? 12_000 : 5000);
  }
  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  async function call<T extends LabRequestType>(req: Extract<LabRequest, { type: T }>, quiet = false): Promise<LabResult<T>> {
    const a = api.value;
    if (!a) return { ok: false, error: 'not connected' };
    let r: LabResult<T>;
    try {
      r = await a.request(req);
    } catch (err) {
      r = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    // The Lab's own words: a request's internal name means nothing to the user.
    if (!r.ok && !quiet) notify('error', r.error);
    return r;
  }

  /** Keeps the events store in step with the Lab's log (see LogSync). */
  let sync: LogSync | null = null;
  function logSync(): LogSync {
    if (sync !== null) return sync;
    const events = useEventsStore();
    const log: SyncedLog = {
      get source() {
        return events.source;
      },
      get length() {
        return events.length;
      },
      reset: (batch) => events.reset(batch),
      appendFromLab: (from, batch) => events.appendFromLab(from, batch),
      markBehind: () => (events.labBehind = true),
    };
    sync = new LogSync(log, async (from) => {
      const r = await call({ type: 'events', from }, true);
      return r.ok ? r.value : null;
    });
    return sync;
  }

  /** Fetches the Lab's log from `from` (0 with reset: a new log). */
  function catchUp(from: number, reset: boolean): Promise<void> {
    return logSync().catchUp(from, reset);
  }

  type ExplorePush = Extract<LabPush, { type: 'explore' }>;
  const exploreListeners = new Set<(progress: ExplorePush['progress']) => void>();
  /** Hears the explorer's progress pushes until the returned function is called. */
  function onExploreProgress(listener: (progress: ExplorePush['progress']) => void): () => void {
    exploreListeners.add(listener);
    return () => exploreListeners.delete(listener);
  }

  function onPush(push: LabPush): void {
    const events = useEventsStore();
    if (push.type === 'status') {
      status.value = push.status;
      events.setRunning(push.status.running && (push.status.mode === 'sim' || push.status.mode === 'live'));
      events.labReplay = push.status.mode === 'replay';
      logSync().onStatus(push.status.events);
      return;
    }
    if (push.type === 'explore') {
      // The Explore store subscribes when it is created (it starts every exploration),
      // so the Lab store need not know it: no import cycle between the two.
      for (const listener of exploreListeners) listener(push.progress);
      return;
    }
    if (push.type !== 'events' || !Array.isArray(push.events)) return;
    logSync().onEvents(push);
  }

  /** Connects the store to a Lab API and loads its current log. */
  async function init(a: LabApi, t: LabTransport, onConnection?: (listen: (s: ConnectionState) => void) => void): Promise<void> {
    unsubscribe?.();
    api.value = markRaw(a);
    transport.value = t;
    connection.value = t === 'offline' ? 'closed' : 'open';
    onConnection?.((s) => (connection.value = s));
    // The Lab sends a new subscriber its whole log (a reset push) and its status; the
    // status check in onPush fetches anything that does not arrive.
    unsubscribe = a.subscribe(onPush);
    if (t === 'offline') return;
    const s = await call({ type: 'status' }, true);
    if (s.ok) onPush({ type: 'status', status: s.value });
  }

  /** Leaves a recording opened in the page and shows the Lab's log again. */
  async function backToLab(): Promise<void> {
    const events = useEventsStore();
    events.reset([], 'lab');
    events.labBehind = false;
    if (transport.value !== 'offline') await catchUp(0, true);
  }

  // ---- commands ----------------------------------------------------------------

  async function run(scenario: ScenarioSource, mode: RunMode, opts: { seed?: number; policy?: 'fifo' | 'random'; tickMs?: number } = {}): Promise<boolean> {
    const events = useEventsStore();
    if (events.source !== 'lab') events.reset([], 'lab');
    const r = await call({ type: 'run', scenario, mode, ...opts });
    if (r.ok) {
      status.value = r.value;
      events.setRunning(r.value.running);
      events.labReplay = false;
      notify('info', `running ${r.value.title ?? 'scenario'} (${mode})`);
    }
    return r.ok;
  }
  async function stop(): Promise<void> {
    const r = await call({ type: 'stop' });
    if (r.ok) onPush({ type: 'status', status: r.value });
  }
  /** Restarts the run's crashed or exited pageserver process (or the last scenario); returns the error, if any. */
  async function restart(quiet = false): Promise<string | null> {
    const r = await call({ type: 'restart' }, quiet);
    if (r.ok) onPush({ type: 'status', status: r.value });
    return r.ok ? null : r.error;
  }
  /** An operation on the running pageserver model; returns the error, if any (the caller shows it). */
  async function pageserver(action: PageserverAction): Promise<string | null> {
    const r = await call({ type: 'pageserver', action }, true);
    return r.ok ? null : r.error;
  }
  async function inject(task: string, fault: 'panic' | 'error', message: string): Promise<boolean> {
    const r = await call({ type: 'inject', task, fault, message });
    if (r.ok && !r.value.applied) notify('error', `inject ${fault}: ${task} is not running`);
    return r.ok && r.value.applied;
  }
  async function shutdownTasks(label: string, kind: TaskKind | null, tenant: string | null, timeline: string | null): Promise<boolean> {
    const r = await call({ type: 'shutdownTasks', label, kind, tenant, timeline });
    if (r.ok) notify('info', `shutdown_tasks "${r.value.label}" started`);
    return r.ok;
  }
  async function shutdownPageserver(exitCode: number): Promise<boolean> {
    const r = await call({ type: 'shutdownPageserver', exitCode });
    if (r.ok) notify('info', r.value.started ? `pageserver shutdown (exit code ${exitCode}) started` : 'the pageserver is already shutting down');
    return r.ok;
  }

  /**
   * Opens a recording: small files through the Lab (it becomes the Lab's replay, and
   * the Lab can save or export it), big ones streamed in the page.
   */
  async function openRecording(file: Blob, filename: string): Promise<boolean> {
    const events = useEventsStore();
    if (file.size <= LOCAL_PARSE_BYTES && transport.value !== 'offline') {
      const text = await file.text();
      // The log shown is kept until the Lab has taken the file as a recording.
      const r = await call({ type: 'openRecording', text, filename });
      if (!r.ok) return false;
      events.reset([], 'lab');
      if (r.value.truncated) notify('info', `${filename}: the last line was cut off and was dropped`);
      await catchUp(0, true);
      return true;
    }
    try {
      const r = await events.openBlob(file, filename);
      if (r.truncated) notify('info', `${filename}: the last line was cut off and was dropped`);
      return true;
    } catch (err) {
      notify('error', `${filename}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  return {
    onExploreProgress,
    api,
    transport,
    connection,
    status,
    notices,
    notify,
    dismiss,
    call,
    init,
    catchUp,
    backToLab,
    run,
    stop,
    restart,
    pageserver,
    inject,
    shutdownTasks,
    shutdownPageserver,
    openRecording,
  };
});
