/**
 * Test helpers: build a scenario from a compact object (validated by the real
 * parser) and run it in the simulator, with small queries over the events.
 */
import { parseScenarioValue } from '../../shared/scenario/parse';
import type { Scenario } from '../../shared/scenario/types';
import type { TraceEvent } from '../../shared/trace/events';
import { type RunResult, runScenarioSim, type SimRunOptions } from '../../electron/run/run-scenario';

type TemplateIn = Record<string, unknown> & { runtime?: string; kind?: string; body: unknown[] };

export function scenario(tasks: Record<string, TemplateIn>, steps: unknown[], end_at = 100): Scenario {
  const full: Record<string, unknown> = {};
  for (const [id, t] of Object.entries(tasks)) full[id] = { runtime: 'background', kind: 'Compaction', ...t };
  return parseScenarioValue({ format: 'taskmgr-scenario/1', name: 'test', tasks: full, steps, end_at });
}

export async function sim(s: Scenario, opts: SimRunOptions = {}): Promise<RunResult & { q: Query }> {
  const r = await runScenarioSim(s, opts);
  return { ...r, q: new Query(r.events) };
}

export class Query {
  constructor(readonly events: TraceEvent[]) {}
  of<E extends TraceEvent['ev']>(ev: E): Extract<TraceEvent, { ev: E }>[] {
    return this.events.filter((e) => e.ev === ev) as Extract<TraceEvent, { ev: E }>[];
  }
  one<E extends TraceEvent['ev']>(ev: E, pred: (e: Extract<TraceEvent, { ev: E }>) => boolean = () => true) {
    const found = this.of(ev).filter(pred);
    if (found.length !== 1) throw new Error(`expected one ${ev}, found ${found.length}`);
    return found[0];
  }
  exit(task: string) {
    return this.of('exit').find((e) => e.task === task);
  }
  end(label: string) {
    return this.of('shutdown_end').find((e) => e.label === label);
  }
  index(pred: (e: TraceEvent) => boolean): number {
    return this.events.findIndex(pred);
  }
}
