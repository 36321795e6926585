/**
 * The pageserver's local disk, per tenant: `tenants/<id>/` with the `attaching`
 * marker, the tenant config, and `timelines/<id>/` holding the `metadata` file,
 * layer files and temporary files (`*.temp_download`, uninit marks). It belongs to
 * the machine, not to the process: it survives a crash and the next process starts
 * from it (section 3.3). Operations on a missing directory fail as the OS would,
 * which is how untracked work finds that a detach removed its files.
 */

/** The `metadata` file of a timeline (the fields the model needs). */
import type { TenantConf } from './config';

export interface TimelineMetadata {
  disk_consistent_lsn: number;
  gc_cutoff_lsn: number;
  ancestor: string | null;
}

export interface TimelineDir {
  metadata: TimelineMetadata | null;
  /** Layer file name -> size. */
  layers: Map<string, number>;
  /** `<layer>.temp_download` and other temporary files. */
  tempFiles: Set<string>;
  /** The `<timeline>.___uninit` mark of a timeline whose creation did not finish. */
  uninitMark: boolean;
}

export interface TenantDir {
  /** The `attaching` marker file (section 3.6). */
  attaching: boolean;
  /** The tenant's `config` file (null: absent, the pageserver's defaults apply). */
  config: Partial<TenantConf> | null;
  timelines: Map<string, TimelineDir>;
}

/** The suffix of a temporary tenant directory, removed at startup. */
export const TEMP_SUFFIX = '___temp';
export const NO_SUCH_FILE = 'No such file or directory (os error 2)';

/** An I/O error of the simulated file system. */
export class FsError extends Error {
  override name = 'FsError';
}

export type DiskListener = (op: string, path: string) => void;

export class Disk {
  /** Entries of `tenants/` that are directories, by name. */
  readonly dirs = new Map<string, TenantDir>();
  /** Entries of `tenants/` that are plain files (startup logs and skips them). */
  readonly files = new Set<string>();
  private listener: DiskListener | null = null;

  onChange(listener: DiskListener | null): void {
    this.listener = listener;
  }

  private changed(op: string, path: string): void {
    this.listener?.(op, path);
  }

  /** The entries of `tenants/` in name order (the seed reads them in directory order). */
  entries(): string[] {
    return [...new Set([...this.dirs.keys(), ...this.files])].sort();
  }

  tenant(tenant: string): TenantDir | undefined {
    return this.dirs.get(tenant);
  }

  timeline(tenant: string, timeline: string): TimelineDir | undefined {
    return this.dirs.get(tenant)?.timelines.get(timeline);
  }

  private needTenant(tenant: string, what: string): TenantDir {
    const dir = this.dirs.get(tenant);
    if (!dir) throw new FsError(`${what} tenants/${tenant}: ${NO_SUCH_FILE}`);
    return dir;
  }

  private needTimeline(tenant: string, timeline: string, what: string): TimelineDir {
    const dir = this.timeline(tenant, timeline);
    if (!dir) throw new FsError(`${what} tenants/${tenant}/timelines/${timeline}: ${NO_SUCH_FILE}`);
    return dir;
  }

  createTenantDir(tenant: string): TenantDir {
    let dir = this.dirs.get(tenant);
    if (!dir) {
      dir = { attaching: false, config: null, timelines: new Map() };
      this.dirs.set(tenant, dir);
      this.changed('mkdir', `tenants/${tenant}`);
    }
    return dir;
  }

  createMarker(tenant: string): void {
    this.needTenant(tenant, 'create attaching marker in').attaching = true;
    this.changed('create', `tenants/${tenant}/attaching`);
  }

  removeMarker(tenant: string): void {
    this.needTenant(tenant, 'remove attaching marker in').attaching = false;
    this.changed('remove', `tenants/${tenant}/attaching`);
  }

  writeConfig(tenant: string, config: Partial<TenantConf>): void {
    this.needTenant(tenant, 'write config in').config = { ...config };
    this.changed('write', `tenants/${tenant}/config`);
  }

  /** An empty tenant directory (a crash between creating it and its marker: section 3.3). */
  isEmpty(tenant: string): boolean {
    const t = this.dirs.get(tenant);
    return !!t && !t.attaching && t.config === null && t.timelines.size === 0;
  }

