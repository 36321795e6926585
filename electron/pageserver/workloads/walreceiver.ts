/**
 * WAL receiver tasks (section 5.4). The manager's loop step waits for the timeline
 * to be Active, starts a connection (a raw tokio task, not a task_mgr task, which
 * spawns the WalReceiverConnection poller) and returns when the timeline leaves
 * Active, keeping the connection. On shutdown the manager shuts its connection down
 * first. The poller never looks at task_mgr: it ends when the connection's
 * cancellation fires or its sender is dropped (a panicking manager).
 */
import type { Workload } from '../../scenario/bodies';
import { call, observedShutdown } from './task-actor';

export const walReceiverManager: Workload = (args) => async (ctx) => {
  const { tl } = args as { tl: number };
  for (;;) {
    const r = await call<'shutdown' | 'continue' | 'break'>(ctx, 'pageserver.walreceiver.loop_step', { tl }, 'select! { shutdown_watcher(), connection_manager_loop_step() }');
    if (r === 'shutdown') {
      observedShutdown(ctx);
      await call(ctx, 'pageserver.walreceiver.shutdown', { tl }, 'walreceiver_state.shutdown(): cancel and await the connection');
      return;
    }
    if (r === 'break') return;
  }
};

export const walReceiverConnection: Workload = (args) => async (ctx) => {
  const { conn } = args as { conn: number };
  await call(ctx, 'pageserver.walreceiver.poll', { conn }, 'polling the replication connection until its TaskHandle is cancelled');
};
