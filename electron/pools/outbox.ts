/**
 * Batching of the messages one side sends over one channel (both ways, DESIGN.md
 * section 4.2). Messages queue up during the current turn of the event loop and go
 * out as one envelope when the turn ends (setImmediate), or at once when the queue
 * reaches the cap. Order is kept. With batching off every message is its own
 * envelope, which is what the benchmark compares against: batching is worth 4-5x on
 * child_process IPC (reference/toolchain.md).
 */
import type { Envelope } from '../../shared/protocol/worker';

export interface BatchingOptions {
  batching: boolean;
  /** Flush at once when this many messages are queued (default 256). */
  cap: number;
}

export const DEFAULT_BATCH_CAP = 256;

export class Outbox<M> {
  private queue: M[] = [];
  private scheduled = false;
  /** Messages and envelopes sent so far. */
  messages = 0;
  envelopes = 0;

  constructor(
    private send: (envelope: Envelope<M>) => void,
    private options: BatchingOptions = { batching: true, cap: DEFAULT_BATCH_CAP },
  ) {}

  configure(options: BatchingOptions): void {
    this.flush();
    this.options = options;
  }

  get batching(): boolean {
    return this.options.batching;
  }

  push(message: M): void {
    this.messages++;
    if (!this.options.batching) {
      this.envelopes++;
      this.send({ batch: [message] });
      return;
    }
    this.queue.push(message);
    if (this.queue.length >= this.options.cap) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushLater);
    }
  }

  /** Sends what is queued now (before blocking the loop, before exiting). */
  flush(): void {
    if (!this.queue.length) return;
    const batch = this.queue;
    this.queue = [];
    this.envelopes++;
    this.send({ batch });
  }

  /** Drops what is queued (the channel is gone). */
  clear(): void {
    this.queue = [];
  }

  private flushLater = (): void => {
    this.scheduled = false;
    this.flush();
  };
}
