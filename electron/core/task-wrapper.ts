/**
 * The seed's `task_wrapper`: runs a body inside its task-locals and turns how it
 * ended into the outcome `task_finish` classifies (`catch_unwind` around the future).
 * Shared by the simulator and the pool workers, so both classify alike.
 */
import { classifyFailure } from './errors';
import type { TaskBody, TaskContext } from './task-context';
import { runWithLocals } from './task-locals';

export interface BodyResult {
  outcome: 'ok' | 'error' | 'panic';
  message: string | null;
}

export async function runTaskBody(ctx: TaskContext, body: TaskBody): Promise<BodyResult> {
  try {
    await runWithLocals({ task: ctx }, () => body(ctx));
    return { outcome: 'ok', message: null };
  } catch (err) {
    return classifyFailure(err);
  }
}

/** Resolves what a task runs (a template's ops, a named workload) into a body. */
export type BodyResolver = (spec: import('./executor').BodySpec) => TaskBody;
