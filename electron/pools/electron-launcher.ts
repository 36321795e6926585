/**
 * The process launcher inside Electron: each pool worker is a `utilityProcess`
 * (serviceName `taskmgr-<runtime>-<n>`, so the OS task manager and
 * `app.getAppMetrics()` name it), talking over Chromium's Mojo IPC. The worker entry
 * sees `process.parentPort` and wraps it in the same channel as under
 * `child_process.fork` (./parent-channel.ts).
 *
 * The ONLY module under electron/pools that imports 'electron'. Nothing imports it
 * but electron/main: tests and Node code paths use `NodeLauncher` (the Electron
 * binary cannot be downloaded on the build machines).
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import type { RuntimeName } from '../../shared/model';
import { loaderArgs, type ProcessLauncher, type WorkerChannel } from './launcher';

export interface ElectronLauncherOptions {
  /** The built worker entry (default: pool-worker.js next to the main bundle). */
  entry?: string;
}

export class ElectronLauncher implements ProcessLauncher {
  readonly entry: string;

  constructor(options: ElectronLauncherOptions = {}) {
    this.entry = options.entry ?? path.join(__dirname, 'pool-worker.js');
  }

  launch(runtime: RuntimeName, index: number): WorkerChannel {
    const child = utilityProcess.fork(this.entry, [], {
      serviceName: `taskmgr-${runtime}-${index}`,
      execArgv: loaderArgs(this.entry),
      stdio: 'inherit',
      env: { ...process.env, TASKMGR_WORKER: `${runtime}-${index}` },
    });
    return new UtilityChannel(child);
  }
}

class UtilityChannel implements WorkerChannel {
  private exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
  private exited: { code: number | null; signal: string | null } | null = null;
  /** utilityProcess reports only an exit code; remember the signal we sent. */
  private sentSignal: string | null = null;

  constructor(private child: UtilityProcess) {
    child.on('exit', (code) => {
      if (this.exited) return;
      this.exited = { code, signal: this.sentSignal };
      const listeners = this.exitListeners;
      this.exitListeners = [];
      for (const l of listeners) l(this.exited.code, this.exited.signal);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  postMessage(message: unknown): void {
    if (this.exited) return;
    try {
      this.child.postMessage(message);
    } catch {
      // gone: the exit event follows
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
    this.sentSignal = signal;
    if (signal === 'SIGTERM' || this.child.pid === undefined) {
      this.child.kill();
      return;
    }
    try {
      process.kill(this.child.pid, signal);
    } catch {
      // already gone
    }
  }
}
