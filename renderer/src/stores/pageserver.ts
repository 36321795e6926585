/**
 * The Pageserver panel: the tenants, timelines and process of a pageserver scenario
 * at the cursor, and the operations the user sends to the running model (detach,
 * delete, checkpoint, signals, crash, restart, inject into a task). A failed
 * operation's error is kept for the panel to show inline.
 *
 * The model is folded incrementally from the log lines index (the pageserver events
 * are log-like events there): moving the cursor forward applies only the new ones;
 * moving it back or a new log starts over.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { PageserverAction } from '../../../shared/protocol/lab';
import type { TaskKind } from '../../../shared/model/task-kind';
import { EV, type EventStore } from '../model/event-store';
import type { EventLog } from '../model/event-log';
import { type PageserverView, PageserverReducer, PAGESERVER_EVENTS } from '../model/pageserver';
import { useEventsStore } from './events';
import { useLabStore } from './lab';
import { useRunStatusStore } from './run-status';

/** Codes of the pageserver model's events (PAGESERVER_EVENTS). */
const PAGESERVER_CODES = new Set([...PAGESERVER_EVENTS].map((ev) => EV[ev as keyof typeof EV]));
function mayBePageserver(st: EventStore, i: number): boolean {
  return PAGESERVER_CODES.has(st.code[i]);
}

export const usePageserverStore = defineStore('pageserver', () => {
  const events = useEventsStore();
  const lab = useLabStore();
  const runStatus = useRunStatusStore();

  let folded: { log: EventLog; pos: number; cursor: number; reducer: PageserverReducer } | null = null;

  const view = computed<PageserverView>(() => {
    void events.revision;
    void events.length;
    const log = events.log;
    const cursor = events.cursor;
    if (folded === null || folded.log !== log || cursor < folded.cursor) folded = { log, pos: 0, cursor: 0, reducer: new PageserverReducer() };
    const lines = log.index.logLines;
    const st = log.store;
    let pos = folded.pos;
    while (pos < lines.length && lines[pos] < cursor) {
      const i = lines[pos++];
      if (!mayBePageserver(st, i)) continue;
      const e = st.peek(i) as { ev?: unknown };
      if (typeof e.ev === 'string' && PAGESERVER_EVENTS.has(e.ev)) folded.reducer.apply(e);
    }
    folded.pos = pos;
    folded.cursor = cursor;
    return folded.reducer.view();
  });

  /** Commands reach the model (stores/run-status.ts decides, and says why not). */
  const canCommand = computed(() => runStatus.status.canCommand);
  const processRunning = computed(() => view.value.process?.status === 'running');

  /** The last failed operation's error, shown inline until the next operation. */
  const error = ref<string | null>(null);
  /** What is being sent (buttons are disabled meanwhile). */
  const busy = ref<string | null>(null);

  // The "inject into" form.
  const injectKind = ref<TaskKind>('Compaction');
  const injectTenant = ref('');
  const injectTimeline = ref('');
  const injectFault = ref<'panic' | 'error'>('panic');
  const injectMessage = ref('injected from the Pageserver panel');

  async function perform(what: string, op: () => Promise<string | null>): Promise<boolean> {
    busy.value = what;
    error.value = null;
    try {
      const err = await op();
      error.value = err === null ? null : `${what}: ${err}`;
      return err === null;
    } finally {
      busy.value = null;
    }
  }

  function describe(a: PageserverAction): string {
    switch (a.do) {
      case 'attach':
      case 'detach':
        return `${a.do} ${a.tenant}`;
      case 'signal':
        return a.signal;
      case 'crash':
        return 'crash';
      case 'inject_into':
        return `inject ${a.fault} into ${a.kind}`;
      default:
        return `${a.do} ${a.tenant}/${a.timeline}`;
    }
  }

  function send(action: PageserverAction): Promise<boolean> {
    return perform(describe(action), () => lab.pageserver(action));
  }

  function restart(): Promise<boolean> {
    return perform('restart', () => lab.restart(true));
  }

  function injectInto(): Promise<boolean> {
    return send({
      do: 'inject_into',
      kind: injectKind.value,
      tenant: injectTenant.value.trim() || null,
      timeline: injectTimeline.value.trim() || null,
      fault: injectFault.value,
      message: injectMessage.value.trim() || `injected ${injectFault.value}`,
    });
  }

  return { view, canCommand, processRunning, error, busy, injectKind, injectTenant, injectTimeline, injectFault, injectMessage, send, restart, injectInto };
});
