/**
 * An in-memory Lab for component tests and for the renderer without a backend: it
 * answers requests from a table of handlers (defaults: an idle status, an empty
 * library, `events` from its own log) and lets a test push events and status as the
 * backend would. Every request is recorded in `requests`.
 */
import type { LabApi, LabPush, LabRequest, LabRequestType, LabResponses, LabResult, LabStatus } from '../../../shared/protocol/lab';
import type { TraceEvent } from '../../../shared/trace/events';

export type FakeHandlers = {
  [T in LabRequestType]?: (req: Extract<LabRequest, { type: T }>) => LabResult<T> | Promise<LabResult<T>>;
};

export function idleStatus(partial: Partial<LabStatus> = {}): LabStatus {
  return { mode: 'idle', title: null, running: false, events: 0, recording: null, seed: null, tickMs: 10, ...partial };
}

export class FakeLab implements LabApi {
  readonly requests: LabRequest[] = [];
  readonly events: TraceEvent[] = [];
  status: LabStatus = idleStatus();
  private readonly listeners = new Set<(p: LabPush) => void>();

  constructor(
    public handlers: FakeHandlers = {},
    /** When set, every request without a handler fails with this error (no backend). */
    private readonly offline: string | null = null,
  ) {}

  async request<T extends LabRequestType>(req: Extract<LabRequest, { type: T }>): Promise<LabResult<T>> {
    this.requests.push(req);
    const h = this.handlers[req.type] as ((r: typeof req) => LabResult<T> | Promise<LabResult<T>>) | undefined;
    if (h) return h(req);
    if (this.offline !== null) return { ok: false, error: this.offline };
    const ok = <V extends LabResponses[T]>(value: V): LabResult<T> => ({ ok: true, value });
    switch (req.type) {
      case 'status':
        return ok({ ...this.status, events: this.events.length } as LabResponses[T]);
      case 'listScenarios':
        return ok([] as unknown as LabResponses[T]);
      case 'events': {
        const from = (req as Extract<LabRequest, { type: 'events' }>).from;
        return ok({ from, events: this.events.slice(from) } as LabResponses[T]);
      }
      default:
        return { ok: false, error: `the fake Lab has no handler for "${req.type}"` };
    }
  }

  subscribe(listener: (push: LabPush) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Appends events to the fake's log and pushes them, as the backend does. */
  pushEvents(events: TraceEvent[], reset = false): void {
    if (reset) this.events.length = 0;
    const from = this.events.length;
    this.events.push(...events);
    this.push({ type: 'events', from, events, reset });
  }

  pushStatus(partial: Partial<LabStatus>): void {
    this.status = { ...this.status, ...partial };
    this.push({ type: 'status', status: { ...this.status, events: this.events.length } });
  }

  push(p: LabPush): void {
    for (const l of this.listeners) l(p);
  }
}
