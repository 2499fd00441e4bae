import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadProgram } from './testing/harness';

// Random sequences of the rbtree test program's operations; after every run
// the ledger must agree with the graph contents: a correct program owns
// nothing between runs, so each live object's refcount is the number of
// roots holding it, every node in a root is alive, trees stay sorted, and
// obj_new/obj_free events balance with the live set.
const op = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), key: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('pop_first' as const) }),
  fc.record({ kind: fc.constant('tree_and_list' as const), key: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('tree_pop' as const) }),
  fc.record({ kind: fc.constant('list_pop' as const) }),
);

describe('ownership ledger agrees with graph contents', () => {
  it('after any sequence of correct operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const p = loadProgram('rbtree', 'interp');
        let seq = 0;
        for (const o of ops) {
          if (o.kind === 'add') p.run('add', o.key, seq++);
          else if (o.kind === 'tree_and_list') p.run('tree_and_list', o.key);
          else p.run(o.kind);
        }
        const live = new Map(p.rt.heapObjects().map((h) => [h.id, h]));
        const membership = new Map<number, number>();
        for (const r of p.rt.roots()) for (const id of r.nodes) membership.set(id, (membership.get(id) ?? 0) + 1);
        for (const [id, n] of membership) expect(live.get(id)?.refcount).toBe(n);
        for (const h of live.values()) expect(membership.get(h.id) ?? 0).toBe(h.refcount);
        for (const r of p.rt.roots()) {
          if (r.kind !== 'rb_root') continue;
          const keys = r.nodes.map((id) => Number(live.get(id)!.fields.key));
          expect(keys).toEqual([...keys].sort((a, b) => a - b));
        }
        const news = p.host.ofKind('obj_new').length;
        const frees = p.host.ofKind('obj_free').length;
        expect(news - frees).toBe(live.size);
        expect(p.rt.diagnostics()).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
