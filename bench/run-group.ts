/**
 * Runs one bench group in a fresh process and takes its samples from the last line
 * of its output. The process gets a process group of its own, and the whole group is
 * killed once the process has exited (or when this one is interrupted): whatever a
 * group started (a `taskmgr-lab serve`, a chromium, pool workers) does not outlive
 * it, even when the group fails half-way.
 */
import { spawn } from 'node:child_process';
import type { Samples } from './figures';

export type GroupOutcome = { ok: true; samples: Samples } | { ok: false; why: string };

/** Kills the process group led by `pid`, if anything of it is left. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left of it.
  }
}

/** Runs `node ...args`; the last stdout line must be a JSON object of number arrays. */
export function runGroupProcess(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<GroupOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const interrupted = (signal: NodeJS.Signals) => {
      killGroup(child.pid!);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    child.on('error', (err) => resolve({ ok: false, why: err.message }));
    child.on('close', (code, signal) => {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      killGroup(child.pid!);
      if (code !== 0) {
        resolve({ ok: false, why: signal ? `its process was killed by ${signal}` : `its process exited with code ${code}` });
        return;
      }
      const last = out.trim().split('\n').pop() ?? '';
      try {
        const samples = JSON.parse(last) as Samples;
        const bad = Object.entries(samples).find(([, runs]) => !Array.isArray(runs) || runs.length === 0 || runs.some((x) => typeof x !== 'number' || !Number.isFinite(x)));
        if (bad) resolve({ ok: false, why: `its figure ${bad[0]} has no runs, or runs that are not numbers` });
        else resolve({ ok: true, samples });
      } catch {
        resolve({ ok: false, why: `its last line is not JSON: ${last.slice(0, 200)}` });
      }
    });
  });
}
