/**
 * The Lab: the one facade that the Electron main process, the CLI's browser mode and
 * tests drive (DESIGN.md section 4.4). It implements the Lab API of
 * shared/protocol/lab.ts over whatever transport carries it: it runs scenarios
 * (simulated, paced against the wall clock, or live on the pools), applies the
 * user's commands to the running coordinator, records every run to disk, opens
 * recordings for replay, and pushes the event log to its subscribers in batches.
 *
 * The event log of the current run (or the opened recording) is the only state
 * that matters; status and pushes are read from it. Requests that change what runs
 * (run, stop, restart, commands, openRecording) are applied one at a time, in the
 * order they came. Errors go back as data (`{ ok: false, error }`), never thrown.
 */
import { serializePerfetto, toPerfetto } from '../../shared/trace/perfetto';
import { formatEvent, parseRecording } from '../../shared/trace/jsonl';
import type { TraceEvent } from '../../shared/trace/events';
import {
  type LabApi,
  type LabPush,
  type LabRequest,
  type LabRequestType,
  type LabResponses,
  type LabResult,
  type LabStatus,
  type RunMode,
  type ScenarioSource,
  validateLabRequest,
} from '../../shared/protocol/lab';
import { LIBRARY_DIR } from '../scenario/library-dir';
import type { AnyScenario } from '../../shared/scenario/pageserver-parse';
import { ScheduleMismatch } from '../explore/schedule-file';
import { ExploreService } from '../explore/service';
import { LabError } from '../run/errors';
import { type Loaded, ScenarioLibrary } from './library';
import { ScenarioParser, type ScenarioParserOptions } from './parse-worker';
import { RateLimitedLog } from './rate-log';
import { INTERACTIVE_DEMO } from '../pageserver/demo';
import { PushHub, type PushHubOptions, type PushSink } from './push-hub';
import { pruneRecordings, recordingName, Recorder, type RecorderOptions, safeStem } from './recorder';
import { LivePools, type LivePoolsOptions } from './live-session';
import type { RunSession, SessionStarter } from './session';
import { liveStarter, simStarter } from './starters';

export type { SessionStarter } from './session';
export { LabError } from '../run/errors';

export interface LabOptions {
  /** Where every run is recorded (created if missing). */
  recordingsDir: string;
  /** Recordings kept in that directory, newest first (default 100). */
  keepRecordings?: number;
  /** The built-in scenarios (default: the CLI's library beside the sources). */
  libraryDir?: string;
  /** Milliseconds per tick when a run request names none (default 100). */
  defaultTickMs?: number;
  /** The pools of live runs (default: `child_process.fork` workers); false: no live mode. */
  live?: LivePoolsOptions | false;
  /** How runs start, per mode (tests); by default the paced simulator and the live pools. */
  starters?: Partial<Record<RunMode, SessionStarter>>;
  /** Where rejected requests and the Lab's own failures are reported (default: stderr). */
  logger?: (line: string) => void;
  push?: PushHubOptions;
  recorder?: RecorderOptions;
  /** How users' scenario texts are parsed off the event loop (./parse-worker.ts). */
  parser?: ScenarioParserOptions;
  /** The bound of a simulated run's work (electron/core/work-limit.ts; default DEFAULT_MAX_STEPS). */
  maxSteps?: number;
  /** The explorer's worker-thread entry (the built app passes its bundle; default: the TypeScript source through tsx). */
  exploreWorker?: string;
}

/** Events per `events` reply, at most: ask again from `from + events.length` for more. */
export const MAX_EVENTS_PER_REPLY = 200_000;


interface LastRun {
  source: ScenarioSource;
  mode: RunMode;
  /** Absent: the scenario's own seed (or 1). */
  seed?: number;
  policy: 'fifo' | 'random';
  tickMs: number;
}

/** A schedule made for another scenario is the user's mistake, answered in one line (not logged as a failure). */
async function fitting<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof ScheduleMismatch) throw new LabError(err.message);
    throw err;
  }
}

type Handlers = {
  [K in LabRequestType]: (req: Extract<LabRequest, { type: K }>) => LabResponses[K] | Promise<LabResponses[K]>;
};

