/**
 * The recording scanner as a Web Worker. The page gives it a part of a recording
 * file (a Blob and a byte range); the worker reads that part itself (reading 100 MB
 * into memory is work too) and tokenizes its lines (EventStore.feed), sending back
 * after each batch the columns, new strings, spawns and the batch's bytes
 * (transferred, not copied) while the page reduces the previous batch. A big file is
 * split in parts, one worker each (see scanParts in ./event-log.ts); the columns go
 * back to the worker once absorbed (`recycle`, ./buffer-pool.ts).
 *
 * A part starts after the first newline at or after its start (unless it is the
 * first) and ends at the first newline at or after its end (unless it is the last),
 * so that every line belongs to exactly one part.
 * Protocol: {part} in; {delta}... then {done} or {error} out; {recycle} in at any
 * time. A worker is started
 * when the app starts and warmed with a small generated recording ({warm}): V8
 * optimizes the tokenizer only after it has run a while, and a cold worker would
 * spend the first second of a big open in unoptimized code.
 */
import { BufferPool } from './buffer-pool';
import { columnBuffers, type ScanDelta } from './scan-delta';
import { ScanStore } from './scan-store';

export type ScanIn =
  | { type: 'part'; blob: Blob; start: number; end: number | null; first: boolean }
  | { type: 'warm' }
  /** The column buffers of an absorbed delta, back from the page (see ./buffer-pool.ts). */
  | { type: 'recycle'; buffers: ArrayBuffer[] };
export type ScanOut =
  | { type: 'delta'; delta: ScanDelta }
  | { type: 'done'; delta: ScanDelta; truncated: boolean; lines: number }
  | { type: 'error'; message: string; line: number | null };

function transferables(d: ScanDelta): Transferable[] {
  const list: ArrayBufferLike[] = columnBuffers(d);
  for (const c of d.chunks) if (!list.includes(c.buffer)) list.push(c.buffer);
  return list as Transferable[];
}

/** Column buffers for the deltas, recycled by the page. */
const pool = new BufferPool();

/**
 * Lets the messages that arrived meanwhile (the page's `recycle`) be handled: reads
 * of a file resolve as microtasks, so without this the scan would never yield.
 */
const yieldChannel = new MessageChannel();
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    yieldChannel.port1.onmessage = () => resolve();
    yieldChannel.port2.postMessage(null);
  });
}

function send(out: ScanOut, transfer: Transferable[] = []): void {
  (self as unknown as { postMessage(m: unknown, t: Transferable[]): void }).postMessage(out, transfer);
}

/** Sends a delta once this many bytes have been scanned (fewer, bigger messages). */
const BATCH_BYTES = 512 * 1024;

async function scanPart(msg: Extract<ScanIn, { type: 'part' }>): Promise<void> {
  const store = new ScanStore();
  const size = msg.blob.size - msg.start;
  store.beginRecording(msg.end === null ? size : msg.end - msg.start);
  const reader = msg.blob.slice(msg.start).stream().getReader();
  let skipping = !msg.first;
  let offset = 0; // bytes of the part read so far
  let stopped = false;
  let pending = 0;
  let next = reader.read();
  for (;;) {
    const { done, value } = await next;
    if (done) break;
    // Ask for the next chunk before scanning this one: the file is read while it is scanned.
    next = reader.read();
    let chunk = value;
    const chunkAt = offset;
    offset += value.length;
    if (skipping) {
      // The first (partial) line belongs to the part before.
      const nl = chunk.indexOf(10);
      if (nl < 0) continue;
      chunk = chunk.subarray(nl + 1);
      skipping = false;
    }
    if (msg.end !== null && offset > msg.end - msg.start) {
      // Past the end: finish the line that crosses it, then stop.
      const from = Math.max(0, msg.end - msg.start - (chunkAt + (value.length - chunk.length)));
      const nl = chunk.indexOf(10, from);
      if (nl >= 0) {
        chunk = chunk.subarray(0, nl + 1);
        stopped = true;
      }
    }
    if (chunk.length > 0) {
      // Own the bytes: they are transferred to the page afterwards.
      store.feed(chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : chunk.slice());
      pending += chunk.length;
      if (pending >= BATCH_BYTES) {
        pending = 0;
        const delta = store.takeDelta(pool.take);
        send({ type: 'delta', delta }, transferables(delta));
        await yieldToMessages();
      }
    }
    if (stopped) {
      void reader.cancel();
      break;
    }
  }
  const { truncated } = store.finishRecording();
  const delta = store.takeDelta(pool.take);
  send({ type: 'done', delta, truncated, lines: store.physicalLines }, transferables(delta));
}

/** Scans a generated recording a few times so that the hot code gets optimized. */
function warmUp(): void {
  const kinds = ['Compaction', 'GarbageCollector', 'LayerFlushTask', 'RemoteUploadTask'];
  const lines: string[] = ['{"t":0,"ev":"scenario","name":"warm-up","tick_ms":10}'];
  for (let i = 1; i <= 800; i++) {
    const name = `${kinds[i % 4].toLowerCase()} ${i}`;
    lines.push(`{"t":${i},"ev":"spawn","task":"${name}","id":${i},"kind":"${kinds[i % 4]}","runtime":"background","tenant":"t${i % 5}","timeline":null,"parent":null,"name":"${name}","shutdown_process_on_error":false}`);
    lines.push(`{"t":${i},"ev":"start","task":"${name}","runtime":"background","worker":${i % 4}}`);
    lines.push(`{"t":${i},"ev":"log","level":"debug","task":"${name}","message":"Starting task '${name}'"}`);
    for (let k = 0; k < 4; k++) lines.push(`{"t":${i + k},"ev":"await","task":"${name}","what":"sleep ${k} ticks, then poll is_shutdown_requested()"}`);
    lines.push(`{"t":${i + 4},"ev":"signal","task":"${name}","by":"detach t${i % 5}"}`, `{"t":${i + 4},"ev":"observe","task":"${name}","via":"poll"}`);
    lines.push(`{"t":${i + 4},"ev":"shutdown_wait","label":"detach t${i % 5}","task":"${name}","took_handle":true}`);
    lines.push(`{"t":${i + 4},"ev":"exit","task":"${name}","outcome":"ok","message":null}`);
  }
  const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
  for (let round = 0; round < 2; round++) {
    const s = new ScanStore();
    s.beginRecording(bytes.length);
    for (let p = 0; p < bytes.length; p += 65536) {
      s.feed(bytes.slice(p, p + 65536));
      s.takeDelta();
    }
    s.finishRecording();
    s.takeDelta();
  }
}

self.onmessage = (m: MessageEvent<ScanIn>) => {
  if (m.data.type === 'warm') {
    warmUp();
    return;
  }
  if (m.data.type === 'recycle') {
    pool.give(m.data.buffers);
    return;
  }
  scanPart(m.data).catch((err: unknown) => {
    const line = err !== null && typeof err === 'object' && typeof (err as { line?: unknown }).line === 'number' ? (err as { line: number }).line : null;
    send({ type: 'error', message: err instanceof Error ? err.message : String(err), line });
  });
};
