// BPF_PROG_TEST_RUN of a SEC("syscall") program, as a scheduler's user space
// runs bpfland's enable_primary_cpu: the context struct is copied in, the
// program gets a pointer to it in r1, runs once, and the context is copied
// back out with the return value (kernel bpf_prog_test_run_syscall).

import type { Btf } from '../../sched_ext/btf/btf';
import type { LoadedObject } from '../../sched_ext/loader/object';
import type { BpfRuntime } from '../../sched_ext/runtime/runtime';
import type { LoadedProgram } from '../../sched_ext/vm/abi';
import { TypedValueError } from '../../sched_ext/btf/typed_value';

/** Largest context the kernel accepts (ctx_size_in ≤ U16_MAX). */
const MAX_CTX = 0xffff;

/** The BTF type id of a syscall program's context (the pointee of its first parameter), or 0 when it takes none. */
export function syscallCtxType(btf: Btf, program: string): number {
  const fn = btf.findByName(program, 'func');
  if (fn === undefined || fn.kind !== 'func') return 0;
  const proto = btf.type(fn.type);
  if (proto.kind !== 'func_proto' || proto.params.length === 0) return 0;
  const p = btf.resolve(proto.params[0]!.type);
  return p.kind === 'ptr' ? p.type : 0;
}

export class SyscallRunner {
  private readonly loaded = new Map<string, LoadedProgram>();

  constructor(
    private readonly object: LoadedObject,
    private readonly runtime: BpfRuntime,
  ) {}

  run(program: string, ctx: Uint8Array): { retval: bigint; ctx: Uint8Array } {
    const label = `skel.progs.${program}.testRun`;
    const info = this.object.programs.find((p) => p.name === program);
    if (info === undefined) throw new TypedValueError(label, `no program ${program}`);
    if (info.kind !== 'syscall') throw new TypedValueError(label, `${program} is a ${info.section} program; only SEC("syscall") programs can be test-run from user space`);
    if (ctx.length > MAX_CTX) throw new TypedValueError(label, `a ${ctx.length}-byte context is above the kernel's ${MAX_CTX}`);
    let prog = this.loaded.get(program);
    if (prog === undefined) {
      prog = this.runtime.vm.load(info.image);
      this.loaded.set(program, prog);
    }
    const space = this.runtime.space;
    const region = space.alloc('ctx', `${program} test_run ctx`, Math.max(8, ctx.length));
    region.bytes.set(ctx);
    this.runtime.core.beginRun(program);
    let ok = false;
    try {
      const retval = this.runtime.vm.call(prog, ctx.length > 0 ? [space.pointer(region, 0)] : [0n]);
      ok = true;
      return { retval, ctx: region.bytes.slice(0, ctx.length) };
    } finally {
      this.runtime.core.endRun(ok);
      space.free(region);
    }
  }
}
