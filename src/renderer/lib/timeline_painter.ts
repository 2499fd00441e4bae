// Draws the CPU lanes of the timeline on a canvas: one rectangle per pixel
// column at most (walkLane merges), the part of a live run not simulated yet
// shaded, and the cursor. No DOM per slice; called from one animation frame.
import type { SliceLanes } from './slice_lanes';
import { walkLane } from './slice_lanes';
import type { TaskPalette } from './task_colors';

export interface TimelineTheme {
  bg: string;
  laneAlt: string;
  fg: string;
  fgMuted: string;
  border: string;
  cursor: string;
  highlight: string;
}

export function readTheme(el: Element): TimelineTheme {
  const cs = getComputedStyle(el);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  return {
    bg: v('--bg', '#fff'),
    laneAlt: v('--lane-alt', '#f0f2f5'),
    fg: v('--fg', '#1d2127'),
    fgMuted: v('--fg-muted', '#5c6570'),
    border: v('--border', '#d9dde3'),
    cursor: v('--cursor', '#d23c3c'),
    highlight: v('--highlight', '#ffb020'),
  };
}

export interface LaneGeometry {
  gutter: number;
  top: number;
  laneHeight: number;
  width: number;
  height: number;
}

export interface PaintInput {
  lanes: SliceLanes | null;
  cpus: number;
  geom: LaneGeometry;
  t0: number;
  t1: number;
  /** Simulated so far; beyond it is shaded (live runs). */
  reached: number;
  end: number;
  cursor: number;
  selectedPid: number | null;
  theme: TimelineTheme;
  palette: TaskPalette;
}

export interface PaintStats {
  rectsPerLane: number[];
}

interface RectScratch {
  x: Float32Array;
  w: Float32Array;
  y: Float32Array;
  next: Int32Array;
}

let scratchCache: RectScratch | null = null;

/** Reused per-frame buffers (no allocation per frame once warmed up). */
function rectScratch(size: number): RectScratch {
  if (!scratchCache || scratchCache.x.length < size) {
    scratchCache = { x: new Float32Array(size), w: new Float32Array(size), y: new Float32Array(size), next: new Int32Array(size) };
  }
  return scratchCache;
}

export function paintTimeline(ctx: CanvasRenderingContext2D, p: PaintInput): PaintStats {
  const { geom, theme } = p;
  const plotW = geom.width - geom.gutter;
  const nsPerPx = (p.t1 - p.t0) / Math.max(1, plotW);
  const toPx = (t: number) => geom.gutter + (t - p.t0) / nsPerPx;
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, geom.width, geom.height);
  const rectsPerLane: number[] = [];
  const pad = geom.laneHeight >= 12 ? 2 : geom.laneHeight >= 6 ? 1 : 0;
  ctx.save();
  ctx.beginPath();
  ctx.rect(geom.gutter, 0, plotW, geom.height);
  ctx.clip();
  // Collect the rectangles first, then fill them grouped by task: one
  // fillStyle (a colour string the canvas must parse) and one path per task
  // instead of per rectangle.
  const scratch = rectScratch(p.cpus * (Math.ceil(plotW) + 2));
  let n = 0;
  const heads = new Map<number, number>();
  for (let c = 0; c < p.cpus; c++) {
    const y = geom.top + c * geom.laneHeight;
    if (c % 2 === 1) {
      ctx.fillStyle = theme.laneAlt;
      ctx.fillRect(geom.gutter, y, plotW, geom.laneHeight);
    }
    let count = 0;
    if (p.lanes) {
      count = walkLane(p.lanes, c, p.t0, p.t1, toPx, (x0, x1, pid) => {
        if (pid <= 0 || n >= scratch.x.length) return;
        scratch.x[n] = x0;
        scratch.w[n] = x1 - x0;
        scratch.y[n] = y + pad;
        scratch.next[n] = heads.get(pid) ?? -1;
        heads.set(pid, n);
        n++;
      });
    }
    rectsPerLane.push(count);
  }
  const h = geom.laneHeight - 2 * pad;
  for (const [pid, head] of heads) {
    ctx.globalAlpha = p.selectedPid === null || p.selectedPid === pid ? 1 : 0.25;
    ctx.fillStyle = p.palette.color(pid);
    ctx.beginPath();
    for (let i = head; i >= 0; i = scratch.next[i]!) ctx.rect(scratch.x[i]!, scratch.y[i]!, scratch.w[i]!, h);
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  const sel = p.selectedPid === null ? undefined : heads.get(p.selectedPid);
  if (sel !== undefined) {
    ctx.strokeStyle = theme.highlight;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let i = sel; i >= 0; i = scratch.next[i]!) ctx.rect(scratch.x[i]! + 1, scratch.y[i]! + 1, Math.max(1, scratch.w[i]! - 2), h - 2);
    ctx.stroke();
  }
  if (p.reached < p.end) {
    const x = Math.max(geom.gutter, toPx(p.reached));
    ctx.fillStyle = theme.laneAlt;
    ctx.globalAlpha = 0.7;
    ctx.fillRect(x, geom.top, geom.width - x, p.cpus * geom.laneHeight);
    ctx.globalAlpha = 1;
  }
  const cx = Math.round(toPx(p.cursor)) + 0.5;
  ctx.strokeStyle = theme.cursor;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(cx, 0);
  ctx.lineTo(cx, geom.height);
  ctx.stroke();
  ctx.restore();

  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, geom.gutter, geom.height);
  ctx.strokeStyle = theme.border;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(geom.gutter - 0.5, 0);
  ctx.lineTo(geom.gutter - 0.5, geom.height);
  ctx.stroke();
  ctx.fillStyle = theme.fgMuted;
  ctx.textBaseline = 'middle';
  ctx.font = `${Math.min(12, Math.max(8, geom.laneHeight - 4))}px system-ui, sans-serif`;
  if (geom.laneHeight >= 8) {
    for (let c = 0; c < p.cpus; c++) ctx.fillText(`CPU ${c}`, 8, geom.top + c * geom.laneHeight + geom.laneHeight / 2);
  }
  return { rectsPerLane };
}
