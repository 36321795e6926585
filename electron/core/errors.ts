/**
 * How a task body ends badly. The seed's futures return `anyhow::Result<()>`, so an
 * error is a value the body returns, while a panic unwinds and is caught by
 * `catch_unwind` in `task_wrapper`. In TypeScript both are thrown: a `TaskError` is the
 * body's `Err`, anything else (a `Panic`, a TypeError from a bug) is a panic.
 */
import type { FaultKind } from '../../shared/model';

/** The body's `Err(e)`: the task ends with outcome `error`. */
export class TaskError extends Error {
  override name = 'TaskError';
}

/** `panic!(message)`: the task ends with outcome `panic`. */
export class Panic extends Error {
  override name = 'Panic';
}

/** An injected fault: abandons the task's current await and ends it as `kind`. */
export class InjectedFault extends Error {
  override name = 'InjectedFault';
  constructor(
    readonly kind: FaultKind,
    message: string,
  ) {
    super(message);
  }
}

/** Classifies what a body threw into the seed's outcome and message. */
export function classifyFailure(err: unknown): { outcome: 'error' | 'panic'; message: string } {
  if (err instanceof InjectedFault) return { outcome: err.kind, message: err.message };
  if (err instanceof TaskError) return { outcome: 'error', message: err.message };
  if (err instanceof Error) return { outcome: 'panic', message: err.message };
  return { outcome: 'panic', message: String(err) };
}
