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

export function draw(ctx: CanvasRenderingContext2D, input: DrawInput): { drawn: number } {
  const { view: v, palette: pal, layout: lay, now } = input;
  const W = v.width;
  const H = v.height;
  ctx.clearRect(0, 0, W, H);
  ctx.fillStyle = pal.panel;
  ctx.fillRect(0, 0, W, H);
  ctx.font = '11px ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace';
  ctx.textBaseline = 'middle';

  const top = AXIS_H;
  const plotL = GUTTER;
  const tLeft = xToTime(v, plotL);
  const tRight = xToTime(v, W);
  const positions = new Map<string, BarPos>();
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

function drawLane(
  ctx: CanvasRenderingContext2D,
  input: DrawInput,
  lane: Lane,
  y0: number,
  tLeft: number,
  tRight: number,
  positions: Map<string, BarPos>,
): number {
  const { view: v, palette: pal, state, now, cursor } = input;
  let drawn = 0;
  const n = lane.names.length;
  for (let slot = 0; slot < n; slot++) {
    if (lane.startIdx[slot] >= cursor) break; // later slots started later still
    const start = lane.startT[slot];
    if (start > tRight) break;
    const rec = findTask(state, lane.names[slot]);
    if (!rec) continue;
    const end = rec.exitT ?? now;
    if (end < tLeft) continue;
    const x0 = Math.max(GUTTER - 2, timeToX(v, start));
    const x1 = Math.max(x0 + 1.5, timeToX(v, end));
    const y = y0 + LANE_HEAD + lane.row[slot] * ROW_H;
    const dim = input.highlight !== null && !input.highlight.has(rec.name);
    ctx.globalAlpha = dim ? 0.18 : rec.outcome !== null ? 0.75 : 1;
    ctx.fillStyle = stateColor(pal, rec);
    ctx.fillRect(x0, y, x1 - x0, BAR_H);
    drawn++;
    positions.set(rec.name, { x0, x1, y });
    // Marks: signal (a notch on top), observe (a tick below), panic / error (a cross at the end).
    if (rec.signalT !== null) {
      const sx = timeToX(v, rec.signalT);
      ctx.globalAlpha = 1;
      ctx.fillStyle = pal.signal;
      ctx.strokeStyle = pal.panel;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(sx - 4.5, y - 3);
      ctx.lineTo(sx + 4.5, y - 3);
      ctx.lineTo(sx, y + 4);
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
    }
    if (rec.observeT !== null) {
      const ox = Math.round(timeToX(v, rec.observeT)) + 0.5;
      ctx.strokeStyle = pal.observe;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(ox, y - 1);
      ctx.lineTo(ox, y + BAR_H + 1);
      ctx.stroke();
    }
    if (rec.outcome === 'panic' || rec.outcome === 'error') {
      const ex = timeToX(v, rec.exitT ?? now);
      ctx.strokeStyle = pal.states[rec.outcome];
      ctx.lineWidth = 1.8;
      ctx.beginPath();
      ctx.moveTo(ex - 3.5, y - 1.5);
      ctx.lineTo(ex + 3.5, y + BAR_H + 1.5);
      ctx.moveTo(ex + 3.5, y - 1.5);
      ctx.lineTo(ex - 3.5, y + BAR_H + 1.5);
      ctx.stroke();
    }
    if (rec.name === input.selected) {
      ctx.globalAlpha = 1;
      ctx.strokeStyle = pal.text;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x0 - 1.5, y - 1.5, x1 - x0 + 3, BAR_H + 3);
    }
    // Names on bars wide enough to hold them.
    if (x1 - x0 > 60 && !dim) {
      ctx.globalAlpha = 1;
      ctx.fillStyle = '#fff';
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, y, x1 - x0, BAR_H);
      ctx.clip();
      ctx.font = '9.5px system-ui, sans-serif';
      ctx.fillText(rec.name, Math.max(x0, GUTTER) + 3, y + BAR_H / 2 + 0.5);
      ctx.restore();
    }
  }
  ctx.globalAlpha = 1;
  return drawn;
}

function drawCalls(ctx: CanvasRenderingContext2D, input: DrawInput, y0: number, positions: Map<string, BarPos>): void {
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
    positions.set(`call:${c.seq}`, { x0, x1, y });
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

function drawArrows(ctx: CanvasRenderingContext2D, input: DrawInput, positions: Map<string, BarPos>): void {
  const { view: v, palette: pal, state, selected } = input;
  const many = positions.size > MAX_ARROWS;
  let n = 0;
  ctx.lineWidth = 1;
  // Parent -> child: from the parent's bar at the child's spawn to the child's start.
  ctx.strokeStyle = pal.muted;
  ctx.fillStyle = pal.muted;
  ctx.globalAlpha = 0.7;
  for (const [name, p] of positions) {
    if (name.startsWith('call:')) continue;
    const rec = findTask(state, name);
    if (!rec || rec.parent === null) continue;
    if (many && name !== selected && rec.parent !== selected) continue;
    const pp = positions.get(rec.parent);
    if (!pp) continue;
    const x = timeToX(v, rec.spawnT);
    arrow(ctx, Math.min(Math.max(x, pp.x0), pp.x1), pp.y + BAR_H / 2, p.x0, p.y + BAR_H / 2);
    if (++n > MAX_ARROWS) break;
  }
  // Shutdown call -> victims, at the time of the signal.
  ctx.strokeStyle = pal.call;
  ctx.fillStyle = pal.call;
  ctx.globalAlpha = 0.55;
  for (const c of state.calls) {
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
