/**
 * The task side of the model's services: `call` is `ctx.service` with the model's
 * panics turned back into a panic of the calling body, and `taskActor` wraps a task
 * for the logic shared with untracked HTTP handlers (../actor.ts).
 */
import { Panic } from '../../core/errors';
import type { TaskContext } from '../../core/task-context';
import { isShutdownRequested } from '../../core/task-locals';
import type { Actor } from '../actor';
import { isPanicResult } from '../errors';

export async function call<T>(ctx: TaskContext, service: string, args: object, what?: string): Promise<T> {
  const value = await ctx.service<unknown>(service, args, what ?? service.replace(/^pageserver\./, ''));
  if (isPanicResult(value)) throw new Panic(value.__panic);
  return value as T;
}

/** `fail_point!(name)` inside a task. */
export function failpoint(ctx: TaskContext, name: string): Promise<void> {
  return call<void>(ctx, 'pageserver.failpoint', { name }, `failpoint ${name}`);
}

export function log(ctx: TaskContext, level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
  ctx.emit({ ev: 'log', level, message });
}

export function taskActor(ctx: TaskContext): Actor {
  return {
    label: ctx.label,
    tracked: true,
    call: (service, args, what) => call(ctx, service, args, what),
    sleep: (ticks, what) => ctx.sleep(ticks, what),
    isShutdownRequested: () => isShutdownRequested(),
    log: (level, message) => ctx.emit({ ev: 'log', level, message }),
  };
}

/** A select! between the shutdown watcher and a model condition answered as `shutdown`: the body observed it. */
export function observedShutdown(ctx: TaskContext): void {
  ctx.emit({ ev: 'observe', via: 'watcher' });
}
