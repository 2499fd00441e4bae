// Checks the single definition of the simulated kernel's types
// (assets/include/vmlinux.h) as it reaches its two consumers: the kernel BTF
// (assets/kernel/kernel.bpf.o) that CO-RE, kfunc resolution and struct_ops
// matching run against, and the example schedulers that include it.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Btf } from '../../sched_ext/btf/btf';
import type { BtfType, EnumType, FuncProtoType } from '../../sched_ext/btf/types';
import { ElfFile, STB } from '../../sched_ext/elf/elf';
import { KFUNC_RELEASES, kfuncInRelease } from './kfunc_releases';

// The values of include/linux/sched/ext.h and kernel/sched/ext_internal.h
// (v6.19 and the flags added after it), written out independently of the
// header so a typo in either shows.
const DSQ_FLAG_BUILTIN = 1n << 63n;
const DSQ_INVALID = DSQ_FLAG_BUILTIN;
const DSQ_GLOBAL = DSQ_FLAG_BUILTIN | 1n;
const DSQ_LOCAL = DSQ_FLAG_BUILTIN | 2n;
const DSQ_LOCAL_ON = DSQ_FLAG_BUILTIN | (1n << 62n);
const SLICE_DFL = 20_000_000n;
const SLICE_INF = (1n << 64n) - 1n;
const EnqFlag = { WAKEUP: 1n, HEAD: 1n << 4n, CPU_SELECTED: 1n << 10n, PREEMPT: 1n << 32n, IMMED: 1n << 33n, REENQ: 1n << 40n, LAST: 1n << 41n, DSQ_PRIQ: 1n << 57n };
const DeqFlag = { SLEEP: 1n, CORE_SCHED_EXEC: 1n << 32n, SCHED_CHANGE: 1n << 33n };
const OpsFlag = {
  KEEP_BUILTIN_IDLE: 1n, ENQ_LAST: 2n, ENQ_EXITING: 4n, SWITCH_PARTIAL: 8n, ENQ_MIGRATION_DISABLED: 16n,
  ALLOW_QUEUED_WAKEUP: 32n, BUILTIN_IDLE_PER_NODE: 64n, HAS_CGROUP_WEIGHT: 1n << 16n,
};
const OPS_ALL_FLAGS = Object.values(OpsFlag).reduce((a, b) => a | b, 0n);

const ROOT = join(import.meta.dirname, '..', '..', '..');
const KERNEL_OBJ = join(ROOT, 'assets/kernel/kernel.bpf.o');
const SCHEDULERS = ['fifo', 'vtime', 'rbtree', 'list', 'cgweight', 'qmap'] as const;
/** Deliberately broken demos (assets/schedulers/buggy/): they must still build and bind like the others. */
const BUGGY = ['buggy/lost_task', 'buggy/bad_dsq', 'buggy/leak'] as const;

/** Every kfunc the simulated kernel offers in some release (kernel.bpf.c defines one stub per name; kfunc_releases.ts says which releases). */
const KFUNCS = [...KFUNC_RELEASES.keys()];
/** The default (v6.19) kernel's. */
const KFUNCS_619 = KFUNCS.filter((n) => kfuncInRelease(n, '6.19'));

function loadObject(path: string): { elf: ElfFile; btf: Btf } {
  const elf = ElfFile.parse(new Uint8Array(readFileSync(path)), path);
  const section = elf.section('.BTF');
  if (section === undefined) throw new Error(`${path} has no .BTF`);
  return { elf, btf: Btf.parse(section.data) };
}

const kernel = loadObject(KERNEL_OBJ).btf;

function funcProto(btf: Btf, name: string): FuncProtoType {
  const fn = btf.findByName(name, 'func');
  if (fn?.kind !== 'func') throw new Error(`no FUNC ${name}`);
  const proto = btf.type(fn.type);
  if (proto.kind !== 'func_proto') throw new Error(`FUNC ${name} has no FUNC_PROTO`);
  return proto;
}

function enumValue(btf: Btf, enumName: string, name: string): bigint {
  const t = btf.findByName(enumName, 'enum64') ?? btf.findByName(enumName, 'enum');
  const e = t as EnumType | undefined;
  const v = e?.values.find((x) => x.name === name);
  if (v === undefined) throw new Error(`no ${name} in enum ${enumName}`);
  return BigInt.asUintN(e!.size * 8, v.value);
}

