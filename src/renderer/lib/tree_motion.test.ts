import { describe, expect, it } from 'vitest';
import type { GraphRootSnapshot, HeapObjectSnapshot } from '../../model/events';
import { layoutRbtreeView } from './rbtree_layout';
import { frameAt, membershipChanges, planMotion, shouldAnimate, staticFrame, type TreeFrame } from './tree_motion';

const heap = new Map<number, HeapObjectSnapshot>();
const tree = (nodes: number[], parents: number[]): GraphRootSnapshot => ({ key: 'q', kind: 'rb_root', nodes, parents });

// The overload run of assets/schedulers/rbtree at 5 ms and at 25 ms: two removed, three added, a rotation.
const A = layoutRbtreeView(tree([11, 12, 13, 14, 15, 16], [12, 0, 14, 12, 14, 15]), heap);
const B = layoutRbtreeView(tree([13, 14, 15, 16, 19, 17, 20], [14, 0, 16, 14, 17, 16, 17]), heap);
// A right-leaning chain 1 -> 2 -> 3, then the left rotation at 1 that balances it.
const chain = layoutRbtreeView(tree([1, 2, 3], [0, 1, 2]), heap);
const rotated = layoutRbtreeView(tree([1, 2, 3], [2, 0, 2]), heap);

const byRef = (f: TreeFrame) => new Map(f.nodes.map((n) => [n.ref, n]));

describe('planMotion / frameAt', () => {
  it('ends exactly on the static layout of the new instant, with nothing left over', () => {
    const end = frameAt(planMotion(staticFrame(A), B), 1);
    expect(end).toEqual(staticFrame(B));
    expect(end.leaving.size).toBe(0);
    expect(end.nodes.map((n) => [n.ref, n.x, n.y])).toEqual(B.nodes.map((n) => [n.ref, n.x, n.y]));
  });

  it('starts from what is drawn: kept nodes where they were, new ones invisible at their place, gone ones still there', () => {
    const m = planMotion(staticFrame(A), B);
    const start = byRef(frameAt(m, 0));
    const a = byRef(staticFrame(A));
    const b = byRef(staticFrame(B));
    for (const ref of ['13', '14', '15', '16']) expect([start.get(ref)!.x, start.get(ref)!.y]).toEqual([a.get(ref)!.x, a.get(ref)!.y]);
    for (const ref of ['17', '19', '20']) {
      expect(start.get(ref)).toMatchObject({ x: b.get(ref)!.x, y: b.get(ref)!.y, opacity: 0 });
      expect(start.get(ref)!.scale).toBeLessThan(1);
    }
    for (const ref of ['11', '12']) expect(start.get(ref)).toMatchObject({ x: a.get(ref)!.x, y: a.get(ref)!.y, opacity: 1 });
    expect(m.leaving.has('11') && m.leaving.has('12')).toBe(true);
  });

  it('fades gone nodes out in place while kept ones travel, edges drawn between their nodes', () => {
    const mid = frameAt(planMotion(staticFrame(A), B), 0.5);
    const at = byRef(mid);
    const a = byRef(staticFrame(A));
    expect(at.get('11')).toMatchObject({ x: a.get('11')!.x, y: a.get('11')!.y, opacity: 0.5 });
    for (const l of mid.links) {
      expect([l.x1, l.y1]).toEqual([at.get(l.fromRef)!.x, at.get(l.fromRef)!.y]);
      expect([l.x2, l.y2]).toEqual([at.get(l.toRef)!.x, at.get(l.toRef)!.y]);
    }
    // 12 -> 11 existed only at A: still drawn, half faded
    expect(mid.links.find((l) => l.ref === '12>11')?.opacity).toBe(0.5);
  });

  it('animates a rotation: the same three nodes trade places, the edge set changes', () => {
    const m = planMotion(staticFrame(chain), rotated);
    expect(m.leaving.has('1') || m.leaving.has('2') || m.leaving.has('3')).toBe(false);
    const mid = byRef(frameAt(m, 0.5));
    const c = byRef(staticFrame(chain));
    const r = byRef(staticFrame(rotated));
    expect(mid.get('2')!.y).toBeCloseTo((c.get('2')!.y + r.get('2')!.y) / 2);
    expect(mid.get('2')!.opacity).toBe(1);
    expect(frameAt(m, 1)).toEqual(staticFrame(rotated));
  });

  it('a new step during a motion starts from the frame on screen and still ends on the newest layout', () => {
    const half = frameAt(planMotion(staticFrame(A), B), 0.5);
    const m2 = planMotion(half, A);
    const start = byRef(frameAt(m2, 0));
    for (const n of half.nodes) {
      expect(start.get(n.ref)).toMatchObject({ x: n.x, y: n.y });
    }
    // 11 was half way out; it comes back from where it is
    expect(start.get('11')!.opacity).toBe(0.5);
    expect(frameAt(m2, 1)).toEqual(staticFrame(A));
  });

  it('an emptied tree fades out and ends empty', () => {
    const empty = layoutRbtreeView({ key: 'q', kind: 'rb_root', nodes: [] }, heap);
    const m = planMotion(staticFrame(chain), empty);
    expect(frameAt(m, 0.5).nodes.every((n) => n.opacity === 0.5)).toBe(true);
    expect(frameAt(m, 1).nodes).toEqual([]);
  });
});

describe('shouldAnimate', () => {
  it('animates steps: short ones, or far ones that change at most two nodes; never reduced motion or a first drawing', () => {
    expect(shouldAnimate(1_000_000, 1_000_500, 30_000_000, 9, false)).toBe(true);
    expect(shouldAnimate(1_000_000, 20_000_000, 30_000_000, 2, false)).toBe(true);
    expect(shouldAnimate(1_000_000, 20_000_000, 30_000_000, 3, false)).toBe(false);
    expect(shouldAnimate(1_000_000, 1_000_500, 30_000_000, 0, true)).toBe(false);
    expect(shouldAnimate(null, 1_000_500, 30_000_000, 0, false)).toBe(false);
  });
  it('counts nodes in and out, not NIL placeholders or nodes already leaving', () => {
    expect(membershipChanges(staticFrame(A), B)).toBe(5);
    expect(membershipChanges(staticFrame(chain), rotated)).toBe(0);
    const half = frameAt(planMotion(staticFrame(A), B), 0.5);
    expect(membershipChanges(half, B)).toBe(0);
  });
});
