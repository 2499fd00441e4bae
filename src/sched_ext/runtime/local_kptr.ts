// bpf_obj_new / bpf_obj_drop / bpf_refcount_acquire (kernel/bpf/helpers.c).
// Objects are laid out from the PROGRAM's BTF: bpf_obj_new(T) passes
// bpf_core_type_id_local(T), a type id in the object's own BTF.

import { BpfFault } from '../vm/fault';
import type { NativeEnv } from '../vm/abi';
import { specialFields, type SpecialField } from '../btf/special_fields';
import type { RuntimeCore } from './core';
import type { HeapObject } from './heap';
import { NULL, type KfuncTable } from './natives';

interface LocalType {
  name: string;
  size: number;
  fields: SpecialField[];
  refcountOffset: number | undefined;
}

export class LocalKptrs {
  private readonly types = new Map<number, LocalType>();

  constructor(private readonly core: RuntimeCore) {}

  register(k: KfuncTable): void {
    k.set('bpf_obj_new_impl', (env) => this.objNew(env, Number(env.arg(1))));
    k.set('bpf_obj_drop_impl', (env) => this.objDrop(env, env.arg(1)));
    k.set('bpf_refcount_acquire_impl', (env) => this.refcountAcquire(env, env.arg(1)));
  }

  private localType(typeId: number): LocalType {
    let t = this.types.get(typeId);
    if (t !== undefined) return t;
    const btf = this.core.btf;
    const st = btf.composite(typeId);
    if (st === undefined || st.kind !== 'struct') {
      throw new BpfFault('native', `bpf_obj_new: local type id ${typeId} is not a struct in the program's BTF (the verifier requires a struct)`);
    }
    const fields = specialFields(btf, typeId);
    t = { name: btf.cName(typeId), size: st.size, fields, refcountOffset: fields.find((f) => f.kind === 'refcount')?.offset };
    this.types.set(typeId, t);
    return t;
  }

  /** Like bpf_obj_new_impl: zeroed memory, special fields initialised (refcount 1, nodes and heads empty). */
  objNew(env: NativeEnv, typeId: number): bigint {
    this.core.callUnderLock(env, 'bpf_obj_new');
    const t = this.localType(typeId);
    const obj = this.core.heap.create({
      kind: 'local',
      typeName: t.name,
      typeId,
      size: t.size,
      fields: t.fields,
      site: this.core.site(env),
      owner: this.core.programOwner(),
      refcountOffset: t.refcountOffset,
    });
    this.core.gainRef(obj, env);
    return this.core.space.pointer(obj.region, 0);
  }

  /** Like bpf_obj_drop_impl: drop the program's reference; a refcounted object is freed only at zero. */
  objDrop(env: NativeEnv, ptr: bigint): void {
    if (ptr === NULL) throw new BpfFault('null', 'bpf_obj_drop(NULL): the verifier requires a non-NULL owning reference');
    this.core.callUnderLock(env, 'bpf_obj_drop');
    const { obj } = this.core.objectArg(env, ptr, 'bpf_obj_drop');
    if (!this.releaseProgramRef(env, obj, 'bpf_obj_drop')) return;
    this.core.loseRef(obj, 'bpf_obj_drop released it', false);
  }

  /** Like bpf_refcount_acquire_impl: a new owning reference, or NULL if the count already reached zero. */
  refcountAcquire(env: NativeEnv, ptr: bigint): bigint {
    const { obj } = this.core.objectArg(env, ptr, 'bpf_refcount_acquire');
    if (!obj.refcounted) {
      throw new BpfFault('native', `bpf_refcount_acquire: obj ${obj.id} (${obj.typeName}) has no struct bpf_refcount field; the verifier rejects this`);
    }
    if (obj.holders.length === 0) return NULL;
    this.core.heap.acquire(obj, this.core.programOwner(), this.core.site(env));
    this.core.gainRef(obj, env);
    return ptr;
  }

  /** Release one program-held reference; reports (and skips) a release of a reference the program does not own. */
  releaseProgramRef(env: NativeEnv, obj: HeapObject, what: string): boolean {
    const me = this.core.programOwner();
    if (!this.core.heap.hasHolder(obj, me)) {
      if (this.core.reportedArg !== obj) {
        this.core.diag('invalidated_ref', `${what}: ${me.kind === 'program' ? me.program : 'the program'} does not own obj ${obj.id} (${obj.typeName}) — it is held by ${obj.holders.map(holderName).join(', ')}; the kernel verifier rejects this`, this.core.site(env));
      }
      return false;
    }
    this.core.heap.release(obj, me, this.core.site(env));
    return true;
  }
}

function holderName(h: HeapObject['holders'][number]): string {
  switch (h.kind) {
    case 'program': return `program ${h.program}`;
    case 'rb_root':
    case 'list_head': return h.root;
    case 'kptr': return `kptr ${h.slot}`;
    default: return h.kind;
  }
}
