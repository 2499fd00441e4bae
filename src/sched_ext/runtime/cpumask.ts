// The bpf_cpumask kfuncs (kernel/bpf/cpumask.c). A bpf_cpumask is a
// refcounted kernel object: create gives the program an owning reference,
// acquire adds one, release drops one and frees at zero. They live in the
// object heap (kind 'kernel') so the ownership views show them beside local
// kptrs. Read-only operations accept any `const struct cpumask *`, including
// the simulator's own masks. Only the first nrCpus bits are meaningful, like
// nr_cpu_ids in the kernel.

import type { NativeEnv } from '../vm/abi';
import type { RuntimeCore } from './core';
import type { LocalKptrs } from './local_kptr';
import { NULL, type KfuncTable } from './natives';

const MASK_BYTES = 32; // struct cpumask { unsigned long bits[4]; }
const BPF_CPUMASK_SIZE = 40; // cpumask + refcount_t usage
const USAGE_OFFSET = 32;

export function registerCpumask(k: KfuncTable, core: RuntimeCore, kptrs: LocalKptrs): void {
  const space = core.space;
  const nr = () => core.host.nrCpus;
  const all = () => (1n << BigInt(nr())) - 1n;
  // Straight from the region's view (same bounds and freed checks as readBytes/writeBytes, no copy).
  const read = (ptr: bigint): bigint => {
    const { region, offset } = space.resolve(ptr, MASK_BYTES, false);
    const v = region.view;
    let m = 0n;
    for (let i = 3; i >= 0; i--) m = (m << 64n) | v.getBigUint64(offset + i * 8, true);
    return m & all();
  };
  const write = (ptr: bigint, m: bigint): void => {
    const { region, offset } = space.resolve(ptr, MASK_BYTES, true);
    const v = region.view;
    for (let i = 0; i < 4; i++) v.setBigUint64(offset + i * 8, (m >> BigInt(64 * i)) & 0xffff_ffff_ffff_ffffn, true);
  };
  /** Bit `cpu` (< nrCpus) of the mask at `ptr`, reading one byte instead of the whole mask. */
  const testBit = (ptr: bigint, cpu: number): boolean => {
    const { region, offset } = space.resolve(ptr, MASK_BYTES, false);
    return ((region.bytes[offset + (cpu >> 3)]! >> (cpu & 7)) & 1) === 1;
  };
  const first = (m: bigint): number => {
    for (let c = 0; c < nr(); c++) if ((m >> BigInt(c)) & 1n) return c;
    return nr();
  };
  const weight = (m: bigint): number => {
    let n = 0;
    for (; m !== 0n; m &= m - 1n) n++;
    return n;
  };
  const bit = (env: NativeEnv) => env.argU32(1);
  const valid = (cpu: number) => cpu < nr();
  let rotor = 0;
  // cpumask_any_distribute: spread picks by starting after the previous one.
  const distribute = (m: bigint): number => {
    if (m === 0n) return nr();
    for (let i = 1; i <= nr(); i++) {
      const c = (rotor + i) % nr();
      if ((m >> BigInt(c)) & 1n) {
        rotor = c;
        return c;
      }
    }
    return nr();
  };

  k.set('bpf_cpumask_create', (env) => {
    const obj = core.heap.create({
      kind: 'kernel',
      typeName: 'struct bpf_cpumask',
      typeId: core.kernelBtf.findByName('bpf_cpumask', 'struct')?.id ?? 0,
      size: BPF_CPUMASK_SIZE,
      fields: [],
      site: core.site(env),
      owner: core.programOwner(),
      regionKind: 'kernel',
      refcountOffset: USAGE_OFFSET,
    });
    core.gainRef(obj, env);
    return space.pointer(obj.region, 0);
  });
  k.set('bpf_cpumask_acquire', (env) => {
    const { obj } = core.objectArg(env, env.arg(1), 'bpf_cpumask_acquire');
    core.heap.acquire(obj, core.programOwner(), core.site(env));
    core.gainRef(obj, env);
    return env.arg(1);
  });
  k.set('bpf_cpumask_release', (env) => {
    if (env.arg(1) === NULL) return;
    const { obj } = core.objectArg(env, env.arg(1), 'bpf_cpumask_release');
    if (kptrs.releaseProgramRef(env, obj, 'bpf_cpumask_release')) core.loseRef(obj, 'bpf_cpumask_release released it', false);
  });

  k.set('bpf_cpumask_first', (env) => first(read(env.arg(1))));
  k.set('bpf_cpumask_first_zero', (env) => first(~read(env.arg(1)) & all()));
  k.set('bpf_cpumask_first_and', (env) => first(read(env.arg(1)) & read(env.arg(2))));
  k.set('bpf_cpumask_set_cpu', (env) => {
    if (valid(bit(env))) write(env.arg(2), read(env.arg(2)) | (1n << BigInt(bit(env))));
  });
  k.set('bpf_cpumask_clear_cpu', (env) => {
    if (valid(bit(env))) write(env.arg(2), read(env.arg(2)) & ~(1n << BigInt(bit(env))));
  });
  k.set('bpf_cpumask_test_cpu', (env) => {
    const cpu = bit(env);
    return valid(cpu) && testBit(env.arg(2), cpu);
  });
  const testAnd = (set: boolean) => (env: NativeEnv) => {
    if (!valid(bit(env))) return false;
    const m = read(env.arg(2));
    const b = 1n << BigInt(bit(env));
    write(env.arg(2), set ? m | b : m & ~b);
    return (m & b) !== 0n;
  };
  k.set('bpf_cpumask_test_and_set_cpu', testAnd(true));
  k.set('bpf_cpumask_test_and_clear_cpu', testAnd(false));
  k.set('bpf_cpumask_setall', (env) => write(env.arg(1), all()));
  k.set('bpf_cpumask_clear', (env) => write(env.arg(1), 0n));
  k.set('bpf_cpumask_and', (env) => {
    const m = read(env.arg(2)) & read(env.arg(3));
    write(env.arg(1), m);
    return m !== 0n;
  });
  k.set('bpf_cpumask_or', (env) => write(env.arg(1), read(env.arg(2)) | read(env.arg(3))));
  k.set('bpf_cpumask_xor', (env) => write(env.arg(1), read(env.arg(2)) ^ read(env.arg(3))));
  k.set('bpf_cpumask_equal', (env) => read(env.arg(1)) === read(env.arg(2)));
  k.set('bpf_cpumask_intersects', (env) => (read(env.arg(1)) & read(env.arg(2))) !== 0n);
  k.set('bpf_cpumask_subset', (env) => (read(env.arg(1)) & ~read(env.arg(2))) === 0n);
  k.set('bpf_cpumask_empty', (env) => read(env.arg(1)) === 0n);
  k.set('bpf_cpumask_full', (env) => read(env.arg(1)) === all());
  k.set('bpf_cpumask_copy', (env) => write(env.arg(1), read(env.arg(2))));
  k.set('bpf_cpumask_weight', (env) => weight(read(env.arg(1))));
  k.set('bpf_cpumask_any_distribute', (env) => distribute(read(env.arg(1))));
  k.set('bpf_cpumask_any_and_distribute', (env) => distribute(read(env.arg(1)) & read(env.arg(2))));
}
