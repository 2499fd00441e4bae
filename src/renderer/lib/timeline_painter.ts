// Draws the CPU lanes of the timeline on a canvas: one rectangle per pixel
// column at most (walkLane merges), the part of a live run not simulated yet
// shaded, and the cursor. No DOM per slice; called from one animation frame.
import type { SliceLanes } from './slice_lanes';
import { walkLane } from './slice_lanes';
import type { TaskPalette } from './task_colors';
import { groupRange, type LaneGroup, type LaneRow } from './lane_rows';

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
  /** Right edge of the plot (the canvas may be wider: a scrollbar beside it). */
  width: number;
  height: number;
  /** Vertical scroll of the lanes in px (lanes above it are not drawn). */
  scrollY?: number;
}

/** Lanes [first, last) that are at least partly on screen. */
export function visibleLanes(geom: LaneGeometry, cpus: number): [number, number] {
  const y0 = (geom.scrollY ?? 0) - geom.top;
  const first = Math.max(0, Math.floor(y0 / geom.laneHeight));
  const last = Math.min(cpus, Math.ceil((y0 + geom.height) / geom.laneHeight));
  return [first, Math.max(first, last)];
}

export interface PaintInput {
  lanes: SliceLanes | null;
  cpus: number;
  geom: LaneGeometry;
  t0: number;
  t1: number;
  /** Simulated so far; beyond it is shaded (live runs). */
  reached: number;
  /** Rows top to bottom (lane_rows.ts); default: one per CPU. */
  rows?: LaneRow[];
  groups?: LaneGroup[];
  /** Instants of the exit and diagnostics: a thin line through every lane (error: the cursor colour). */
  marks?: { t: number; error: boolean }[];
  end: number;
  cursor: number;
  selectedPid: number | null;
  /** Dark colour scheme (dimming of unselected slices is gentler). */
  dark?: boolean;
  theme: TimelineTheme;
  palette: TaskPalette;
}

export interface PaintStats {
  rectsPerLane: number[];
  /** Rectangles per lane that stand for several slices (drawn hatched, not in a task's colour). */
  mergedPerLane: number[];
}

interface RectScratch {
  x: Float32Array;
  w: Float32Array;
  y: Float32Array;
  next: Int32Array;
}

let scratchCache: RectScratch | null = null;
let hatchCache: { key: string; pattern: CanvasPattern | null } | null = null;

