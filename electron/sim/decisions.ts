/**
 * The decision seam of the simulator (DESIGN.md section 4.5): every nondeterministic
 * choice of a simulated run is drawn here, so that a run is a function of its
 * schedule. A run meets choice points in a fixed order; at each one a `Decider`
 * answers, and 0 is always the default (fifo, id-order joins, no jitter), which
 * gives exactly the trace of a plain fifo run. A choice point is counted only where
 * there is a choice: two or more ready tasks, workers or victims, a wait long enough
 * to be jittered.
 *
 * Deciders are the strategies of the explorer (electron/explore/), the replay of a
 * schedule file, and the recorder that wraps either to write down what was chosen.
 */
import type { DecisionKind } from '../../shared/protocol/schedule';

export type ChoiceKind = Exclude<DecisionKind, 'jitter'>;

export interface Decider {
  /** The jitter bound, a fraction of each timed wait (0: timed waits are not choice points). */
  readonly jitter: number;
  /**
   * One of `n` >= 2 possibilities (an index; 0 is the default). `labels` (the tasks
   * of the possibilities, default first) are given only to a decider that wants them.
   */
  choose(kind: ChoiceKind, n: number, labels?: readonly string[]): number;
  /** PCT keeps a priority per task: it needs the labels. */
  readonly wantsLabels?: boolean;
  /** A timed wait may be `bound` >= 1 ticks shorter or longer: the delta, from -bound to bound. */
  delta(bound: number): number;
}

/** The jitter bound of a wait of `ticks` under the fraction `jitter`: |delta| <= floor(jitter × ticks). */
export function jitterBound(jitter: number, ticks: number): number {
  return jitter > 0 && ticks > 0 ? Math.floor(jitter * ticks + 1e-9) : 0;
}

/** What a choice point was about, for the words of a shrunk explanation (only when asked for). */
export interface ChoiceContext {
  /** The virtual tick. */
  tick: number;
  /** run/order/join: the possibilities' task labels, default first. */
  options: string[];
  /** jitter: the waiting task (null: the pageserver model's own work), what it waits for, the ticks asked. */
  task: string | null;
  what: string | null;
  ticks: number;
}

/**
 * Told the context of every choice, right after the decider answered (the explorer's
 * annotating replay pairs them with the decider's own record, in order). Unset in
 * ordinary runs, so that they pay nothing for it.
 */
export type ChoiceObserver = (ctx: ChoiceContext) => void;

/** Draws one of `items` (two or more) at a choice point, telling the observer if any. */
export function chooseAmong<T>(kind: ChoiceKind, items: readonly T[], d: Decider, labelOf: (item: T) => string, observe: ChoiceObserver | null, tick: number): number {
  const labels = d.wantsLabels || observe ? items.map(labelOf) : undefined;
  const k = d.choose(kind, items.length, labels);
  if (observe) observe({ tick, options: labels ?? [], task: null, what: null, ticks: 0 });
  return k;
}

/** Puts the chosen item first among the rest, position by position (the order of a round, of a call's joins). */
export function orderBy<T>(items: T[], kind: ChoiceKind, d: Decider, labelOf: (item: T) => string, observe: ChoiceObserver | null, tick: number): T[] {
  for (let i = 0; i < items.length - 1; i++) {
    const k = chooseAmong(kind, i === 0 ? items : items.slice(i), d, labelOf, observe, tick);
    if (k > 0) {
      const [x] = items.splice(i + k, 1);
      items.splice(i, 0, x);
    }
  }
  return items;
}

/** The length of a timed wait of `ticks` under a decider: a choice point when it is long enough to jitter. */
export function jitterTicks(d: Decider | null, observe: ChoiceObserver | null, tick: number, ticks: number, task: string | null, what: string): number {
  const bound = d ? jitterBound(d.jitter, ticks) : 0;
  if (!d || bound === 0) return ticks;
  const delta = d.delta(bound);
  if (observe) observe({ tick, options: [], task, what, ticks });
  return ticks + delta;
}
