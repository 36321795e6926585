/**
 * The coordinator's own record of a signal (issue 15 item 2): `shutdown_tasks`
 * sets the victim's `watch` value (`TaskRecord.shutdownRequested`, which the
 * pageserver model reads for its listeners and selects) and tells the executor,
 * one signal per victim and call; tasks it does not match keep false, and so do
 * tasks registered after its scan. Run on the core alone, with an executor that
 * only records what it is told and runs no body.
 */
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../electron/core/event-log';
import type { Executor, SpawnSpec } from '../../electron/core/executor';
import { TaskManager } from '../../electron/core/task-manager';
import { TaskKind } from '../../shared/model';

function recordingExecutor() {
  const told: string[] = [];
  const exec: Executor = {
    start: (t) => told.push(`start ${t.id}`),
    signal: (id) => told.push(`signal ${id}`),
    inject: (id) => told.push(`inject ${id}`),
    callDone: (caller, call) => told.push(`callDone ${caller}/${call}`),
    endProcess: () => told.push('endProcess'),
  };
  return { exec, told };
}

const spec = (label: string, kind: TaskKind, tenant: string | null): SpawnSpec => ({
  runtime: 'background',
  kind,
  tenant,
  timeline: null,
  name: label,
  label,
  shutdownProcessOnError: false,
  body: { type: 'template', template: label },
});

describe('TaskManager: the shutdown flag of a signalled task', () => {
  it('is set on every victim of the scan and on no other task, and each victim is signalled through the executor', () => {
    const { exec, told } = recordingExecutor();
    const manager = new TaskManager(new EventLog(() => 0));
    manager.attach(exec);
    const gc = manager.spawnTask(spec('gc', TaskKind.GarbageCollector, 't1'))!;
    const compaction = manager.spawnTask(spec('compaction', TaskKind.Compaction, 't1'))!;
    const other = manager.spawnTask(spec('other', TaskKind.GarbageCollector, 't2'))!;
    expect([gc, compaction, other].map((t) => t.shutdownRequested)).toEqual([false, false, false]);

    const call = manager.shutdownTasks('stop t1', { kind: null, tenant: 't1', timeline: null }, null);
    expect(call.victims.map((t) => t.label)).toEqual(['gc', 'compaction']);
    expect([gc, compaction, other].map((t) => t.shutdownRequested)).toEqual([true, true, false]);
    expect(told.filter((m) => m.startsWith('signal'))).toEqual([`signal ${gc.id}`, `signal ${compaction.id}`]);

    // A task registered after the scan is not touched by it.
    const late = manager.spawnTask(spec('late', TaskKind.Compaction, 't1'))!;
    expect(late.shutdownRequested).toBe(false);

    // A second call signals again (send_replace), and the flag stays set.
    manager.shutdownTasks('stop gc kind', { kind: TaskKind.GarbageCollector, tenant: null, timeline: null }, null);
    expect([gc.shutdownRequested, other.shutdownRequested, late.shutdownRequested]).toEqual([true, true, false]);
    expect(told.filter((m) => m.startsWith('signal'))).toEqual([`signal ${gc.id}`, `signal ${compaction.id}`, `signal ${gc.id}`, `signal ${other.id}`]);
  });
});
