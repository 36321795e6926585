/**
 * The process-launcher seam (DESIGN.md section 4.2): how a pool worker starts.
 * The supervisor asks a `ProcessLauncher` for one worker of a runtime and gets a
 * `WorkerChannel`, shaped like Electron's `parentPort` seen from the parent side:
 * post a message, hear messages, hear the exit, kill. In Electron the launcher is
 * `utilityProcess.fork` (./electron-launcher.ts, the only module here that imports
 * 'electron'); elsewhere (the CLI, tests, the benchmark) it is `NodeLauncher`,
 * `child_process.fork` with the default JSON serialization.
 *
 * The worker entry is TypeScript when run from the sources (it is loaded through
 * tsx's CommonJS hook) and plain JavaScript once built (no loader needed).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { RuntimeName } from '../../shared/model';

export interface WorkerChannel {
  /** The OS pid, once the process exists. */
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, when the process has exited (`signal` is null when it exited by itself). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Sends a signal (SIGTERM by default); a no-op once the process has exited. */
  kill(signal?: NodeJS.Signals): void;
}

export interface ProcessLauncher {
  launch(runtime: RuntimeName, index: number): WorkerChannel;
}

/** The worker entry next to this module, as TypeScript source. */
export const DEFAULT_WORKER_ENTRY = path.join(__dirname, 'worker-entry.ts');

/** `execArgv` that lets Node run `entry`: tsx's CommonJS hook for a .ts file, nothing for .js. */
export function loaderArgs(entry: string): string[] {
  if (!/\.[cm]?ts$/.test(entry)) return [];
  const require = createRequire(__filename);
  return ['--require', require.resolve('tsx/cjs')];
}

export interface NodeLauncherOptions {
  /** The worker entry (default: ./worker-entry.ts). */
  entry?: string;
  /** Extra environment for the workers. */
  env?: NodeJS.ProcessEnv;
  /** Extra Node options for the workers (e.g. `--inspect`, `--cpu-prof`). */
  execArgv?: string[];
}

/** `child_process.fork` of the worker entry; the worker talks over the IPC channel. */
export class NodeLauncher implements ProcessLauncher {
  readonly entry: string;

  constructor(private options: NodeLauncherOptions = {}) {
    this.entry = options.entry ?? DEFAULT_WORKER_ENTRY;
  }

  launch(runtime: RuntimeName, index: number): WorkerChannel {
    const child = fork(this.entry, [], {
      execArgv: [...loaderArgs(this.entry), ...(this.options.execArgv ?? [])],
      serialization: 'json',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...this.options.env, TASKMGR_WORKER: `${runtime}-${index}` },
    });
    return new ChildChannel(child);
  }
}

class ChildChannel implements WorkerChannel {
  private exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
  private exited: { code: number | null; signal: string | null } | null = null;

  constructor(private child: ChildProcess) {
    child.on('exit', (code, signal) => this.fireExit(code, signal));
    child.on('error', (err) => {
      // A failed spawn never emits 'exit'; later errors (a send after exit) are followed by it.
      if (child.pid === undefined) {
        process.emitWarning(`pool worker failed to start: ${err.message}`);
        this.fireExit(null, null);
      }
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  postMessage(message: unknown): void {
    if (this.exited || !this.child.connected) return;
    try {
      this.child.send(message as object);
    } catch {
      // The channel closed under us: the exit event follows.
    }
  }

  onMessage(listener: (message: unknown) => void): void {
    this.child.on('message', listener);
  }

  onExit(listener: (code: number | null, signal: string | null) => void): void {
    if (this.exited) listener(this.exited.code, this.exited.signal);
    else this.exitListeners.push(listener);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.exited) return;
    try {
      this.child.kill(signal);
    } catch {
      // already gone
    }
  }

  private fireExit(code: number | null, signal: string | null): void {
    if (this.exited) return;
    this.exited = { code, signal };
    const listeners = this.exitListeners;
    this.exitListeners = [];
    for (const l of listeners) l(code, signal);
  }
}