const SERIAL: ReadonlySet<LabRequestType> = new Set(['run', 'stop', 'restart', 'inject', 'shutdownTasks', 'shutdownPageserver', 'pageserver', 'openRecording']);

export class Lab implements LabApi {
  readonly library: ScenarioLibrary;
  private readonly hub: PushHub;
  private readonly starters: Partial<Record<RunMode, SessionStarter>>;
  private readonly pools: LivePools | null;
  private readonly log: (line: string) => void;
  private readonly parser: ScenarioParser;
  /** Malformed requests are answered one by one but logged a few at a time. */
  private readonly rejected: RateLimitedLog;
  private session: RunSession | null = null;
  private replay: TraceEvent[] | null = null;
  private mode: LabStatus['mode'] = 'idle';
  private title: string | null = null;
  private seed: number | null = null;
  private tickMs: number;
  private recorder: Recorder | null = null;
  private recordingFile: string | null = null;
  private last: LastRun | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Explorations, in worker threads (docs/explorer.md). */
  private readonly explorer: ExploreService;

  constructor(private options: LabOptions) {
    this.library = new ScenarioLibrary(options.libraryDir ?? LIBRARY_DIR);
    this.tickMs = options.defaultTickMs ?? 100;
    this.pools = options.live === false ? null : new LivePools(options.live);
    this.starters = { sim: simStarter, ...(this.pools ? { live: liveStarter(this.pools) } : {}), ...options.starters };
    this.log = options.logger ?? ((line) => process.stderr.write(`${line}\n`));
    this.parser = new ScenarioParser(options.parser);
    this.rejected = new RateLimitedLog(this.log);
    this.hub = new PushHub({ events: () => this.events(), status: () => this.status() }, options.push);
    this.explorer = new ExploreService({ push: (progress) => this.hub.broadcast({ type: 'explore', progress }), workerEntry: options.exploreWorker, log: this.log });
  }

  // ---- the Lab API -----------------------------------------------------------------

  /** A request from an untrusted sender: validated, then handled; a malformed one is logged and refused. */
  async handleRaw(raw: unknown): Promise<LabResult<LabRequestType>> {
    let req: LabRequest;
    try {
      req = validateLabRequest(raw);
    } catch (err) {
      const error = `malformed request: ${(err as Error).message}`;
      this.rejected.write(`taskmgr-lab: rejected a ${error}`);
      return { ok: false, error };
    }
    return this.handle(req);
  }

  /** A validated request. */
  handle<T extends LabRequestType>(req: Extract<LabRequest, { type: T }>): Promise<LabResult<T>> {
    const run = async (): Promise<LabResult<T>> => {
      try {
        const handler = this.handlers[req.type as T] as unknown as (r: typeof req) => LabResponses[T] | Promise<LabResponses[T]>;
        return { ok: true, value: await handler(req) };
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        if (!(err instanceof LabError)) this.log(`taskmgr-lab: ${req.type} failed: ${err instanceof Error ? (err.stack ?? error) : error}`);
        return { ok: false, error };
      }
    };
    if (this.closed) return Promise.resolve({ ok: false, error: 'the Lab is closed' });
    if (!SERIAL.has(req.type)) return run();
    const result = this.queue.then(run);
    this.queue = result;
    return result;
  }

  request<T extends LabRequestType>(req: Extract<LabRequest, { type: T }>): Promise<LabResult<T>> {
    return this.handle(req);
  }

  subscribe(listener: (push: LabPush) => void): () => void {
    return this.addSink({ send: listener, ready: () => true });
  }

  /** A transport's subscriber, with its own backpressure. */
  addSink(sink: PushSink): () => void {
    return this.hub.add(sink);
  }

  /**
   * The app's first start: the interactive pageserver demo in the simulator (at the
   * default tick), if nothing has run yet, as the README promises.
   */
  async runDemo(): Promise<void> {
    if (this.mode !== 'idle' || this.closed) return;
    const r = await this.request({ type: 'run', scenario: { library: INTERACTIVE_DEMO }, mode: 'sim' });
    if (!r.ok) this.log(`taskmgr-lab: the demo could not start: ${r.error}`);
  }

