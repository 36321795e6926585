/**
 * Finding the objects a service call names: bodies pass object ids (the Arcs they
 * hold), which stay valid after the object left `TENANTS` or its tenant's map.
 */
import { ModelError } from '../errors';
import type { Pageserver } from '../process';
import type { RemoteTimelineClient } from '../remote-timeline-client';
import type { Tenant } from '../tenant';
import type { Timeline } from '../timeline';

export function tenantObj(ps: Pageserver, obj: number): Tenant {
  const t = ps.tenantObjects.get(obj);
  if (!t) throw new ModelError(`no tenant object ${obj}`);
  return t;
}

export function timelineObj(ps: Pageserver, obj: number): Timeline {
  const t = ps.timelineObjects.get(obj);
  if (!t) throw new ModelError(`no timeline object ${obj}`);
  return t;
}

export function clientObj(ps: Pageserver, obj: number): RemoteTimelineClient {
  const c = ps.clients.get(obj);
  if (!c) throw new ModelError(`no remote timeline client ${obj}`);
  return c;
}
