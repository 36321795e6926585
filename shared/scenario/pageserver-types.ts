/**
 * A pageserver scenario (`taskmgr-pageserver/1`, docs/scenario-format.md): the
 * format of `taskmgr-scenario/1` plus a simulated pageserver. It says what is on
 * disk and in remote storage before the first start, what happens from outside
 * (HTTP requests, computes, signals, crashes, restarts, failpoints, faults injected
 * into a task chosen by kind and tenant), the phases a reader is walked through,
 * and the expected outcome the runner checks. Task templates and the v1 steps keep
 * working beside the model's own tasks.
 */
import type { FaultKind } from '../model/outcome';
import type { FlushLoopState, TenantState, TimelineState } from '../model/pageserver';
import type { TaskKind } from '../model/task-kind';
import type { RuntimeName } from '../model/runtime';
import type { Step, TaskTemplate } from './types';

export const PAGESERVER_FORMAT = 'taskmgr-pageserver/1';

/** The tenant config fields a scenario may set (seconds and MiB, as the seed's TenantConf). */
export interface TenantConfSpec {
  compaction_period?: number;
  gc_period?: number;
  gc_horizon?: number;
  checkpoint_distance?: number;
  compaction_threshold?: number;
}

export interface TimelineSetup {
  id: string;
  /** L0 layers of 8 MiB each on disk and/or in remote storage (default 2). */
  layers: number;
  /** Ticks between two 1 MiB WAL messages from the safekeeper; 0: no WAL (default). */
  wal_every: number;
  ancestor: string | null;
}

export interface TenantSetup {
  id: string;
  /**
   * Where the tenant is before the first start: `local` on disk and fully uploaded,
   * `remote` only in remote storage (to be attached), `local-only` on disk, nothing uploaded.
   */
  location: 'local' | 'remote' | 'local-only';
  conf: TenantConfSpec;
  timelines: TimelineSetup[];
}

export type FailpointActionName = 'off' | 'return' | 'sleep' | 'pause' | 'panic' | 'crash';

export interface FailpointSpec {
  action: FailpointActionName;
  ticks?: number;
  times?: number;
}

/** The `pageserver` section: the machine before the first start, and the model's timing. */
export interface PageserverSetup {
  /** Is remote storage configured? (default true) */
  remote_storage: boolean;
  /** Ticks per simulated second (default 10). */
  second_ticks: number;
  /** Durations of uninterruptible work in ticks (see docs/pageserver-model.md). */
  durations: Record<string, number>;
  /** The pageserver's default tenant config (pageserver.toml). */
  tenant_defaults: TenantConfSpec;
  /** Seconds a shutdown call may wait on one victim before it is reported stuck (default 30). */
  stuck_after: number;
  workers: Partial<Record<RuntimeName, number>>;
  tenants: TenantSetup[];
  /** Failpoints configured when the first process starts (the FAILPOINTS variable). */
  failpoints: Record<string, FailpointSpec>;
}

/** A scenario phase: narrated when it begins. */
export interface Phase {
  at: number;
  title: string;
  text: string;
}

type At = { at: number; label?: string };

/** The pageserver steps (besides the v1 steps of ./types.ts). */
export type PageserverStep =
  | (At & { do: 'attach' | 'detach'; tenant: string })
  | (At & { do: 'create_tenant'; tenant: string; conf: TenantConfSpec })
  | (At & { do: 'create_timeline' | 'delete_timeline' | 'gc' | 'checkpoint' | 'compact' | 'timeline_detail'; tenant: string; timeline: string })
  | (At & { do: 'page_requests'; tenant: string; timeline: string; mode: 'pagestream' | 'basebackup'; requests: number; every: number })
  | (At & { do: 'wal'; tenant: string; timeline: string; every: number })
  | (At & { do: 'signal'; signal: 'SIGINT' | 'SIGTERM' | 'SIGQUIT' })
  | (At & { do: 'crash' })
  | (At & { do: 'restart'; failpoints: Record<string, FailpointSpec> })
  | (At & { do: 'failpoint'; name: string } & FailpointSpec)
  | (At & { do: 'inject_into'; kind: TaskKind; tenant: string | null; timeline: string | null; fault: FaultKind; message: string });

export type PageserverStepName = PageserverStep['do'];

/** Which tasks an expectation is about (every field optional; `process` defaults to any). */
export interface TaskSelector {
  kind?: TaskKind;
  tenant?: string | null;
  timeline?: string | null;
  label?: string;
  process?: number;
}

/** An expected outcome, checked at the end of the run (or at `at`). */
export type Expectation = { at?: number; why?: string } & (
  | { tenant: string; state: TenantState | 'absent' }
  | { timeline: string; state: TimelineState | 'absent' }
  | { flush_loop: string; state: FlushLoopState }
  | { tasks: TaskSelector; outcome: 'ok' | 'error' | 'panic' | 'killed' | 'running'; count?: number }
  | { tasks: TaskSelector; count: number }
  | { http: string; status: number | null | 'pending' }
  | { shutdown: string; completed: boolean }
  | { exit_code: number | null; process?: number }
  | { processes: number }
  | { lint: string; raised: boolean }
  | { log: string; min?: number; max?: number }
  | { disk: string; exists: boolean; marker?: boolean }
  | { upload_queue: string; state: 'Uninitialized' | 'Initialized' | 'Stopped' }
  | { remote_lsn: string; behind_local: boolean }
);

export interface PageserverScenario {
  format: typeof PAGESERVER_FORMAT;
  name: string;
  /** A short title for lists and the UI. */
  title: string;
  description: string;
  /** Catalog entries of neon-semantics.md section 7 (`S1` ...). */
  catalog: string[];
  /** GitHub issue and PR numbers of the incident. */
  issues: number[];
  /** The fixed seed of `scenarios --check` (default 1). */
  seed: number;
  /** False when the outcome depends on exact timing (not expected to hold in live mode). */
  live: boolean;
  pageserver: PageserverSetup;
  phases: Phase[];
  tasks: Record<string, TaskTemplate>;
  /** Sorted by `at`; same `at` keeps file order. */
  steps: Array<Step | PageserverStep>;
  end_at: number;
  expect: Expectation[];
}
