import { describe, expect, it } from 'vitest';
import { TASK_KINDS } from '../../shared/model';

describe('environment', () => {
  it('lists the twelve task kinds in the seed order', () => {
    expect(TASK_KINDS).toHaveLength(12);
    expect(TASK_KINDS[0]).toBe('LibpqEndpointListener');
    expect(TASK_KINDS[11]).toBe('Attach');
  });
  it('has __dirname under vitest', () => {
    expect(typeof __dirname).toBe('string');
  });
});
