/**
 * The timeline's draw function against a recording 2D context: every task that
 * started in view gets a bar, bars are filled one path per colour and alpha (not one
 * call per bar), each kind of mark is one path, and with too many bars for arrows
 * only the selected task's are drawn.
 */
import { describe, expect, it } from 'vitest';
import { synthTrace } from '../e2e/synth-trace';
import { EventLog } from '../../renderer/src/model/event-log';
import { draw, type DrawInput, GUTTER, layout, type Palette } from '../../renderer/src/timeline/draw';

type Call = { op: string; args: unknown[]; fillStyle: unknown; globalAlpha: unknown };

/** A CanvasRenderingContext2D that records its calls (with the fill style and alpha at the time). */
function recordingContext(): { ctx: CanvasRenderingContext2D; calls: Call[] } {
  const calls: Call[] = [];
  const state: Record<string, unknown> = { fillStyle: '#000', globalAlpha: 1 };
  const ctx = new Proxy(state, {
    get(target, prop: string) {
      if (prop in target) return target[prop];
      if (prop === 'measureText') return () => ({ width: 10 });
      return (...args: unknown[]) => calls.push({ op: prop, args, fillStyle: target.fillStyle, globalAlpha: target.globalAlpha });
    },
    set(target, prop: string, value) {
      target[prop] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, calls };
}

const PALETTE: Palette = {
  bg: '#fff',
  panel: '#fefefe',
  grid: '#eee',
  text: '#111',
  muted: '#777',
  border: '#ccc',
  select: '#def',
  cursor: '#f00',
  call: '#a0f',
  signal: '#fa0',
  observe: '#0a0',
  states: { registered: '#999', running: '#06f', shutdown_requested: '#f80', ok: '#0a5', error: '#e60', panic: '#d00', killed: '#80f' },
};

function setup(tasks: number, concurrency: number) {
  const log = new EventLog();
  const trace = synthTrace({ events: tasks * 14, seed: 3, concurrency, workersPerRuntime: 2, tenants: 4 });
  log.appendText(trace.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const state = log.head;
  const now = state.t;
  const lay = layout(log, state, now);
  const input = (selected: string | null): DrawInput => ({
    log,
    state,
    now,
    cursor: log.length,
    layout: lay,
    // Fit the whole run, and a window tall enough for every lane.
    view: { t0: 0, pxPerTick: 1200 / Math.max(1, now), scrollY: 0, width: GUTTER + 1240, height: lay.total + 40 },
    palette: PALETTE,
    selected,
    highlight: null,
    arrows: true,
  });
  const started = new Set(log.index.lanes.flatMap((l) => l.names));
  return { log, state, input, started };
}

describe('timeline draw', () => {
  it('draws a bar for every started task, one fill per colour and alpha, and each mark kind as one path', () => {
    const { input, started } = setup(1500, 12);
    const { ctx, calls } = recordingContext();
    const { drawn } = draw(ctx, input(null));
    expect(drawn).toBe(started.size);
    expect(drawn).toBeGreaterThan(1000);
    // Bars: rect() into paths, filled once per (lane, alpha, colour): far fewer fills than bars.
    const rects = calls.filter((c) => c.op === 'rect').length;
    const fills = calls.filter((c) => c.op === 'fill').length;
    expect(rects).toBeGreaterThan(100);
    expect(fills).toBeLessThan(drawn / 10);
    // No bar is drawn with fillRect one at a time.
    const barFillRects = calls.filter((c) => c.op === 'fillRect' && Object.values(PALETTE.states).includes(c.fillStyle as string));
    expect(barFillRects).toHaveLength(0);
  });

  it('with more bars than arrows allow, draws only the selected task arrows', () => {
    const { input, log } = setup(1500, 12);
    const none = recordingContext();
    draw(none.ctx, input(null));
    expect(none.calls.filter((c) => c.op === 'bezierCurveTo')).toHaveLength(0);
    // A task with children: its arrows to them (and from its parent, if any) are drawn.
    const parent = [...log.index.children.keys()].find((p) => (log.index.children.get(p)?.length ?? 0) >= 2);
    expect(parent).toBeDefined();
    const sel = recordingContext();
    draw(sel.ctx, input(parent!));
    const arrows = sel.calls.filter((c) => c.op === 'bezierCurveTo').length;
    expect(arrows).toBeGreaterThanOrEqual(2);
    expect(arrows).toBeLessThan(50);
  });
});
