/**
 * Resolves a `BodySpec` into a body: a scenario template's ops, or a named workload
 * (the pageserver model registers its workloads here). Both executors use it, so a
 * body is written once and runs on either.
 */
import type { TaskTemplate } from '../../shared/scenario/types';
import type { BodySpec } from '../core/executor';
import type { TaskBody } from '../core/task-context';
import type { BodyResolver } from '../core/task-wrapper';
import { templateBody } from './interpreter';

export type Workload = (args: unknown) => TaskBody;

export function makeBodyResolver(
  templates: Record<string, TaskTemplate>,
  workloads: Record<string, Workload> = {},
): BodyResolver {
  return (spec: BodySpec): TaskBody => {
    if (spec.type === 'template') {
      const tpl = templates[spec.template];
      if (!tpl) throw new Error(`no task template "${spec.template}"`);
      return templateBody(tpl, templates);
    }
    const workload = workloads[spec.name];
    if (!workload) throw new Error(`no workload "${spec.name}"`);
    return workload(spec.args);
  };
}
