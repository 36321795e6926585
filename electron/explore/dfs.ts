/**
 * Bounded exhaustive search of a scenario's choice points, delay-bounded in the
 * sense of Emmi, Qadeer and Rakamarić (POPL 2011): every schedule with at most K
 * non-default choices (`--max-preemptions`), in depth-first order, jitter restricted
 * to {0, +j, -j} where j is the wait's full bound. The search is stateless: each
 * schedule is a forced prefix of choices, replayed from the start; after a run, the
 * deepest choice that can still take its next option within the bound is advanced
 * and everything after it goes back to the default. When no choice can advance, the
 * bounded space is exhausted: no failure so far is then a proof within the bound.
 */
import type { ChoiceKind, Decider } from '../sim/decisions';

/** Follows a forced prefix of option indices, then the default; writes down every point. */
export class DfsDecider implements Decider {
  /** Options and the taken option index at every choice point of the run. */
  readonly options: number[] = [];
  readonly taken: number[] = [];

  constructor(
    private readonly prefix: readonly number[],
    readonly jitter: number,
  ) {}

  private pick(n: number): number {
    const i = this.taken.length;
    const v = i < this.prefix.length && this.prefix[i] < n ? this.prefix[i] : 0;
    this.options.push(n);
    this.taken.push(v);
    return v;
  }

  choose(_kind: ChoiceKind, n: number): number {
    return this.pick(n);
  }

  delta(bound: number): number {
    const v = this.pick(3);
    return v === 0 ? 0 : v === 1 ? bound : -bound;
  }
}

export class DfsSearch {
  private prefix: number[] | null = [];

  constructor(readonly maxDeviations: number) {}

  /** The forced prefix of the next schedule, or null when the bounded space is exhausted. */
  next(): readonly number[] | null {
    return this.prefix;
  }

  get exhausted(): boolean {
    return this.prefix === null;
  }

  /** After running the current schedule with `d`: moves to the next one. */
  advance(d: DfsDecider): void {
    const { options, taken } = d;
    const before: number[] = new Array<number>(taken.length);
    let nd = 0;
    for (let i = 0; i < taken.length; i++) {
      before[i] = nd;
      if (taken[i] !== 0) nd++;
    }
    for (let p = taken.length - 1; p >= 0; p--) {
      if (taken[p] + 1 < options[p] && before[p] + 1 <= this.maxDeviations) {
        const next = taken.slice(0, p);
        next.push(taken[p] + 1);
        this.prefix = next;
        return;
      }
    }
    this.prefix = null;
  }
}