/** Grey diagonal hatching for rectangles that stand for several slices. */
function hatch(ctx: CanvasRenderingContext2D, theme: TimelineTheme): CanvasPattern | string {
  const key = `${theme.fgMuted}|${theme.laneAlt}`;
  if (hatchCache?.key !== key) {
    const tile = document.createElement('canvas');
    tile.width = 6;
    tile.height = 6;
    const t = tile.getContext('2d');
    let pattern: CanvasPattern | null = null;
    if (t) {
      t.fillStyle = theme.laneAlt;
      t.fillRect(0, 0, 6, 6);
      t.strokeStyle = theme.fgMuted;
      t.lineWidth = 1.5;
      t.beginPath();
      t.moveTo(-1, 7);
      t.lineTo(7, -1);
      t.moveTo(-1, 1);
      t.lineTo(1, -1);
      t.moveTo(5, 7);
      t.lineTo(7, 5);
      t.stroke();
      pattern = ctx.createPattern(tile, 'repeat');
    }
    hatchCache = { key, pattern };
  }
  return hatchCache.pattern ?? theme.fgMuted;
}

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
  const mergedPerLane: number[] = [];
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
  /** Merged rectangles: a list of their own, drawn hatched. */
  let mergedHead = -1;
  const rows = p.rows ?? Array.from({ length: p.cpus }, (_, cpu): LaneRow => ({ kind: 'cpu', cpu }));
  const [firstRow, lastRow] = visibleLanes(geom, rows.length);
  const rowY = (r: number) => geom.top + r * geom.laneHeight - (geom.scrollY ?? 0);
  for (let c = 0; c < p.cpus; c++) {
    rectsPerLane.push(0);
    mergedPerLane.push(0);
  }
  const busyRows: { y: number; group: LaneGroup }[] = [];
  for (let r = firstRow; r < lastRow; r++) {
    const row = rows[r]!;
    const y = rowY(r);
    if (row.kind === 'group') {
      const g = p.groups?.[row.group];
      if (g) busyRows.push({ y, group: g });
      continue;
    }
    const c = row.cpu;
    if (c % 2 === 1) {
      ctx.fillStyle = theme.laneAlt;
      ctx.fillRect(geom.gutter, y, plotW, geom.laneHeight);
    }
    let count = 0;
    let mergedCount = 0;
    if (p.lanes) {
      count = walkLane(p.lanes, c, p.t0, p.t1, toPx, (x0, x1, pid, merged) => {
        if ((pid <= 0 && !merged) || n >= scratch.x.length) return;
        const w = x1 - x0;
        scratch.x[n] = x0;
        // A 1 px gap at the end of each slice wide enough to spare it: back-to-back runs stay apart.
        scratch.w[n] = !merged && w >= 4 ? w - 1 : w;
        scratch.y[n] = y + pad;
        if (merged) {
          mergedCount++;
          scratch.next[n] = mergedHead;
          mergedHead = n;
        } else {
          scratch.next[n] = heads.get(pid) ?? -1;
          heads.set(pid, n);
        }
        n++;
      });
    }
    rectsPerLane[c] = count;
    mergedPerLane[c] = mergedCount;
  }
  const h = geom.laneHeight - 2 * pad;
  if (mergedHead >= 0) {
    ctx.globalAlpha = p.selectedPid === null ? 1 : 0.5;
    ctx.fillStyle = hatch(ctx, theme);
    ctx.beginPath();
    for (let i = mergedHead; i >= 0; i = scratch.next[i]!) ctx.rect(scratch.x[i]!, scratch.y[i]!, scratch.w[i]!, h);
    ctx.fill();
  }
  // Dimmed, not blacked out: on a dark background a low alpha reads as black.
  const dim = p.dark ? 0.45 : 0.3;
  for (const [pid, head] of heads) {
    ctx.globalAlpha = p.selectedPid === null || p.selectedPid === pid ? 1 : dim;
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
  // Group header rows: how many of the group's CPUs run a task in each pixel column, as a grey area.
  if (busyRows.length > 0 && p.lanes) {
    const cols = Math.ceil(plotW) + 1;
    const busy = new Float32Array(cols);
    for (const { y, group } of busyRows) {
      busy.fill(0);
      for (let c = group.first; c < group.last; c++) {
        walkLane(p.lanes, c, p.t0, p.t1, toPx, (x0, x1, pid, merged) => {
          if (pid <= 0 && !merged) return;
          for (let x = Math.max(geom.gutter, x0); x < Math.min(geom.width, x1); x++) busy[x - geom.gutter]! += 1;
        });
      }
      const n = group.last - group.first;
      ctx.fillStyle = theme.fgMuted;
      ctx.globalAlpha = 0.45;
      ctx.beginPath();
      for (let i = 0; i < cols; i++) {
        const f = Math.min(1, busy[i]! / n);
        if (f > 0) {
          const hh = f * (geom.laneHeight - 2);
          ctx.rect(geom.gutter + i, y + geom.laneHeight - 1 - hh, 1, hh);
        }
      }
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.strokeStyle = theme.border;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(geom.gutter, Math.round(y) + 0.5);
      ctx.lineTo(geom.width, Math.round(y) + 0.5);
      ctx.stroke();
    }
  }
  if (p.reached < p.end) {
    const x = Math.max(geom.gutter, toPx(p.reached));
    ctx.fillStyle = theme.laneAlt;
    ctx.globalAlpha = 0.7;
    ctx.fillRect(x, 0, geom.width - x, geom.height);
    ctx.globalAlpha = 1;
  }
  for (const m of p.marks ?? []) {
    const mx = Math.round(toPx(m.t)) + 0.5;
    if (mx < geom.gutter || mx > geom.width) continue;
    ctx.strokeStyle = m.error ? theme.cursor : theme.highlight;
    ctx.globalAlpha = 0.8;
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(mx, 0);
    ctx.lineTo(mx, geom.height);
    ctx.stroke();
    ctx.setLineDash([]);
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
  // Every visible lane is labelled; the timeline keeps lanes tall enough (>= 14 px) for 11 px text.
  ctx.font = `${Math.min(12, Math.max(10, geom.laneHeight - 3))}px system-ui, sans-serif`;
  for (let r = firstRow; r < lastRow; r++) {
    const row = rows[r]!;
    const y = rowY(r) + geom.laneHeight / 2;
    if (row.kind === 'cpu') {
      ctx.fillText(`CPU ${row.cpu}`, 8, y);
      continue;
    }
    // A group header: ▾/▸ and the group's name; the hover tooltip and title give its CPU range.
    const g = p.groups?.[row.group];
    if (!g) continue;
    const collapsed = r + 1 >= rows.length || rows[r + 1]!.kind !== 'cpu' || (rows[r + 1] as { cpu: number }).cpu !== g.first;
    ctx.fillStyle = theme.fg;
    const label = g.label.startsWith('CPUs ') ? groupRange(g).replace('CPUs ', '') : g.label;
    ctx.fillText(`${collapsed ? '▸' : '▾'} ${label}`, 2, y, geom.gutter - 4);
    ctx.fillStyle = theme.fgMuted;
  }
  return { rectsPerLane, mergedPerLane };
}
