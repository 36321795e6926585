/**
 * The timeline, drawn on a canvas: a lane per runtime worker (tasks stay on the
 * worker they were placed on), a bar per task from its start to its exit (or to the
 * cursor) coloured by its state at the cursor, marks where it was signalled, where it
 * observed the signal and where it panicked, a lane of shutdown_tasks calls at the
 * top, and arrows from parent to child and from a call to its victims.
 *
 * Layout (which row of a lane a task takes) comes from the LogIndex and does not
 * move while scrubbing; this module only maps times and rows to pixels. It is a plain
 * function of its inputs so that the view can call it on every animation frame.
 */
import type { EventLog } from '../model/event-log';
import { findTask, type CallRec, type LabState, type TaskRec } from '../model/lab-state';
import type { Lane } from '../model/log-index';
import { stateOf, type TaskState } from '../model/task';

export const GUTTER = 168;
export const AXIS_H = 22;
export const ROW_H = 13;
export const BAR_H = 9;
export const LANE_PAD = 6;
export const LANE_HEAD = 16;

export interface Viewport {
  /** Time at the left edge of the plot, in ticks. */
  t0: number;
  /** Horizontal zoom. */
  pxPerTick: number;
  /** Vertical scroll, px. */
  scrollY: number;
  width: number;
  height: number;
}

export interface Palette {
  bg: string;
  panel: string;
  grid: string;
  text: string;
  muted: string;
  border: string;
  select: string;
  cursor: string;
  call: string;
  signal: string;
  observe: string;
  states: Record<TaskState, string>;
}

export interface LaneBox {
  lane: Lane | null;
  label: string;
  sub: string;
  y: number;
  rows: number;
  height: number;
}

export interface Layout {
  boxes: LaneBox[];
  /** Rows of the shutdown-calls lane and each call's row. */
  callRows: Map<number, number>;
  total: number;
}

const THREAD: Record<string, string> = {
  compute_request: 'compute request worker',
  mgmt_request: 'mgmt request worker',
  walreceiver: 'walreceiver worker',
  background: 'background op worker',
};

/** Packs the calls begun by the cursor into rows (a call takes the first free row). */
function packCalls(calls: readonly CallRec[], now: number): Map<number, number> {
  const rows: number[] = [];
  const out = new Map<number, number>();
  for (const c of calls) {
    const end = c.endT ?? c.abandonedT ?? now;
    let r = rows.findIndex((free) => free < c.beginT);
    if (r < 0) {
      r = rows.length;
      rows.push(end);
    } else rows[r] = end;
    out.set(c.seq, r);
  }
  return out;
}

export function layout(log: EventLog, state: LabState, now: number): Layout {
  const boxes: LaneBox[] = [];
  let y = AXIS_H;
  const callRows = packCalls(state.calls, now);
  const nCallRows = Math.max(1, ...[...callRows.values()].map((r) => r + 1));
  const callsH = LANE_HEAD + nCallRows * ROW_H + LANE_PAD;
  boxes.push({ lane: null, label: 'shutdown_tasks calls', sub: `${state.calls.length} so far`, y, rows: nCallRows, height: callsH });
  y += callsH;
  for (const lane of log.index.lanes) {
    const rows = Math.max(1, lane.freeAt.length);
    const height = LANE_HEAD + rows * ROW_H + LANE_PAD;
    boxes.push({
      lane,
      label: lane.worker < 0 ? `${lane.runtime} · not started` : `${lane.runtime} · ${lane.worker}`,
      sub: lane.worker < 0 ? 'killed while registered' : `${THREAD[lane.runtime] ?? lane.runtime} ${lane.worker}`,
      y,
      rows,
      height,
    });
    y += height;
  }
  return { boxes, callRows, total: y };
}

export function timeToX(v: Viewport, t: number): number {
  return GUTTER + (t - v.t0) * v.pxPerTick;
}
export function xToTime(v: Viewport, x: number): number {
  return v.t0 + (x - GUTTER) / v.pxPerTick;
}

