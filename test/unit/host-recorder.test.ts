/**
 * The recording of a run (electron/host/recorder.ts, DESIGN.md section 7): events
 * go to NAME.jsonl.part as JSON lines, written out at least every flush interval
 * (so a kill loses at most that), and finish syncs and renames to NAME.jsonl in one
 * step; names are file-safe, sort by time and never overwrite; pruning keeps the
 * newest.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../shared/trace/events';
import { parseJsonl } from '../../shared/trace/jsonl';
import { pruneRecordings, Recorder, recordingName, safeStem } from '../../electron/host/recorder';
import { until } from '../helpers/until';

const ev = (t: number, task: string): TraceEvent => ({ t, ev: 'spawn', task, id: t + 1, kind: 'Compaction', tenant: null, timeline: null, parent: null }) as TraceEvent;

describe('Recorder', () => {
  it('writes events to NAME.jsonl.part within the flush interval, before the run ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    const r = new Recorder(dir, 'run', { flushMs: 20 });
    expect(r.partPath).toBe(join(dir, 'run.jsonl.part'));
    r.append(ev(0, 'a'));
    r.append(ev(1, 'b'));
    await until('the two lines on disk', () => existsSync(r.partPath) && readFileSync(r.partPath, 'utf8').split('\n').length === 3);
    expect(parseJsonl(readFileSync(r.partPath, 'utf8')).events.map((e) => (e as unknown as { task: string }).task)).toEqual(['a', 'b']);
    expect(existsSync(r.finalPath)).toBe(false);
    await r.finish();
  });

  it('finishes by renaming to NAME.jsonl with every event, and takes nothing after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    const r = new Recorder(dir, 'run', { flushMs: 60_000 });
    for (let i = 0; i < 100; i++) r.append(ev(i, `t${i}`));
    const path = await r.finish();
    expect(path).toBe(join(dir, 'run.jsonl'));
    expect(existsSync(r.partPath)).toBe(false);
    r.append(ev(100, 'late'));
    expect(await r.finish()).toBe(path); // idempotent
    const events = parseJsonl(readFileSync(path, 'utf8')).events;
    expect(events).toHaveLength(100);
    expect(events[99]).toMatchObject({ t: 99, task: 't99' });
    expect(r.error).toBeNull();
  });

  it('never overwrites: a second recording of the same name gets a suffix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    const a = new Recorder(dir, 'same');
    // The .part file is created asynchronously: a name is taken once it is on disk.
    await until('the first .part file', () => existsSync(a.partPath));
    const b = new Recorder(dir, 'same');
    expect(b.finalPath).toBe(join(dir, 'same-2.jsonl'));
    await Promise.all([a.finish(), b.finish()]);
    expect(readdirSync(dir).sort()).toEqual(['same-2.jsonl', 'same.jsonl']);
  });

  it('refuses at once a directory it cannot create (the Lab then runs without a recording)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, '');
    expect(() => new Recorder(blocker, 'x')).toThrow(/EEXIST|ENOTDIR/);
  });
});

describe('recording names', () => {
  it('makes a file-safe stem of any title', () => {
    expect(safeStem('s01: detach / attach?')).toBe('s01-detach-attach');
    expect(safeStem('../../etc/passwd')).toBe('etc-passwd');
    expect(safeStem('')).toBe('run');
    expect(safeStem('x'.repeat(200))).toHaveLength(80);
  });

  it('sorts by time and names the run and mode', () => {
    const name = recordingName('demo', 'sim', new Date('2026-11-25T10:04:05.123Z'));
    expect(name).toBe('2026-11-25T10-04-05-123Z-demo-sim');
    expect(recordingName('demo', 'sim', new Date('2026-11-25T10:04:06Z')) > name).toBe(true);
  });

  it('prunes all but the newest recordings, finished or cut off', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    const files = ['a.jsonl', 'b.jsonl.part', 'c.jsonl', 'd.jsonl', 'notes.txt'];
    files.forEach((f, i) => {
      writeFileSync(join(dir, f), '');
      utimesSync(join(dir, f), 1000 + i, 1000 + i);
    });
    pruneRecordings(dir, 2);
    expect(readdirSync(dir).sort()).toEqual(['c.jsonl', 'd.jsonl', 'notes.txt']);
    pruneRecordings(join(dir, 'missing'), 1); // no directory: nothing to do
  });
});
