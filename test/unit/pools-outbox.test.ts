/**
 * The batching of one side's messages (electron/pools/outbox.ts): a turn's messages
 * go out in order as one envelope when the event loop's turn ends; the cap cuts an
 * envelope early and marks it `more`, and the turn then ends with an envelope
 * without it; unbatched, each message is its own `more` envelope; a held turn ends
 * only when released.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/protocol/worker';
import { Outbox } from '../../electron/pools/outbox';

const turn = () => new Promise((r) => setImmediate(r));

function box(options = { batching: true, cap: 256 }, hold: () => boolean = () => false) {
  const sent: Envelope<number>[] = [];
  const outbox = new Outbox<number>((e) => sent.push(structuredClone(e)), options, hold);
  return { sent, outbox };
}

describe('Outbox', () => {
  it('sends one turn as one envelope, in order, when the turn ends', async () => {
    const { sent, outbox } = box();
    for (let i = 0; i < 5; i++) outbox.push(i);
    expect(sent).toEqual([]);
    await turn();
    expect(sent).toEqual([{ batch: [0, 1, 2, 3, 4] }]);
    expect([outbox.messages, outbox.envelopes]).toEqual([5, 1]);
    await turn();
    expect(sent).toHaveLength(1); // an idle turn sends nothing
  });

  it('cuts at the cap with `more`, and ends the turn with an envelope without it', async () => {
    const { sent, outbox } = box({ batching: true, cap: 3 });
    for (let i = 0; i < 7; i++) outbox.push(i);
    expect(sent).toEqual([
      { batch: [0, 1, 2], more: true },
      { batch: [3, 4, 5], more: true },
    ]);
    await turn();
    expect(sent.at(-1)).toEqual({ batch: [6] });
  });

  it('ends a cut turn with an empty envelope when nothing is left', async () => {
    const { sent, outbox } = box({ batching: true, cap: 2 });
    outbox.push(1);
    outbox.push(2);
    await turn();
    expect(sent).toEqual([{ batch: [1, 2], more: true }, { batch: [] }]);
  });

  it('without batching sends each message at once, then closes the turn', async () => {
    const { sent, outbox } = box({ batching: false, cap: 256 });
    outbox.push(1);
    outbox.push(2);
    expect(sent).toEqual([
      { batch: [1], more: true },
      { batch: [2], more: true },
    ]);
    await turn();
    expect(sent.at(-1)).toEqual({ batch: [] });
  });

  it('flush sends early but the turn goes on; endTurnNow ends it at once', () => {
    const { sent, outbox } = box();
    outbox.push(1);
    outbox.flush();
    outbox.push(2);
    outbox.endTurnNow();
    expect(sent).toEqual([{ batch: [1], more: true }, { batch: [2] }]);
  });

  it('holds the end of a turn while told to, and ends it on resumeTurn', async () => {
    let holding = true;
    const { sent, outbox } = box({ batching: true, cap: 256 }, () => holding);
    outbox.push(1);
    await turn();
    await turn();
    expect(sent).toEqual([]);
    holding = false;
    outbox.resumeTurn();
    expect(sent).toEqual([{ batch: [1] }]);
  });

  it('drops what is queued on clear', async () => {
    const { sent, outbox } = box();
    outbox.push(1);
    outbox.clear();
    await turn();
    expect(sent).toEqual([]);
  });
});