/** A "nice" tick step for the axis: 1, 2, 5 x 10^k ticks, at least ~80 px apart. */
function axisStep(pxPerTick: number): number {
  const raw = 80 / pxPerTick;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

export interface DrawInput {
  log: EventLog;
  state: LabState;
  now: number;
  cursor: number;
  layout: Layout;
  view: Viewport;
  palette: Palette;
  selected: string | null;
  /** When set, tasks not in it are dimmed (the Tasks filter). */
  highlight: Set<string> | null;
  arrows: boolean;
}

interface BarPos {
  x0: number;
  x1: number;
  y: number;
}

/**
 * Where each drawn bar (and call, as `call:<seq>`) is, for the arrows. Kept in flat
 * arrays: a Map entry and an object per bar were a quarter of a 10k-bar draw, and
 * with that many bars only the selected task's arrows are drawn. Lookups build a Map
 * only while the bars are few; otherwise they scan (a handful of them per frame).
 */
class BarPositions {
  private names: string[] = [];
  private xs0: number[] = [];
  private xs1: number[] = [];
  private ys: number[] = [];
  private map: Map<string, number> | null = null;

  add(name: string, x0: number, x1: number, y: number): void {
    this.names.push(name);
    this.xs0.push(x0);
    this.xs1.push(x1);
    this.ys.push(y);
    this.map = null;
  }

  get size(): number {
    return this.names.length;
  }

  get(name: string): BarPos | undefined {
    let i: number;
    if (this.names.length <= MAX_ARROWS) {
      if (!this.map) {
        this.map = new Map();
        for (let k = 0; k < this.names.length; k++) this.map.set(this.names[k], k);
      }
      i = this.map.get(name) ?? -1;
    } else {
      i = this.names.lastIndexOf(name);
    }
    return i < 0 ? undefined : { x0: this.xs0[i], x1: this.xs1[i], y: this.ys[i] };
  }

  *entries(): Generator<[string, BarPos]> {
    for (let k = 0; k < this.names.length; k++) yield [this.names[k], { x0: this.xs0[k], x1: this.xs1[k], y: this.ys[k] }];
  }
}

const BAR_ALPHAS = [1, 0.75, 0.18] as const;

export function draw(ctx: CanvasRenderingContext2D, input: DrawInput): { drawn: number } {
  const { view: v, palette: pal, layout: lay, now } = input;
  const W = v.width;
  const H = v.height;
  // The panel colour covers the whole (opaque) canvas: no clearRect, a full-canvas pass less.
  ctx.fillStyle = pal.panel;
  ctx.fillRect(0, 0, W, H);
  ctx.font = '11px ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace';
  ctx.textBaseline = 'middle';

  const top = AXIS_H;
  const plotL = GUTTER;
  const tLeft = xToTime(v, plotL);
  const tRight = xToTime(v, W);
  const positions = new BarPositions();
  let drawn = 0;

  // Grid lines.
  const step = axisStep(v.pxPerTick);
  ctx.strokeStyle = pal.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let t = Math.ceil(tLeft / step) * step; t <= tRight; t += step) {
    const x = Math.round(timeToX(v, t)) + 0.5;
    ctx.moveTo(x, top);
    ctx.lineTo(x, H);
  }
  ctx.stroke();

  ctx.save();
  ctx.beginPath();
  ctx.rect(0, top, W, H - top);
  ctx.clip();

  for (const box of lay.boxes) {
    const y0 = box.y - v.scrollY;
    if (y0 > H || y0 + box.height < top) continue;
    // Lane separator and label.
    ctx.fillStyle = pal.border;
    ctx.fillRect(0, Math.round(y0 + box.height) - 1, W, 1);
    ctx.fillStyle = pal.text;
    ctx.textAlign = 'left';
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.fillText(box.label, 8, y0 + 9);
    ctx.font = '10.5px system-ui, sans-serif';
    ctx.fillStyle = pal.muted;
    ctx.fillText(box.sub, 8, y0 + 22);
    ctx.font = '11px ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace';

    ctx.save();
    ctx.beginPath();
    ctx.rect(plotL, y0, W - plotL, box.height);
    ctx.clip();
    if (box.lane === null) drawCalls(ctx, input, y0, positions);
    else drawn += drawLane(ctx, input, box.lane, y0, tLeft, tRight, positions);
    ctx.restore();
  }

  if (input.arrows) drawArrows(ctx, input, positions);
  ctx.restore();

  // Gutter edge, axis, cursor.
  ctx.fillStyle = pal.border;
  ctx.fillRect(plotL - 1, top, 1, H - top);
  ctx.fillStyle = pal.panel;
  ctx.fillRect(0, 0, W, top);
  ctx.fillStyle = pal.border;
  ctx.fillRect(0, top - 1, W, 1);
  ctx.fillStyle = pal.muted;
  ctx.textAlign = 'center';
  for (let t = Math.ceil(tLeft / step) * step; t <= tRight; t += step) {
    const x = timeToX(v, t);
    if (x < plotL + 12) continue;
    ctx.fillText(`${Number(t.toFixed(6))}`, x, top / 2);
  }
  ctx.textAlign = 'left';
  ctx.fillText('ticks', 8, top / 2);
  const cx = Math.round(timeToX(v, now)) + 0.5;
  if (cx >= plotL) {
    ctx.strokeStyle = pal.cursor;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(cx, 0);
    ctx.lineTo(cx, H);
    ctx.stroke();
    ctx.fillStyle = pal.cursor;
    ctx.beginPath();
    ctx.moveTo(cx - 5, 0);
    ctx.lineTo(cx + 5, 0);
    ctx.lineTo(cx, 6);
    ctx.fill();
  }
  return { drawn };
}

