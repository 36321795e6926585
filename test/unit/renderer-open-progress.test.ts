// @vitest-environment happy-dom
/**
 * Opening a recording file in the page reports its progress (the banner above the
 * views reads `opening`), from 0 to the end, and clears it when done or failed.
 */
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { watch } from 'vue';
import { synthTrace } from '../e2e/synth-trace';
import { useEventsStore } from '../../renderer/src/stores/events';

describe('opening a recording file', () => {
  it('reports the share read so far, then clears it', async () => {
    setActivePinia(createPinia());
    const events = useEventsStore();
    const text = synthTrace({ events: 20_000, seed: 9, concurrency: 50 }).map((e) => JSON.stringify(e)).join('\n') + '\n';
    // Chunks of 64 KB, as a file stream would give them.
    const bytes = new TextEncoder().encode(text);
    const parts: Uint8Array[] = [];
    for (let p = 0; p < bytes.length; p += 65536) parts.push(bytes.slice(p, p + 65536));
    // A file's stream gives it in chunks: so does this one.
    const blob = Object.assign(new Blob(parts as BlobPart[]), {
      stream: () =>
        new ReadableStream<Uint8Array>({
          start(c) {
            for (const p of parts) c.enqueue(p);
            c.close();
          },
        }),
    });
    const seen: Array<number | null> = [];
    watch(
      () => events.opening,
      (o) => seen.push(o === null ? null : o.fraction),
      { flush: 'sync' },
    );
    await events.openBlob(blob, 'synth.jsonl');
    expect(events.length).toBe(20_000);
    expect(seen[0]).toBe(0);
    const fractions = seen.filter((f): f is number => f !== null);
    expect(fractions.length).toBeGreaterThan(5);
    for (let k = 1; k < fractions.length; k++) expect(fractions[k]).toBeGreaterThan(fractions[k - 1]);
    expect(fractions[fractions.length - 1]).toBeGreaterThan(0.9);
    expect(seen[seen.length - 1]).toBeNull();
    expect(events.opening).toBeNull();
  });

  it('clears the progress when the file is malformed', async () => {
    setActivePinia(createPinia());
    const events = useEventsStore();
    await expect(events.openBlob(new Blob(['{"t":0,"ev":"scenario","name":"x","tick_ms":10}\nnot json\n']), 'bad.jsonl')).rejects.toThrow(/line 2/);
    expect(events.opening).toBeNull();
  });
});