/** C spelling of a BTF type, for readable prototype assertions. */
const c = (id: number): string => kernel.cName(id);

describe('kernel BTF (assets/kernel/kernel.bpf.o)', () => {
  it('has a FUNC with a FUNC_PROTO for every kfunc the simulated kernel offers', () => {
    const missing = KFUNCS_619.filter((name) => kernel.findAllByName(name, 'func').length !== 1);
    expect(missing).toEqual([]);
  });

  it('has no FUNC that is not a kfunc, so every FUNC id is a kfunc id', () => {
    const funcs = kernel.types.filter((t: BtfType) => t.kind === 'func').map((t) => t.name);
    expect(funcs.filter((n) => !KFUNCS_619.includes(n))).toEqual([]);
    expect(funcs.length).toBe(KFUNCS_619.length);
  });

  it('gives kfuncs the kernel prototypes, with the parameter names the verifier reads', () => {
    // v6.19: the bool form is scx_bpf_dsq_insert___v2; scx_bpf_dsq_insert stays void.
    const insert = funcProto(kernel, 'scx_bpf_dsq_insert___v2');
    expect(c(insert.type)).toBe('bool');
    expect(insert.params.map((p) => [c(p.type), p.name])).toEqual([
      ['struct task_struct *', 'p'], ['u64', 'dsq_id'], ['u64', 'slice'], ['u64', 'enq_flags'],
    ]);
    expect(c(funcProto(kernel, 'scx_bpf_dsq_insert').type)).toBe('void');
    expect(funcProto(kernel, 'scx_bpf_dsq_move_to_local').params.map((p) => p.name)).toEqual(['dsq_id']);
    expect(funcProto(kernel, 'scx_bpf_dsq_move').params.map((p) => p.name)).toEqual(['it__iter', 'p', 'dsq_id', 'enq_flags']);
    expect(funcProto(kernel, 'scx_bpf_error_bstr').params.map((p) => p.name)).toEqual(['fmt', 'data', 'data__sz']);
    expect(funcProto(kernel, 'scx_bpf_exit_bstr').params.map((p) => p.name)).toEqual(['exit_code', 'fmt', 'data', 'data__sz']);
    expect(funcProto(kernel, 'bpf_obj_new_impl').params.map((p) => p.name)).toEqual(['local_type_id__k', 'meta__ign']);
    expect(funcProto(kernel, 'bpf_obj_drop_impl').params.map((p) => p.name)).toEqual(['p__alloc', 'meta__ign']);
    expect(funcProto(kernel, 'scx_bpf_select_cpu_dfl').params).toHaveLength(4);

    // v6.11 bit iterator; v6.15 NUMA idle kfuncs and event counters
    const proto = (name: string) => {
      const f = funcProto(kernel, name);
      return [c(f.type), ...f.params.map((p) => `${c(p.type)} ${p.name}`)];
    };
    expect(proto('bpf_iter_bits_new')).toEqual(['int', 'struct bpf_iter_bits * it', 'const u64 * unsafe_ptr__ign', 'u32 nr_words']);
    expect(proto('bpf_iter_bits_next')).toEqual(['int *', 'struct bpf_iter_bits * it']);
    expect(proto('bpf_iter_bits_destroy')).toEqual(['void', 'struct bpf_iter_bits * it']);
    expect(proto('scx_bpf_events')).toEqual(['void', 'struct scx_event_stats * events', 'size_t events__sz']);
    expect(proto('scx_bpf_nr_node_ids')).toEqual(['u32']);
    expect(proto('scx_bpf_cpu_node')).toEqual(['int', 's32 cpu']);
    expect(proto('scx_bpf_get_idle_cpumask_node')).toEqual(['const struct cpumask *', 'int node']);
    expect(proto('scx_bpf_get_idle_smtmask_node')).toEqual(['const struct cpumask *', 'int node']);
    expect(proto('scx_bpf_pick_idle_cpu_node')).toEqual(['s32', 'const struct cpumask * cpus_allowed', 'int node', 'u64 flags']);
    expect(proto('scx_bpf_pick_any_cpu_node')).toEqual(['s32', 'const struct cpumask * cpus_allowed', 'int node', 'u64 flags']);

    // bpf_rbtree_add_impl's third argument is the `less` callback.
    const add = funcProto(kernel, 'bpf_rbtree_add_impl');
    expect(add.params.map((p) => p.name)).toEqual(['root', 'node', 'less', 'meta__ign', 'off']);
    const less = kernel.resolve(add.params[2]!.type);
    expect(less.kind).toBe('ptr');
    expect(kernel.resolve((less as { type: number }).type).kind).toBe('func_proto');
  });

  it('lays out struct sched_ext_ops in the kernel order: ops, then data members, name[128] last', () => {
    const ops = kernel.composite(kernel.findByName('sched_ext_ops', 'struct')!.id)!;
    const names = ops.members.map((m) => m.name);
    expect(names.slice(0, 4)).toEqual(['select_cpu', 'enqueue', 'dequeue', 'dispatch']);
    expect(names.indexOf('cpu_online')).toBeGreaterThan(names.indexOf('cgroup_set_idle'));
    expect(names.slice(-9)).toEqual([
      'cpu_offline', 'init', 'exit', 'dispatch_max_batch', 'flags', 'timeout_ms', 'exit_dump_len', 'hotplug_seq', 'name',
    ]);
    const name = kernel.resolve(ops.members.at(-1)!.type);
    expect(name.kind === 'array' && name.nelems).toBe(128);
    // Every member before the data members is a function pointer (8 bytes each).
    const firstData = names.indexOf('dispatch_max_batch');
    expect(ops.members[firstData]!.bitOffset).toBe(firstData * 64);
  });

  it('defines the fields schedulers read and write, under their kernel names', () => {
    for (const path of [
      'pid', 'tgid', 'comm', 'flags', 'prio', 'static_prio', 'normal_prio', 'policy', 'cpus_ptr', 'cpus_mask',
      'nr_cpus_allowed', 'migration_disabled', 'real_parent', 'cgroups', 'se.sum_exec_runtime',
      'scx.dsq', 'scx.dsq_list', 'scx.runnable_node', 'scx.runnable_at', 'scx.core_sched_at', 'scx.ddsp_dsq_id',
      'scx.ddsp_enq_flags', 'scx.flags', 'scx.weight', 'scx.sticky_cpu', 'scx.holding_cpu', 'scx.kf_mask',
      'scx.kf_tasks', 'scx.ops_state', 'scx.dsq_vtime', 'scx.slice', 'scx.disallow',
    ]) {
      expect(() => kernel.memberPath('task_struct', path), path).not.toThrow();
    }
    expect(kernel.memberPath('task_struct', 'comm').size).toBe(16);
    expect(kernel.memberPath('task_struct', 'scx.dsq_vtime').size).toBe(8);
    expect(kernel.memberPath('task_struct', 'scx.slice').size).toBe(8);
    expect(kernel.memberPath('task_struct', 'scx.weight').size).toBe(4);
    expect(kernel.memberPath('cgroup', 'level').size).toBe(4);
    expect(kernel.memberPath('cgroup', 'kn').size).toBe(8);
    expect(kernel.memberPath('kernfs_node', 'id').size).toBe(8);
    expect(kernel.memberPath('scx_exit_info', 'kind').offset).toBe(0);
    for (const path of ['exit_code', 'reason', 'bt', 'bt_len', 'msg', 'dump']) {
      expect(() => kernel.memberPath('scx_exit_info', path), path).not.toThrow();
    }
  });

  it('sizes the BPF special types like include/uapi/linux/bpf.h', () => {
    const size = (name: string): number => kernel.sizeOf(kernel.findByName(name, 'struct')!.id);
    expect(size('bpf_spin_lock')).toBe(4);
    expect(size('bpf_rb_root')).toBe(16);
    expect(size('bpf_rb_node')).toBe(32);
    expect(size('bpf_list_head')).toBe(16);
    expect(size('bpf_list_node')).toBe(24);
    expect(size('bpf_refcount')).toBe(4);
    expect(size('bpf_timer')).toBe(16);
    expect(size('bpf_iter_num')).toBe(8);
    expect(size('bpf_iter_scx_dsq')).toBe(48);
    expect(size('bpf_iter_bits')).toBe(16);
    expect(size('cpumask')).toBe(32);
  });

  it('carries the enums with the kernel values', () => {
    expect(enumValue(kernel, 'scx_dsq_id_flags', 'SCX_DSQ_FLAG_BUILTIN')).toBe(1n << 63n);
    expect(enumValue(kernel, 'scx_dsq_id_flags', 'SCX_DSQ_FLAG_LOCAL_ON')).toBe(1n << 62n);
    expect(enumValue(kernel, 'scx_dsq_id_flags', 'SCX_DSQ_INVALID')).toBe(DSQ_INVALID);
    expect(enumValue(kernel, 'scx_dsq_id_flags', 'SCX_DSQ_GLOBAL')).toBe(DSQ_GLOBAL);
    expect(enumValue(kernel, 'scx_dsq_id_flags', 'SCX_DSQ_LOCAL')).toBe(DSQ_LOCAL);
    expect(enumValue(kernel, 'scx_dsq_id_flags', 'SCX_DSQ_LOCAL_ON')).toBe(DSQ_LOCAL_ON);
    expect(enumValue(kernel, 'scx_dsq_id_flags', 'SCX_DSQ_LOCAL_CPU_MASK')).toBe(0xffffffffn);
    expect(enumValue(kernel, 'scx_public_consts', 'SCX_SLICE_DFL')).toBe(SLICE_DFL);
    expect(enumValue(kernel, 'scx_public_consts', 'SCX_SLICE_INF')).toBe(SLICE_INF);
    expect(enumValue(kernel, 'scx_public_consts', 'SCX_OPS_NAME_LEN')).toBe(128n);
    for (const [name, value] of Object.entries(EnqFlag)) {
      expect(enumValue(kernel, 'scx_enq_flags', `SCX_ENQ_${name}`), name).toBe(value);
    }
    for (const [name, value] of Object.entries(DeqFlag)) {
      expect(enumValue(kernel, 'scx_deq_flags', `SCX_DEQ_${name}`), name).toBe(value);
    }
    for (const [name, value] of Object.entries(OpsFlag)) {
      expect(enumValue(kernel, 'scx_ops_flags', `SCX_OPS_${name}`), name).toBe(value);
    }
    expect(enumValue(kernel, 'scx_ops_flags', 'SCX_OPS_ALL_FLAGS')).toBe(OPS_ALL_FLAGS);
    expect(enumValue(kernel, 'scx_kick_flags', 'SCX_KICK_WAIT')).toBe(4n);
    expect(enumValue(kernel, 'scx_exit_kind', 'SCX_EXIT_ERROR_BPF')).toBe(1025n);
    expect(enumValue(kernel, 'scx_exit_kind', 'SCX_EXIT_UNREG_BPF')).toBe(65n);
    expect(enumValue(kernel, 'scx_pick_idle_cpu_flags', 'SCX_PICK_IDLE_CORE')).toBe(1n);
    expect(enumValue(kernel, 'scx_cpu_preempt_reason', 'SCX_CPU_PREEMPT_UNKNOWN')).toBe(3n);
    expect(enumValue(kernel, 'scx_ent_flags', 'SCX_TASK_QUEUED')).toBe(1n);
    // kernel/sched/sched.h: the __SCX_RQ_* constants of upstream headers are filled from these
    const rq = { ONLINE: 1n, CAN_STOP_TICK: 2n, BAL_PENDING: 4n, BAL_KEEP: 8n, BYPASSING: 16n, CLK_VALID: 32n, BAL_CB_PENDING: 64n, IN_WAKEUP: 1n << 16n, IN_BALANCE: 1n << 17n };
    for (const [name, value] of Object.entries(rq)) {
      expect(enumValue(kernel, 'scx_rq_flags', `SCX_RQ_${name}`), name).toBe(value);
    }
  });

  it('lays out struct scx_event_stats as kernel/sched/ext_internal.h: s64 counters in kernel order', () => {
    const st = kernel.composite(kernel.findByName('scx_event_stats', 'struct')!.id)!;
    expect(st.members.map((m) => [m.name, m.bitOffset / 8, c(m.type)])).toEqual([
      'SCX_EV_SELECT_CPU_FALLBACK', 'SCX_EV_DISPATCH_LOCAL_DSQ_OFFLINE', 'SCX_EV_DISPATCH_KEEP_LAST',
      'SCX_EV_ENQ_SKIP_EXITING', 'SCX_EV_ENQ_SKIP_MIGRATION_DISABLED', 'SCX_EV_REFILL_SLICE_DFL',
      'SCX_EV_BYPASS_DURATION', 'SCX_EV_BYPASS_DISPATCH', 'SCX_EV_BYPASS_ACTIVATE',
    ].map((n, i) => [n, i * 8, 's64']));
    expect(kernel.sizeOf(st.id)).toBe(72);
  });
});

