/** Processes in tests: whether one still runs (the check a test makes after killing or closing). */

/** True while a process with this pid exists (signal 0 checks without sending anything). */
export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
