/**
 * One browser tab's WebSocket to the Lab (shared/protocol/ws.ts): numbered requests
 * in, answers by number out, and the Lab's pushes in between. The tab is untrusted
 * like the Electron renderer: every frame is parsed, every request validated by the
 * Lab, and a malformed one is answered with an error (by its id when it has one,
 * else with id null) and logged, never thrown; the log is rate-limited by the
 * server, so a flood of bad frames writes a few lines.
 *
 * Backpressure: the socket is a push subscriber that is `ready` only while its send
 * buffer holds less than `maxBufferedBytes`; a tab that cannot keep up gets its
 * events coalesced into fewer, larger batches instead of growing the buffer.
 */
import { WebSocket } from 'ws';
import type { LabRequestType, LabResult } from '../../../shared/protocol/lab';
import { parseClientFrame, type ServerFrame } from '../../../shared/protocol/ws';
import type { Lab } from '../lab';

export interface BridgeOptions {
  /** Pushes wait while more than this is queued on the socket (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Where refused frames are reported: a rate-limited log shared by the server's sockets. */
  log?: (line: string) => void;
}

/** The answer to a frame that could not be read: its id when it had one, else null. */
function refusal(id: number | null, error: string): ServerFrame {
  return { id, result: { ok: false, error } };
}

export function bridgeSocket(ws: WebSocket, lab: Lab, options: BridgeOptions = {}): void {
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const send = (frame: ServerFrame) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  };
  const unsubscribe = lab.addSink({
    send: (push) => send({ push }),
    ready: () => ws.readyState === WebSocket.OPEN && ws.bufferedAmount < maxBuffered,
  });
  ws.on('close', unsubscribe);
  ws.on('error', unsubscribe);
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      log('taskmgr-lab serve: rejected a binary frame');
      send(refusal(null, 'malformed frame: expected a text frame'));
      return;
    }
    const text = data.toString();
    let frame: { id: number; req: unknown };
    try {
      frame = parseClientFrame(text);
    } catch (err) {
      const reason = (err as Error).message;
      log(`taskmgr-lab serve: rejected a malformed frame: ${reason}`);
      send(refusal(frameId(text), `malformed frame: ${reason}`));
      return;
    }
    void lab.handleRaw(frame.req).then((result: LabResult<LabRequestType>) => send({ id: frame.id, result }));
  });
}

/** The id of a frame that is JSON but malformed otherwise, so that its sender can match the refusal. */
function frameId(text: string): number | null {
  try {
    const id = (JSON.parse(text) as { id?: unknown } | null)?.id;
    return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
  } catch {
    return null;
  }
}
