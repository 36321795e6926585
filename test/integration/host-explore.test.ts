/**
 * The explorer as a backend service of the Lab (electron/explore/service.ts through
 * the Lab facade, as Electron main and the browser mode use it): an exploration runs
 * in worker threads while the Lab keeps answering, pushes its progress until it is
 * done with shrunk groups, can be cancelled, and its schedules open (replayed, the
 * failure located) and compare with the nearest passing run (one decision put back,
 * the first event where the traces part).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExploreProgress } from '../../shared/protocol/explore';
import { formatEvent } from '../../shared/trace/jsonl';
import { Lab } from '../../electron/host/lab';
import { ok } from '../helpers/lab';
import { untilWithin } from '../helpers/until';

let dir: string;
let lab: Lab;
let pushes: ExploreProgress[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'taskmgr-explore-lab-'));
  pushes = [];
  lab = new Lab({ recordingsDir: join(dir, 'rec'), live: false, logger: () => undefined });
  lab.subscribe((p) => {
    if (p.type === 'explore') pushes.push(p.progress);
  });
});

afterEach(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

const until = untilWithin(120_000);

const S17 = { library: 'race-s17-queue-used-after-stop' };

describe('the explorer in the Lab', () => {
  it('explores in workers, keeps answering, pushes progress until done, then opens and compares a failure', async () => {
    const { id } = ok(await lab.request({ type: 'exploreStart', scenario: S17, options: { strategy: 'pct', runs: 120, jitter: 0.2, jobs: 2 } }));
    // The Lab answers while the workers run.
    const status = ok(await lab.request({ type: 'status' }));
    expect(status.mode).toBe('idle');
    await until('the exploration to end', () => pushes.some((p) => p.id === id && p.state === 'done'));
    const states = pushes.map((p) => p.state);
    expect(states).toContain('running');
    expect(states).toContain('shrinking');
    const last = pushes[pushes.length - 1];
    expect(last.runs).toBe(120);
    expect(last.failures).toBeGreaterThan(0);
    expect(last.bySignature.reduce((n, s) => n + s.count, 0)).toBe(last.failures);
    const group = last.groups[0];
    expect(group.shrunk).toBe(true);
    expect(group.decisions).toBeGreaterThan(0);
    expect(group.explanation).toMatch(/^needs \d decisions?: /);

    const opened = ok(await lab.request({ type: 'exploreOpen', scenario: S17, schedule: group.schedule }));
    expect(opened.signature).toBe(group.signature);
    expect(opened.failures[0]).toContain('queue is in state Stopped');
    expect(opened.failedAt).not.toBeNull();
    const marked = opened.events[opened.failedAt as number];
    expect(marked.ev === 'assertion' && !marked.ok).toBe(true);

    const cmp = ok(await lab.request({ type: 'exploreCompare', scenario: S17, schedule: group.schedule }));
    expect(cmp.failing.signature).toBe(group.signature);
    expect(cmp.passing).not.toBeNull();
    expect(cmp.passing?.signature).toBeNull();
    expect(cmp.passing?.failures).toEqual([]);
    expect(group.schedule.decisions).toContainEqual(cmp.putBack);
    const parts = cmp.partsAt as number;
    expect(parts).toBeGreaterThan(0);
    const a = cmp.failing.events.map(formatEvent);
    const b = (cmp.passing?.events ?? []).map(formatEvent);
    expect(a.slice(0, parts)).toEqual(b.slice(0, parts));
    expect(a[parts]).not.toBe(b[parts]);
  });

  it('cancels an exploration: the last push says so', async () => {
    const { id } = ok(await lab.request({ type: 'exploreStart', scenario: S17, options: { strategy: 'random', runs: 1_000_000, jitter: 0.2, jobs: 1 } }));
    await until('a first progress push', () => pushes.some((p) => p.id === id && p.state === 'running'));
    expect(ok(await lab.request({ type: 'exploreCancel', id })).cancelled).toBe(true);
    await until('the cancelled push', () => pushes.some((p) => p.id === id && p.state === 'cancelled'));
    const last = pushes.filter((p) => p.id === id).pop() as ExploreProgress;
    expect(last.runs).toBeLessThan(1_000_000);
    expect(last.verdict).toMatch(/^cancelled after \d+ schedules/);
    expect(ok(await lab.request({ type: 'exploreCancel', id })).cancelled).toBe(false);
  });

  it('refuses to open a schedule made for another scenario, in one line', async () => {
    const { id } = ok(await lab.request({ type: 'exploreStart', scenario: S17, options: { strategy: 'pct', runs: 30, jitter: 0.2, jobs: 1 } }));
    await until('the exploration to end', () => pushes.some((p) => p.id === id && p.state === 'done'));
    const schedule = pushes[pushes.length - 1].groups[0].schedule;
    const r = await lab.request({ type: 'exploreOpen', scenario: { library: 'race-s19-two-shutdowns' }, schedule });
    expect(r).toEqual({ ok: false, error: 'the schedule was made for scenario "race-s17-queue-used-after-stop", not "race-s19-two-shutdowns"' });
  });
});
