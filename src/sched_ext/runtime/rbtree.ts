// A red-black tree whose shape the caller chooses: bpf_rbtree_add decides
// where a node goes by calling the program's `less` callback while walking
// down, so insertion takes (parent, side) rather than a comparator. After
// linking, the usual recolouring and rotations keep it balanced, like
// rb_insert_color()/rb_erase() in lib/rbtree.c. Colours and parents are kept
// because the UI draws the tree as the kernel holds it.

export interface RbNode<T> {
  value: T;
  left: RbNode<T> | null;
  right: RbNode<T> | null;
  parent: RbNode<T> | null;
  red: boolean;
  /** Nodes in this subtree, for O(log n) ranks (a node's position in order). */
  size: number;
}

const sizeOf = (n: RbNode<unknown> | null): number => (n === null ? 0 : n.size);
/** Module level, not a closure per fixRemove call (every bpf_rbtree_remove). */
function isRed(n: RbNode<unknown> | null): boolean {
  return n !== null && n.red;
}

export class RedBlackTree<T> {
  root: RbNode<T> | null = null;
  size = 0;

  /** Link `value` as the `left`/right child of `parent` (null: the tree is empty) and rebalance. */
  insertAt(parent: RbNode<T> | null, left: boolean, value: T): RbNode<T> {
    const node: RbNode<T> = { value, left: null, right: null, parent, red: true, size: 1 };
    if (parent === null) {
      if (this.root !== null) throw new Error('RedBlackTree.insertAt: null parent on a non-empty tree');
      this.root = node;
    } else if (left) {
      if (parent.left !== null) throw new Error('RedBlackTree.insertAt: left slot taken');
      parent.left = node;
    } else {
      if (parent.right !== null) throw new Error('RedBlackTree.insertAt: right slot taken');
      parent.right = node;
    }
    this.size++;
    for (let p = parent; p !== null; p = p.parent) p.size++;
    this.fixInsert(node);
    return node;
  }

  /**
   * Insert `value` so that it ends up at in-order position `index` (0 =
   * leftmost, size = rightmost) and rebalance. A binary search tree has one
   * empty leaf slot per gap between in-order neighbours, so this links the
   * node exactly where a comparator walk that put it at that position would
   * have (trace replay uses it to repeat a recorded bpf_rbtree_add).
   */
  insertRank(index: number, value: T): RbNode<T> {
    if (!Number.isInteger(index) || index < 0 || index > this.size) throw new Error(`RedBlackTree.insertRank: index ${index} outside 0..${this.size}`);
    let parent: RbNode<T> | null = null;
    let left = false;
    let n = this.root;
    let i = index;
    while (n !== null) {
      parent = n;
      const l = sizeOf(n.left);
      left = i <= l;
      if (left) {
        n = n.left;
      } else {
        i -= l + 1;
        n = n.right;
      }
    }
    return this.insertAt(parent, left, value);
  }

  /**
   * A tree with a given shape: `values` in order, `parents[i]` the index in
   * `values` of node i's parent (-1 for the root), `red[i]` its colour. A
   * parent after its child in order has it as left child, before as right.
   * Throws when the arrays do not describe one binary tree in that order.
   */
  static fromShape<T>(values: readonly T[], parents: readonly number[], red: readonly boolean[]): RedBlackTree<T> {
    const n = values.length;
    if (parents.length !== n || red.length !== n) throw new Error('RedBlackTree.fromShape: arrays differ in length');
    const t = new RedBlackTree<T>();
    const nodes: RbNode<T>[] = values.map((value, i) => ({ value, left: null, right: null, parent: null, red: red[i]!, size: 1 }));
    for (let i = 0; i < n; i++) {
      const p = parents[i]!;
      const node = nodes[i]!;
      if (p === -1) {
        if (t.root !== null) throw new Error('RedBlackTree.fromShape: two roots');
        t.root = node;
        continue;
      }
      const pn = nodes[p];
      if (pn === undefined || p === i) throw new Error(`RedBlackTree.fromShape: bad parent ${p} for node ${i}`);
      node.parent = pn;
      if (i < p) {
        if (pn.left !== null) throw new Error('RedBlackTree.fromShape: left slot taken');
        pn.left = node;
      } else {
        if (pn.right !== null) throw new Error('RedBlackTree.fromShape: right slot taken');
        pn.right = node;
      }
    }
    if (n > 0 && t.root === null) throw new Error('RedBlackTree.fromShape: no root');
    t.size = n;
    // Sizes bottom-up; a cycle or a node not under the root leaves the count short.
    const order = t.postorder();
    if (order.length !== n) throw new Error('RedBlackTree.fromShape: not one tree');
    for (const x of order) x.size = sizeOf(x.left) + sizeOf(x.right) + 1;
    // Children placed by index must also give back the given order.
    const ino = t.inorder();
    for (let i = 0; i < n; i++) if (ino[i] !== nodes[i]) throw new Error('RedBlackTree.fromShape: shape does not match the order');
    return t;
  }

  /** In-order position of `node` (0 = leftmost). */
  rank(node: RbNode<T>): number {
    let r = sizeOf(node.left);
    for (let n = node; n.parent !== null; n = n.parent) {
      if (n === n.parent.right) r += sizeOf(n.parent.left) + 1;
    }
    return r;
  }

  /** Leftmost node, what bpf_rbtree_first returns. */
  first(): RbNode<T> | null {
    let n = this.root;
    if (n === null) return null;
    while (n.left !== null) n = n.left;
    return n;
  }

