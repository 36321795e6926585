/**
 * An event log's listener that does what the Lab does with every event of a live
 * run (electron/host/live-frame.ts and lab.ts): keeps it in the run's list and
 * appends it to the run's recording (the Lab's own Recorder, one JSON line per event,
 * flushed every second). The bench's live runs use it, so that their figures are
 * those of the path a user runs; the recording goes to a scratch directory and is
 * removed when the run closes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceEvent } from '../shared/trace/events';
import { Recorder } from '../electron/host/recorder';

export class AppLog {
  readonly events: TraceEvent[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'taskmgr-bench-'));
  private readonly recorder = new Recorder(this.dir, 'bench-live');

  append(e: TraceEvent): void {
    this.events.push(e);
    this.recorder.append(e);
  }

  /** Finishes the recording (flush, sync, rename) as the Lab does at the end of a run, then removes it. */
  async close(): Promise<void> {
    try {
      await this.recorder.finish();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
