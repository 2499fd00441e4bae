import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RedBlackTree, type RbNode } from './rbtree';

/** Insert like bpf_rbtree_add: less(new, existing) → left, else right (equal keys go right). */
function add(t: RedBlackTree<number>, key: number): RbNode<number> {
  let parent: RbNode<number> | null = null;
  let left = false;
  let n = t.root;
  while (n !== null) {
    parent = n;
    left = key < n.value;
    n = left ? n.left : n.right;
  }
  return t.insertAt(parent, left, key);
}

/** Checks the red-black properties; returns the black height. */
function check(n: RbNode<number> | null, parent: RbNode<number> | null): number {
  if (n === null) return 1;
  expect(n.parent).toBe(parent);
  if (n.red) {
    expect(n.left?.red ?? false).toBe(false);
    expect(n.right?.red ?? false).toBe(false);
  }
  expect(n.size).toBe((n.left?.size ?? 0) + (n.right?.size ?? 0) + 1);
  const l = check(n.left, n);
  const r = check(n.right, n);
  expect(l).toBe(r);
  return l + (n.red ? 0 : 1);
}

describe('RedBlackTree', () => {
  it('keeps order, colours and parents through random inserts and removes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 40 }), (keys, removals) => {
        const t = new RedBlackTree<number>();
        const nodes = keys.map((k) => add(t, k));
        for (const r of removals) {
          if (nodes.length === 0) break;
          const [victim] = nodes.splice(r % nodes.length, 1);
          t.remove(victim!);
        }
        expect(t.root?.red ?? false).toBe(false);
        check(t.root, null);
        const order = t.inorder().map((n) => n.value);
        expect(order).toEqual(nodes.map((n) => n.value).sort((a, b) => a - b));
        expect(t.size).toBe(nodes.length);
        expect(t.first()?.value).toBe(order[0]);
        t.inorder().forEach((n, i) => expect(t.rank(n)).toBe(i));
      }),
    );
  });

  it('puts equal keys to the right, so insertion order is kept among equals', () => {
    const t = new RedBlackTree<{ k: number; seq: number }>();
    for (let seq = 0; seq < 10; seq++) {
      let parent: RbNode<{ k: number; seq: number }> | null = null;
      let left = false;
      let n = t.root;
      while (n !== null) {
        parent = n;
        left = 5 < n.value.k;
        n = left ? n.left : n.right;
      }
      t.insertAt(parent, left, { k: 5, seq });
    }
    expect(t.inorder().map((n) => n.value.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('insertRank and fromShape repeat a comparator-built tree exactly, equal keys included', () => {
    // Shape as a snapshot has it: in order, parent index (-1 root), colour.
    const shape = <T>(t: RedBlackTree<T>) => {
      const ino = t.inorder();
      const idx = new Map(ino.map((n, i) => [n, i]));
      return { values: ino.map((n) => n.value), parents: ino.map((n) => (n.parent ? idx.get(n.parent)! : -1)), red: ino.map((n) => n.red) };
    };
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ add: fc.integer({ min: 0, max: 6 }) }), fc.record({ remove: fc.nat() })), { maxLength: 80 }),
        fc.nat({ max: 80 }),
        (ops, seedAt) => {
          const live = new RedBlackTree<number>();
          const liveNodes: RbNode<number>[] = [];
          let replay = new RedBlackTree<number>();
          let byLive = new Map<RbNode<number>, RbNode<number>>();
          ops.forEach((op, i) => {
            if (i === seedAt) {
              // A keyframe: the replay restarts from the live tree's shape.
              const s = shape(live);
              replay = RedBlackTree.fromShape(s.values, s.parents, s.red);
              const ino = replay.inorder();
              byLive = new Map(live.inorder().map((n, j) => [n, ino[j]!]));
              check(replay.root, null);
            }
            if ('add' in op) {
              const n = add(live, op.add);
              liveNodes.push(n);
              byLive.set(n, replay.insertRank(live.rank(n), op.add));
            } else if (liveNodes.length > 0) {
              const [victim] = liveNodes.splice(op.remove % liveNodes.length, 1);
              live.remove(victim!);
              replay.remove(byLive.get(victim!)!);
              byLive.delete(victim!);
            }
            expect(shape(replay)).toEqual(shape(live));
            // Same nodes, not just same keys: equal keys land where the comparator put them.
            expect(live.inorder().map((n) => byLive.get(n))).toEqual(replay.inorder());
          });
          check(replay.root, null);
        },
      ),
    );
  });

  it('fromShape refuses arrays that are not one tree in the given order', () => {
    expect(() => RedBlackTree.fromShape([1, 2], [-1, -1], [false, true])).toThrow(/two roots/);
    expect(() => RedBlackTree.fromShape([1, 2, 3], [1, -1, 0], [true, false, true])).toThrow(/order|right slot/);
    expect(() => RedBlackTree.fromShape([1, 2], [1, 0], [true, true])).toThrow(/no root|not one tree/);
    expect(() => RedBlackTree.fromShape([1], [-1], [])).toThrow(/length/);
    const t = RedBlackTree.fromShape([1, 2, 3], [1, -1, 1], [true, false, true]);
    expect(t.root!.value).toBe(2);
    expect(t.root!.size).toBe(3);
    expect(t.insertRank(3, 4).parent!.value).toBe(3);
    expect(() => t.insertRank(5, 9)).toThrow(/outside/);
  });

  it('lists children before parents in postorder', () => {
    const t = new RedBlackTree<number>();
    for (const k of [4, 2, 6, 1, 3, 5, 7]) add(t, k);
    const post = t.postorder();
    const seen = new Set<RbNode<number>>();
    for (const n of post) {
      if (n.left) expect(seen.has(n.left)).toBe(true);
      if (n.right) expect(seen.has(n.right)).toBe(true);
      seen.add(n);
    }
    expect(post.length).toBe(7);
  });
});
