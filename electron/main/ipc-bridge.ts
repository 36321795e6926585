/**
 * The Lab over Electron IPC, main side, without Electron imports (the main process
 * passes in what it hears): requests are refused unless they come from the top
 * frame of our renderer, then validated by the Lab like any untrusted input; each
 * subscribed window is a push subscriber whose backpressure is the preload's
 * acknowledgement (at most `maxInFlight` pushes unacknowledged), so a busy window
 * gets fewer, larger batches instead of a growing IPC queue.
 */
import type { LabRequestType, LabResult } from '../../shared/protocol/lab';
import type { LabPush } from '../../shared/protocol/lab';
import type { PushSink } from '../host/push-hub';
import { isTrustedSender, type SenderInfo, type TrustConfig } from './guards';

/** What the bridge needs of the Lab. */
export interface LabPort {
  handleRaw(raw: unknown): Promise<LabResult<LabRequestType>>;
  addSink(sink: PushSink): () => void;
}

interface WindowSink {
  remove: () => void;
  inFlight: number;
}

export class IpcBridge {
  private windows = new Map<number, WindowSink>();

  constructor(
    private lab: LabPort,
    private trust: TrustConfig = {},
    private log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    private maxInFlight = 2,
  ) {}

  /** `lab:request` from a sender. */
  async request(sender: SenderInfo, raw: unknown): Promise<LabResult<LabRequestType>> {
    if (!isTrustedSender(sender, this.trust)) {
      this.log(`taskmgr-lab: refused a Lab request from an untrusted sender (${String(sender.url)}${sender.isMainFrame ? '' : ', a subframe'})`);
      return { ok: false, error: 'refused: the sender is not the Lab window' };
    }
    return this.lab.handleRaw(raw);
  }

  /** `lab:subscribe` from window `id`: (re)starts its pushes with the whole current log. */
  subscribe(id: number, sender: SenderInfo, send: (push: LabPush) => void): boolean {
    if (!isTrustedSender(sender, this.trust)) {
      this.log(`taskmgr-lab: refused a subscription from an untrusted sender (${String(sender.url)})`);
      return false;
    }
    this.unsubscribe(id);
    const entry: WindowSink = { remove: () => {}, inFlight: 0 };
    entry.remove = this.lab.addSink({
      send: (push) => {
        entry.inFlight++;
        send(push);
      },
      ready: () => entry.inFlight < this.maxInFlight,
    });
    this.windows.set(id, entry);
    return true;
  }

  /** `lab:ack`: the window handled one push. */
  ack(id: number): void {
    const entry = this.windows.get(id);
    if (entry && entry.inFlight > 0) entry.inFlight--;
  }

  /** `lab:unsubscribe`, or the window navigated, crashed or closed. */
  unsubscribe(id: number): void {
    const entry = this.windows.get(id);
    if (!entry) return;
    entry.remove();
    this.windows.delete(id);
  }

  get subscribers(): number {
    return this.windows.size;
  }
}
