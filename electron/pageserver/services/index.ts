/**
 * Registers every `pageserver.*` service of a process with its task manager.
 */
import type { Pageserver } from '../process';
import { registerIoServices } from './io-services';
import { registerTenantServices } from './tenant-services';
import { registerTimelineServices } from './timeline-services';

export function registerServices(ps: Pageserver): void {
  registerTenantServices(ps);
  registerTimelineServices(ps);
  registerIoServices(ps);
}
