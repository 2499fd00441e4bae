import { describe, expect, it } from 'vitest';
import { ENGINES, loadProgram } from './testing/harness';

describe.each(ENGINES)('list kfuncs (%s)', (engine) => {
  it('pushes front and back and pops in list order', () => {
    const p = loadProgram('list', engine);
    // back 1, back 2, front 3, back 4, front 5  →  5 3 1 2 4
    for (const [v, back] of [[1, 1], [2, 1], [3, 0], [4, 1], [5, 0]]) expect(p.run('push', v!, back!)).toBe(0n);
    const root = p.rt.roots().find((r) => r.key === '.data.L.head')!;
    expect(root.nodes.map((id) => p.rt.heapObjects().find((o) => o.id === id)!.fields.v)).toEqual(['5', '3', '1', '2', '4']);
    expect(p.run('peek', 0)).toBe(5n);
    expect(p.run('peek', 1)).toBe(4n);
    expect(p.run('pop', 0)).toBe(5n);
    expect(p.run('pop', 1)).toBe(4n);
    expect(p.run('pop', 0)).toBe(3n);
    expect(p.run('pop', 0)).toBe(1n);
    expect(p.run('pop', 1)).toBe(2n);
    expect(p.run('pop', 0)).toBe(-1n);
    expect(p.run('peek', 1)).toBe(-1n);
    expect(p.rt.heapObjects()).toEqual([]);
    expect(p.rt.diagnostics()).toEqual([]);
  });

  it('records the list position of each push for replay', () => {
    const p = loadProgram('list', engine);
    p.run('push', 1, 1);
    p.run('push', 2, 1);
    p.run('push', 3, 0);
    const toList = p.host.ofKind('obj_owner').filter((e) => e.to.kind === 'list_head');
    expect(toList.map((e) => e.at)).toEqual([0, 1, 0]);
  });
});
