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
import { type LogLine, toLogLine } from '../model/log-line';
import { useEventsStore } from './events';

export { LOG_LEVELS, type LogLine };

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
        const line = toLogLine(st.get(i), i);
        if (!`${line.task ?? ''} ${line.what} ${line.message}`.toLowerCase().includes(needle)) continue;
      }
      out.push(i);
    }
    return out;
  });

  function line(idx: number): LogLine {
    return toLogLine(events.log.store.get(idx), idx);
  }

  return { minLevel, text, follow, task, lines, line };
});
