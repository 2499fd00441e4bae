// The `skel` object a setup module's functions receive: the JavaScript
// counterpart of a libbpf skeleton (docs/userspace.md has the C call beside
// each member). Global data by section (rodata, data, bss) as typed live
// views, maps, syscall programs, the machine's shape, and the userspace
// services of the run: print, every, userTask, now, exitInfo.

import { TypedValueError, typeDesc, writeTyped, readTyped } from '../../sched_ext/btf/typed_value';
import type { GlobalVar } from '../../sched_ext/loader/object';
import { ArrayMap } from '../../sched_ext/runtime/maps/array';
import { formatValue } from './sandbox';
import type { SetupRun } from './setup_run';
import { syscallCtxType } from './test_run';
import { viewOf, writeAt, type ViewTarget } from './typed_views';

export interface UserTaskOptions {
  /** CPU time one round of the body takes, ns (default 20 µs); the body may return { runNs } per round. */
  runNs?: number;
  nice?: number;
}

type SectionKind = 'rodata' | 'data' | 'bss';

function sectionKind(section: string): SectionKind | undefined {
  const m = /^\.(rodata|data|bss)(\.|$)/.exec(section);
  return m === null ? undefined : (m[1] as SectionKind);
}

/** Topology from the machine spec, as the simulator lays it out (CPU c is in core ⌊c/smt⌋, LLC ⌊c/llc⌋, node ⌊c/numa⌋). */
export function topologyOf(m: { cpus: number; smt?: number; llc?: number; numa?: number }) {
  const group = (per: number) => {
    const out: number[][] = [];
    for (let c = 0; c < m.cpus; c++) (out[Math.floor(c / per)] ??= []).push(c);
    return out;
  };
  const smt = Math.max(1, m.smt ?? 1), llc = Math.max(1, m.llc ?? m.cpus), numa = Math.max(1, m.numa ?? m.cpus);
  const cores = group(smt), llcs = group(llc), nodes = group(numa);
  return {
    cores,
    llcs,
    nodes,
    cpu: (c: number) => {
      if (!Number.isInteger(c) || c < 0 || c >= m.cpus) throw new TypedValueError(`skel.topology.cpu(${c})`, `no CPU ${c}; the machine has CPUs 0 to ${m.cpus - 1}`);
      return { cpu: c, core: Math.floor(c / smt), llc: Math.floor(c / llc), node: Math.floor(c / numa), siblings: cores[Math.floor(c / smt)]! };
    },
  };
}

