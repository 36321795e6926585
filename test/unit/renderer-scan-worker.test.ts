/**
 * The recording scanner (renderer/src/model/scan-worker.ts), run here as the Web
 * Worker it is (its `self.onmessage`, its `postMessage` caught): a file split into
 * parts at any byte gives every line to exactly one part, in order; the last part
 * says whether the file was cut off mid-line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanIn, ScanOut } from '../../renderer/src/model/scan-worker';

const posted: ScanOut[] = [];
let onmessage: (m: { data: ScanIn }) => void;

beforeAll(async () => {
  const g = globalThis as unknown as { self: unknown; postMessage: (m: ScanOut) => void; onmessage: typeof onmessage };
  g.self = globalThis;
  g.postMessage = (m) => posted.push(m);
  await import('../../renderer/src/model/scan-worker');
  onmessage = g.onmessage;
});

/** Scans one part; resolves with what it posted, up to its `done` (fails on `error`). */
async function scan(blob: Blob, start: number, end: number | null, first: boolean): Promise<ScanOut[]> {
  const from = posted.length;
  onmessage({ data: { type: 'part', blob, start, end, first } });
  for (const until = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 2))) {
    const mine = posted.slice(from);
    const last = mine.at(-1);
    if (last?.type === 'done') return mine;
    if (last?.type === 'error') throw new Error(`the scan failed: ${last.message} (line ${last.line})`);
    if (Date.now() > until) throw new Error(`the part ${start}-${end} gave no done within 10 s`);
  }
}

/** The times of the events a part's deltas carry, in order. */
const times = (out: ScanOut[]) => out.flatMap((o) => (o.type === 'error' ? [] : [...o.delta.t]));

const N = 300;
const lines = Array.from({ length: N }, (_, i) => JSON.stringify({ t: i, ev: 'log', level: 'info', task: null, message: `line ${i} ${'x'.repeat(i % 37)}` }));
const text = `${lines.join('\n')}\n`;

describe('scan worker', () => {
  it('gives every line of a file cut at any bytes to exactly one part, in order', async () => {
    const blob = new Blob([text]);
    for (const cuts of [[0, text.length], [0, 1000, 5000, text.length], [0, text.indexOf('\n') + 1, text.length - 3, text.length]]) {
      const all: number[] = [];
      let physical = 0;
      for (let k = 0; k + 1 < cuts.length; k++) {
        const last = k + 2 === cuts.length;
        const out = await scan(blob, cuts[k], last ? null : cuts[k + 1], k === 0);
        all.push(...times(out));
        const done = out.at(-1)!;
        if (done.type === 'done') physical += done.lines;
        if (done.type === 'done') expect(done.truncated, `part ${k} of ${cuts}`).toBe(false);
      }
      expect(all, String(cuts)).toEqual(Array.from({ length: N }, (_, i) => i));
      expect(physical).toBe(N);
    }
  });

  it('says the file was cut off when its last line has no end', async () => {
    const cut = text.slice(0, text.length - 10);
    const out = await scan(new Blob([cut]), 0, null, true);
    const done = out.at(-1)!;
    expect(done).toMatchObject({ type: 'done', truncated: true });
    expect(times(out)).toEqual(Array.from({ length: N - 1 }, (_, i) => i));
  });
});
