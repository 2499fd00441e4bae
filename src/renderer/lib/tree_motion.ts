// The rbtree view's motion between two instants, as pure data: from what is on
// screen now (a frame) to the static layout of the new instant. Nodes and NIL
// placeholders are keyed by ref (object id, or a NIL's place): a node in both
// moves from where it is drawn to its new place; a new one grows and fades in
// at its place; a gone one fades out where it stands. Edges carry no position
// of their own: each frame draws them between their two nodes' positions, so
// they follow the nodes, fading in or out when the parent/child pair is new or
// gone. At progress 1 the frame equals the new layout's static frame exactly,
// so an animation never leaves a stale tree on screen.
import type { TreeLayout } from './rbtree_layout';

export interface NodeFrame {
  ref: string;
  x: number;
  y: number;
  opacity: number;
  scale: number;
}

export interface LinkFrame {
  ref: string;
  fromRef: string;
  toRef: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  opacity: number;
}

/** What is drawn at one moment; `leaving` lists refs of nodes and links on their way out. */
export interface TreeFrame {
  nodes: NodeFrame[];
  links: LinkFrame[];
  leaving: Set<string>;
}

interface Tween {
  ref: string;
  from: Omit<NodeFrame, 'ref'>;
  to: Omit<NodeFrame, 'ref'>;
}

export interface TreeMotion {
  nodes: Tween[];
  links: { ref: string; fromRef: string; toRef: string; from: number; to: number }[];
  leaving: Set<string>;
  /** The new instant's static frame: the end state. */
  end: TreeFrame;
}

/** Nodes grow from this fraction of their size as they appear. */
const ENTER_SCALE = 0.3;

export function staticFrame(layout: TreeLayout): TreeFrame {
  return {
    nodes: layout.nodes.map((n) => ({ ref: n.ref, x: n.x, y: n.y, opacity: 1, scale: 1 })),
    links: layout.links.map((l) => ({ ref: l.ref, fromRef: l.fromRef, toRef: l.toRef, x1: l.x1, y1: l.y1, x2: l.x2, y2: l.y2, opacity: 1 })),
    leaving: new Set(),
  };
}

export function planMotion(shown: TreeFrame, next: TreeLayout): TreeMotion {
  const end = staticFrame(next);
  const was = new Map(shown.nodes.map((n) => [n.ref, n]));
  const leaving = new Set<string>();
  const nodes: Tween[] = end.nodes.map((n) => {
    const w = was.get(n.ref);
    const to = { x: n.x, y: n.y, opacity: 1, scale: 1 };
    return { ref: n.ref, from: w ? { x: w.x, y: w.y, opacity: w.opacity, scale: w.scale } : { x: n.x, y: n.y, opacity: 0, scale: ENTER_SCALE }, to };
  });
  const staying = new Set(end.nodes.map((n) => n.ref));
  for (const w of was.values()) {
    if (staying.has(w.ref)) continue;
    leaving.add(w.ref);
    nodes.push({ ref: w.ref, from: { x: w.x, y: w.y, opacity: w.opacity, scale: w.scale }, to: { x: w.x, y: w.y, opacity: 0, scale: w.scale } });
  }
  const wasLinks = new Map(shown.links.map((l) => [l.ref, l]));
  const links: TreeMotion['links'] = end.links.map((l) => ({
    ref: l.ref, fromRef: l.fromRef, toRef: l.toRef, from: wasLinks.get(l.ref)?.opacity ?? 0, to: 1,
  }));
  const linked = new Set(end.links.map((l) => l.ref));
  for (const l of wasLinks.values()) {
    if (linked.has(l.ref)) continue;
    leaving.add(l.ref);
    links.push({ ref: l.ref, fromRef: l.fromRef, toRef: l.toRef, from: l.opacity, to: 0 });
  }
  return { nodes, links, leaving, end };
}

/** The frame at progress p in [0, 1] (already eased). At 1: the end state, without what left. */
export function frameAt(m: TreeMotion, p: number): TreeFrame {
  if (p >= 1) return m.end;
  const mix = (a: number, b: number) => a + (b - a) * p;
  const nodes = m.nodes.map(({ ref, from, to }) => ({
    ref, x: mix(from.x, to.x), y: mix(from.y, to.y), opacity: mix(from.opacity, to.opacity), scale: mix(from.scale, to.scale),
  }));
  const at = new Map(nodes.map((n) => [n.ref, n]));
  const links: LinkFrame[] = [];
  for (const l of m.links) {
    const a = at.get(l.fromRef);
    const b = at.get(l.toRef);
    if (!a || !b) continue;
    links.push({ ref: l.ref, fromRef: l.fromRef, toRef: l.toRef, x1: a.x, y1: a.y, x2: b.x, y2: b.y, opacity: mix(l.from, l.to) });
  }
  return { nodes, links, leaving: m.leaving };
}

/** How long one step's motion lasts. */
export const MOTION_MS = 250;

/** Nodes (not NIL placeholders) that would appear or go away going from `shown` to `next`. */
export function membershipChanges(shown: TreeFrame, next: TreeLayout): number {
  const isNode = (ref: string) => !ref.startsWith('nil:');
  const was = new Set(shown.nodes.filter((n) => isNode(n.ref) && !shown.leaving.has(n.ref)).map((n) => n.ref));
  const now = new Set(next.nodes.filter((n) => !n.nil).map((n) => n.ref));
  let changes = 0;
  for (const r of now) if (!was.has(r)) changes++;
  for (const r of was) if (!now.has(r)) changes++;
  return changes;
}

/** At most this many nodes in or out is one step's worth of change, however far apart the instants are. */
export const STEP_CHANGES = 2;

/**
 * Animate a change of instant only when it is a step: a short one (at most a
 * twentieth of the visible window, like stepping or playing), or one that adds
 * or removes at most STEP_CHANGES nodes (stepping to the next event across an
 * idle stretch). A far jump that changes more redraws at once, as does
 * everything for a user who prefers reduced motion.
 */
export function shouldAnimate(fromT: number | null, toT: number, viewSpan: number, changes: number, reducedMotion: boolean): boolean {
  if (reducedMotion || fromT === null) return false;
  return Math.abs(toT - fromT) <= Math.max(0, viewSpan) / 20 || changes <= STEP_CHANGES;
}
