/**
 * How the pageserver spawns each kind of task at the seed: runtime, tenant and
 * timeline association, the name given to `task_mgr::spawn`, and
 * `shutdown_process_on_error` (section 1.3). The body is a named workload
 * (./workloads) with JSON arguments, so the same spawn runs on either executor. The
 * trace label is short (`flush t1/l1`); the coordinator makes repeats unique.
 */
import { TaskKind, type RuntimeName } from '../../shared/model';
import type { SpawnSpec } from '../core/executor';

function spec(
  kind: TaskKind,
  runtime: RuntimeName,
  tenant: string | null,
  timeline: string | null,
  name: string,
  label: string,
  args: unknown,
  workload: string = kind,
  shutdownProcessOnError = false,
): SpawnSpec {
  return { kind, runtime, tenant, timeline, name, label, shutdownProcessOnError, body: { type: 'workload', name: workload, args } };
}

export const libpqListenerSpec = () =>
  spec(TaskKind.LibpqEndpointListener, 'compute_request', null, null, 'libpq endpoint listener', 'libpq listener', {}, undefined, true);

export const httpListenerSpec = () =>
  spec(TaskKind.HttpEndpointListener, 'mgmt_request', null, null, 'http endpoint listener', 'http listener', {}, undefined, true);

export const pageRequestHandlerSpec = (conn: number) =>
  spec(TaskKind.PageRequestHandler, 'compute_request', null, null, 'serving compute connection task', `page handler ${conn}`, { conn });

export const walReceiverManagerSpec = (tenant: string, timeline: string, tl: number) =>
  spec(TaskKind.WalReceiverManager, 'walreceiver', tenant, timeline, `walreceiver for tenant ${tenant} timeline ${timeline}`, `walreceiver ${tenant}/${timeline}`, { tl });

export const walReceiverConnectionSpec = (tenant: string, timeline: string, conn: number) =>
  spec(TaskKind.WalReceiverConnection, 'walreceiver', tenant, timeline, 'walreceiver connection', `wal connection ${tenant}/${timeline}`, { conn });

export const compactionLoopSpec = (tenant: string) =>
  spec(TaskKind.Compaction, 'background', tenant, null, `compactor for tenant ${tenant}`, `compaction ${tenant}`, { tenant });

export const gcLoopSpec = (tenant: string) =>
  spec(TaskKind.GarbageCollector, 'background', tenant, null, `garbage collector for tenant ${tenant}`, `gc ${tenant}`, { tenant });

/** `immediate_gc`: a one-shot GC of one timeline, spawned from the HTTP handler on its (mgmt) runtime. */
export const manualGcSpec = (tenant: string, timeline: string, tenantObj: number, request: number) =>
  spec(TaskKind.GarbageCollector, 'mgmt_request', tenant, timeline, `timeline ${timeline} gc`, `manual gc ${tenant}/${timeline}`, { tenant: tenantObj, timeline, request }, 'ManualGc');

export const sizeCalculationSpec = (tenant: string, timeline: string, tl: number) =>
  spec(TaskKind.InitialLogicalSizeCalculation, 'background', tenant, timeline, 'initial size calculation', `size calc ${tenant}/${timeline}`, { tl });

export const layerFlushSpec = (tenant: string, timeline: string, tl: number) =>
  spec(TaskKind.LayerFlushTask, 'background', tenant, timeline, 'layer flush task', `flush ${tenant}/${timeline}`, { tl });

export const remoteUploadSpec = (tenant: string, timeline: string, client: number, task: number, op: string) =>
  spec(TaskKind.RemoteUploadTask, 'background', tenant, timeline, 'remote upload', `upload ${tenant}/${timeline} ${op}`, { client, task });

/** Spawned on the current runtime: background at startup, mgmt for POST /tenant. */
export const initialLoadSpec = (tenant: string, obj: number, runtime: RuntimeName) =>
  spec(TaskKind.InitialLoad, runtime, tenant, null, 'initial tenant load', `load ${tenant}`, { tenant: obj });

/** Spawned on the current runtime: background when resuming at startup, mgmt for POST /attach. */
export const attachSpec = (tenant: string, obj: number, runtime: RuntimeName) =>
  spec(TaskKind.Attach, runtime, tenant, null, 'attach tenant', `attach ${tenant}`, { tenant: obj });
