/**
 * The entry point of a pool worker process (forked by a ProcessLauncher). Opens the
 * channel to the coordinator, whichever launcher started us, and runs the worker
 * loop. An error that escapes everything is reported to the coordinator and ends
 * the process: the coordinator sees the exit as a crash of the simulated pageserver.
 */
import { openParentChannel } from './parent-channel';
import { runWorker } from './worker-main';

const loop = runWorker(openParentChannel());

let failing = false;
process.on('uncaughtException', (err) => {
  if (failing) return;
  failing = true;
  loop.problem(`uncaught error in pool worker ${process.env.TASKMGR_WORKER ?? process.pid}: ${err?.stack ?? err}`);
  setTimeout(() => process.exit(70), 50);
});
