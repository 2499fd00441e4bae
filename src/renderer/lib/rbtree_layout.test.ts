import { describe, expect, it } from 'vitest';
import { balancedParents, compactNumber, layoutRbtree, layoutRbtreeView, nodeBox, nodeLabel, withRemovedNodes } from './rbtree_layout';
import type { GraphRootSnapshot, HeapObjectSnapshot } from '../../model/events';

function obj(id: number, vtime: number): HeapObjectSnapshot {
  return {
    id, type: 'struct node', size: 32, owner: { kind: 'rb_root', root: 'r' }, refcount: 1,
    fields: { vtime: String(vtime), pid: String(id + 100) }, site: { program: 'enqueue', insn: 0 },
  };
}

describe('layoutRbtree', () => {
  // Tree: 20 is the (black) root, 10 its left (red) child, 30 its right (red) child, 40 right of 30.
  const root: GraphRootSnapshot = {
    key: 'map tree[0].root', kind: 'rb_root',
    nodes: [10, 20, 30, 40], parents: [20, 0, 20, 30], red: [true, false, false, true],
  };
  const heap = new Map([10, 20, 30, 40].map((id) => [id, obj(id, id * 10)]));
  const lay = layoutRbtree(root, heap);
  const at = (id: number) => lay.nodes.find((n) => n.id === id)!;

  it('keeps in-order left-to-right positions and depth top-down', () => {
    expect(at(10).x).toBeLessThan(at(20).x);
    expect(at(20).x).toBeLessThan(at(30).x);
    expect(at(30).x).toBeLessThan(at(40).x);
    expect(at(20).y).toBeLessThan(at(10).y);
    expect(at(30).y).toBeLessThan(at(40).y);
  });
  it('adds a NIL placeholder beside a single child, and colours nodes', () => {
    expect(lay.nodes.filter((n) => n.nil)).toHaveLength(1);
    expect(at(10).red).toBe(true);
    expect(at(20).red).toBe(false);
    expect(lay.links).toHaveLength(4);
  });
  it('labels nodes with object id and the key field', () => {
    expect(at(20).label).toBe('#20 vtime=200');
    expect(nodeLabel(undefined, 7)).toBe('#7');
    expect(at(20).key).toBe('vtime 200');
  });
  it('shortens large key values', () => {
    expect(compactNumber('185146854')).toBe('185.1M');
    expect(compactNumber('20000000000')).toBe('20G');
    expect(compactNumber('9999')).toBe('9999');
    expect(compactNumber('abc')).toBe('abc');
  });
  it('names NIL placeholders and edges by their place, so they stay the same across instants', () => {
    expect(lay.nodes.filter((n) => n.nil).map((n) => n.ref)).toEqual(['nil:30:L']);
    expect(at(20).ref).toBe('20');
    expect(lay.links.map((l) => l.ref).sort()).toEqual(['20>10', '20>30', '30>40', '30>nil:30:L']);
    // the same tree at another instant (other heap labels) yields the same refs
    const again = layoutRbtree({ ...root }, new Map());
    expect(again.nodes.map((n) => n.ref)).toEqual(lay.nodes.map((n) => n.ref));
  });
  it('sizes nodes for their labels: the view layout spaces them by that box', () => {
    const box = nodeBox(root, heap);
    expect(box.twoLines).toBe(true);
    const v = layoutRbtreeView(root, heap);
    expect(at(30).x - at(20).x).toBeGreaterThan(0);
    const vx = (id: number) => v.nodes.find((n) => n.id === id)!;
    expect(vx(20).y - vx(10).y).toBe(-(box.h + 24));
    expect(nodeBox({ key: 'x', kind: 'rb_root', nodes: [1] }, new Map())).toEqual({ w: 52, h: 24, twoLines: false });
  });
  it('handles an empty tree', () => {
    expect(layoutRbtree({ key: 'x', kind: 'rb_root', nodes: [] }, heap).nodes).toEqual([]);
  });
});

describe('trees recorded without shape', () => {
  it('balances the in-order nodes and marks colours unknown', () => {
    expect(balancedParents([1, 2, 3, 4, 5, 6, 7])).toEqual([2, 4, 2, 0, 6, 4, 6]);
    const lay = layoutRbtree({ key: 'q', kind: 'rb_root', nodes: [1, 2, 3, 4, 5, 6] }, new Map());
    expect(lay.shapeKnown).toBe(false);
    const depth = Math.max(...lay.nodes.map((n) => n.y)) - Math.min(...lay.nodes.map((n) => n.y));
    expect(depth).toBeLessThanOrEqual(3 * 56);
    expect(lay.nodes.filter((n) => !n.nil).every((n) => n.red === null)).toBe(true);
    const xs = [1, 2, 3, 4, 5, 6].map((id) => lay.nodes.find((n) => n.id === id)!.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });
});

describe('withRemovedNodes', () => {
  // at 5 ms: 12 (root) < 11 left, 14 right; at 25 ms: 14 root, 13 left, 16 right ... (the overload run)
  const now: GraphRootSnapshot = {
    key: 'q', kind: 'rb_root', nodes: [13, 14, 15, 16, 19, 17, 20], parents: [14, 0, 16, 14, 17, 16, 17],
    red: [false, false, false, true, true, false, true],
  };
  it('hangs removed nodes back in as leaves at their old in-order place, keeping every node of now where it hangs', () => {
    const merged = withRemovedNodes(now, [
      { id: 11, ghost: true }, { id: 12, ghost: true },
      ...now.nodes.map((id) => ({ id, ghost: false })),
    ]);
    expect(merged.nodes).toEqual([11, 12, 13, 14, 15, 16, 19, 17, 20]);
    const parentOf = (id: number) => merged.parents![merged.nodes.indexOf(id)];
    for (const [i, id] of now.nodes.entries()) expect(parentOf(id)).toBe(now.parents![i]);
    // 11 and 12 come before 13 in order: 11 goes left of 13, then 12 right of 11
    expect(parentOf(11)).toBe(13);
    expect(parentOf(12)).toBe(11);
    expect(merged.red![merged.nodes.indexOf(11)]).toBe(false);
    // the drawing keeps in-order left to right
    const lay = layoutRbtree(merged, new Map());
    const xs = merged.nodes.map((id) => lay.nodes.find((n) => n.id === id)!.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });
  it('leaves a tree without removed nodes as it is', () => {
    expect(withRemovedNodes(now, now.nodes.map((id) => ({ id, ghost: false })))).toBe(now);
  });
});
