// Where the flow arrows go on the CPU lanes: each step of a chain at its
// time (x) and CPU lane (y); steps of a chain closer than a few pixels on
// the same lane share one endpoint (a wakeup and its enqueue happen at the
// same instant), and an arrow joins each endpoint to the next. Arrows bend
// upward like Perfetto's flows, so one that stays on its lane still shows.

import { FLOW_STEPS, type Flows } from '../../protocol/flows';
import { formatDuration } from './format';

export interface FlowNode {
  x: number;
  y: number;
  /** Time and CPU of the first step it stands for. */
  t: number;
  cpu: number;
  /** Indexes of its steps in flows.steps. */
  steps: number[];
  /** What it stands for: "5.208 ms · CPU 1 · dispatch: ops.dispatch on CPU 1 … + run: runs on CPU 1". */
  text: string;
}

export interface FlowArrow {
  from: FlowNode;
  to: FlowNode;
  /** SVG path data. */
  d: string;
}

export interface FlowLayout {
  nodes: FlowNode[];
  arrows: FlowArrow[];
  /** Endpoints left out past `maxNodes` (zoom in to see them). */
  hidden: number;
}

/** Steps closer than this many pixels on one lane share an endpoint. */
const MERGE_PX = 4;

export function stepText(f: Flows, k: number): string {
  return `${FLOW_STEPS[f.steps.kind[k]!] ?? '?'}: ${f.strings[f.steps.label[k]!] ?? ''}`;
}

function nodeText(f: Flows, n: FlowNode): string {
  const where = n.cpu >= 0 ? `CPU ${n.cpu}` : 'no CPU';
  return `${formatDuration(n.t)} · ${where} · ${n.steps.map((k) => stepText(f, k)).join(' + ')}`;
}

/** An arrow from (x1, y1) to (x2, y2), bending upward (more for a longer one on the same lane). */
export function arrowPath(x1: number, y1: number, x2: number, y2: number): string {
  const dx = x2 - x1;
  if (y1 === y2) {
    const h = Math.min(14, Math.max(5, Math.abs(dx) / 4));
    return `M${x1},${y1} C${x1 + dx / 3},${y1 - h} ${x2 - dx / 3},${y2 - h} ${x2},${y2}`;
  }
  const mx = x1 + dx / 2;
  return `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
}

/**
 * The endpoints and arrows of `f` for a view: `xOf` maps a time to x, `yOf` a CPU to its lane's middle (null: no
 * lane on screen for it, the step is left out). Arrows with both ends left or right of [xMin, xMax] are left out.
 */
export function layoutFlows(f: Flows, xOf: (t: number) => number, yOf: (cpu: number) => number | null, xMin: number, xMax: number, maxNodes = 3000): FlowLayout {
  const nodes: FlowNode[] = [];
  const arrows: FlowArrow[] = [];
  let hidden = 0;
  for (let c = 0; c + 1 < f.offset.length; c++) {
    let prev: FlowNode | null = null;
    for (let k = f.offset[c]!; k < f.offset[c + 1]!; k++) {
      const cpu = f.steps.cpu[k]!;
      const y = cpu >= 0 ? yOf(cpu) : null;
      if (y === null) continue;
      const x = xOf(f.steps.t[k]!);
      if (prev && prev.y === y && Math.abs(x - prev.x) < MERGE_PX) {
        prev.steps.push(k);
        continue;
      }
      const node: FlowNode = { x, y, t: f.steps.t[k]!, cpu, steps: [k], text: '' };
      const visible = !(prev && ((prev.x < xMin && x < xMin) || (prev.x > xMax && x > xMax)));
      if (nodes.length >= maxNodes) {
        hidden++;
      } else {
        nodes.push(node);
        if (prev && visible) arrows.push({ from: prev, to: node, d: arrowPath(prev.x, prev.y, x, y) });
      }
      prev = node;
    }
  }
  for (const n of nodes) n.text = nodeText(f, n);
  return { nodes, arrows, hidden };
}

/**
 * The object's flow on its own lifetime row in the change tracks: a mark per step (alloc, add, remove, stash,
 * unstash, …) at its time, joined by a line. Returns the steps drawn, with their x, for hover.
 */
export function paintObjectSteps(ctx: CanvasRenderingContext2D, f: Flows, xOf: (t: number) => number, y: number, h: number, xMin: number, xMax: number, color: string): { x: number; k: number }[] {
  const drawn: { x: number; k: number }[] = [];
  for (let k = 0; k < f.steps.t.length; k++) {
    const x = xOf(f.steps.t[k]!);
    if (x >= xMin - 1 && x <= xMax + 1) drawn.push({ x, k });
  }
  if (drawn.length === 0) return drawn;
  const mid = y + h / 2;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(drawn[0]!.x, mid);
  ctx.lineTo(drawn[drawn.length - 1]!.x, mid);
  ctx.stroke();
  for (const { x } of drawn) {
    ctx.beginPath();
    ctx.moveTo(x, mid - 4);
    ctx.lineTo(x + 3, mid);
    ctx.lineTo(x, mid + 4);
    ctx.lineTo(x - 3, mid);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
  return drawn;
}