function stateColor(pal: Palette, r: TaskRec): string {
  return pal.states[stateOf(r)];
}

/**
 * The record of each slot of a lane in one state, kept while the state stays at the
 * same event: zooming and panning redraw the same records on every frame, and two
 * Map lookups per bar were a quarter of a 10k-bar draw.
 */
const slotRecs = new WeakMap<LabState, { index: number; lanes: Map<Lane, Array<TaskRec | undefined>> }>();

function recsOf(state: LabState, lane: Lane): Array<TaskRec | undefined> {
  let cached = slotRecs.get(state);
  if (!cached || cached.index !== state.index) {
    cached = { index: state.index, lanes: new Map() };
    slotRecs.set(state, cached);
  }
  let recs = cached.lanes.get(lane);
  if (!recs) cached.lanes.set(lane, (recs = []));
  // Lanes only grow: resolve the slots not seen yet in this state.
  for (let slot = recs.length; slot < lane.names.length; slot++) recs.push(findTask(state, lane.names[slot]));
  return recs;
}

/**
 * The bars of one lane, then their marks. Canvas state changes cost more than the
 * shapes (a fillStyle is parsed each time it is set): bars are grouped by colour and
 * alpha, and every kind of mark is one path. Marks therefore lie on top of all bars.
 * Bars snap to whole pixels (no anti-aliasing), and a bar that starts where the last
 * one of its row and group ends extends it: zoomed out to a long run, thousands of
 * bars are a few hundred rectangles to rasterize. Crosses are 1 px strokes: wider
 * ones cost Skia a stroker pass each, 5 ms a frame for 1.8k of them.
 */
