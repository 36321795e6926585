/**
 * The four tokio runtimes of the seed. Each class of work gets its own threads, so
 * that "you can quickly eyeball how much CPU time each class of operations is
 * taking" and a blocked class cannot starve the others. In the Lab each runtime is
 * a pool of workers: virtual ones in the simulator, OS processes in live mode.
 */
export const RuntimeName = {
  /** COMPUTE_REQUEST_RUNTIME: libpq connections from computes. */
  compute_request: 'compute_request',
  /** MGMT_REQUEST_RUNTIME: the HTTP management API. */
  mgmt_request: 'mgmt_request',
  /** WALRECEIVER_RUNTIME: WAL receiver connections. */
  walreceiver: 'walreceiver',
  /** BACKGROUND_RUNTIME: flush, GC, compaction, uploads, initial load. */
  background: 'background',
} as const;

export type RuntimeName = (typeof RuntimeName)[keyof typeof RuntimeName];

export const RUNTIME_NAMES: readonly RuntimeName[] = Object.values(RuntimeName);

/** The seed's thread names, shown beside the runtime in the UI. */
export const RUNTIME_THREAD_NAMES: Record<RuntimeName, string> = {
  compute_request: 'compute request worker',
  mgmt_request: 'mgmt request worker',
  walreceiver: 'walreceiver worker',
  background: 'background op worker',
};

export function isRuntimeName(value: unknown): value is RuntimeName {
  return typeof value === 'string' && (RUNTIME_NAMES as readonly string[]).includes(value);
}
