/**
 * The deciders of the explorer (the seam is ../sim/decisions.ts): the replay of a
 * schedule, the random walk, and the recorder that writes down what another decider
 * chose, so that any run can be saved as a schedule file. PCT and the bounded
 * depth-first search have their own modules (./pct.ts, ./dfs.ts).
 *
 * Every decider counts choice points itself: the position of a choice is the number
 * of choices made before it in the same run.
 */
import type { Decision, DecisionKind } from '../../shared/protocol/schedule';
import type { ChoiceKind, Decider } from '../sim/decisions';
import { Rng } from '../sim/rng';

/** The seed of schedule `i` of an exploration: depends only on the exploration's seed and i. */
export function scheduleSeed(seed: number, i: number): number {
  // splitmix32-style mixing, so that neighbouring i give unrelated streams.
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(i + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0;
  return (z ^ (z >>> 15)) >>> 0;
}

/** Replays a schedule: its decisions at their positions, the default everywhere else. */
export class ReplayDecider implements Decider {
  private pos = 0;
  private readonly at = new Map<number, Decision>();

  constructor(
    decisions: readonly Decision[],
    readonly jitter: number,
  ) {
    for (const d of decisions) this.at.set(d.pos, d);
  }

  choose(kind: ChoiceKind, n: number): number {
    const d = this.at.get(this.pos++);
    // A decision that no longer fits its point (shrinking moved the points) is the default.
    return d && d.kind === kind && d.value < n ? d.value : 0;
  }

  delta(bound: number): number {
    const d = this.at.get(this.pos++);
    return d && d.kind === 'jitter' && Math.abs(d.value) <= bound ? d.value : 0;
  }
}

/** Uniform choices and jitter, from a seeded stream. */
export class RandomDecider implements Decider {
  private readonly rng: Rng;

  constructor(
    seed: number,
    readonly jitter: number,
  ) {
    this.rng = new Rng(seed);
  }

  choose(_kind: ChoiceKind, n: number): number {
    return this.rng.int(n);
  }

  delta(bound: number): number {
    return this.rng.int(2 * bound + 1) - bound;
  }
}

/** Wraps a decider and writes down every choice: the non-default ones become a schedule. */
export class RecordingDecider implements Decider {
  /** Choice points met so far. */
  points = 0;
  readonly decisions: Decision[] = [];

  constructor(readonly inner: Decider) {}

  get jitter(): number {
    return this.inner.jitter;
  }

  /** PCT ranks ready tasks by their labels: ask for them when the wrapped decider does. */
  get wantsLabels(): boolean {
    return this.inner.wantsLabels === true;
  }

  choose(kind: ChoiceKind, n: number, labels?: readonly string[]): number {
    const v = this.inner.choose(kind, n, labels);
    this.note(kind, v);
    return v;
  }

  delta(bound: number): number {
    const v = this.inner.delta(bound);
    this.note('jitter', v);
    return v;
  }

  private note(kind: DecisionKind, value: number): void {
    if (value !== 0) this.decisions.push({ pos: this.points, kind, value });
    this.points++;
  }
}
