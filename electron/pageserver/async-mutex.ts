/**
 * A tokio `Mutex` as the pageserver's `layer_removal_cs`: awaiting it frees the
 * worker, waiters are served in order, there is no timeout, and a panicking holder
 * releases it (tokio mutexes are not poisoned). The holder is named, so that the
 * inspector can say who a timeline delete is waiting for.
 */
export class AsyncMutex {
  holder: string | null = null;
  private waiters: Array<{ who: string; grant: () => void }> = [];

  lock(who: string): Promise<void> {
    if (this.holder === null) {
      this.holder = who;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiters.push({ who, grant }));
  }

  unlock(): void {
    const next = this.waiters.shift();
    this.holder = next ? next.who : null;
    next?.grant();
  }

  get waiting(): string[] {
    return this.waiters.map((w) => w.who);
  }
}
