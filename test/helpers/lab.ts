/**
 * Talking to a Lab in tests: `ok` unwraps a request's result, so that a refused
 * request fails the test with the Lab's own error rather than on a missing field.
 */
import type { LabRequestType, LabResponses, LabResult } from '../../shared/protocol/lab';

export function ok<T extends LabRequestType>(r: LabResult<T>): LabResponses[T] {
  if (!r.ok) throw new Error(`request failed: ${r.error}`);
  return r.value;
}
