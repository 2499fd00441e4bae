import { describe, expect, it } from 'vitest';
import { ENGINES, loadProgram } from './testing/harness';

describe.each(ENGINES)('rbtree kfuncs (%s)', (engine) => {
  it('keeps keys in order, equal keys going right (kernel __bpf_rbtree_add: !less → right)', () => {
    const p = loadProgram('rbtree', engine);
    const input: [number, number][] = [[5, 0], [3, 1], [5, 2], [1, 3], [5, 4], [4, 5], [3, 6]];
    for (const [key, seq] of input) expect(p.run('add', key, seq)).toBe(0n);

    const root = p.rt.roots().find((r) => r.key === '.data.A.aroot')!;
    expect(root.kind).toBe('rb_root');
    expect(root.nodes).toHaveLength(7);
    expect(root.parents!.filter((x) => x === 0)).toHaveLength(1);

    const popped: [bigint, bigint][] = [];
    for (let i = 0; i < input.length; i++) popped.push([p.run('pop_first'), p.g64('out', 0)]);
    // Sorted by key; among equal keys, insertion order (seq) is kept.
    expect(popped).toEqual([[1n, 3n], [3n, 1n], [3n, 6n], [4n, 5n], [5n, 0n], [5n, 2n], [5n, 4n]]);
    expect(p.run('pop_first')).toBe(-1n);
    expect(p.rt.heapObjects()).toEqual([]);
    expect(p.rt.heap.stats()).toEqual({ allocated: 7, freed: 7, live: 0 });
    expect(p.rt.diagnostics()).toEqual([]);
  });

  it('calls less(new, existing) while walking down', () => {
    const p = loadProgram('rbtree', engine);
    p.run('add', 10, 0);
    expect(p.g32('nr_less')).toBe(0);
    p.run('add', 20, 1);
    expect(p.g32('nr_less')).toBe(1);
    expect([p.g64('less_args', 0), p.g64('less_args', 1)]).toEqual([20n, 10n]);
    p.run('add', 15, 2);
    // Walk: compare with the root (10), then with 20.
    const n = p.g32('nr_less');
    const pairs = Array.from({ length: n - 1 }, (_, i) => [p.g64('less_args', 2 * (i + 1)), p.g64('less_args', 2 * (i + 1) + 1)]);
    expect(pairs).toEqual([[15n, 10n], [15n, 20n]]);
  });

  it('bpf_rbtree_remove returns NULL for a node owned by another root', () => {
    const p = loadProgram('rbtree', engine);
    expect(p.run('remove_wrong_root')).toBe(1n);
    const broot = p.rt.roots().find((r) => r.key === '.data.B.broot')!;
    expect(broot.nodes).toHaveLength(1);
    const obj = p.rt.heapObjects()[0]!;
    expect(obj.owner).toEqual({ kind: 'rb_root', root: '.data.B.broot' });
    expect(obj.refcount).toBe(1);
    expect(p.rt.diagnostics()).toEqual([]);
  });

  it('one refcounted object sits in a tree and a list (refcount 2) and is freed only when both let go', () => {
    const p = loadProgram('rbtree', engine);
    expect(p.run('tree_and_list', 42)).toBe(0n);
    let [obj] = p.rt.heapObjects();
    expect(obj!.refcount).toBe(2);
    expect(obj!.owner).toEqual({ kind: 'refcount', count: 2 });
    expect(obj!.fields.key).toBe('42');
    const roots = p.rt.roots();
    expect(roots.find((r) => r.key === '.data.B.broot')!.nodes).toEqual([obj!.id]);
    expect(roots.find((r) => r.key === '.data.B.blist')!.nodes).toEqual([obj!.id]);

    expect(p.run('tree_pop')).toBe(0n);
    [obj] = p.rt.heapObjects();
    expect(obj!.refcount).toBe(1);
    expect(obj!.owner).toEqual({ kind: 'list_head', root: '.data.B.blist' });
    expect(p.host.ofKind('obj_free')).toHaveLength(0);

    expect(p.run('list_pop')).toBe(42n);
    expect(p.rt.heapObjects()).toEqual([]);
    expect(p.host.ofKind('obj_free').map((e) => e.obj)).toEqual([obj!.id]);
    expect(p.rt.diagnostics()).toEqual([]);
  });

  it('records every ownership transition with its source line', () => {
    const p = loadProgram('rbtree', engine);
    p.run('add', 1, 0);
    p.run('pop_first');
    const kinds = p.host.events.filter((e) => e.kind.startsWith('obj_')).map((e) => e.kind);
    expect(kinds).toEqual(['obj_new', 'obj_owner', 'obj_owner', 'obj_owner', 'obj_free']);
    const owners = p.host.ofKind('obj_owner');
    expect(owners[1]!.to).toEqual({ kind: 'rb_root', root: '.data.A.aroot' });
    expect(owners[1]!.at).toBe(0);
    expect(owners[2]!.from).toEqual({ kind: 'rb_root', root: '.data.A.aroot' });
    expect(owners[2]!.to.kind).toBe('program');
    for (const e of owners) expect(e.site?.line).toBeGreaterThan(0);
  });
});
