/** Worker pool tests: a task template as the coordinator sends it to a background worker. */
import type { Op, TaskTemplate } from '../../shared/scenario/types';

/** A Compaction task of tenant t1 on the background runtime, named by its id. */
export function tpl(id: string, body: Op[]): TaskTemplate {
  return { id, runtime: 'background', kind: 'Compaction', tenant: 't1', timeline: null, name: id, shutdown_process_on_error: false, body };
}
