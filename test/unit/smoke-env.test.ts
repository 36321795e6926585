import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TASK_KINDS } from '../../shared/model';
import { libraryNames } from '../../electron/cli/load-scenario';
import { LIBRARY_DIR } from '../../electron/scenario/library-dir';

describe('environment', () => {
  it('lists the twelve task kinds in the seed order', () => {
    expect(TASK_KINDS).toHaveLength(12);
    expect(TASK_KINDS[0]).toBe('LibpqEndpointListener');
    expect(TASK_KINDS[11]).toBe('Attach');
  });
  // Tests find their fixtures, and the CLI its scenario library, from __dirname.
  it('resolves __dirname to the source folder, where the fixtures and the library are', () => {
    expect(existsSync(join(__dirname, '..', 'fixtures', 'conformance'))).toBe(true);
    expect(LIBRARY_DIR).toBe(join(__dirname, '..', '..', 'electron', 'scenario', 'library'));
    expect(libraryNames()).toContain('pageserver-demo');
  });
});
