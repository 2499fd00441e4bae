// Kfuncs are bound by name and called by id: a kfunc call's imm is the
// kernel BTF id of the kfunc's FUNC entry (what libbpf resolves a __ksym
// extern to). The simulator registers the scx_bpf_* kfuncs here; the
// runtime provides the generic ones (graphs, local kptrs, cpumask, ...).

import type { Btf } from '../btf/btf';
import type { NativeDef, NativeFn, NativeTable } from '../vm/abi';
import type { HelperTable } from './natives';

export class UnknownKfuncError extends Error {
  constructor(readonly kfunc: string) {
    super(`kfunc ${kfunc} is not declared in the kernel BTF (assets/kernel/kernel.bpf.c); declare its stub there first`);
    this.name = 'UnknownKfuncError';
  }
}

export class KfuncRegistry {
  private readonly ids = new Map<string, number>();
  private readonly byId = new Map<number, NativeDef>();

  constructor(readonly kernelBtf: Btf) {
    for (const t of kernelBtf.types) if (t.kind === 'func') this.ids.set(t.name, t.id);
  }

  /** Bind `name` (as in the kernel BTF) to an implementation, replacing any earlier one. */
  register(name: string, fn: NativeFn): void {
    const id = this.ids.get(name);
    if (id === undefined) throw new UnknownKfuncError(name);
    this.byId.set(id, { name, fn });
  }

  /** Bind only if the kernel declares `name` and nobody bound it yet (the runtime's defaults). Returns whether it did. */
  provide(name: string, fn: NativeFn): boolean {
    const id = this.ids.get(name);
    if (id === undefined || this.byId.has(id)) return false;
    this.byId.set(id, { name, fn });
    return true;
  }

  idOf(name: string): number | undefined {
    return this.ids.get(name);
  }

  has(name: string): boolean {
    const id = this.ids.get(name);
    return id !== undefined && this.byId.has(id);
  }

  /** The VM's NativeTable. Kfunc lookups go through the live registry, so later registrations take effect. */
  natives(helpers: HelperTable): NativeTable {
    return {
      helper: (id) => helpers.get(id),
      kfunc: (id) => this.byId.get(id),
    };
  }

  /** Kernel kfuncs nobody implements yet, sorted. */
  unimplemented(): string[] {
    return [...this.ids].filter(([, id]) => !this.byId.has(id)).map(([n]) => n).sort();
  }
}
