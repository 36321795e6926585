/**
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi and
 * Nagarakatte, ASPLOS 2010), for the simulator's choice points. Every task gets a
 * random priority the first time it is a possibility (tasks created later get
 * theirs then, as in the Coyote variant); at a `run` or `order` choice the
 * highest-priority task goes first; at d - 1 change points, drawn among the run's
 * expected k scheduling choices, the task just chosen drops below every other. A bug
 * that needs d ordering constraints is then hit with probability at least
 * 1/(n·k^(d-1)) per run. Join orders and jitter are drawn uniformly, as in the
 * random walk: priorities say nothing about time.
 */
import type { ChoiceKind, Decider } from '../sim/decisions';
import { Rng } from '../sim/rng';

export class PctDecider implements Decider {
  readonly wantsLabels = true;
  private readonly rng: Rng;
  private readonly priority = new Map<string, number>();
  /** Scheduling choices made so far, and the ones at which the chosen task drops. */
  private steps = 0;
  private readonly changePoints = new Set<number>();
  /** The lowest priority given so far (a dropped task goes below it). */
  private lowest = 0;

  /**
   * `depth`: the bug depth d; `k`: the expected number of scheduling choices of a run
   * (the explorer counts those of the default schedule).
   */
  constructor(
    seed: number,
    readonly jitter: number,
    depth: number,
    k: number,
  ) {
    this.rng = new Rng(seed);
    const span = Math.max(1, k);
    for (let i = 0; i < depth - 1; i++) this.changePoints.add(this.rng.int(span));
  }

  private prio(label: string): number {
    let p = this.priority.get(label);
    if (p === undefined) {
      // Distinct with probability 1; in (1, 2) so that dropped tasks (<= 0) stay below.
      p = 1 + this.rng.next();
      this.priority.set(label, p);
    }
    return p;
  }

  choose(kind: ChoiceKind, n: number, labels?: readonly string[]): number {
    if (kind === 'join' || !labels) return this.rng.int(n);
    let best = 0;
    let bestP = -Infinity;
    for (let i = 0; i < n; i++) {
      const p = this.prio(labels[i]);
      if (p > bestP) {
        bestP = p;
        best = i;
      }
    }
    if (this.changePoints.has(this.steps++)) this.priority.set(labels[best], --this.lowest);
    return best;
  }

  delta(bound: number): number {
    return this.rng.int(2 * bound + 1) - bound;
  }
}
