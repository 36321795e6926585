/**
 * A task's `JoinHandle<()>`: completes when the task's wrapper future completes,
 * which is after `task_finish` (so never, for a task whose failure ran the process
 * shutdown sequence: that ends in `process::exit`). Callbacks run synchronously when
 * it completes, so a waiting `shutdown_tasks` call moves on in the same turn as the
 * victim's exit and the trace keeps the seed's order (exit, then shutdown_end).
 */
export class JoinHandle {
  /** Allocated on the first waiter: most tasks end without anyone waiting for them. */
  private waiters: Array<() => void> | null = null;
  done = false;

  onDone(waiter: () => void): () => void {
    if (this.done) {
      waiter();
      return () => {};
    }
    (this.waiters ??= []).push(waiter);
    return () => {
      this.waiters = this.waiters?.filter((w) => w !== waiter) ?? null;
    };
  }

  complete(): void {
    if (this.done) return;
    this.done = true;
    const waiters = this.waiters;
    this.waiters = null;
    if (waiters) for (const w of waiters) w();
  }
}
