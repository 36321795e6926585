/**
 * At least one event of every type of shared/trace/events.ts, for tests that must
 * cover them all (the wording, the event store's table). The mapped type makes a new
 * event type fail to compile here until it has a sample.
 */
import type { EventName, TraceEvent } from '../../shared/trace/events';

export type SampleOf = { [K in EventName]: Array<Extract<TraceEvent, { ev: K }>> };

export const SAMPLES: SampleOf = {
  scenario: [{ t: 0, ev: 'scenario', name: 'demo', tick_ms: 10, mode: 'sim', seed: 7 }],
  spawn: [{ t: 1, ev: 'spawn', task: 'compaction', id: 1, kind: 'Compaction', runtime: 'background', tenant: 't1', timeline: null, parent: 'mgmt', name: 'compactor' }],
  start: [{ t: 1, ev: 'start', task: 'compaction', runtime: 'background', worker: 2, pid: 4242 }],
  signal: [{ t: 2, ev: 'signal', task: 'compaction', by: 'detach t1' }],
  observe: [{ t: 2, ev: 'observe', task: 'compaction', via: 'poll' }],
  exit: [
    { t: 3, ev: 'exit', task: 'compaction', outcome: 'ok', message: null },
    { t: 3, ev: 'exit', task: 'gc', outcome: 'panic', message: 'index out of bounds' },
    { t: 3, ev: 'exit', task: 'flush', outcome: 'killed', message: null },
  ],
  shutdown_begin: [{ t: 2, ev: 'shutdown_begin', label: 'detach t1', kind: null, tenant: 't1', timeline: null, caller: 'mgmt' }],
  shutdown_end: [{ t: 4, ev: 'shutdown_end', label: 'detach t1', victims: ['compaction'], waited: ['compaction'] }],
  shutdown_abandoned: [{ t: 4, ev: 'shutdown_abandoned', label: 'detach t2', caller: 'mgmt' }],
  shutdown_wait: [{ t: 2, ev: 'shutdown_wait', label: 'detach t1', task: 'compaction', took_handle: false }],
  associate: [{ t: 1, ev: 'associate', task: 'compaction', tenant: 't1', timeline: 'tl1' }],
  kind: [{ t: 1, ev: 'kind', task: null, kind: null }],
  check: [{ t: 1, ev: 'check', task: 'compaction', value: true }],
  inject: [{ t: 2, ev: 'inject', task: 'gc', fault: 'panic', applied: true, message: 'boom' }],
  snapshot: [{ t: 2, ev: 'snapshot', label: 'detach t1', tasks: ['compaction', 'gc'] }],
  process_shutdown: [{ t: 5, ev: 'process_shutdown', code: 1, cause: 'gc' }],
  process_exit: [{ t: 6, ev: 'process_exit', code: 1 }],
  end: [{ t: 7, ev: 'end', registry: [], pending: ['x'] }],
  await: [{ t: 1, ev: 'await', task: 'compaction', what: 'sleep 5 ticks' }],
  log: [
    { t: 1, ev: 'log', level: 'warn', task: 'compaction', message: 'slow' },
    { t: 1, ev: 'log', level: 'debug', task: null, message: "Starting task 'x'" },
  ],
  process_crash: [
    { t: 5, ev: 'process_crash', runtime: 'background', worker: 1, pid: 99, exit_code: null, signal: 'SIGKILL' },
    { t: 5, ev: 'process_crash', runtime: 'walreceiver', worker: 0, pid: null, exit_code: 3, signal: null },
  ],
  pool_stats: [{ t: 1, ev: 'pool_stats', workers: [{ runtime: 'background', worker: 0, pid: 1, cpu_ms: 1, loop_delay_ms: 0, tasks: 1, placed: 1 }] }],
  error: [{ t: 1, ev: 'error', message: 'bad message', source: 'worker' }],
  process_start: [{ t: 0, ev: 'process_start', process: 2, label_suffix: ' (2)' }],
  process_signal: [{ t: 5, ev: 'process_signal', signal: 'SIGKILL', effect: 'kill', cause: 'failpoint x' }],
  tenant_state: [{ t: 1, ev: 'tenant_state', tenant: 't1', from: 'Active', state: 'Paused' }],
  timeline_state: [{ t: 1, ev: 'timeline_state', tenant: 't1', timeline: 'tl1', from: null, state: 'Active' }],
  flush_loop: [{ t: 1, ev: 'flush_loop', tenant: 't1', timeline: 'tl1', state: 'Exited' }],
  upload_queue: [
    { t: 1, ev: 'upload_queue', tenant: 't1', timeline: 'tl1', action: 'launched', op: 'UploadLayer l0-0-8', task: 'upload 1' },
    { t: 1, ev: 'upload_queue', tenant: 't1', timeline: 'tl1', action: 'dropped', op: 'Barrier' },
  ],
  http: [
    { t: 1, ev: 'http', request: 'detach t1', phase: 'request', status: null, body: '' },
    { t: 2, ev: 'http', request: 'detach t1', phase: 'response', status: 500, body: 'error' },
  ],
  storage: [{ t: 1, ev: 'storage', where: 'disk', op: 'write', path: 'tenants/t1/attaching' }],
  lint: [{ t: 3, ev: 'lint', rule: 'no-upload-after-stop', message: 'an upload ran after the queue stopped', tasks: ['upload 1'] }],
  narration: [{ t: 0, ev: 'narration', title: 'Detach', text: 'The tenant is detached while it compacts.' }],
  assertion: [
    { t: 9, ev: 'assertion', description: 'all tasks exit', ok: true, detail: null },
    { t: 9, ev: 'assertion', description: 'no panic', ok: false, detail: 'gc panicked' },
  ],
};
