/**
 * The body-op interpreter: runs a template's ops in order inside its task
 * (FORMAT.md, "Body ops"). It only uses the task API and the task-local free
 * functions, so the same code runs in the simulator and in a pool worker. Every op
 * that waits first says what it waits for (the `await` event), which is what the
 * inspector and the "why is it stuck" view show.
 */
import type { Op, TaskTemplate } from '../../shared/scenario/types';
import { Panic, TaskError } from '../core/errors';
import type { TaskBody, TaskContext } from '../core/task-context';
import { associateWith, currentTaskKind, isShutdownRequested, shutdownWatcher } from '../core/task-locals';
import { templateSpawnSpec } from './template-spec';

/** What an op waits for, in the seed's words. */
export function describeOp(op: Op): string {
  switch (op.op) {
    case 'sleep':
      return `sleep ${op.ticks} ticks (ignores shutdown)`;
    case 'sleep_or_shutdown':
      return `select! { shutdown_watcher(), sleep ${op.ticks} ticks }`;
    case 'wait_shutdown':
      return 'shutdown_watcher()';
    case 'poll_shutdown':
      return `sleep ${op.every} ticks, then poll is_shutdown_requested()`;
    case 'shutdown_tasks':
      return `shutdown_tasks ${op.label} (kind ${op.kind ?? 'None'}, tenant ${op.tenant ?? 'None'}, timeline ${op.timeline ?? 'None'})`;
    case 'hang':
      return 'a future that never completes and ignores shutdown';
    case 'busy':
      return `blocking code for ${op.ticks} ticks (holds the worker thread)`;
    default:
      return op.op;
  }
}

/** One op; returns false when the body is over (`ok`, or shutdown won a `sleep_or_shutdown`). */
async function step(ctx: TaskContext, op: Op, templates: Record<string, TaskTemplate>): Promise<boolean> {
  switch (op.op) {
    case 'sleep':
      await ctx.sleep(op.ticks, describeOp(op));
      return true;
    case 'sleep_or_shutdown':
      if (await ctx.sleepOrShutdown(op.ticks, describeOp(op))) {
        ctx.emit({ ev: 'observe', via: 'watcher' });
        return false;
      }
      return true;
    case 'wait_shutdown':
      await shutdownWatcher(describeOp(op));
      ctx.emit({ ev: 'observe', via: 'watcher' });
      return true;
    case 'poll_shutdown':
      for (;;) {
        if (isShutdownRequested()) {
          ctx.emit({ ev: 'observe', via: 'poll' });
          return true;
        }
        await ctx.sleep(op.every, describeOp(op));
      }
    case 'check_shutdown':
      ctx.emit({ ev: 'check', value: isShutdownRequested() });
      return true;
    case 'record_kind':
      ctx.emit({ ev: 'kind', kind: currentTaskKind() });
      return true;
    case 'associate':
      associateWith(op.tenant, op.timeline);
      return true;
    case 'spawn':
      ctx.spawn(templateSpawnSpec(templates[op.task]));
      return true;
    case 'shutdown_tasks':
      await ctx.shutdownTasks(op.label, { kind: op.kind, tenant: op.tenant, timeline: op.timeline });
      return true;
    case 'hang':
      await ctx.hang(describeOp(op));
      return true;
    case 'busy':
      await ctx.busy(op.ticks, describeOp(op));
      return true;
    case 'ok':
      return false;
    case 'error':
      throw new TaskError(op.message);
    case 'panic':
      throw new Panic(op.message);
  }
}

/** The body of a template: its ops in order; reaching the end returns Ok. */
export function templateBody(tpl: TaskTemplate, templates: Record<string, TaskTemplate>): TaskBody {
  return async (ctx) => {
    for (const op of tpl.body) {
      if (!(await step(ctx, op, templates))) return;
    }
  };
}
