// "Diff against instant T" for the tree and list views: which nodes of each
// bpf_rb_root / bpf_list_head were added since T, removed since T, or moved,
// keyed by object id (an object is the same node at both instants).
//
// Moved, in an rbtree whose shape both instants recorded: the node's parent
// changed (a rotation, or a neighbour's insertion or removal re-hung it);
// becoming or ceasing to be the root counts. Keys of queued nodes do not
// change, so a node cannot switch sides under the same parent. In a list (or a
// tree recorded without shape): the node's order among the nodes present at
// both instants changed, counting the fewest nodes whose moving explains the
// new order (those off a longest run kept in the old order), so popping the
// head moves nothing and re-queueing one node moves that one.
import type { GraphRootSnapshot } from '../../model/events';
import { formatDuration } from './format';

export interface RootDiff {
  key: string;
  kind: GraphRootSnapshot['kind'];
  /** In the root now, not at T. */
  added: number[];
  /** In the root at T, not now. */
  removed: number[];
  /** In the root at both instants, at another place in it. */
  moved: number[];
  /** The root as it was at T (absent if it did not exist then), for drawing removed nodes at their old place. */
  before: GraphRootSnapshot | undefined;
}

export interface DiffCounts {
  added: number;
  removed: number;
  moved: number;
}

export type NodeMark = 'added' | 'moved' | 'removed';

export function diffRoot(before: GraphRootSnapshot | undefined, after: GraphRootSnapshot | undefined): RootDiff {
  const root = after ?? before;
  if (!root) throw new Error('diffRoot needs the root at one instant at least');
  const was = before?.nodes ?? [];
  const now = after?.nodes ?? [];
  const wasSet = new Set(was);
  const nowSet = new Set(now);
  const added = now.filter((id) => !wasSet.has(id));
  const removed = was.filter((id) => !nowSet.has(id));
  const kept = now.filter((id) => wasSet.has(id));
  const moved =
    root.kind === 'rb_root' && hasShape(before) && hasShape(after)
      ? reparented(before!, after!, kept)
      : reordered(was, kept);
  return { key: root.key, kind: root.kind, added, removed, moved, before };
}

/** Every root present at T or now, by key, in the order of now then those gone since. */
export function diffRoots(before: GraphRootSnapshot[], after: GraphRootSnapshot[]): Map<string, RootDiff> {
  const old = new Map(before.map((r) => [r.key, r]));
  const out = new Map<string, RootDiff>();
  for (const r of after) out.set(r.key, diffRoot(old.get(r.key), r));
  for (const r of before) if (!out.has(r.key)) out.set(r.key, diffRoot(r, undefined));
  return out;
}

export function countDiff(diffs: Iterable<RootDiff>): DiffCounts {
  const c: DiffCounts = { added: 0, removed: 0, moved: 0 };
  for (const d of diffs) {
    c.added += d.added.length;
    c.removed += d.removed.length;
    c.moved += d.moved.length;
  }
  return c;
}

/** Mark per node: 'added' or 'moved' (present now), 'removed' (present at T only, drawn as a ghost), or none. */
export function nodeMarks(d: RootDiff | undefined): Map<number, NodeMark> {
  const m = new Map<number, NodeMark>();
  if (!d) return m;
  for (const id of d.added) m.set(id, 'added');
  for (const id of d.moved) m.set(id, 'moved');
  for (const id of d.removed) m.set(id, 'removed');
  return m;
}

/** "+3 −1 ~2 vs 1.204 s" */
export function diffSummary(c: DiffCounts, t: number): string {
  return `+${c.added} −${c.removed} ~${c.moved} vs ${formatDuration(t)}`;
}

function hasShape(r: GraphRootSnapshot | undefined): boolean {
  return r !== undefined && r.parents !== undefined && r.parents.length === r.nodes.length;
}

function reparented(before: GraphRootSnapshot, after: GraphRootSnapshot, kept: number[]): number[] {
  const parentBefore = new Map(before.nodes.map((id, i) => [id, before.parents![i]!]));
  const parentAfter = new Map(after.nodes.map((id, i) => [id, after.parents![i]!]));
  return kept.filter((id) => parentBefore.get(id) !== parentAfter.get(id));
}

/** Nodes of `kept` (in their order now) off a longest subsequence that keeps their order at T. */
function reordered(was: number[], kept: number[]): number[] {
  const oldIndex = new Map(was.map((id, i) => [id, i]));
  const seq = kept.map((id) => oldIndex.get(id)!);
  const inRun = longestIncreasing(seq);
  return kept.filter((_, i) => !inRun.has(i));
}

/** Positions of one longest strictly increasing subsequence (patience sorting, O(n log n)). */
function longestIncreasing(seq: number[]): Set<number> {
  const tails: number[] = []; // tails[k] = index into seq of the smallest tail of a run of length k+1
  const prev = new Array<number>(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seq[tails[mid]!]! < seq[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const out = new Set<number>();
  for (let i = tails.length > 0 ? tails[tails.length - 1]! : -1; i >= 0; i = prev[i]!) out.add(i);
  return out;
}

/**
 * A list's nodes now with its removed-since-T nodes put back where they were:
 * each after the node that preceded it at T (if that one is still shown), else
 * at the head. For drawing removed nodes as ghosts in the chain.
 */
export function chainWithGhosts(d: RootDiff | undefined, now: number[]): { id: number; ghost: boolean }[] {
  if (!d?.before || d.removed.length === 0) return now.map((id) => ({ id, ghost: false }));
  const removed = new Set(d.removed);
  const after = new Map<number | null, number[]>(); // node shown -> ghosts following it (null: the head)
  let anchor: number | null = null;
  const shown = new Set(now);
  for (const id of d.before.nodes) {
    if (removed.has(id)) {
      after.set(anchor, [...(after.get(anchor) ?? []), id]);
      continue;
    }
    if (shown.has(id)) anchor = id;
  }
  const ghosts = (key: number | null) => (after.get(key) ?? []).map((id) => ({ id, ghost: true }));
  return [...ghosts(null), ...now.flatMap((id) => [{ id, ghost: false }, ...ghosts(id)])];
}
