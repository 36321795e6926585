/**
 * The workloads of the pageserver model, one per task kind (plus the manual GC
 * task), by the name a `{type: 'workload'}` body gives. Bodies use only the task
 * API and `pageserver.*` services, so they run unchanged in pool workers.
 */
import type { Workload } from '../../scenario/bodies';
import { attach, initialLoad } from './load-attach';
import { httpListener, libpqListener, pageRequestHandler } from './listeners';
import { compactionLoop, gcLoop, manualGc } from './tenant-loops';
import { layerFlushTask, remoteUploadTask, sizeCalculation } from './timeline-tasks';
import { walReceiverConnection, walReceiverManager } from './walreceiver';

/** Does nothing: the live runner spawns one per worker before time zero, so that every worker has loaded this module. */
const warmup: Workload = () => async () => {};

export const PAGESERVER_WORKLOADS: Record<string, Workload> = {
  Warmup: warmup,
  LibpqEndpointListener: libpqListener,
  HttpEndpointListener: httpListener,
  PageRequestHandler: pageRequestHandler,
  WalReceiverManager: walReceiverManager,
  WalReceiverConnection: walReceiverConnection,
  GarbageCollector: gcLoop,
  ManualGc: manualGc,
  Compaction: compactionLoop,
  InitialLogicalSizeCalculation: sizeCalculation,
  LayerFlushTask: layerFlushTask,
  RemoteUploadTask: remoteUploadTask,
  InitialLoad: initialLoad,
  Attach: attach,
};
