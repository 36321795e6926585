/**
 * One browser tab's socket to the Lab (electron/host/web/ws-bridge.ts), on a stand-in
 * socket and Lab: a numbered request is answered under its number with the Lab's
 * result (answers may come back out of order), pushes go out as `{ push }` frames
 * while the socket's buffer is below the limit, and a closed socket stops hearing
 * pushes. (What a malformed frame gets back, and the limits, are the Lab's and the
 * frame parser's contracts, tested with them.)
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { LabPush } from '../../shared/protocol/lab';
import type { PushSink } from '../../electron/host/push-hub';
import type { Lab } from '../../electron/host/lab';
import { bridgeSocket } from '../../electron/host/web/ws-bridge';

class FakeSocket extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  readonly sent: unknown[] = [];
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  /** A text frame from the tab. */
  receive(frame: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify(frame)), false);
  }
}

function fakeLab() {
  const sinks = new Set<PushSink>();
  const pending = new Map<string, (value: unknown) => void>();
  const lab = {
    addSink(sink: PushSink) {
      sinks.add(sink);
      return () => void sinks.delete(sink);
    },
    // Each request waits until the test answers it by type.
    handleRaw: (raw: unknown) => new Promise((resolve) => pending.set((raw as { type: string }).type, resolve)),
  };
  return { lab: lab as unknown as Lab, sinks, answer: (type: string, result: unknown) => pending.get(type)!(result) };
}

const flush = () => new Promise((r) => setImmediate(r));
const push: LabPush = { type: 'status', status: { mode: 'idle', title: null, running: false, events: 0, recording: null, seed: null, tickMs: 100 } };

describe('ws bridge', () => {
  it('answers each request under its number, in the order the Lab answers', async () => {
    const ws = new FakeSocket();
    const { lab, answer } = fakeLab();
    bridgeSocket(ws as unknown as WebSocket, lab, { log: () => {} });
    ws.receive({ id: 1, req: { type: 'status' } });
    ws.receive({ id: 2, req: { type: 'listScenarios' } });
    answer('listScenarios', { ok: true, value: [] });
    await flush();
    answer('status', { ok: false, error: 'nope' });
    await flush();
    expect(ws.sent).toEqual([
      { id: 2, result: { ok: true, value: [] } },
      { id: 1, result: { ok: false, error: 'nope' } },
    ]);
  });

  it('sends pushes as frames, and is ready for more only while the buffer is below the limit', () => {
    const ws = new FakeSocket();
    const { lab, sinks } = fakeLab();
    bridgeSocket(ws as unknown as WebSocket, lab, { maxBufferedBytes: 1000, log: () => {} });
    const [sink] = [...sinks];
    expect(sink.ready()).toBe(true);
    sink.send(push);
    expect(ws.sent).toEqual([{ push }]);
    ws.bufferedAmount = 1000;
    expect(sink.ready()).toBe(false);
    ws.bufferedAmount = 999;
    expect(sink.ready()).toBe(true);
    ws.readyState = WebSocket.CLOSING;
    expect(sink.ready()).toBe(false);
    sink.send(push); // not sent on a socket that is not open
    expect(ws.sent).toHaveLength(1);
  });

  it('stops the pushes when the socket closes or fails', () => {
    for (const event of ['close', 'error']) {
      const ws = new FakeSocket();
      const { lab, sinks } = fakeLab();
      bridgeSocket(ws as unknown as WebSocket, lab, { log: () => {} });
      expect(sinks.size).toBe(1);
      ws.emit(event, new Error('gone'));
      expect(sinks.size, event).toBe(0);
    }
  });

  it('does not answer a request whose socket closed meanwhile', async () => {
    const ws = new FakeSocket();
    const { lab, answer } = fakeLab();
    bridgeSocket(ws as unknown as WebSocket, lab, { log: () => {} });
    ws.receive({ id: 1, req: { type: 'status' } });
    ws.readyState = WebSocket.CLOSED;
    answer('status', { ok: true, value: {} });
    await flush();
    expect(ws.sent).toEqual([]);
  });
});
