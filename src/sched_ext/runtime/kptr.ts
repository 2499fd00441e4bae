// bpf_kptr_xchg (helper 194): atomically swap a __kptr slot in a map value
// (or a local object) with a new owning pointer and return the old one.
// Ownership moves with the pointer: program → slot for the new value,
// slot → program for the old one (kernel/bpf/helpers.c, bpf_kptr_xchg).

import { BpfFault } from '../vm/fault';
import type { NativeEnv } from '../vm/abi';
import type { RuntimeCore } from './core';
import { HeapObject } from './heap';
import { fieldAt, fieldKey, type FieldHost } from './layout';
import type { SpecialField } from '../btf/special_fields';
import { helper, NULL, type HelperTable } from './natives';
import type { KernelRefs } from './kernel_refs';

export const BPF_FUNC_kptr_xchg = 194;

type SlotRef = { kind: 'kptr'; slot: string };

export function registerKptrXchg(h: HelperTable, core: RuntimeCore, kernelRefs: KernelRefs): void {
  // A slot's holder value per host and field: labels never change, so build
  // the key string once rather than on every exchange.
  const slots = new WeakMap<FieldHost, Map<SpecialField, SlotRef>>();
  const slotOf = (host: FieldHost, field: SpecialField): SlotRef => {
    let m = slots.get(host);
    if (m === undefined) slots.set(host, (m = new Map()));
    let s = m.get(field);
    if (s === undefined) m.set(field, (s = { kind: 'kptr', slot: fieldKey(host, field) }));
    return s;
  };
  helper(h, BPF_FUNC_kptr_xchg, (env: NativeEnv) => {
    const dst = env.arg(1);
    const next = env.arg(2);
    const { host, offset } = core.hostAt(dst, 8, 'bpf_kptr_xchg');
    const field = fieldAt(host, offset, 'kptr');
    if (field === undefined) {
      throw new BpfFault('native', `bpf_kptr_xchg: offset ${offset} of ${host.label()} is not a __kptr field; the verifier rejects this`, { address: dst, region: host.region.name });
    }
    const slot = slotOf(host, field);
    const site = core.site(env);
    // Check the new value first (a refusal changes nothing), then swap the
    // slot's memory, then record the moves: a keyframe taken while a move's
    // event is being recorded must see the slot as the event says it is.
    const obj = next !== NULL ? heapObjectOf(core, next) : undefined;
    if (obj !== undefined) {
      core.objectArg(env, next, 'bpf_kptr_xchg');
      if (!core.heap.hasHolder(obj, core.programOwner())) {
        // Only an owning reference may be stashed (verifier: release_reference on the argument).
        const why = `bpf_kptr_xchg: the program does not own obj ${obj.id} (${obj.typeName}), so it cannot stash it in ${slot.slot}; the kernel verifier rejects this`;
        if (core.reportedArg !== obj) core.diag('invalidated_ref', why, site);
        throw new BpfFault('native', why, { address: next });
      }
    }
    const old = host.region.view.getBigUint64(offset, true);
    host.region.view.setBigUint64(offset, next, true);
    if (obj !== undefined) {
      core.heap.move(obj, core.programOwner(), slot, site);
      core.loseRef(obj, `bpf_kptr_xchg moved it into ${slot.slot}`, false);
    } else if (next !== NULL) {
      kernelRefs.stash(env, next, slot.slot);
    }
    if (old !== NULL) {
      const was = heapObjectOf(core, old);
      if (was !== undefined) {
        core.heap.move(was, slot, core.programOwner(), site);
        core.gainRef(was, env);
      } else {
        kernelRefs.unstash(env, old, slot.slot);
      }
    }
    return old;
  });
}

function heapObjectOf(core: RuntimeCore, ptr: bigint): HeapObject | undefined {
  const region = core.space.regionOfHi(Number(ptr >> 32n));
  return region?.payload instanceof HeapObject ? region.payload : undefined;
}
