/**
 * The thread that parses users' scenario texts for the Lab (./parse-worker.ts):
 * each message is one text, each answer the parser's result, as data. It runs in
 * a worker thread so that a hostile file (a megabyte of YAML takes seconds) never
 * holds up the backend's event loop and the other clients it serves.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { parseText } from './library';

export interface ParseJob {
  id: number;
  text: string;
  filename: string;
}

// Below the backend's own thread: on a busy machine the event loop that serves the
// clients gets the CPU first (on Linux, pid 0 is this thread alone).
try {
  setPriority(0, 10);
} catch {
  // not permitted here: the parse still runs off the event loop
}

// Said first, so that a thread that cannot even load is told apart from a text that kills it.
parentPort?.postMessage({ ready: true });

parentPort?.on('message', (job: ParseJob) => {
  parentPort?.postMessage({ id: job.id, loaded: parseText(job.text, job.filename) });
});
