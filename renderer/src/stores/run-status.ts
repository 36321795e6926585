/**
 * The run's status for the views: model/run-status.ts fed with the events store's
 * states (at the cursor and at the end of the log) and the Lab's connection and
 * status. Every word about the run's state, its badges and whether commands can be
 * sent come from here.
 */
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { runStatus } from '../model/run-status';
import { useEventsStore } from './events';
import { useLabStore } from './lab';

export const useRunStatusStore = defineStore('runStatus', () => {
  const lab = useLabStore();
  const events = useEventsStore();
  const status = computed(() => {
    void events.revision;
    void events.length;
    return runStatus({
      transport: lab.transport,
      connected: lab.connection === 'open',
      source: events.source,
      labMode: lab.status?.mode ?? null,
      labRunning: lab.status?.running ?? false,
      follow: events.follow,
      atCursor: events.state,
      atHead: events.log.head,
    });
  });
  return { status };
});
