/**
 * `taskmgr-lab serve [--port N] [--no-open] [--recordings DIR] [--renderer DIR] [--exit-after-url]`
 *
 * The browser mode: the Lab in this Node process, the built renderer and the Lab's
 * WebSocket on 127.0.0.1 (electron/host/web/server.ts), behind a per-run token that
 * is part of the printed URL. Opens the URL in the default browser unless told not
 * to (or on CI, or without a terminal). Runs until Ctrl-C; `--exit-after-url` (or
 * TASKMGR_LAB_EXIT_AFTER_URL=1) stops right after printing the URL, for scripts and
 * tests. Builds the renderer first if out/renderer is missing.
 */
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Lab } from '../../host/lab';
import { buildApp, BUILD_HINT, defaultRendererDir, isRendererBuilt, PROJECT_ROOT } from '../../host/renderer-build';
import { startWebServer } from '../../host/web/server';
import { parseArgs } from '../args';
import { type CliIO, UsageError } from '../io';

export const SERVE_USAGE = 'usage: taskmgr-lab serve [--port N] [--no-open] [--recordings DIR] [--renderer DIR] [--exit-after-url]';

/** Where runs are recorded unless told otherwise. */
export function defaultRecordingsDir(): string {
  return process.env.TASKMGR_LAB_RECORDINGS || join(homedir(), '.taskmgr-lab', 'recordings');
}

const truthy = (v: string | undefined) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';

/** Opens a URL in the user's browser; failures are reported, never fatal. */
function openInBrowser(url: string, io: CliIO): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => io.err(`taskmgr-lab serve: could not open a browser; open the URL above yourself`));
    child.unref();
  } catch {
    io.err('taskmgr-lab serve: could not open a browser; open the URL above yourself');
  }
}

/** Resolves on Ctrl-C or SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export async function serveCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { port: 'int', 'no-open': 'flag', recordings: 'string', renderer: 'string', 'exit-after-url': 'flag', help: 'flag' });
  if (args.options.help) {
    io.out(SERVE_USAGE);
    return 0;
  }
  if (args.positional.length) throw new UsageError(SERVE_USAGE);
  const port = (args.options.port as number | undefined) ?? 0;
  if (port > 65535) throw new UsageError('--port: expected a port number up to 65535');

  const given = (args.options.renderer as string | undefined) ?? process.env.TASKMGR_LAB_RENDERER_DIR;
  const rendererDir = given || defaultRendererDir();
  if (!isRendererBuilt(rendererDir)) {
    if (given) throw new UsageError(`${rendererDir}: no index.html (build the renderer with: ${BUILD_HINT})`);
    io.err(`taskmgr-lab serve: the renderer is not built yet (${rendererDir}); building it with electron-vite...`);
    const built = buildApp(PROJECT_ROOT, (line) => io.err(`  ${line}`));
    if (!built.ok || !isRendererBuilt(rendererDir)) {
      io.err(`taskmgr-lab serve: could not build the renderer: ${built.ok ? 'no index.html was produced' : built.error}. Build it with "${BUILD_HINT}" and try again.`);
      return 1;
    }
  }

  const recordingsDir = (args.options.recordings as string | undefined) ?? defaultRecordingsDir();
  const lab = new Lab({ recordingsDir, logger: io.err });
  const server = await startWebServer({ lab, rendererDir, port, log: io.err });
  io.out(`TaskMgr Lab (browser mode) is serving on 127.0.0.1 only. Open:`);
  io.out(`  ${server.url}`);
  io.out(`Runs are recorded in ${recordingsDir}.`);

  const shutdown = async () => {
    await server.close();
    await lab.close();
  };
  if (args.options['exit-after-url'] === true || truthy(process.env.TASKMGR_LAB_EXIT_AFTER_URL)) {
    await shutdown();
    return 0;
  }
  // A user finds the interactive pageserver demo at work (the README's promise).
  await lab.runDemo();
  const headless = truthy(process.env.CI) || !process.stdout.isTTY;
  if (args.options['no-open'] !== true && !headless) openInBrowser(server.url, io);
  io.out('Press Ctrl-C to stop.');
  await untilSignal();
  io.out('stopping...');
  await shutdown();
  return 0;
}