describe('kernel BTF variants for older releases (SCXRAY_KERNEL_VERSION)', () => {
  const v613 = loadObject(join(ROOT, 'assets/kernel/kernel_v6_13.bpf.o')).btf;
  const v612 = loadObject(join(ROOT, 'assets/kernel/kernel_v6_12.bpf.o')).btf;
  const funcs = (btf: Btf): string[] => btf.types.filter((t) => t.kind === 'func').map((t) => t.name);

  it('v6.13 has the renamed kfuncs, scx_bpf_dsq_insert returning void, and no scx_bpf_now', () => {
    expect(v613.cName(funcProto(v613, 'scx_bpf_dsq_insert').type)).toBe('void');
    expect(funcs(v613)).toContain('scx_bpf_dsq_move_to_local');
    expect(funcs(v613)).not.toContain('scx_bpf_now');
    expect(funcs(v613)).not.toContain('scx_bpf_dsq_peek');
    // v6.15 additions are not in the v6.13 BTF; the v6.11 bit iterator is
    for (const name of ['scx_bpf_events', 'scx_bpf_cpu_node', 'scx_bpf_pick_idle_cpu_node', 'scx_bpf_nr_node_ids']) {
      expect(funcs(v613), name).not.toContain(name);
      expect(funcs(kernel), name).toContain(name);
    }
    expect(funcs(v613)).toContain('bpf_iter_bits_new');
    expect(funcs(v612)).toContain('bpf_iter_bits_next');
  });

  it('v6.12 has only the original names (scx_bpf_dispatch, scx_bpf_consume)', () => {
    expect(funcs(v612)).toContain('scx_bpf_dispatch');
    expect(funcs(v612)).toContain('scx_bpf_consume');
    expect(funcs(v612)).toContain('scx_bpf_dispatch_from_dsq');
    expect(funcs(v612)).not.toContain('scx_bpf_dsq_insert');
    expect(funcs(v612)).not.toContain('scx_bpf_dsq_move_to_local');
  });

  it('every variant offers only kfuncs of the full list and the same types', () => {
    for (const btf of [v612, v613]) {
      expect(funcs(btf).filter((n) => !KFUNCS.includes(n))).toEqual([]);
      expect(funcs(btf)).not.toContain('bpf_res_spin_lock');
      expect(btf.memberPath('task_struct', 'scx.dsq_vtime').offset).toBe(kernel.memberPath('task_struct', 'scx.dsq_vtime').offset);
    }
  });
});

