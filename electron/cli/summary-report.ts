/**
 * The summary printed after a run: each task's outcome and who signalled it, each
 * shutdown call's victims and whether it returned, and how the process ended. It is
 * the conformance summary (shared/trace/summary.ts), so what the CLI shows is what
 * conformance compares, except where the summary has no word for what happened: a
 * task ended by the process's exit or crash reads `killed` (the summary counts it as
 * running), and a crashed process reads as crashed (shared/trace/process-end.ts).
 */
import { describeProcessEnd, processEnd } from '../../shared/trace/process-end';
import { summarize } from '../../shared/trace/summary';
import type { TraceEvent } from '../../shared/trace/events';
import { painter } from './timeline';

export function formatSummary(events: TraceEvent[], color: boolean): string[] {
  const p = painter(color);
  const s = summarize(events);
  const out: string[] = [p('bold', 'summary')];
  const tasks = Object.entries(s.tasks).sort((a, b) => (a[1].id ?? 0) - (b[1].id ?? 0));
  const width = Math.max(4, ...tasks.map(([n]) => n.length));
  // Ended by the process's exit or crash: the summary counts it as running (it never
  // ended by itself), the report says what happened to it.
  const killed = new Set(events.flatMap((e) => (e.ev === 'exit' && e.outcome === 'killed' ? [e.task] : [])));
  for (const [name, t] of tasks) {
    const shown = t.outcome === 'running' && killed.has(name) ? 'killed' : t.outcome;
    const colour = shown === 'ok' ? 'green' : shown === 'running' || shown === 'killed' ? 'yellow' : 'red';
    const outcome = p(colour, shown.padEnd(7));
    const by = t.signalled_by.length ? ` signalled by ${t.signalled_by.join(', ')}` : '';
    const obs = t.observed ? ' (observed)' : t.signalled_by.length ? ' (never observed)' : '';
    out.push(`  task ${name.padEnd(width)} #${String(t.id).padEnd(3)} ${outcome}${t.message ? ` ${t.message}` : ''}${by}${obs}`);
  }
  for (const [label, c] of Object.entries(s.shutdowns)) {
    const state = c.completed ? p('green', 'returned') : p('red', 'pending (never returned)');
    const detail = c.completed ? ` victims [${(c.victims ?? []).join(', ')}] waited [${(c.waited ?? []).join(', ')}]` : '';
    out.push(`  shutdown_tasks ${label}: ${state}${detail}`);
  }
  const end = processEnd(events);
  const how = end.how === 'exited' ? `exited with code ${end.code}` : end.how === 'running' ? 'still running at end_at' : p('red', describeProcessEnd(end));
  out.push(`  process: ${how}`);
  return out;
}
