import { describe, expect, it } from 'vitest';
import type { GraphRootSnapshot } from '../../model/events';
import { chainWithGhosts, countDiff, diffRoot, diffRoots, diffSummary, nodeMarks } from './rbtree_diff';

const tree = (nodes: number[], parents?: number[]): GraphRootSnapshot => ({ key: '.data.queue', kind: 'rb_root', nodes, parents });
const list = (nodes: number[], key = '.data.fifo'): GraphRootSnapshot => ({ key, kind: 'list_head', nodes });

describe('diffRoot on rbtrees', () => {
  // The overload run of assets/schedulers/rbtree at 5 ms and at 25 ms (scxray replay --at).
  const at5 = tree([11, 12, 13, 14, 15, 16], [12, 0, 14, 12, 14, 15]);
  const at25 = tree([13, 14, 15, 16, 19, 17, 20], [14, 0, 16, 14, 17, 16, 17]);

  it('finds added, removed and re-parented nodes by object id', () => {
    const d = diffRoot(at5, at25);
    expect(d.added).toEqual([19, 17, 20]);
    expect(d.removed).toEqual([11, 12]);
    // 13 keeps parent 14; 14 became the root; 15 and 16 swapped places (a rotation)
    expect(d.moved).toEqual([14, 15, 16]);
    expect(d.before).toBe(at5);
    expect(diffSummary(countDiff([d]), 1_204_000_000)).toBe('+3 −2 ~3 vs 1.204 s');
  });

  it('marks nothing between an instant and itself', () => {
    const d = diffRoot(at25, at25);
    expect(countDiff([d])).toEqual({ added: 0, removed: 0, moved: 0 });
    expect(nodeMarks(d).size).toBe(0);
  });

  it('marks each node once', () => {
    const m = nodeMarks(diffRoot(at5, at25));
    expect([...m]).toEqual([
      [19, 'added'], [17, 'added'], [20, 'added'], [14, 'moved'], [15, 'moved'], [16, 'moved'], [11, 'removed'], [12, 'removed'],
    ]);
  });

  it('falls back to key order when an instant recorded no shape', () => {
    const d = diffRoot(tree([1, 2, 3]), tree([2, 1, 3, 4], [0, 2, 2, 3]));
    expect(d.added).toEqual([4]);
    expect(d.moved).toHaveLength(1);
  });

  it('handles a root that appeared or went away since T', () => {
    const gone = diffRoot(at5, undefined);
    expect(gone.removed).toEqual(at5.nodes);
    expect(gone.added).toEqual([]);
    const fresh = diffRoot(undefined, at25);
    expect(fresh.added).toEqual(at25.nodes);
    expect(fresh.before).toBeUndefined();
  });
});

describe('diffRoot on lists', () => {
  it('popping the head and appending a tail moves nothing', () => {
    const d = diffRoot(list([1, 2, 3, 4]), list([2, 3, 4, 5]));
    expect(d).toMatchObject({ added: [5], removed: [1], moved: [] });
  });
  it('re-queueing one node moves exactly that node', () => {
    expect(diffRoot(list([1, 2, 3, 4, 5]), list([1, 3, 4, 5, 2])).moved).toEqual([2]);
    expect(diffRoot(list([1, 2, 3, 4, 5]), list([5, 1, 2, 3, 4])).moved).toEqual([5]);
  });
  it('a reversed list keeps one node in place and moves the rest', () => {
    expect(diffRoot(list([1, 2, 3, 4]), list([4, 3, 2, 1])).moved).toHaveLength(3);
  });
});

describe('diffRoots', () => {
  it('pairs roots by key, including ones gone since T', () => {
    const before = [tree([1, 2], [0, 1]), list([7, 8], '.data.gone')];
    const after = [tree([2, 3], [0, 2]), list([9], '.data.new')];
    const d = diffRoots(before, after);
    expect([...d.keys()]).toEqual(['.data.queue', '.data.new', '.data.gone']);
    expect(countDiff(d.values())).toEqual({ added: 2, removed: 3, moved: 1 });
  });
});

describe('chainWithGhosts', () => {
  it('puts removed list nodes back after the node that preceded them at T', () => {
    const d = diffRoot(list([1, 2, 3, 4, 5]), list([3, 5, 6]));
    const shown = chainWithGhosts(d, [3, 5, 6]);
    expect(shown.map((n) => (n.ghost ? `(${n.id})` : String(n.id))).join(' ')).toBe('(1) (2) 3 (4) 5 6');
  });
  it('shows the list as it is without a diff', () => {
    expect(chainWithGhosts(undefined, [1, 2])).toEqual([{ id: 1, ghost: false }, { id: 2, ghost: false }]);
  });
});
