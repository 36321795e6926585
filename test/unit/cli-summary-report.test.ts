/**
 * The summary the CLI prints after a run (electron/cli/summary-report.ts), from a
 * real simulator trace: tasks in id order with their outcome and message, who
 * signalled them and whether they observed it, each shutdown_tasks call returned
 * (victims, waited) or pending, the process's end; colour only when asked.
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioValue } from '../../shared/scenario/parse';
import { formatSummary } from '../../electron/cli/summary-report';
import { runScenarioSim } from '../../electron/run/run-scenario';

async function trace(steps: unknown[], tasks: Record<string, unknown>, end_at = 50) {
  const scenario = parseScenarioValue({ format: 'taskmgr-scenario/1', name: 'summary', tasks, steps, end_at });
  return (await runScenarioSim(scenario)).events;
}

describe('CLI summary report', () => {
  it('lists tasks by id with outcome, message, signaller and observation, and the shutdown calls', async () => {
    const events = await trace(
      [
        { at: 0, do: 'spawn', task: 'watcher' },
        { at: 0, do: 'spawn', task: 'sleeper' },
        { at: 0, do: 'spawn', task: 'crasher' },
        { at: 0, do: 'spawn', task: 'quick' },
        { at: 5, do: 'shutdown_tasks', label: 'gc', kind: 'GarbageCollector', tenant: null, timeline: null },
        { at: 6, do: 'shutdown_tasks', label: 'compaction', kind: 'Compaction', tenant: null, timeline: null },
      ],
      {
        watcher: { runtime: 'background', kind: 'GarbageCollector', body: [{ op: 'wait_shutdown' }] },
        sleeper: { runtime: 'background', kind: 'Compaction', body: [{ op: 'sleep', ticks: 1000 }] },
        crasher: { runtime: 'mgmt_request', kind: 'HttpEndpointListener', body: [{ op: 'sleep', ticks: 1 }, { op: 'panic', message: 'boom' }] },
        quick: { runtime: 'compute_request', kind: 'PageRequestHandler', body: [{ op: 'ok' }] },
      },
    );
    const lines = formatSummary(events, false);
    expect(lines[0]).toBe('summary');
    expect(lines.slice(1, 5)).toEqual([
      '  task watcher #1   ok      signalled by gc (observed)',
      '  task sleeper #2   running signalled by compaction (never observed)',
      '  task crasher #3   panic   boom',
      '  task quick   #4   ok     ',
    ]);
    expect(lines).toContain('  shutdown_tasks gc: returned victims [watcher] waited [watcher]');
    expect(lines).toContain('  shutdown_tasks compaction: pending (never returned)');
    expect(lines.at(-1)).toBe('  process: still running at end_at');
  });

  it('says how the process exited, and paints outcomes only with colour on', async () => {
    const events = await trace([{ at: 0, do: 'spawn', task: 'a' }, { at: 1, do: 'shutdown_pageserver', exit_code: 0 }], {
      a: { runtime: 'background', kind: 'Compaction', body: [{ op: 'wait_shutdown' }] },
    });
    const plain = formatSummary(events, false);
    expect(plain.at(-1)).toBe('  process: exited with code 0');
    expect(plain.join('\n')).not.toContain('\x1b[');
    const coloured = formatSummary(events, true);
    expect(coloured[0]).toBe('\x1b[1msummary\x1b[0m');
    expect(coloured.find((l) => l.includes('task a'))).toContain('\x1b[32mok');
  });
});
