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