export function makeSkeleton(run: SetupRun): object {
  const globals = (): GlobalVar[] => run.opened?.globals ?? run.object?.globals ?? [];
  const bytesOf = (g: GlobalVar): Uint8Array => {
    if (run.phase === 'open') return run.opened!.maps[g.mapIndex]!.initialValue!;
    const m = run.runtime!.maps[g.mapIndex];
    if (!(m instanceof ArrayMap)) throw new TypedValueError(g.name, 'its section has no live value');
    return m.cell(0, 0)!.region.bytes;
  };
  const section = (kind: SectionKind): object => {
    const label = `skel.${kind}`;
    const find = (name: string): GlobalVar => {
      const all = globals().filter((g) => sectionKind(g.section) === kind);
      const g = all.find((x) => x.name === name);
      if (g === undefined) throw new TypedValueError(`${label}.${name}`, `no variable ${name} in .${kind}; it has: ${all.filter((x) => !x.name.startsWith('__')).map((x) => x.name).join(', ') || '(none)'}`);
      return g;
    };
    const target = (g: GlobalVar): ViewTarget => ({
      btf: run.btf(),
      bytes: () => bytesOf(g),
      // libbpf freezes .rodata at load (bpf_map_freeze); .data/.bss stay mmapped and writable
      readonlyReason: () => (kind === 'rodata' && run.phase !== 'open' ? `${label} is read-only after load (libbpf freezes .rodata); set it in beforeLoad` : undefined),
    });
    return new Proxy({} as Record<string, unknown>, {
      get(_o, prop) {
        if (typeof prop !== 'string' || prop === 'then' || prop === 'toJSON') return undefined;
        const g = find(prop);
        return viewOf(target(g), { typeId: g.typeId, offset: g.offset, label: `${label}.${prop}` });
      },
      set(_o, prop, value) {
        const g = find(String(prop));
        writeAt(target(g), { typeId: g.typeId, offset: g.offset, label: `${label}.${String(prop)}` }, value);
        return true;
      },
      has(_o, prop) {
        return typeof prop === 'string' && globals().some((g) => g.name === prop && sectionKind(g.section) === kind);
      },
      ownKeys() {
        return globals().filter((g) => sectionKind(g.section) === kind).map((g) => g.name);
      },
      getOwnPropertyDescriptor(_o, prop) {
        const g = globals().find((x) => x.name === prop && sectionKind(x.section) === kind);
        return g === undefined ? undefined : { value: viewOf(target(g), { typeId: g.typeId, offset: g.offset, label: `${label}.${g.name}` }), writable: true, enumerable: true, configurable: true };
      },
    });
  };

  const mapNames = () => (run.opened?.maps ?? run.object?.maps ?? []).filter((m) => m.origin !== 'struct_ops').map((m) => m.name);
  const maps = new Proxy({} as Record<string, unknown>, {
    get(_o, prop) {
      if (typeof prop !== 'string' || prop === 'then' || prop === 'toJSON') return undefined;
      if (!mapNames().includes(prop)) throw new TypedValueError(`skel.maps.${prop}`, `no map ${prop}; the object has: ${mapNames().join(', ') || '(none)'}`);
      return run.skelMapFor(prop);
    },
    has: (_o, prop) => typeof prop === 'string' && mapNames().includes(prop),
    ownKeys: () => mapNames(),
    getOwnPropertyDescriptor: (_o, prop) => (typeof prop === 'string' && mapNames().includes(prop) ? { value: run.skelMapFor(prop), writable: false, enumerable: true, configurable: true } : undefined),
  });

  const progNames = () => (run.object?.programs ?? []).map((p) => p.name);
  const prog = (name: string) => ({
    name,
    /**
     * BPF_PROG_TEST_RUN: { ctx } typed by the program's context struct, or { ctxBytes }; returns { retval, ctx, ctxBytes }.
     * `cpu`: the CPU the calling thread is pinned to (sched_setaffinity), where the program runs; default 0.
     */
    testRun(o: { ctx?: unknown; ctxBytes?: Uint8Array; cpu?: number } = {}) {
      const btf = run.btf();
      const ctxType = syscallCtxType(btf, name);
      const label = `skel.progs.${name}.testRun ctx`;
      let bytes: Uint8Array;
      if (o.ctxBytes !== undefined) bytes = new Uint8Array(o.ctxBytes);
      else if (o.ctx !== undefined) {
        if (ctxType === 0) throw new TypedValueError(label, `${name} has no typed context parameter; pass ctxBytes`);
        bytes = new Uint8Array(btf.sizeOf(ctxType));
        writeTyped(btf, bytes, { typeId: ctxType, offset: 0, label }, o.ctx);
      } else bytes = new Uint8Array(ctxType === 0 ? 0 : btf.sizeOf(ctxType));
      const r = run.testRun(name, bytes, o.cpu);
      const retval = Number(BigInt.asIntN(32, r.retval));
      const ctx = ctxType !== 0 && r.ctx.length === btf.sizeOf(ctxType) ? readTyped(btf, r.ctx, { typeId: ctxType, offset: 0, label }) : undefined;
      return { retval, ctx, ctxBytes: r.ctx };
    },
    get contextType() {
      const t = syscallCtxType(run.btf(), name);
      return t === 0 ? undefined : typeDesc(run.btf(), t);
    },
  });
  const progs = new Proxy({} as Record<string, unknown>, {
    get(_o, prop) {
      if (typeof prop !== 'string' || prop === 'then' || prop === 'toJSON') return undefined;
      if (run.phase === 'open') throw new TypedValueError(`skel.progs.${prop}`, 'programs exist only after load; use them in afterLoad or afterAttach');
      if (!progNames().includes(prop)) throw new TypedValueError(`skel.progs.${prop}`, `no program ${prop}; the object has: ${progNames().join(', ')}`);
      return prog(prop);
    },
    ownKeys: () => progNames(),
    getOwnPropertyDescriptor: (_o, prop) => (typeof prop === 'string' && progNames().includes(prop) ? { value: prog(prop), writable: false, enumerable: true, configurable: true } : undefined),
  });

  // skel.structOps.NAME.member = v: libbpf's skel->struct_ops.NAME->member before load
  const structOpsNames = () => (run.opened?.structOps ?? run.object?.structOps ?? []).map((x) => x.name);
  const structOpsOf = (name: string): object => new Proxy({} as Record<string, unknown>, {
    get: (_o, member) => {
      if (typeof member !== 'string') return undefined;
      const spec = (run.opened?.structOps ?? run.object?.structOps ?? []).find((x) => x.name === name)!;
      return member in spec.ops ? spec.ops[member] : spec.scalars[member];
    },
    set: (_o, member, value) => {
      const label = `skel.structOps.${name}.${String(member)}`;
      if (run.phase !== 'open') throw new TypedValueError(label, 'struct_ops members can only be set before load (in beforeLoad), as libbpf writes them into the map at load');
      if (value !== null && typeof value !== 'bigint' && !(typeof value === 'number' && Number.isSafeInteger(value))) throw new TypedValueError(label, `takes an integer (BigInt or number), or null to leave an op out; got ${String(value)}`);
      try {
        run.opened!.setStructOpsMember(name, String(member), value === null ? null : BigInt(value));
      } catch (e) {
        throw new TypedValueError(label, e instanceof Error ? e.message : String(e));
      }
      return true;
    },
  });
  const structOps = new Proxy({} as Record<string, unknown>, {
    get: (_o, prop) => {
      if (typeof prop !== 'string') return undefined;
      if (!structOpsNames().includes(prop)) throw new TypedValueError(`skel.structOps.${prop}`, `no struct_ops map ${prop}; the object has: ${structOpsNames().join(', ') || '(none)'}`);
      return structOpsOf(prop);
    },
    ownKeys: () => structOpsNames(),
    getOwnPropertyDescriptor: (_o, prop) => (typeof prop === 'string' && structOpsNames().includes(prop) ? { value: structOpsOf(prop), writable: false, enumerable: true, configurable: true } : undefined),
  });

  const topology = topologyOf(run.machine);
  return Object.freeze({
    structOps,
    nrCpus: run.machine.cpus,
    topology,
    rodata: section('rodata'),
    data: section('data'),
    bss: section('bss'),
    maps,
    progs,
    get phase() {
      return run.phase;
    },
    /** RESIZE_ARRAY(skel, data, name, n): grow a section's last array variable to n elements (before load). */
    resize(name: unknown, elements: unknown) {
      if (run.phase !== 'open') throw new TypedValueError('skel.resize', 'global data can only be resized before load (in beforeLoad)');
      if (typeof name !== 'string' || typeof elements !== 'number' || !Number.isInteger(elements) || elements < 1) throw new TypedValueError('skel.resize', 'takes a variable name and a positive element count');
      run.opened!.resize(name, { elements });
    },
    print: (...args: unknown[]) => run.print(args.map(formatValue).join(' ')),
    every: (ms: unknown, fn: unknown) => run.every(ms, fn),
    userTask: (name: unknown, fn: unknown, o?: UserTaskOptions) => run.userTask(name, fn, o),
    /** Virtual time, ns. */
    now: () => run.now(),
    /** The scheduler's exit info once it exited (UEI_EXITED), else undefined. */
    exitInfo: () => run.exitInfo(),
  });
}
