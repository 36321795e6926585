/**
 * Waiting in tests: `until` polls a condition until it holds and fails after a bound,
 * saying what it waited for (the words given, a predicate's `awaited` words, else its
 * source), so that a test waiting on a Lab, a server or a process fails with one clear
 * line rather than a bare timeout. Every test that waits uses this, not a loop of its own.
 */

/** A condition, with the words a timed-out `until` says it waited for. */
export type Condition = (() => boolean) & { awaited?: string };

/** `pred` with the words a timed-out `until` uses for it. */
export function awaiting(words: string, pred: () => boolean): Condition {
  return Object.assign(() => pred(), { awaited: words });
}

export interface Until {
  (pred: Condition, ms?: number): Promise<void>;
  (what: string, pred: () => boolean, ms?: number): Promise<void>;
}

/**
 * An `until` whose calls wait at most `defaultMs` unless they give their own bound;
 * `context`, read when one times out, adds to its message (e.g. the last events).
 */
export function untilWithin(defaultMs: number, context?: () => string): Until {
  return async (a: Condition | string, b?: number | (() => boolean), c?: number): Promise<void> => {
    const pred = typeof a === 'string' ? awaiting(a, b as () => boolean) : a;
    const ms = (typeof a === 'string' ? c : (b as number | undefined)) ?? defaultMs;
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) {
        throw new Error(`timed out after ${ms} ms waiting for ${pred.awaited ?? pred.toString()}${context ? `; ${context()}` : ''}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
}

/** Waits at most 5 s unless told otherwise. */
export const until: Until = untilWithin(5000);
