/**
 * A scenario template as the arguments of the seed's `spawn`: the template id becomes
 * the task's name in the trace, and its body is the template's ops.
 */
import type { TaskTemplate } from '../../shared/scenario/types';
import type { SpawnSpec } from '../core/executor';

export function templateSpawnSpec(tpl: TaskTemplate): SpawnSpec {
  return {
    runtime: tpl.runtime,
    kind: tpl.kind,
    tenant: tpl.tenant,
    timeline: tpl.timeline,
    name: tpl.name,
    label: tpl.id,
    shutdownProcessOnError: tpl.shutdown_process_on_error,
    body: { type: 'template', template: tpl.id },
  };
}
