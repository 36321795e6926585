/**
 * The twelve kinds of task of the pageserver at 9a6c0be823, spelled and ordered as
 * the seed's `enum TaskKind`. Kinds tag tasks so that `shutdown_tasks` can pick them
 * (for example every `WalReceiverManager` at process shutdown).
 */
export const TaskKind = {
  /** libpq listener: accepts connections, spawns a PageRequestHandler per connection. */
  LibpqEndpointListener: 'LibpqEndpointListener',
  /** HTTP endpoint listener. */
  HttpEndpointListener: 'HttpEndpointListener',
  /** One libpq connection; may be associated with a tenant/timeline later. */
  PageRequestHandler: 'PageRequestHandler',
  /** Manages the WAL receiver connection of one timeline. */
  WalReceiverManager: 'WalReceiverManager',
  /** One connection to a safekeeper streaming WAL to a timeline. */
  WalReceiverConnection: 'WalReceiverConnection',
  /** Garbage collection loop, one per tenant. */
  GarbageCollector: 'GarbageCollector',
  /** Compaction loop, one per tenant. */
  Compaction: 'Compaction',
  /** Initial logical size calculation. */
  InitialLogicalSizeCalculation: 'InitialLogicalSizeCalculation',
  /** Flushes frozen in-memory layers to disk. */
  LayerFlushTask: 'LayerFlushTask',
  /** Uploads one file to remote storage. */
  RemoteUploadTask: 'RemoteUploadTask',
  /** Initial loading of a tenant. */
  InitialLoad: 'InitialLoad',
  /** Attaching a tenant. */
  Attach: 'Attach',
} as const;

export type TaskKind = (typeof TaskKind)[keyof typeof TaskKind];

/** The kinds in the seed's declaration order. */
export const TASK_KINDS: readonly TaskKind[] = Object.values(TaskKind);

export function isTaskKind(value: unknown): value is TaskKind {
  return typeof value === 'string' && (TASK_KINDS as readonly string[]).includes(value);
}