function drawLane(
  ctx: CanvasRenderingContext2D,
  input: DrawInput,
  lane: Lane,
  y0: number,
  tLeft: number,
  tRight: number,
  positions: BarPositions,
): number {
  const { view: v, palette: pal, state, now, cursor } = input;
  const recs = recsOf(state, lane);
  /** Bars by alpha (BAR_ALPHAS) and colour: x0, y, x1, ... */
  const groups: Array<Map<string, number[]>> = BAR_ALPHAS.map(() => new Map());
  /** Per row: the group and position of its last bar. */
  const lastOfRow: Array<{ g: number[]; k: number } | undefined> = [];
  const signals: number[] = [];
  const observes: number[] = [];
  const crosses: Record<'panic' | 'error', number[]> = { panic: [], error: [] };
  const named: Array<{ name: string; x0: number; x1: number; y: number }> = [];
  let selected: BarPos | null = null;
  let drawn = 0;
  const n = lane.names.length;
  for (let slot = 0; slot < n; slot++) {
    if (lane.startIdx[slot] >= cursor) break; // later slots started later still
    const start = lane.startT[slot];
    if (start > tRight) break;
    const rec = recs[slot];
    if (!rec) continue;
    const end = rec.exitT ?? now;
    if (end < tLeft) continue;
    const x0 = Math.max(GUTTER - 2, Math.round(timeToX(v, start)));
    const x1 = Math.max(x0 + 1, Math.round(timeToX(v, end)));
    const row = lane.row[slot];
    const y = y0 + LANE_HEAD + row * ROW_H;
    const dim = input.highlight !== null && !input.highlight.has(rec.name);
    const byColour = groups[dim ? 2 : rec.outcome !== null ? 1 : 0];
    const colour = stateColor(pal, rec);
    let g = byColour.get(colour);
    if (!g) byColour.set(colour, (g = []));
    const last = lastOfRow[row];
    if (last !== undefined && last.g === g && x0 <= last.g[last.k + 2]) {
      if (x1 > g[last.k + 2]) g[last.k + 2] = x1;
    } else {
      lastOfRow[row] = { g, k: g.length };
      g.push(x0, y, x1);
    }
    drawn++;
    positions.add(rec.name, x0, x1, y);
    if (rec.signalT !== null) signals.push(timeToX(v, rec.signalT), y);
    if (rec.observeT !== null) observes.push(Math.round(timeToX(v, rec.observeT)) + 0.5, y);
    if (rec.outcome === 'panic' || rec.outcome === 'error') crosses[rec.outcome].push(timeToX(v, rec.exitT ?? now), y);
    if (rec.name === input.selected) selected = { x0, x1, y };
    // Names on bars wide enough to hold them.
    if (x1 - x0 > 60 && !dim) named.push({ name: rec.name, x0, x1, y });
  }
  groups.forEach((byColour, a) => {
    ctx.globalAlpha = BAR_ALPHAS[a];
    for (const [colour, g] of byColour) {
      ctx.fillStyle = colour;
      ctx.beginPath();
      for (let k = 0; k < g.length; k += 3) ctx.rect(g[k], g[k + 1], g[k + 2] - g[k], BAR_H);
      ctx.fill();
    }
  });
  ctx.globalAlpha = 1;
  // Signal: a notch on top.
  if (signals.length > 0) {
    ctx.fillStyle = pal.signal;
    ctx.strokeStyle = pal.panel;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let k = 0; k < signals.length; k += 2) {
      const sx = signals[k];
      const y = signals[k + 1];
      ctx.moveTo(sx - 4.5, y - 3);
      ctx.lineTo(sx + 4.5, y - 3);
      ctx.lineTo(sx, y + 4);
      ctx.closePath();
    }
    ctx.fill();
    ctx.stroke();
  }
  // Observe: a tick across the bar.
  if (observes.length > 0) {
    ctx.fillStyle = pal.observe;
    ctx.beginPath();
    for (let k = 0; k < observes.length; k += 2) ctx.rect(observes[k] - 1.5, observes[k + 1] - 1, 2, BAR_H + 2);
    ctx.fill();
  }
  // Panic or error: a cross at the end.
  for (const outcome of ['panic', 'error'] as const) {
    const xs = crosses[outcome];
    if (xs.length === 0) continue;
    ctx.strokeStyle = pal.states[outcome];
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let k = 0; k < xs.length; k += 2) {
      const ex = xs[k];
      const y = xs[k + 1];
      ctx.moveTo(ex - 3.5, y - 1.5);
      ctx.lineTo(ex + 3.5, y + BAR_H + 1.5);
      ctx.moveTo(ex + 3.5, y - 1.5);
      ctx.lineTo(ex - 3.5, y + BAR_H + 1.5);
    }
    ctx.stroke();
  }
  if (selected) {
    ctx.strokeStyle = pal.text;
    ctx.lineWidth = 1.5;
    ctx.strokeRect(selected.x0 - 1.5, selected.y - 1.5, selected.x1 - selected.x0 + 3, BAR_H + 3);
  }
  if (named.length > 0) {
    ctx.fillStyle = '#fff';
    ctx.font = '9.5px system-ui, sans-serif';
    for (const b of named) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(b.x0, b.y, b.x1 - b.x0, BAR_H);
      ctx.clip();
      ctx.fillText(b.name, Math.max(b.x0, GUTTER) + 3, b.y + BAR_H / 2 + 0.5);
      ctx.restore();
    }
    ctx.font = '11px ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace';
  }
  return drawn;
}

function drawCalls(ctx: CanvasRenderingContext2D, input: DrawInput, y0: number, positions: BarPositions): void {
  const { view: v, palette: pal, state, now, layout: lay } = input;
  for (const c of state.calls) {
    const row = lay.callRows.get(c.seq) ?? 0;
    const y = y0 + LANE_HEAD + row * ROW_H;
    const x0 = timeToX(v, c.beginT);
    const x1 = Math.max(x0 + 4, timeToX(v, c.endT ?? c.abandonedT ?? now));
    ctx.fillStyle = pal.call;
    ctx.globalAlpha = c.endT !== null ? 0.55 : 1;
    ctx.fillRect(x0, y, x1 - x0, BAR_H);
    if (c.endT === null && c.abandonedT === null) {
      // Unfinished: a hatched end shows it is still waiting.
      ctx.strokeStyle = pal.call;
      ctx.setLineDash([2, 2]);
      ctx.beginPath();
      ctx.moveTo(x1, y + BAR_H / 2);
      ctx.lineTo(x1 + 24, y + BAR_H / 2);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.globalAlpha = 1;
    positions.add(`call:${c.seq}`, x0, x1, y);
    if (x1 - x0 > 40) {
      ctx.fillStyle = '#fff';
      ctx.font = '9.5px system-ui, sans-serif';
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, y, x1 - x0, BAR_H);
      ctx.clip();
      ctx.fillText(c.label, x0 + 3, y + BAR_H / 2 + 0.5);
      ctx.restore();
    }
  }
}

