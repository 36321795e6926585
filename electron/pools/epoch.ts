/**
 * The host's clock in epoch milliseconds, with sub-millisecond resolution. Every
 * process of the Lab (the coordinator and each pool worker) reads the same system
 * clock, so a time the coordinator puts in a message means the same moment in the
 * worker that reads it: that is how a task's sleeps count from the logical time of
 * their cause rather than from when a message happened to land.
 */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