  /** Removes a whole tenant directory at once (a small one, or the startup cleanup). */
  removeTenantDir(tenant: string): void {
    if (this.dirs.delete(tenant)) this.changed('rmdir', `tenants/${tenant}`);
    else this.files.delete(tenant);
  }

  createTimelineDir(tenant: string, timeline: string, uninitMark = false): TimelineDir {
    const t = this.needTenant(tenant, 'create timeline directory in');
    let dir = t.timelines.get(timeline);
    if (!dir) {
      dir = { metadata: null, layers: new Map(), tempFiles: new Set(), uninitMark };
      t.timelines.set(timeline, dir);
      this.changed('mkdir', `tenants/${tenant}/timelines/${timeline}`);
    }
    return dir;
  }

  removeTimelineDir(tenant: string, timeline: string): void {
    if (this.dirs.get(tenant)?.timelines.delete(timeline)) this.changed('rmdir', `tenants/${tenant}/timelines/${timeline}`);
  }

  writeMetadata(tenant: string, timeline: string, metadata: TimelineMetadata): void {
    this.needTimeline(tenant, timeline, 'write metadata of').metadata = { ...metadata };
    this.changed('write', `tenants/${tenant}/timelines/${timeline}/metadata`);
  }

  removeMetadata(tenant: string, timeline: string): void {
    const dir = this.needTimeline(tenant, timeline, 'remove metadata of');
    dir.metadata = null;
    this.changed('remove', `tenants/${tenant}/timelines/${timeline}/metadata`);
  }

  writeLayer(tenant: string, timeline: string, layer: string, size: number): void {
    this.needTimeline(tenant, timeline, `write layer ${layer} in`).layers.set(layer, size);
    this.changed('write', `tenants/${tenant}/timelines/${timeline}/${layer}`);
  }

  /** Reads a layer file's size (an upload opens the file); fails if it is gone. */
  readLayer(tenant: string, timeline: string, layer: string): number {
    const size = this.timeline(tenant, timeline)?.layers.get(layer);
    if (size === undefined) throw new FsError(`Failed to open a source file tenants/${tenant}/timelines/${timeline}/${layer}: ${NO_SUCH_FILE}`);
    return size;
  }

  removeLayer(tenant: string, timeline: string, layer: string): void {
    const dir = this.needTimeline(tenant, timeline, `remove layer ${layer} in`);
    if (!dir.layers.delete(layer)) throw new FsError(`remove tenants/${tenant}/timelines/${timeline}/${layer}: ${NO_SUCH_FILE}`);
    this.changed('remove', `tenants/${tenant}/timelines/${timeline}/${layer}`);
  }

  addTempFile(tenant: string, timeline: string, name: string): void {
    this.needTimeline(tenant, timeline, `create ${name} in`).tempFiles.add(name);
  }

  removeTempFile(tenant: string, timeline: string, name: string): void {
    this.timeline(tenant, timeline)?.tempFiles.delete(name);
  }

  /** A plain copy for assertions, the UI and tests. */
  snapshot(): DiskSnapshot {
    const tenants: DiskSnapshot['tenants'] = {};
    for (const [name, t] of [...this.dirs].sort(([a], [b]) => a.localeCompare(b))) {
      const timelines: DiskSnapshot['tenants'][string]['timelines'] = {};
      for (const [id, tl] of [...t.timelines].sort(([a], [b]) => a.localeCompare(b))) {
        timelines[id] = {
          metadata: tl.metadata ? { ...tl.metadata } : null,
          layers: Object.fromEntries([...tl.layers].sort(([a], [b]) => a.localeCompare(b))),
          temp_files: [...tl.tempFiles].sort(),
          uninit_mark: tl.uninitMark,
        };
      }
      tenants[name] = { attaching: t.attaching, config: t.config ? { ...t.config } : null, timelines };
    }
    return { tenants, files: [...this.files].sort() };
  }
}

export interface DiskSnapshot {
  tenants: Record<
    string,
    {
      attaching: boolean;
      config: Partial<TenantConf> | null;
      timelines: Record<string, { metadata: TimelineMetadata | null; layers: Record<string, number>; temp_files: string[]; uninit_mark: boolean }>;
    }
  >;
  files: string[];
}
