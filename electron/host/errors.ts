/**
 * A failure the user should read as it is (no run going on, no process to command,
 * a scenario that does not exist): the Lab answers it as `{ ok: false, error }` and
 * does not log it as a fault of its own.
 */
export class LabError extends Error {}
