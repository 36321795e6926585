/**
 * The CLI's readable timeline: one line per interesting event, in the order the
 * coordinator saw them, with the tick, the task and what happened, coloured by
 * outcome on a terminal. `await` and debug log lines are left out unless asked for.
 */
import type { TraceEvent } from '../../shared/trace/events';

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export function painter(enabled: boolean) {
  return (colour: Colour, s: string) => (enabled ? `\x1b[${CODES[colour]}m${s}\x1b[0m` : s);
}

const opt = (v: string | null | undefined) => v ?? 'None';
/** The seed's state name, with the later name beside `Paused` (PR #2959). */
const stateName = (s: string) => (s === 'Paused' ? 'Paused (Stopping)' : s);

export function formatTimelineEvent(e: TraceEvent, color: boolean, verbose = false): string | null {
  const p = painter(color);
  const t = p('gray', e.t.toFixed(1).padStart(8));
  const line = (what: string, colour: Colour, rest: string) => `${t}  ${p(colour, what.padEnd(16))} ${rest}`;
  switch (e.ev) {
    case 'scenario':
      return `${p('bold', `scenario ${e.name}`)} (${e.mode ?? 'sim'}${e.seed !== undefined ? `, seed ${e.seed}` : ''}${e.policy ? `, ${e.policy}` : ''}, tick ${e.tick_ms} ms)`;
    case 'spawn':
      return line('spawn', 'cyan', `${p('bold', e.task)} #${e.id} ${e.kind} on ${e.runtime} (tenant ${opt(e.tenant)}, timeline ${opt(e.timeline)})${e.parent ? ` by ${e.parent}` : ''}`);
    case 'start':
      return verbose ? line('start', 'gray', `${e.task} on ${e.runtime ?? '?'} worker ${e.worker ?? '?'}`) : null;
    case 'signal':
      return line('signal', 'yellow', `${e.task} <- ${e.by}`);
    case 'observe':
      return line('observe', 'yellow', `${e.task} saw shutdown via ${e.via}`);
    case 'exit': {
      const colour: Colour = e.outcome === 'ok' ? 'green' : e.outcome === 'killed' ? 'magenta' : 'red';
      return line(`exit ${e.outcome}`, colour, `${p('bold', e.task)}${e.message ? `: ${e.message}` : ''}`);
    }
    case 'shutdown_begin':
      return line('shutdown_tasks', 'blue', `${p('bold', e.label)} (kind ${opt(e.kind)}, tenant ${opt(e.tenant)}, timeline ${opt(e.timeline)})${e.caller ? ` from ${e.caller}` : ''}`);
    case 'shutdown_end':
      return line('shutdown done', 'blue', `${p('bold', e.label)} victims [${e.victims.join(', ')}] waited [${e.waited.join(', ')}]`);
    case 'shutdown_abandoned':
      return line('shutdown dropped', 'red', `${e.label} (its caller ${opt(e.caller)} ended)`);
    case 'shutdown_wait':
      return verbose ? line('waiting for', 'gray', `${e.label} -> ${e.task}${e.took_handle ? '' : ' (handle already taken: not waiting)'}`) : null;
    case 'associate':
      return line('associate', 'cyan', `${e.task} -> tenant ${opt(e.tenant)}, timeline ${opt(e.timeline)}`);
    case 'kind':
      return line('current kind', 'gray', `${e.task ?? '(outside any task)'}: ${opt(e.kind)}`);
    case 'check':
      return line('is_shutdown_req', 'gray', `${e.task ?? '(outside any task)'}: ${e.value}`);
    case 'inject':
      return line(`inject ${e.fault}`, 'red', `${e.task}${e.applied ? '' : ' (not running: not applied)'}`);
    case 'snapshot':
      return line('snapshot', 'gray', `${e.label}: [${e.tasks.join(', ')}]`);
    case 'process_shutdown':
      return line('process shutdown', 'magenta', `code ${e.code}${e.cause ? `, caused by ${e.cause}` : ''}`);
    case 'process_exit':
      return line('process exit', 'magenta', `code ${e.code}`);
    case 'process_crash':
      return line('process crash', 'red', `${e.runtime} worker ${e.worker} (pid ${e.pid ?? '?'}) died: ${e.signal ?? `exit code ${e.exit_code}`}`);
    case 'end':
      return line('end', 'bold', `registry [${e.registry.join(', ')}] pending [${e.pending.join(', ')}]`);
    case 'await':
      return verbose ? line('awaits', 'gray', `${e.task}: ${e.what}`) : null;
    case 'log':
      if (e.level === 'error' || e.level === 'warn' || verbose) {
        return line(e.level.toUpperCase(), e.level === 'error' ? 'red' : e.level === 'warn' ? 'yellow' : 'gray', `${e.task ? `${e.task}: ` : ''}${e.message}`);
      }
      return null;
    case 'error':
      return line('LAB ERROR', 'red', e.message);
    // ---- the pageserver model --------------------------------------------------------
    case 'narration':
      return `\n${p('bold', `== ${e.title} ==`)}${e.text ? `\n${e.text}` : ''}`;
    case 'process_start':
      return line('process start', 'magenta', `pageserver process ${e.process}${e.label_suffix ? ` (its labels end in "${e.label_suffix.trim()}")` : ''}`);
    case 'process_signal':
      return line(e.signal, 'magenta', e.effect === 'graceful_shutdown' ? 'graceful shutdown (code 0) from the main thread' : e.effect === 'kill' ? `process killed${e.cause ? ` by ${e.cause}` : ''}` : 'immediate exit');
    case 'tenant_state':
      return line('tenant state', 'cyan', `${e.tenant}: ${e.from ? `${stateName(e.from)} -> ` : ''}${stateName(e.state)}`);
    case 'timeline_state':
      return line('timeline state', 'cyan', `${e.tenant}/${e.timeline}: ${e.from ? `${stateName(e.from)} -> ` : ''}${stateName(e.state)}`);
    case 'flush_loop':
      return verbose ? line('flush_loop', 'gray', `${e.tenant}/${e.timeline}: ${e.state}`) : null;
    case 'upload_queue':
      return verbose || e.action === 'stopped' || e.action === 'dropped'
        ? line('upload queue', e.action === 'dropped' || e.action === 'stopped' ? 'yellow' : 'gray', `${e.tenant}/${e.timeline}: ${e.action} ${e.op}${e.task ? ` (${e.task})` : ''}`)
        : null;
    case 'storage':
      return verbose ? line(e.where, 'gray', `${e.op} ${e.path}`) : null;
    case 'http':
      return e.phase === 'request'
        ? line('http request', 'blue', e.request)
        : line('http response', e.status !== null && e.status < 400 ? 'green' : 'red', `${e.request}: ${e.status ?? 'no status'} ${e.body}`);
    case 'lint':
      return line(`LINT ${e.rule}`, 'red', e.message);
    case 'assertion':
      return line(e.ok ? 'expect ok' : 'expect FAILED', e.ok ? 'green' : 'red', `${e.description}${e.detail ? `: found ${e.detail}` : ''}`);
    default:
      return null;
  }
}