describe('example schedulers (assets/schedulers/*.bpf.o)', () => {
  for (const name of [...SCHEDULERS, ...BUGGY]) {
    describe(name, () => {
      const { elf, btf } = loadObject(join(ROOT, `assets/schedulers/${name}.bpf.o`));

      it('has a .struct_ops.link map whose type is the kernel\'s struct sched_ext_ops', () => {
        expect(elf.section('.struct_ops.link')).toBeDefined();
        const sec = btf.findByName('.struct_ops.link', 'datasec');
        expect(sec?.kind).toBe('datasec');
        const vars = sec!.kind === 'datasec' ? sec!.vars : [];
        expect(vars).toHaveLength(1);
        const value = btf.resolveVar(vars[0]!.type);
        expect(value.name).toBe('sched_ext_ops');
      });

      it('implements its ops as struct_ops programs bound by relocation', () => {
        const programs = elf.sections.filter((s) => s.name.startsWith('struct_ops/') || s.name.startsWith('struct_ops.s/'));
        expect(programs.length).toBeGreaterThanOrEqual(1);
        const link = elf.section('.struct_ops.link')!;
        const bound = elf.relocsFor(link.index).map((r) => r.symbol.name).sort();
        expect(bound).toEqual(programs.map((s) => s.name.slice(s.name.indexOf('/') + 1)).sort());
      });

      it('calls only kfuncs some release of the kernel BTF defines (after dropping ___suffixes, as the loader does)', () => {
        const ksyms = btf.findByName('.ksyms', 'datasec');
        const externs = ksyms?.kind === 'datasec' ? ksyms.vars.map((v) => btf.type(v.type).name) : [];
        expect(externs.length).toBeGreaterThan(0);
        // libbpf strips the last suffix (foo___v2___compat -> foo___v2); the loader also tries the name before the first
        const known = (n: string) => KFUNC_RELEASES.has(n.replace(/___(?!.*___).*$/, '')) || KFUNC_RELEASES.has(n.replace(/___.*$/, ''));
        expect(externs.filter((n) => !known(n))).toEqual([]);
      });

      it('reads every __SCX_* constant from a kernel enumerator of the same name', () => {
        const consts = elf.symbols.filter((s) => s.name.startsWith('__SCX_'));
        expect(consts.length).toBeGreaterThan(0);
        expect(consts.every((s) => s.bind === STB.WEAK)).toBe(true);
        expect(elf.sections[consts[0]!.shndx]!.name).toBe('.rodata');
        const enumerators = new Set(
          kernel.types.flatMap((t) => (t.kind === 'enum' || t.kind === 'enum64' ? t.values.map((v) => v.name) : [])),
        );
        expect(consts.map((s) => s.name.slice(2)).filter((n) => !enumerators.has(n))).toEqual([]);
      });
    });
  }

  it('rbtree stashes a kptr and keeps its queue in an rb root that names its node type', () => {
    const { btf } = loadObject(join(ROOT, 'assets/schedulers/rbtree.bpf.o'));
    const stash = btf.findByName('task_stash', 'struct');
    const field = btf.composite(stash!.id)!.members[0]!;
    expect(btf.typeTags(field.type)).toContain('kptr');
    const queue = btf.findByName('queue', 'var');
    expect(btf.declTags(queue!.id)).toContain('contains:task_node:rb');
  });

  it('list keeps bpf_list_head in a map value next to its lock', () => {
    const { btf } = loadObject(join(ROOT, 'assets/schedulers/list.bpf.o'));
    const lq = btf.findByName('level_queue', 'struct');
    const members = btf.composite(lq!.id)!.members;
    expect(members.map((m) => m.name)).toEqual(['lock', 'tasks', 'nr_queued']);
    expect(btf.declTags(lq!.id, 1)).toEqual(['contains:queued_task:node']);
  });

  const clang = spawnSync('clang-19', ['--version']);
  it.skipIf(clang.error !== undefined || clang.status !== 0)(
    'committed objects are what the committed sources build to (npm run build:bpf -- --check)',
    () => {
      const check = spawnSync(process.execPath, [join(ROOT, 'scripts/build-bpf.mjs'), '--check'], { encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
    },
  );
});

describe('cgweight (assets/schedulers/cgweight.bpf.o)', () => {
  const { elf, btf } = loadObject(join(ROOT, 'assets/schedulers/cgweight.bpf.o'));

  it('implements the cgroup ops it needs, cgroup_init as a sleepable program', () => {
    const names = elf.sections.map((s) => s.name);
    expect(names).toContain('struct_ops.s/cgweight_cgroup_init');
    for (const op of ['cgroup_exit', 'cgroup_move', 'cgroup_set_weight']) {
      expect(names).toContain(`struct_ops/cgweight_${op}`);
    }
  });

  it('stashes each cgroup\'s rbtree node as a kptr in a hash map value', () => {
    const ctx = btf.composite(btf.findByName('cgrp_ctx', 'struct')!.id)!;
    const node = ctx.members.find((m) => m.name === 'node')!;
    expect(btf.typeTags(node.type)).toContain('kptr');
    expect(btf.declTags(btf.findByName('cgv_tree', 'var')!.id)).toContain('contains:cgv_node:rb');
  });
});
