/**
 * The model's timing. The defaults of neon-semantics.md section 8.5 are in seconds
 * (compaction every 20 s, GC every 100 s, retry after 2 s, wait_lsn 60 s, ...);
 * `secondTicks` scales them to ticks so that a demo of minutes of pageserver life
 * runs in seconds. The durations of the uninterruptible work (flushing a layer,
 * uploading a file, downloading one) are the model's own, in ticks, and a scenario
 * may set each of them.
 */

/** Per-tenant configuration (the seed's `TenantConf`), in seconds and MiB. */
export interface TenantConf {
  /** 0 disables automatic compaction (the loop rechecks every 10 s). */
  compaction_period: number;
  /** 0 disables GC (the loop rechecks every 10 s). */
  gc_period: number;
  gc_horizon: number;
  /** An open in-memory layer this big is frozen and flushed. */
  checkpoint_distance: number;
  /** Compaction merges L0 layers into L1 once there are this many. */
  compaction_threshold: number;
}

/** Section 8.5: the defaults at 9a6c0be823. */
export const SEED_TENANT_CONF: TenantConf = {
  compaction_period: 20,
  gc_period: 100,
  gc_horizon: 64,
  checkpoint_distance: 256,
  compaction_threshold: 10,
};

/** Fixed timeouts and periods of the seed, in seconds (section 8.5). */
export const SEED_TIMING = {
  /** tenant_tasks.rs: retry after an error, and the tenant lookup retry. */
  loopRetry: 2,
  /** A disabled compaction/GC loop looks again after this long. */
  disabledRecheck: 10,
  /** page_service.rs: get_active_tenant_with_timeout. */
  waitActiveTimeout: 30,
  /** wait_lsn_timeout. */
  waitLsnTimeout: 60,
  /** walreceiver_connect_timeout. */
  walreceiverConnectTimeout: 2,
  /** exponential_backoff(n, base 1.1, max 3.0) of the upload tasks. */
  backoffBase: 1.1,
  backoffMax: 3,
} as const;

/** How long each piece of uninterruptible work takes, in ticks. */
export interface Durations {
  /** Writing one frozen in-memory layer to disk (one flush cycle per layer). */
  flushLayer: number;
  layerUpload: number;
  indexUpload: number;
  layerDelete: number;
  layerDownload: number;
  indexDownload: number;
  /** Listing a tenant's timelines in remote storage. */
  listTimelines: number;
  /** Loading one timeline from local disk (reading metadata and the layer map). */
  loadTimeline: number;
  /** compact_level0 writing the L1 layers of one timeline. */
  compaction: number;
  /** Timeline::gc of one timeline (before its wait_completion). */
  gc: number;
  /** calculate_logical_size in spawn_blocking. */
  sizeCalculation: number;
  /** POST timeline: initdb and the first basebackup import, inline in the HTTP handler. */
  timelineCreate: number;
  /** remove_dir_all of one timeline directory (detach and delete remove them one by one). */
  removeTimelineDir: number;
  /** One GetPage request (a U-section of the page handler). */
  getPage: number;
  /** A basebackup under block_in_place (holds the compute worker). */
  basebackup: number;
  /** Connecting to a safekeeper. */
  walConnect: number;
}

export const DEFAULT_DURATIONS: Durations = {
  flushLayer: 6,
  layerUpload: 8,
  indexUpload: 3,
  layerDelete: 2,
  layerDownload: 8,
  indexDownload: 3,
  listTimelines: 2,
  loadTimeline: 3,
  compaction: 15,
  gc: 6,
  sizeCalculation: 40,
  timelineCreate: 30,
  removeTimelineDir: 4,
  getPage: 2,
  basebackup: 20,
  walConnect: 3,
};

export interface ModelConfig {
  /** Ticks per simulated second: the scale factor of every constant in seconds. */
  secondTicks: number;
  /** Is remote storage configured? (Attach needs it; without it a marker means Broken.) */
  remoteStorage: boolean;
  durations: Durations;
  /** The conf of tenants that do not set their own. */
  tenantDefaults: TenantConf;
  /** A shutdown call waiting this many seconds on one victim is reported as stuck (a lint). */
  stuckAfter: number;
}

export const DEFAULT_CONFIG: ModelConfig = {
  secondTicks: 10,
  remoteStorage: true,
  durations: DEFAULT_DURATIONS,
  tenantDefaults: SEED_TENANT_CONF,
  stuckAfter: 30,
};

export function modelConfig(partial: Partial<Omit<ModelConfig, 'durations' | 'tenantDefaults'>> & { durations?: Partial<Durations>; tenantDefaults?: Partial<TenantConf> } = {}): ModelConfig {
  return {
    ...DEFAULT_CONFIG,
    ...partial,
    durations: { ...DEFAULT_DURATIONS, ...partial.durations },
    tenantDefaults: { ...SEED_TENANT_CONF, ...partial.tenantDefaults },
  };
}

/** Seconds of the seed's clock in ticks. */
export function secondsToTicks(config: ModelConfig, seconds: number): number {
  return seconds * config.secondTicks;
}

/**
 * `exponential_backoff(n, 1.1, 3.0)` after `failures` consecutive failures of an upload
 * task: 0 s after the first, then min(1.1^(failures-1), 3) s; infinite retries.
 */
export function uploadBackoffSeconds(failures: number): number {
  const n = failures - 1;
  if (n <= 0) return 0;
  return Math.min(SEED_TIMING.backoffBase ** n, SEED_TIMING.backoffMax);
}
