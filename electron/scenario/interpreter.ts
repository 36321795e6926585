/**
 * The body-op interpreter: runs a template's ops in order inside its task
 * (FORMAT.md, "Body ops"). It only uses the task API and the task-local free
 * functions, so the same code runs in the simulator and in a pool worker. Every op
 * that waits first says what it waits for (the `await` event), which is what the
 * inspector and the "why is it stuck" view show.
 */
import type { Op, TaskTemplate } from '../../shared/scenario/types';
import { Panic, TaskError } from '../core/errors';
import type { TaskBody } from '../core/task-context';
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

/** The body of a template: its ops in order; reaching the end returns Ok. */
export function templateBody(tpl: TaskTemplate, templates: Record<string, TaskTemplate>): TaskBody {
  const what = tpl.body.map(describeOp);
  return async (ctx) => {
    const ops = tpl.body;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      switch (op.op) {
        case 'sleep':
          await ctx.sleep(op.ticks, what[i]);
          break;
        case 'sleep_or_shutdown':
          if (await ctx.sleepOrShutdown(op.ticks, what[i])) {
            ctx.emit({ ev: 'observe', via: 'watcher' });
            return;
          }
          break;
        case 'wait_shutdown':
          await shutdownWatcher(what[i]);
          ctx.emit({ ev: 'observe', via: 'watcher' });
          break;
        case 'poll_shutdown':
          while (!isShutdownRequested()) await ctx.sleep(op.every, what[i]);
          ctx.emit({ ev: 'observe', via: 'poll' });
          break;
        case 'check_shutdown':
          ctx.emit({ ev: 'check', value: isShutdownRequested() });
          break;
        case 'record_kind':
          ctx.emit({ ev: 'kind', kind: currentTaskKind() });
          break;
        case 'associate':
          associateWith(op.tenant, op.timeline);
          break;
        case 'spawn':
          ctx.spawn(templateSpawnSpec(templates[op.task]));
          break;
        case 'shutdown_tasks':
          await ctx.shutdownTasks(op.label, { kind: op.kind, tenant: op.tenant, timeline: op.timeline });
          break;
        case 'hang':
          await ctx.hang(what[i]);
          break;
        case 'busy':
          await ctx.busy(op.ticks, what[i]);
          break;
        case 'ok':
          return;
        case 'error':
          throw new TaskError(op.message);
        case 'panic':
          throw new Panic(op.message);
      }
    }
  };
}
