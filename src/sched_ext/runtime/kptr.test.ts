import { describe, expect, it } from 'vitest';
import { ENGINES, loadProgram } from './testing/harness';

describe.each(ENGINES)('kptr stashing and map value freeing (%s)', (engine) => {
  it('stash and unstash round trip through a __kptr slot', () => {
    const p = loadProgram('kptr', engine);
    expect(p.run('stash', 17)).toBe(0n);
    const [obj] = p.rt.heapObjects();
    expect(obj!.owner).toEqual({ kind: 'kptr', slot: 'map stash_arr[0].p' });
    expect(p.rt.slots().find((s) => s.key === 'map stash_arr[0].p')).toEqual({ key: 'map stash_arr[0].p', map: 'stash_arr', field: 'p', obj: obj!.id });
    expect(p.run('unstash')).toBe(17n);
    expect(p.rt.heapObjects()).toEqual([]);
    expect(p.rt.slots().find((s) => s.key === 'map stash_arr[0].p')!.obj).toBeNull();
    expect(p.run('unstash')).toBe(-2n);
    expect(p.rt.diagnostics()).toEqual([]);
  });

  it('bpf_kptr_xchg returns the previous owning pointer', () => {
    const p = loadProgram('kptr', engine);
    expect(p.run('stash', 1)).toBe(0n);
    expect(p.run('stash', 2)).toBe(1n);
    expect(p.rt.heapObjects().map((o) => o.fields.v)).toEqual(['2']);
    expect(p.run('unstash')).toBe(2n);
  });

  it('overwriting an array value frees the stashed kptr and keeps the new scalar bytes', () => {
    const p = loadProgram('kptr', engine);
    p.run('stash', 5);
    const id = p.rt.heapObjects()[0]!.id;
    expect(p.run('overwrite')).toBe(0n);
    expect(p.rt.heapObjects()).toEqual([]);
    expect(p.host.ofKind('obj_free').map((e) => e.obj)).toEqual([id]);
    const cell = p.cell('stash_arr', 0);
    expect(cell.region.view.getBigInt64(0, true)).toBe(99n);
    expect(cell.region.view.getBigUint64(8, true)).toBe(0n);
  });

  it('deleting a hash element frees the stashed kptr; NOEXIST on an existing key is -EEXIST', () => {
    const p = loadProgram('kptr', engine);
    expect(p.run('hash_stash', 3, 30)).toBe(0n);
    expect(p.run('hash_stash', 4, 40)).toBe(0n);
    expect(p.run('hash_stash', 3, 31)).toBe(-17n);
    expect(p.rt.heapObjects().map((o) => o.owner)).toEqual([
      { kind: 'kptr', slot: 'map stash_hash[3].p' },
      { kind: 'kptr', slot: 'map stash_hash[4].p' },
    ]);
    expect(p.run('hash_delete', 3)).toBe(0n);
    expect(p.run('hash_delete', 3)).toBe(-2n);
    expect(p.rt.heapObjects().map((o) => o.fields.v)).toEqual(['40']);
  });

  it('dropping an object that holds a tree frees every node in it', () => {
    const p = loadProgram('kptr', engine);
    expect(p.run('drop_bag', 5)).toBe(0n);
    expect(p.rt.heapObjects()).toEqual([]);
    expect(p.host.ofKind('obj_new')).toHaveLength(6);
    expect(p.host.ofKind('obj_free')).toHaveLength(6);
    // Nodes are freed before the bag that held them.
    const bagId = p.host.ofKind('obj_new').find((e) => e.type === 'struct bag')!.obj;
    expect(p.host.ofKind('obj_free').at(-1)!.obj).toBe(bagId);
    expect(p.rt.roots().filter((r) => r.nodes.length > 0)).toEqual([]);
    expect(p.rt.diagnostics()).toEqual([]);
  });

  it('unload drains stashed objects and the trees inside them', () => {
    const p = loadProgram('kptr', engine);
    expect(p.run('stash_bag')).toBe(0n);
    expect(p.run('stash', 9)).toBe(0n);
    const live = p.rt.heapObjects();
    expect(live).toHaveLength(5);
    const bag = live.find((o) => o.type === 'struct bag')!;
    const tree = p.rt.roots().find((r) => r.key === `obj ${bag.id}.root`)!;
    expect(tree.nodes).toHaveLength(3);
    expect(tree.red).toHaveLength(3);
    p.rt.unload();
    expect(p.rt.heapObjects()).toEqual([]);
    expect(p.rt.diagnostics()).toEqual([]);
  });

  it('replacing or deleting a map value that holds a tree frees its nodes', () => {
    const p = loadProgram('kptr', engine);
    expect(p.run('tree_fill', 1, 3)).toBe(0n);
    expect(p.run('tree_fill', 2, 2)).toBe(0n);
    expect(p.rt.roots().find((r) => r.key === 'map trees[1].root')!.nodes).toHaveLength(3);
    expect(p.run('tree_replace', 1)).toBe(0n);
    expect(p.rt.heapObjects().map((o) => o.owner)).toEqual([
      { kind: 'rb_root', root: 'map trees[2].root' },
      { kind: 'rb_root', root: 'map trees[2].root' },
    ]);
    expect(p.run('tree_fill', 1, 1)).toBe(0n);
    expect(p.rt.roots().find((r) => r.key === 'map trees[1].root')!.nodes).toHaveLength(1);
    expect(p.run('tree_delete', 2)).toBe(0n);
    expect(p.rt.heapObjects()).toHaveLength(1);
    expect(p.host.ofKind('obj_free')).toHaveLength(5);
    expect(p.rt.diagnostics()).toEqual([]);
  });

  it('dropping an object frees the object its __kptr field holds, inner first', () => {
    const p = loadProgram('kptr', engine);
    expect(p.run('nest', 0)).toBe(0n);
    expect(p.rt.heapObjects()).toEqual([]);
    const created = p.host.ofKind('obj_new').map((e) => [e.obj, e.type]);
    expect(created.map(([, t]) => t)).toEqual(['struct nest', 'struct leaf']);
    expect(p.host.ofKind('obj_free').map((e) => e.obj)).toEqual([created[1]![0], created[0]![0]]);
  });

  it('a kptr slot inside a stashed object is listed and drained at unload', () => {
    const p = loadProgram('kptr', engine);
    expect(p.run('nest', 1)).toBe(0n);
    const [outer, inner] = p.rt.heapObjects();
    expect(outer!.owner).toEqual({ kind: 'kptr', slot: 'map nests[0].outer' });
    expect(inner!.owner).toEqual({ kind: 'kptr', slot: `obj ${outer!.id}.inner` });
    expect(p.rt.slots()).toContainEqual({ key: `obj ${outer!.id}.inner`, map: `obj ${outer!.id}`, field: 'inner', obj: inner!.id });
    p.rt.unload();
    expect(p.rt.heapObjects()).toEqual([]);
  });
});