  /** Stops the run, finishes its recording, and refuses further requests. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue.catch(() => undefined);
    await this.endCurrent();
    this.closed = true;
    this.explorer.close();
    this.hub.close();
    this.rejected.flush();
    await this.parser.close();
    await this.pools?.stop();
  }

  // ---- state -----------------------------------------------------------------------

  /** The current log: the run's, or the opened recording's. */
  events(): readonly TraceEvent[] {
    return this.session?.events ?? this.replay ?? [];
  }

  status(): LabStatus {
    return {
      mode: this.mode,
      title: this.title,
      running: this.session?.running ?? false,
      events: this.events().length,
      recording: this.recorder ? this.recorder.partPath : null,
      seed: this.seed,
      tickMs: this.tickMs,
    };
  }

  /** What was last run, for "Run live" and "Restart" in the menu. */
  get lastRun(): Readonly<LastRun> | null {
    return this.last;
  }

  /** The last finished recording file, if any. */
  get lastRecordingFile(): string | null {
    return this.recordingFile;
  }

  // ---- handlers ----------------------------------------------------------------------

  private readonly handlers: Handlers = {
    status: () => this.status(),
    listScenarios: () => this.library.list(),
    parseScenario: async (req) => {
      const loaded = await this.parser.parse(req.text, req.filename);
      if (loaded.ok) {
        const s = loaded.scenario;
        return { ok: true, name: s.name, description: s.description, tasks: Object.keys(s.tasks).length, steps: s.steps.length };
      }
      return { ok: false, error: loaded.parse ?? { path: '$', reason: loaded.error, message: loaded.error } };
    },
    run: (req) =>
      this.startRun({
        source: req.scenario,
        mode: req.mode,
        seed: req.seed,
        policy: req.policy ?? 'fifo',
        tickMs: req.tickMs ?? this.options.defaultTickMs ?? 100,
      }),
    stop: async () => {
      await this.endCurrent();
      return this.status();
    },
    restart: async () => {
      // A pageserver whose process exited or crashed restarts in the same run, from the
      // same disk; anything else runs the last scenario again from the start.
      if (this.session?.running && this.session.restartProcess && (await this.session.restartProcess())) {
        this.hub.statusChanged();
        return this.status();
      }
      if (!this.last) throw new LabError('nothing to restart: no scenario has run yet');
      return this.startRun(this.last);
    },
    inject: async (req) => {
      const s = this.runningSession();
      return { applied: await s.apply((m) => m.inject(req.task, req.fault, req.message)) };
    },
    shutdownTasks: async (req) => {
      const s = this.runningSession();
      const call = await s.apply((m) => m.shutdownTasks(req.label, { kind: req.kind, tenant: req.tenant, timeline: req.timeline }, null));
      return { label: call.label };
    },
    shutdownPageserver: async (req) => {
      const s = this.runningSession();
      return {
        started: await s.apply((m) => {
          if (m.isExited) return false;
          m.shutdownPageserver(req.exitCode, null);
          return true;
        }),
      };
    },
    pageserver: async (req) => {
      const s = this.runningSession();
      if (!s.pageserver) throw new LabError('this run is not a pageserver scenario: open one from the library (for example pageserver-demo)');
      await s.pageserver(req.action);
      return { done: true };
    },
    events: (req) => {
      const all = this.events();
      const from = Math.min(req.from, all.length);
      return { from, events: all.slice(from, from + MAX_EVENTS_PER_REPLY) };
    },
    recording: () => ({ filename: this.downloadName('.jsonl'), text: this.events().map((e) => `${formatEvent(e)}\n`).join('') }),
    openRecording: async (req) => {
      let parsed: ReturnType<typeof parseRecording>;
      try {
        parsed = parseRecording(req.text);
      } catch (err) {
        throw new LabError(`${req.filename}: ${(err as Error).message}`);
      }
      await this.endCurrent();
      this.session = null;
      this.replay = parsed.events.map(({ line: _line, ...e }) => e as unknown as TraceEvent);
      const scenario = this.replay.find((e) => e.ev === 'scenario');
      this.mode = 'replay';
      this.title = req.filename;
      this.seed = scenario?.ev === 'scenario' ? (scenario.seed ?? null) : null;
      if (scenario?.ev === 'scenario') this.tickMs = scenario.tick_ms;
      this.hub.reset();
      return { events: this.replay.length, truncated: parsed.truncated };
    },
    exportPerfetto: () => ({ filename: this.downloadName('.perfetto.json'), json: serializePerfetto(toPerfetto(this.events())) }),
    exploreStart: async (req) => this.explorer.start(await this.scenarioOf(req.scenario), req.options),
    exploreCancel: (req) => ({ cancelled: this.explorer.cancel(req.id) }),
    exploreOpen: async (req) => fitting(async () => this.explorer.replay(await this.scenarioOf(req.scenario), req.schedule)),
    exploreCompare: async (req) => fitting(async () => this.explorer.compare(await this.scenarioOf(req.scenario), req.schedule)),
  };

