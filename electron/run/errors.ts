/**
 * A failure the user should read as it is (no run going on, no process to command,
 * a scenario that does not exist): the Lab answers it as `{ ok: false, error }` and
 * does not log it as a fault of its own. Runs raise it (a command to a pageserver
 * whose process has exited), so it lives with them rather than in the Lab.
 */
export class LabError extends Error {}

/** A command to the pageserver model while no process runs. */
export class NoProcessError extends LabError {
  constructor() {
    super('the pageserver process is not running (restart it)');
  }
}
