/**
 * The worker's side of its channel to the coordinator, one shape for both
 * launchers: in an Electron utility process it wraps `process.parentPort`
 * (messages arrive as `{ data }` events), under `child_process.fork` it wraps
 * `process.send` / `process.on('message')`. The worker code above it never knows
 * which, and never imports 'electron' (the parentPort is found on `process`).
 */

export interface ParentChannel {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The coordinator went away (child_process only; Electron ends utility processes with their parent). */
  onDisconnect(listener: () => void): void;
}

/** Electron's `process.parentPort`, as much of it as the worker uses. */
interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** The channel this process was started with; throws when it was not started as a pool worker. */
export function openParentChannel(): ParentChannel {
  const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      postMessage: (m) => parentPort.postMessage(m),
      onMessage: (l) => parentPort.on('message', (e) => l(e.data)),
      onDisconnect: () => {},
    };
  }
  if (typeof process.send === 'function') {
    return {
      postMessage: (m) => {
        if (process.connected) process.send!(m as object);
      },
      onMessage: (l) => process.on('message', l),
      onDisconnect: (l) => process.on('disconnect', l),
    };
  }
  throw new Error('not started as a pool worker: no parentPort and no IPC channel');
}
