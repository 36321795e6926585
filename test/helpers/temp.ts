/**
 * Temporary directories for tests: made under the system's temp dir and removed
 * when the test file's tests are done, so that a run leaves nothing behind. Call
 * it at the top level of a test file (it registers an afterAll hook).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