const MAX_ARROWS = 400;

function arrow(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  const mx = (x0 + x1) / 2;
  ctx.bezierCurveTo(mx, y0, mx, y1, x1, y1);
  ctx.stroke();
  const ang = Math.atan2(y1 - y0, x1 - mx || 1e-6);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - 5 * Math.cos(ang - 0.45), y1 - 5 * Math.sin(ang - 0.45));
  ctx.lineTo(x1 - 5 * Math.cos(ang + 0.45), y1 - 5 * Math.sin(ang + 0.45));
  ctx.closePath();
  ctx.fill();
}

function drawArrows(ctx: CanvasRenderingContext2D, input: DrawInput, positions: BarPositions): void {
  const { view: v, palette: pal, state, selected } = input;
  const many = positions.size > MAX_ARROWS;
  if (many && selected === null) return;
  let n = 0;
  ctx.lineWidth = 1;
  // Parent -> child: from the parent's bar at the child's spawn to the child's start.
  ctx.strokeStyle = pal.muted;
  ctx.fillStyle = pal.muted;
  ctx.globalAlpha = 0.7;
  const parentArrow = (name: string, p: BarPos): boolean => {
    const rec = findTask(state, name);
    if (!rec || rec.parent === null) return true;
    const pp = positions.get(rec.parent);
    if (!pp) return true;
    const x = timeToX(v, rec.spawnT);
    arrow(ctx, Math.min(Math.max(x, pp.x0), pp.x1), pp.y + BAR_H / 2, p.x0, p.y + BAR_H / 2);
    return ++n <= MAX_ARROWS;
  };
  if (!many) {
    for (const [name, p] of positions.entries()) {
      if (name.startsWith('call:')) continue;
      if (!parentArrow(name, p)) break;
    }
  } else if (selected !== null) {
    // Too many bars: only the selected task's arrows, to its parent and its children.
    const sp = positions.get(selected);
    if (sp) parentArrow(selected, sp);
    for (const child of input.log.index.children.get(selected) ?? []) {
      const cp = positions.get(child);
      if (cp && !parentArrow(child, cp)) break;
    }
  }
  // Shutdown call -> victims, at the time of the signal.
  ctx.strokeStyle = pal.call;
  ctx.fillStyle = pal.call;
  ctx.globalAlpha = 0.55;
  for (const c of state.calls) {
    if (many && !c.victims.includes(selected!)) continue;
    const cp = positions.get(`call:${c.seq}`);
    if (!cp) continue;
    for (const victim of c.victims) {
      if (many && victim !== selected) continue;
      const vp = positions.get(victim);
      if (!vp) continue;
      const rec = findTask(state, victim);
      const x = timeToX(v, rec?.signalT ?? c.beginT);
      arrow(ctx, Math.max(cp.x0, Math.min(x, cp.x1)), cp.y + BAR_H, x, vp.y);
      if (++n > MAX_ARROWS * 2) break;
    }
  }
  ctx.globalAlpha = 1;
}

/** The task (or call) under a point, for clicks and the tooltip. */
export function hitTest(
  state: LabState,
  now: number,
  cursor: number,
  lay: Layout,
  v: Viewport,
  x: number,
  y: number,
): { task: string } | { call: CallRec } | null {
  if (x < GUTTER || y < AXIS_H) return null;
  const yy = y + v.scrollY;
  const t = xToTime(v, x);
  const slack = 3 / v.pxPerTick;
  for (const box of lay.boxes) {
    if (yy < box.y || yy >= box.y + box.height) continue;
    const row = Math.floor((yy - box.y - LANE_HEAD) / ROW_H);
    if (row < 0) return null;
    if (box.lane === null) {
      for (const c of state.calls) {
        if ((lay.callRows.get(c.seq) ?? 0) !== row) continue;
        if (t >= c.beginT - slack && t <= (c.endT ?? c.abandonedT ?? now) + slack) return { call: c };
      }
      return null;
    }
    const lane = box.lane;
    let best: string | null = null;
    for (let slot = 0; slot < lane.names.length; slot++) {
      if (lane.startIdx[slot] >= cursor) break;
      if (lane.row[slot] !== row || lane.startT[slot] > t + slack) continue;
      const rec = findTask(state, lane.names[slot]);
      if (rec && (rec.exitT ?? now) >= t - slack) best = rec.name;
    }
    return best !== null ? { task: best } : null;
  }
  return null;
}
