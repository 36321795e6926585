/**
 * Batching of the messages one side sends over one channel (both ways, DESIGN.md
 * section 4.2). Messages queue up during the current turn of the event loop and go
 * out as one envelope when the turn ends (setImmediate), or at once when the queue
 * reaches the cap. Order is kept. With batching off every message is its own
 * envelope, which is what the benchmark compares against: batching is worth 4-5x on
 * child_process IPC (reference/toolchain.md).
 *
 * The receiver learns where the sender's turns end: an envelope sent before its
 * turn is over (cut at the cap, flushed early, or unbatched) says `more`, and the
 * turn then ends with an envelope without it (empty if nothing was left). A worker
 * uses this to start the bodies of a turn only once the whole turn has landed.
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
  /** An envelope of this turn went out with `more`: the turn's end must still be sent. */
  private cut = false;
  /** Messages and envelopes sent so far. */
  messages = 0;
  envelopes = 0;

  /** The turn was due to end while `holdTurn` said no: it ends at `resumeTurn`. */
  private held = false;

  constructor(
    private send: (envelope: Envelope<M>) => void,
    private options: BatchingOptions = { batching: true, cap: DEFAULT_BATCH_CAP },
    /**
     * While true, the turn does not end: the coordinator's turn lasts as long as a
     * worker's turn that it is hearing has not ended (a body's spawn and its
     * `shutdown_tasks` are one poll in the seed, whatever batches carry them).
     */
    private holdTurn: () => boolean = () => false,
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
    if (!this.options.batching) this.sendNow([message], true);
    else {
      this.queue.push(message);
      if (this.queue.length >= this.options.cap) this.flush();
    }
    this.scheduleEnd();
  }

  /** Sends what is queued now (before exiting); the turn goes on. */
  flush(): void {
    if (!this.queue.length) return;
    const batch = this.queue;
    this.queue = [];
    this.sendNow(batch, true);
    this.scheduleEnd();
  }

  /** Ends the turn now (before the loop blocks): what is queued goes out as its last envelope. */
  endTurnNow(): void {
    this.held = false;
    this.closeTurn();
  }

  /** `holdTurn` no longer holds: a turn that was due to end ends now. */
  resumeTurn(): void {
    if (!this.held) return;
    this.held = false;
    this.closeTurn();
  }

  /** Drops what is queued (the channel is gone). */
  clear(): void {
    this.queue = [];
    this.cut = false;
    this.held = false;
  }

  private scheduleEnd(): void {
    if (this.scheduled || this.held) return;
    this.scheduled = true;
    setImmediate(this.endTurn);
  }

  private sendNow(batch: M[], more: boolean): void {
    this.envelopes++;
    if (more) this.cut = true;
    this.send(more ? { batch, more: true } : { batch });
  }

  /** The event loop's turn is over: so is the sender's, unless it is held. */
  private endTurn = (): void => {
    this.scheduled = false;
    if (this.holdTurn()) this.held = true;
    else this.closeTurn();
  };

  /** What is queued goes out as the turn's last envelope. */
  private closeTurn(): void {
    if (!this.queue.length && !this.cut) return;
    const batch = this.queue;
    this.queue = [];
    this.cut = false;
    this.sendNow(batch, false);
  }
}
