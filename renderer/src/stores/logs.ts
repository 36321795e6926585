/**
 * Log lines at the cursor, tracing-style (time, level, task, message): the seed's
 * `debug!`/`info!`/`warn!`/`error!` lines as `log` events, plus Lab errors, process
 * events and newer events that carry text. A minimum level, a text filter and
 * follow (stick to the newest line) are the view's settings.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { LOG_LEVELS, type LogLevel } from '../../../shared/trace/events';
import { LogIndex } from '../model/log-index';
import { useEventsStore } from './events';

export { LOG_LEVELS };

export interface LogLine {
  idx: number;
  t: number;
  level: LogLevel;
  task: string | null;
  message: string;
}

type Fields = Record<string, unknown>;

/** Reads a log-ish event as a line; unknown events say what they are. */
export function toLogLine(e: Fields, idx: number): LogLine {
  const t = typeof e.t === 'number' ? e.t : 0;
  const task = typeof e.task === 'string' ? e.task : null;
  switch (e.ev) {
    case 'log': {
      const level = LOG_LEVELS.includes(e.level as LogLevel) ? (e.level as LogLevel) : 'info';
      return { idx, t, level, task, message: typeof e.message === 'string' ? e.message : '' };
    }
    case 'error':
      return { idx, t, level: 'error', task, message: `Lab error${typeof e.source === 'string' ? ` (${e.source})` : ''}: ${String(e.message)}` };
    case 'process_crash':
      return { idx, t, level: 'error', task, message: `process crashed: ${String(e.runtime)} worker ${String(e.worker)} (pid ${String(e.pid)}) exit code ${String(e.exit_code)} signal ${String(e.signal)}` };
    case 'process_shutdown':
      return { idx, t, level: 'info', task, message: `shutdown_pageserver(exit_code=${String(e.code)})${typeof e.cause === 'string' ? ` after ${e.cause} failed` : ''}` };
    case 'process_exit':
      return { idx, t, level: 'info', task, message: `process exited with code ${String(e.code)}` };
    case 'narration':
      return { idx, t, level: 'info', task, message: `== ${String(e.title ?? '')} == ${String(e.text ?? '')}` };
    case 'lint':
      return { idx, t, level: 'warn', task, message: `lint ${String(e.rule)}: ${String(e.message)}` };
    case 'assertion':
      return { idx, t, level: e.ok === true ? 'info' : 'error', task, message: `expected: ${String(e.description)}: ${e.ok === true ? 'holds' : `FAILED${typeof e.detail === 'string' ? ` (${e.detail})` : ''}`}` };
    case 'tenant_state':
      return { idx, t, level: 'info', task, message: `tenant ${String(e.tenant)}: ${e.from === null || e.from === undefined ? '' : `${String(e.from)} -> `}${String(e.state)}` };
    case 'timeline_state':
      return { idx, t, level: 'info', task, message: `timeline ${String(e.tenant)}/${String(e.timeline)}: ${e.from === null || e.from === undefined ? '' : `${String(e.from)} -> `}${String(e.state)}` };
    case 'flush_loop':
      return { idx, t, level: 'debug', task, message: `flush loop of ${String(e.tenant)}/${String(e.timeline)}: ${String(e.state)}` };
    case 'upload_queue':
      return { idx, t, level: 'debug', task, message: `upload queue ${String(e.tenant)}/${String(e.timeline)}: ${String(e.action)} ${String(e.op)}` };
    case 'http':
      return { idx, t, level: 'info', task, message: e.phase === 'response' ? `HTTP ${String(e.request)} -> ${String(e.status)} ${String(e.body)}` : `HTTP ${String(e.request)}` };
    case 'storage':
      return { idx, t, level: 'trace', task, message: `${String(e.where)} ${String(e.op)} ${String(e.path)}` };
    case 'process_start':
      return { idx, t, level: 'info', task, message: `pageserver process ${String(e.process)} starts` };
    case 'process_signal':
      return { idx, t, level: 'info', task, message: `${String(e.signal)} received: ${String(e.effect).replace('_', ' ')}${typeof e.cause === 'string' ? ` (${e.cause})` : ''}` };
    default: {
      const text = typeof e.message === 'string' ? e.message : String(e.text);
      const level = LOG_LEVELS.includes(e.level as LogLevel) ? (e.level as LogLevel) : 'info';
      return { idx, t, level, task, message: `[${String(e.ev)}] ${text}` };
    }
  }
}

export const useLogsStore = defineStore('logs', () => {
  const events = useEventsStore();
  const minLevel = ref<LogLevel>('debug');
  const text = ref('');
  const follow = ref(true);
  /** Only this task's lines (set from the inspector). */
  const task = ref<string | null>(null);

  /** Indices (into the log) of the lines to show, oldest first. */
  /**
   * Which lines pass: level and task from the columns (no decoding, so following a
   * long run stays cheap); the text filter decodes the lines that are left.
   */
  const lines = computed<number[]>(() => {
    void events.revision;
    const l = events.log;
    const st = l.store;
    const all = l.index.logLines;
    const n = LogIndex.countBelow(all, events.cursor);
    const min = LOG_LEVELS.indexOf(minLevel.value);
    const needle = text.value.trim().toLowerCase();
    if (min === 0 && needle === '' && task.value === null) return all.slice(0, n);
    const taskId = task.value === null ? -2 : st.idOf(task.value);
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = all[k];
      if (st.levelOf(i) < min) continue;
      if (taskId !== -2 && st.task[i] !== taskId) continue;
      if (needle !== '') {
        const line = toLogLine(st.get(i) as unknown as Fields, i);
        if (!`${line.task ?? ''} ${line.message}`.toLowerCase().includes(needle)) continue;
      }
      out.push(i);
    }
    return out;
  });

  function line(idx: number): LogLine {
    return toLogLine(events.log.store.get(idx) as unknown as Fields, idx);
  }

  return { minLevel, text, follow, task, lines, line };
});
