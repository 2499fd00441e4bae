import { beforeAll, describe, expect, it } from 'vitest';
import { openObject } from './index';
import type { LoadedObject } from './object';
import { MapFlag, MapType } from './object';
import { fixtureBytes } from './testing/fixtures';
import { simKernel } from './testing/kernel';
import { decode } from './testing/insn';
import { POISON_HELPER_ID } from '../vm/abi';

let obj: LoadedObject;
let bytes: Uint8Array;
beforeAll(() => {
  bytes = fixtureBytes('sched');
  obj = openObject(bytes, { file: 'sched.bpf.o', kernel: simKernel() });
});

const prog = (name: string) => obj.programs.find((p) => p.name === name)!;
const mapNamed = (name: string) => obj.maps.find((m) => m.name === name)!;
const u64At = (b: Uint8Array, off: number) => new DataView(b.buffer, b.byteOffset).getBigUint64(off, true);

describe('openObject on a clang-built scheduler', () => {
  it('lists every entry program with its kind; non-struct_ops ones are reported but refused', () => {
    expect(obj.programs.map((p) => [p.name, p.kind, p.runnable])).toEqual([
      ['t_select_cpu', 'struct_ops', true],
      ['t_enqueue', 'struct_ops', true],
      ['t_running', 'struct_ops', true],
      ['t_dispatch', 'struct_ops', true],
      ['t_init', 'struct_ops.s', true],
      ['t_exit', 'struct_ops', true],
      ['not_runnable', 'tracing', false],
    ]);
    expect(prog('t_init').image.sleepable).toBe(true);
    expect(prog('not_runnable').refusal).toMatch(/^tp_btf\/sched_migrate_task: not attached: the simulator has no sched_migrate_task event/);
    expect(prog('t_enqueue').sourceFile).toMatch(/sched\.bpf\.c$/);
  });

  it('binds struct_ops members by name and reads the scalars the kernel accepts', () => {
    const [ops] = obj.structOps;
    expect(ops).toMatchObject({ name: 'loader_ops', section: '.struct_ops.link', kernelType: 'sched_ext_ops', opsName: 'loader_test' });
    expect(ops!.ops).toEqual({ select_cpu: 't_select_cpu', enqueue: 't_enqueue', dispatch: 't_dispatch', running: 't_running', init: 't_init', exit: 't_exit' });
    // SCX_OPS_ENQ_LAST is 1 << 1 in the uapi
    expect(ops!.scalars).toMatchObject({ timeout_ms: 5000n, dispatch_max_batch: 8n, flags: 2n });
    const map = obj.maps[ops!.mapIndex]!;
    expect(map).toMatchObject({ type: MapType.STRUCT_OPS, flags: MapFlag.LINK, origin: 'struct_ops' });
    expect(map.valueSize).toBe(simKernel().btf.sizeOf(simKernel().btf.findByName('sched_ext_ops', 'struct')!.id));
    // the value is laid out like the kernel's struct: data members at the kernel's offsets
    const kb = simKernel().btf;
    const value = new DataView(map.initialValue!.buffer, map.initialValue!.byteOffset);
    expect(map.initialValue!.length).toBe(map.valueSize);
    expect(value.getUint32(kb.memberPath('sched_ext_ops', 'timeout_ms').offset, true)).toBe(5000);
    const nameOff = kb.memberPath('sched_ext_ops', 'name').offset;
    expect(new TextDecoder().decode(map.initialValue!.subarray(nameOff, nameOff + 11))).toBe('loader_test');
    expect(value.getBigUint64(kb.memberPath('sched_ext_ops', 'enqueue').offset, true)).toBe(0n);
  });

  it('decodes BTF-defined maps, inner map templates and __array slots from .rel.maps', () => {
    expect(mapNamed('task_ctxs')).toMatchObject({ type: MapType.TASK_STORAGE, keySize: 4, valueSize: 16, flags: 1 });
    const outer = mapNamed('outer');
    expect(outer).toMatchObject({ type: MapType.ARRAY_OF_MAPS, maxEntries: 3, keySize: 4 });
    expect(outer.inner).toMatchObject({ type: MapType.ARRAY, maxEntries: 4, valueSize: 8 });
    expect(outer.initialSlots).toEqual([
      { slot: 0, mapName: 'inner_a' },
      { slot: 2, mapName: 'inner_b' },
    ]);
    expect(obj.maps.map((m) => m.index)).toEqual(obj.maps.map((_, i) => i));
  });

  it('makes global data sections one-entry arrays; .rodata read-only with its knobs and __SCX_* constants filled', () => {
    const ro = mapNamed('.rodata');
    expect(ro).toMatchObject({ type: MapType.ARRAY, keySize: 4, maxEntries: 1 });
    expect(ro.flags & MapFlag.RDONLY_PROG).toBeTruthy();
    const slice = obj.globals.find((g) => g.name === 'slice_ns')!;
    expect(slice).toMatchObject({ readonly: true, size: 8, typeName: 'const volatile u64' });
    expect(u64At(ro.initialValue!, slice.offset)).toBe(5000000n);
    // SCX_DSQ_LOCAL = SCX_DSQ_FLAG_BUILTIN | 2 (kernel/sched/ext.c)
    const local = obj.globals.find((g) => g.name === '__SCX_DSQ_LOCAL')!;
    expect(u64At(ro.initialValue!, local.offset)).toBe((1n << 63n) | 2n);
    expect(obj.globals.find((g) => g.name === 'nr_dispatched')).toMatchObject({ section: '.bss', readonly: false });
    expect(mapNamed('.bss').initialValue!.every((b) => b === 0)).toBe(true);
  });

  it('applies rodata overrides by variable name, and refuses unknown names', () => {
    const o = openObject(bytes, { file: 'sched.bpf.o', kernel: simKernel(), rodataOverrides: { slice_ns: 123n } });
    const ro = o.maps.find((m) => m.name === '.rodata')!;
    expect(u64At(ro.initialValue!, o.globals.find((g) => g.name === 'slice_ns')!.offset)).toBe(123n);
    expect(() => openObject(bytes, { file: 'sched.bpf.o', kernel: simKernel(), rodataOverrides: { nope: 1n } })).toThrow(/no read-only global named nope/);
  });

  it('fills .kconfig externs from the kernel', () => {
    const kc = mapNamed('.kconfig');
    const dv = new DataView(kc.initialValue!.buffer);
    const values = [dv.getUint32(0, true), dv.getUint32(4, true)];
    expect(values).toContain((6 << 16) + (19 << 8));
    expect(values).toContain(250);
  });

  it('resolves kfuncs by name to kernel BTF FUNC ids, leaving incompatible or missing weak ones unresolved', () => {
    const kbtf = simKernel().btf;
    const byName = Object.fromEntries(obj.kfuncs.map((k) => [k.name, k]));
    expect(byName['scx_bpf_select_cpu_dfl']).toMatchObject({ resolved: true, kfuncId: kbtf.findByName('scx_bpf_select_cpu_dfl', 'func')!.id });
    // libbpf strips the last ___suffix: ___v2___compat → scx_bpf_dsq_insert___v2, v6.19's bool form
    expect(byName['scx_bpf_dsq_insert___v2___compat']).toMatchObject({ kernelName: 'scx_bpf_dsq_insert___v2', resolved: true });
    // v6.19 keeps the void scx_bpf_dsq_insert beside the bool ___v2
    expect(byName['scx_bpf_dsq_insert___v1']).toMatchObject({ kernelName: 'scx_bpf_dsq_insert', weak: true, resolved: true });
    expect(byName['scx_bpf_not_in_kernel']).toMatchObject({ weak: true, resolved: false });
  });

  it('links calls: kfunc calls get src 2 + kernel id, unresolved weak ones are poisoned, bpf_ksym_exists reads 0/non-zero', () => {
    const img = prog('t_enqueue').image;
    const insns = decode(img.insns);
    const kfuncIds = new Set(obj.kfuncs.filter((k) => k.resolved).map((k) => k.kfuncId));
    const kcalls = insns.filter((i) => i.code === 0x85 && i.src === 2);
    expect(kcalls.length).toBeGreaterThan(0);
    for (const c of kcalls) expect(kfuncIds.has(c.imm)).toBe(true);
    const poisoned = insns.filter((i) => i.code === 0x85 && i.imm === POISON_HELPER_ID);
    expect(poisoned.map((i) => i.idx).sort()).toEqual([...img.poisoned.keys()].sort());
    expect([...img.poisoned.values()].join('\n')).toMatch(/scx_bpf_not_in_kernel/);
    const ksymLoads = insns.filter((i) => i.code === 0x18 && i.src === 0);
    const values = ksymLoads.map((i) => i.imm);
    expect(values).toContain(0); // bpf_ksym_exists(scx_bpf_not_in_kernel)
    expect(values.some((v) => kfuncIds.has(v))).toBe(true); // bpf_ksym_exists(scx_bpf_dsq_insert___v2___compat)
  });

  it('appends subprograms per entry program with func_info and line_info carried along', () => {
    const img = prog('t_enqueue').image;
    const names = img.funcInfo.map((f) => f.name);
    expect(names[0]).toBe('t_enqueue');
    expect(names).toContain('task_vtime');
    expect(names).toContain('node_less');
    const insns = decode(img.insns);
    const call = insns.find((i) => i.code === 0x85 && i.src === 1)!;
    expect(call.idx + call.imm + 1).toBe(img.funcInfo.find((f) => f.name === 'task_vtime')!.insn);
    const cb = insns.find((i) => i.code === 0x18 && i.src === 4)!;
    expect(cb.idx + cb.imm + 1).toBe(img.funcInfo.find((f) => f.name === 'node_less')!.insn);
    const subStart = img.funcInfo.find((f) => f.name === 'task_vtime')!.insn;
    const subLines = img.lineInfo.filter((l) => l.insn >= subStart);
    expect(subLines.some((l) => l.text.includes('BPF_CORE_READ(p, scx.dsq_vtime)'))).toBe(true);
    // t_select_cpu does not reach task_vtime: it gets no copy
    expect(prog('t_select_cpu').image.funcInfo.map((f) => f.name)).not.toContain('task_vtime');
  });

  it('turns map and global data references into ld_imm64 src 1/2 with map index and offset', () => {
    const insns = decode(prog('t_enqueue').image.insns);
    const bss = mapNamed('.bss');
    const nrEnq = obj.globals.find((g) => g.name === 'nr_enqueued')!;
    expect(insns.some((i) => i.code === 0x18 && i.src === 2 && i.imm === bss.index && i.imm2 === nrEnq.offset)).toBe(true);
    const q = mapNamed('.data.Q');
    expect(insns.some((i) => i.code === 0x18 && i.src === 2 && i.imm === q.index)).toBe(true);
    // a BTF-defined map passed to a helper: BPF_PSEUDO_MAP_FD with the map index
    const running = decode(prog('t_running').image.insns);
    expect(running.some((i) => i.code === 0x18 && i.src === 1 && i.imm === mapNamed('task_ctxs').index && i.imm2 === 0)).toBe(true);
    // a .kconfig extern: BPF_PSEUDO_MAP_VALUE into the .kconfig map
    const dispatch = decode(prog('t_dispatch').image.insns);
    expect(dispatch.some((i) => i.code === 0x18 && i.src === 2 && i.imm === mapNamed('.kconfig').index)).toBe(true);
  });

  it('relocates CO-RE against the kernel BTF and resolves bpf_core_type_id_local for bpf_obj_new', () => {
    const kbtf = simKernel().btf;
    const vt = obj.coreRelos.find((r) => r.access.includes('scx.dsq_vtime'))!;
    expect(vt).toMatchObject({ kind: 'byte_off', poisoned: false, targetValue: kbtf.memberPath('task_struct', 'scx.dsq_vtime').offset });
    const local = obj.coreRelos.find((r) => r.kind === 'local_type_id')!;
    expect(local.targetValue).toBe(obj.btf.findByName('node_data', 'struct')!.id);
  });
});

describe('objects without BTF (built without -g, like the VM benchmarks)', () => {
  it('load with their .text subprograms linked and global data as maps', () => {
    const o = openObject(fixtureBytes('btf_kinds', { debug: false }), { file: 'nobtf.bpf.o', kernel: simKernel() });
    expect(o.btf.count).toBe(1);
    const p = o.programs.find((x) => x.name === 'use_all')!;
    expect(p.image.funcInfo.map((f) => f.name)).toEqual(['use_all', 'helper_fn']);
    const insns = decode(p.image.insns);
    const call = insns.find((i) => i.code === 0x85 && i.src === 1)!;
    expect(call.idx + call.imm + 1).toBe(p.image.funcInfo[1]!.insn);
    const data = o.maps.find((m) => m.name === '.data.every')!;
    expect(insns.some((i) => i.code === 0x18 && i.src === 2 && i.imm === data.index)).toBe(true);
    expect(p.image.lineInfo).toEqual([]);
  });
});
