import { describe, expect, it } from 'vitest';
import { formatHeap } from './format_heap';
import { loadProgram } from './testing/harness';

describe('formatHeap', () => {
  it('lists live objects by owner with their fields and allocation line, and graph roots in order', () => {
    const p = loadProgram('rbtree', 'interp');
    p.run('add', 30, 0);
    p.run('add', 10, 1);
    p.run('tree_and_list', 5);
    const text = formatHeap(p.rt);
    expect(text).toMatch(/^heap: 3 live objects$/m);
    expect(text).toMatch(/^ {2}rbtree \.data\.A\.aroot: 2$/m);
    expect(text).toMatch(/^ {2}shared \(2 refs\): 1$/m);
    expect(text).toMatch(/obj \d+ struct node_data \(48 B\) \{key=10 seq=1\} from add:\d+/);
    expect(text).toMatch(/refcount=2/);
    // In tree order: key 10 before key 30.
    expect(text.indexOf('key=10')).toBeLessThan(text.indexOf('key=30'));
    expect(text).toMatch(/^ {2}rbtree \.data\.A\.aroot: \[obj 2, obj 1\]$/m);
  });

  it('says so when the heap is empty', () => {
    const p = loadProgram('rbtree', 'interp');
    expect(formatHeap(p.rt)).toBe('heap: 0 live objects');
  });
});
