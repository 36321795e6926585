/**
 * Garbage is not a recording (issue 10, item 8): a file whose first line is not one
 * of our events is refused with one clear error by `export` (exit 2, nothing
 * written) and by the Lab (the log shown is kept); a recording cut off mid-line
 * still opens up to its last whole line.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRecording } from '../../shared/trace/jsonl';
import { exportCommand } from '../../electron/cli/commands/export';
import { Lab } from '../../electron/host/lab';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'recording-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const RECORDING = '{"t":0,"ev":"scenario","name":"x","tick_ms":10}\n{"t":1,"ev":"spawn","task":"a","id":1,"kind":"Compaction","runtime":"background","tenant":null,"timeline":null,"parent":null}\n';

describe('parseRecording', () => {
  it.each([
    ['a one-line text file', 'hello world\n', 'line 1 is not an event of ours'],
    ['an empty file', '\n\n  \n', 'the file is empty'],
    ['other JSON lines', '\n{"a":1}\n{"b":2}\n', 'line 2 is not an event of ours'],
    ['an event type of nobody', '{"ev":"frobnicate"}\n', 'line 1 is not an event of ours'],
    ['a JSON array', '[1,2]\n', 'line 1 is not an event of ours'],
  ])('refuses %s', (_what, text, reason) => {
    expect(() => parseRecording(text)).toThrow(`not a TaskMgr Lab recording: ${reason}`);
  });

  it('opens a recording, and one cut off mid-line up to its last whole line', () => {
    expect(parseRecording(RECORDING).events.map((e) => e.ev)).toEqual(['scenario', 'spawn']);
    const cut = parseRecording(`${RECORDING}{"t":2,"ev":"exi`);
    expect(cut.events.map((e) => e.ev)).toEqual(['scenario', 'spawn']);
    expect(cut.truncated).toBe(true);
  });
});

describe('export of garbage', () => {
  it('exits 2 with one line and writes nothing', async () => {
    const trace = join(dir, 'notes.txt');
    const out = join(dir, 'out.json');
    writeFileSync(trace, 'just some notes\n');
    const err: string[] = [];
    const code = await exportCommand([trace, '--perfetto', out], { out: () => {}, err: (l) => err.push(l) });
    expect(code).toBe(2);
    expect(err).toEqual([`taskmgr-lab export: ${trace}: not a TaskMgr Lab recording: line 1 is not an event of ours (a recording is JSON lines, each with an "ev" such as "scenario" or "spawn")`]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('the Lab opening garbage', () => {
  it('refuses it in words a user reads, and keeps the log it had', async () => {
    const lab = new Lab({ recordingsDir: join(dir, 'rec'), live: false, logger: () => {} });
    try {
      expect((await lab.handle({ type: 'openRecording', text: RECORDING, filename: 'good.jsonl' })).ok).toBe(true);
      const before = lab.events().length;
      const r = await lab.handle({ type: 'openRecording', text: 'hello\n', filename: 'notes.txt' });
      expect(r).toEqual({ ok: false, error: expect.stringMatching(/^notes\.txt: not a TaskMgr Lab recording: line 1 is not an event of ours/) });
      expect(lab.events().length).toBe(before);
      expect(lab.status()).toMatchObject({ mode: 'replay', title: 'good.jsonl' });
    } finally {
      await lab.close();
    }
  });
});
