import { describe, expect, it } from 'vitest';
import { BpfFault } from '../vm/fault';
import { ENGINES, lineOf, loadProgram } from './testing/harness';

const line = (mark: string) => lineOf('diag', `MARK:${mark}`);

describe.each(ENGINES)('ownership diagnostics (%s)', (engine) => {
  it('leak: a program that returns still owning an object (verifier: Unreleased reference)', () => {
    const p = loadProgram('diag', engine);
    p.run('leak');
    const [d, ...rest] = p.rt.diagnostics();
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ kind: 'leak', program: 'leak', line: line('leak') });
    // A correct run adds nothing; the same leak again is counted, listed once.
    p.run('good_remove');
    expect(p.rt.diagnostics()).toHaveLength(1);
    p.run('leak');
    expect(p.rt.diagnostics()).toHaveLength(1);
    expect(p.rt.core.diagnosticCount(d!)).toBe(2);
    expect(p.host.ofKind('diagnostic')).toHaveLength(2);
  });

  it('use after free: reading an object after bpf_obj_drop faults and names the line', () => {
    const p = loadProgram('diag', engine);
    expect(() => p.run('use_after_free')).toThrow(BpfFault);
    const [d, ...rest] = p.rt.diagnostics();
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ kind: 'use_after_free', program: 'use_after_free', line: line('uaf') });
  });

  it('invalidated reference: using a node after bpf_spin_unlock ended its non-owning reference', () => {
    const p = loadProgram('diag', engine);
    p.run('remove_after_unlock');
    const ds = p.rt.diagnostics();
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ kind: 'invalidated_ref', line: line('after_unlock') });
    expect(ds[0]!.message).toMatch(/bpf_spin_unlock/);
  });

  it('invalidated reference (fault mode): reading a node after bpf_spin_unlock faults at the reading line', () => {
    const p = loadProgram('diag', engine, undefined, { invalidatedAccess: 'fault' });
    expect(() => p.run('read_after_unlock')).toThrow(BpfFault);
    const ds = p.rt.diagnostics();
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ kind: 'invalidated_ref', program: 'read_after_unlock', line: line('read_after_unlock') });
    // The write under the lock went through; later runs reach the node normally.
    expect(p.run('first_key')).toBe(5n);
    expect(p.rt.diagnostics()).toHaveLength(1);
  });

  it('invalidated reference (report mode, the default): the run goes on and the diagnostic names the reading line, as the verifier does', () => {
    const p = loadProgram('diag', engine);
    expect(p.run('read_after_unlock')).toBe(5n);
    const ds = p.rt.diagnostics();
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ kind: 'invalidated_ref', program: 'read_after_unlock', line: line('read_after_unlock') });
    expect(ds[0]!.message).toContain(`bpf_spin_unlock on line ${line('unlock_before_read')}`);
    expect(p.run('first_key')).toBe(5n);
    expect(p.rt.diagnostics()).toHaveLength(1);
  });

  it('a less() callback may read a node whose reference ended at an earlier unlock of the same run', () => {
    const p = loadProgram('diag', engine);
    expect(p.run('add_two', 9, 6)).toBe(0n);
    expect(p.run('first_key')).toBe(6n);
    expect(p.rt.diagnostics()).toEqual([]);
  });

  it('invalidated reference: dropping a node the program handed to a tree (under the lock, which the verifier also refuses)', () => {
    const p = loadProgram('diag', engine);
    p.run('drop_after_add');
    const ds = p.rt.diagnostics();
    expect(ds.map((d) => [d.kind, d.line]).sort()).toEqual([
      ['call_under_lock', line('after_add')],
      ['invalidated_ref', line('after_add')],
    ]);
    // The runtime did not drop it: the tree still owns it.
    expect(p.rt.heapObjects()[0]!.owner).toEqual({ kind: 'rb_root', root: '.data.T.root' });
  });

  it('invalidated reference: stashing a non-owning reference with bpf_kptr_xchg', () => {
    const p = loadProgram('diag', engine);
    p.run('add_two', 1, 2);
    expect(() => p.run('stash_nonowning')).toThrow(BpfFault);
    const ds = p.rt.diagnostics();
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ kind: 'invalidated_ref', line: line('stash_nonowning') });
    expect(p.rt.roots().find((r) => r.key === '.data.T.root')!.nodes).toHaveLength(2);
  });

  it('lock not held: a root operation without the bpf_spin_lock guarding the root', () => {
    const p = loadProgram('diag', engine);
    p.run('add_without_lock');
    const ds = p.rt.diagnostics();
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ kind: 'lock_not_held', line: line('nolock') });
  });

  it('double add: adding a node already in a tree drops the reference and returns -EINVAL', () => {
    const p = loadProgram('diag', engine);
    expect(p.run('double_add')).toBe(-22n);
    const ds = p.rt.diagnostics();
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ kind: 'double_add', line: line('double') });
    const [obj] = p.rt.heapObjects();
    expect(obj!.refcount).toBe(1);
    expect(obj!.owner).toEqual({ kind: 'rb_root', root: '.data.T.root' });
  });

  it('task reference leak: bpf_task_acquire without bpf_task_release', () => {
    const p = loadProgram('diag', engine);
    const task = p.rt.space.alloc('kernel', 'task_struct pid 7', 256);
    const ptr = p.rt.space.pointer(task, 0);
    expect(p.run('good_task', ptr)).toBe(0n);
    expect(p.rt.diagnostics()).toEqual([]);
    expect(p.run('task_leak', ptr)).toBe(0n);
    const ds = p.rt.diagnostics();
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ kind: 'task_ref_leak', line: line('task_leak') });
  });

  it('the correct pattern with a second owning reference is not reported', () => {
    const p = loadProgram('diag', engine);
    expect(p.run('good_remove')).toBe(0n);
    expect(p.rt.diagnostics()).toEqual([]);
    expect(p.rt.heapObjects()).toEqual([]);
  });
});
