/**
 * How the model's operations fail. A `ModelError` is an `anyhow::Error` of the seed:
 * a task that gets one from a service call sees its `Err`, an HTTP handler answers
 * with a status. A panic inside the model (the seed's `panic!`/`unreachable!`) is
 * core's `Panic`, which the service layer hands to the calling body so that the body
 * itself panics, as the Rust code would unwind in that task.
 */
export class ModelError extends Error {
  override name = 'ModelError';
  constructor(
    message: string,
    /** The HTTP status when this error answers a management request. */
    readonly status = 500,
  ) {
    // An expected failure of the model (an `Err`, an HTTP status): nobody reads its
    // stack, and capturing one (async frames included) was 4% of an exploration's
    // time, the `return` failpoints of a retry loop throwing one per attempt.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

/** A service result that makes the calling body panic (the model panicked in its task). */
export interface PanicResult {
  __panic: string;
}

export function isPanicResult(v: unknown): v is PanicResult {
  return typeof v === 'object' && v !== null && typeof (v as PanicResult).__panic === 'string';
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