  /** In-order traversal. */
  inorder(): RbNode<T>[] {
    const out: RbNode<T>[] = [];
    const stack: RbNode<T>[] = [];
    let n = this.root;
    while (n !== null || stack.length > 0) {
      while (n !== null) {
        stack.push(n);
        n = n.left;
      }
      n = stack.pop()!;
      out.push(n);
      n = n.right;
    }
    return out;
  }

  /** Children before parents: the order the kernel frees a tree's nodes in (bpf_rb_root_free). */
  postorder(): RbNode<T>[] {
    const out: RbNode<T>[] = [];
    const visit = (n: RbNode<T> | null): void => {
      if (n === null) return;
      visit(n.left);
      visit(n.right);
      out.push(n);
    };
    visit(this.root);
    return out;
  }

  remove(z: RbNode<T>): void {
    // The node that physically leaves its place: z, or its successor when z has two children.
    let gone = z;
    if (z.left !== null && z.right !== null) {
      gone = z.right;
      while (gone.left !== null) gone = gone.left;
    }
    for (let p = gone.parent; p !== null; p = p.parent) p.size--;
    let y = z;
    let yWasRed = y.red;
    let x: RbNode<T> | null;
    let xParent: RbNode<T> | null;
    if (z.left === null) {
      x = z.right;
      xParent = z.parent;
      this.transplant(z, z.right);
    } else if (z.right === null) {
      x = z.left;
      xParent = z.parent;
      this.transplant(z, z.left);
    } else {
      y = z.right;
      while (y.left !== null) y = y.left;
      yWasRed = y.red;
      x = y.right;
      if (y.parent === z) {
        xParent = y;
      } else {
        xParent = y.parent;
        this.transplant(y, y.right);
        y.right = z.right;
        y.right.parent = y;
      }
      this.transplant(z, y);
      y.left = z.left;
      y.left.parent = y;
      y.red = z.red;
      y.size = z.size;
    }
    this.size--;
    z.left = z.right = z.parent = null;
    z.size = 1;
    if (!yWasRed) this.fixRemove(x, xParent);
  }

  private transplant(u: RbNode<T>, v: RbNode<T> | null): void {
    if (u.parent === null) this.root = v;
    else if (u === u.parent.left) u.parent.left = v;
    else u.parent.right = v;
    if (v !== null) v.parent = u.parent;
  }

  private rotateLeft(x: RbNode<T>): void {
    const y = x.right!;
    x.right = y.left;
    if (y.left !== null) y.left.parent = x;
    this.transplant(x, y);
    y.left = x;
    x.parent = y;
    y.size = x.size;
    x.size = sizeOf(x.left) + sizeOf(x.right) + 1;
  }

  private rotateRight(x: RbNode<T>): void {
    const y = x.left!;
    x.left = y.right;
    if (y.right !== null) y.right.parent = x;
    this.transplant(x, y);
    y.right = x;
    x.parent = y;
    y.size = x.size;
    x.size = sizeOf(x.left) + sizeOf(x.right) + 1;
  }

  private fixInsert(z: RbNode<T>): void {
    while (z.parent !== null && z.parent.red) {
      const p = z.parent;
      const g = p.parent!;
      if (p === g.left) {
        const u = g.right;
        if (u !== null && u.red) {
          p.red = false;
          u.red = false;
          g.red = true;
          z = g;
        } else {
          if (z === p.right) {
            z = p;
            this.rotateLeft(z);
          }
          z.parent!.red = false;
          g.red = true;
          this.rotateRight(g);
        }
      } else {
        const u = g.left;
        if (u !== null && u.red) {
          p.red = false;
          u.red = false;
          g.red = true;
          z = g;
        } else {
          if (z === p.left) {
            z = p;
            this.rotateRight(z);
          }
          z.parent!.red = false;
          g.red = true;
          this.rotateLeft(g);
        }
      }
    }
    this.root!.red = false;
  }

  private fixRemove(x: RbNode<T> | null, parent: RbNode<T> | null): void {
    while (x !== this.root && !isRed(x) && parent !== null) {
      if (x === parent.left) {
        let w = parent.right!;
        if (w.red) {
          w.red = false;
          parent.red = true;
          this.rotateLeft(parent);
          w = parent.right!;
        }
        if (!isRed(w.left) && !isRed(w.right)) {
          w.red = true;
          x = parent;
          parent = x.parent;
        } else {
          if (!isRed(w.right)) {
            w.left!.red = false;
            w.red = true;
            this.rotateRight(w);
            w = parent.right!;
          }
          w.red = parent.red;
          parent.red = false;
          if (w.right !== null) w.right.red = false;
          this.rotateLeft(parent);
          x = this.root;
          parent = null;
        }
      } else {
        let w = parent.left!;
        if (w.red) {
          w.red = false;
          parent.red = true;
          this.rotateRight(parent);
          w = parent.left!;
        }
        if (!isRed(w.left) && !isRed(w.right)) {
          w.red = true;
          x = parent;
          parent = x.parent;
        } else {
          if (!isRed(w.left)) {
            w.right!.red = false;
            w.red = true;
            this.rotateLeft(w);
            w = parent.left!;
          }
          w.red = parent.red;
          parent.red = false;
          if (w.left !== null) w.left.red = false;
          this.rotateRight(parent);
          x = this.root;
          parent = null;
        }
      }
    }
    if (x !== null) x.red = false;
  }
}