  /** A library scenario by name, or a user's text parsed off the event loop (./parse-worker.ts). */
  private loadSource(source: ScenarioSource): Promise<Loaded> {
    return 'library' in source ? Promise.resolve(this.library.load(source.library)) : this.parser.parse(source.text, source.filename);
  }

  private async scenarioOf(source: ScenarioSource): Promise<AnyScenario> {
    const loaded = await this.loadSource(source);
    if (!loaded.ok) throw new LabError(loaded.error);
    return loaded.scenario;
  }

  private runningSession(): RunSession {
    const s = this.session;
    if (!s || !s.running) throw new LabError('no run is going on');
    return s;
  }

  private downloadName(ext: string): string {
    const stem = this.recordingFile ? this.recordingFile.replace(/^.*[\\/]/, '').replace(/\.jsonl$/, '') : safeStem(this.title ?? 'taskmgr-lab');
    return `${stem}${ext}`;
  }

  private async startRun(run: LastRun): Promise<LabStatus> {
    const loaded = await this.loadSource(run.source);
    if (!loaded.ok) throw new LabError(loaded.error);
    const start = this.starters[run.mode];
    if (!start) throw new LabError(`${run.mode} mode is not available here`);
    await this.endCurrent();

    const session = start(loaded.scenario, { seed: run.seed, policy: run.policy, tickMs: run.tickMs, maxSteps: this.options.maxSteps });
    const recorder = this.openRecorder(loaded.title, run.mode);
    this.session = session;
    this.replay = null;
    this.recorder = recorder;
    this.recordingFile = null;
    this.last = { ...run, seed: session.seed ?? run.seed };
    this.mode = run.mode;
    this.title = loaded.title;
    this.seed = session.seed;
    this.tickMs = run.tickMs;

    for (const e of session.events) recorder?.append(e);
    const unsubscribe = session.subscribe((e) => {
      recorder?.append(e);
      this.hub.appended();
    });
    void session.done.then(async () => {
      unsubscribe();
      for (const p of session.problems) this.log(`taskmgr-lab: problem in the run: ${p}`);
      if (this.session === session) this.hub.statusChanged();
      await this.finishRecording(recorder);
      if (this.session === session) this.hub.statusChanged();
    });
    this.hub.reset();
    return this.status();
  }

  private openRecorder(title: string, mode: RunMode): Recorder | null {
    try {
      pruneRecordings(this.options.recordingsDir, Math.max(1, (this.options.keepRecordings ?? 100) - 1));
      return new Recorder(this.options.recordingsDir, recordingName(title, mode), this.options.recorder);
    } catch (err) {
      this.log(`taskmgr-lab: cannot record this run: ${(err as Error).message}`);
      return null;
    }
  }

  private async finishRecording(recorder: Recorder | null): Promise<void> {
    if (!recorder) return;
    try {
      const path = await recorder.finish();
      if (this.recorder === recorder) {
        this.recorder = null;
        this.recordingFile = path;
      }
    } catch (err) {
      this.log(`taskmgr-lab: the recording ${recorder.partPath} could not be finished: ${(err as Error).message}`);
      if (this.recorder === recorder) this.recorder = null;
    }
  }

  /** Stops the current run (if any) and waits for its recording to be saved. */
  private async endCurrent(): Promise<void> {
    const session = this.session;
    if (session) {
      await session.stop();
      await session.done;
    }
    await this.finishRecording(this.recorder);
  }
}
