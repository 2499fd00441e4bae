// The state of a run at one instant with everything the trace does not
// hold — global variables, map values, heap objects with their field values
// — obtained by running the same object, workload, seed and options again up
// to that instant (runs are deterministic). One re-simulation is kept and
// carried forward, so asking for increasing instants costs one run in all.

import type { HeapObjectSnapshot, SimSnapshot } from '../model/events';
import { Simulation, type SimulationOptions } from '../sim/simulation';
import { ApiError } from './options';
import { decodeValue, type BpfValue } from './values';

export interface GlobalValue {
  name: string;
  section: string;
  typeName: string;
  value: BpfValue;
}

export interface MapEntry {
  /** How scxray labels the key ("3", "pid 42", or hex bytes). */
  keyLabel: string;
  key: BpfValue;
  value: BpfValue;
}

export class Instant {
  constructor(
    readonly t: number,
    private readonly sim: Simulation,
    /** The machine, DSQs, tasks, heap, graph roots and kptr slots at t (heap fields exact). */
    readonly state: SimSnapshot,
    private readonly isCurrent: () => boolean,
  ) {}

  /** Globals and maps are read from the live re-simulation, which a later at() moves on. */
  private check(): void {
    if (!this.isCurrent()) throw new ApiError('instant', `the instant ${this.t} ns is stale: a later at() moved the re-simulation on; read globals and maps before asking for another instant`);
  }

  get heap(): HeapObjectSnapshot[] {
    return this.state.heap;
  }

  /** Every global variable (.bss, .data, .rodata, …) by name, decoded by its BTF type. */
  globals(): Record<string, GlobalValue> {
    this.check();
    const obj = this.sim.object;
    const out: Record<string, GlobalValue> = {};
    for (const g of obj.globals) {
      const cell = this.sim.runtime.maps[g.mapIndex]?.cells()[0];
      if (!cell) continue;
      const bytes = cell.region.bytes.subarray(g.offset, g.offset + g.size);
      out[g.name] = { name: g.name, section: g.section, typeName: g.typeName, value: decodeValue(obj.btf, g.typeId, bytes) };
    }
    return out;
  }

  /** One global's decoded value; an ApiError names the globals there are when `name` is not one. */
  global(name: string): BpfValue {
    const all = this.globals();
    const g = all[name];
    if (!g) throw new ApiError('global', `no global variable "${name}" (the object has: ${Object.keys(all).join(', ') || 'none'})`);
    return g.value;
  }

  /** The live values of a BPF map (per-CPU maps: one entry per CPU copy), keys and values decoded by BTF. */
  map(name: string): MapEntry[] {
    this.check();
    const m = this.sim.runtime.mapByName(name);
    if (!m) throw new ApiError('map', `no map "${name}" (the object has: ${this.sim.runtime.maps.map((x) => x.name).join(', ')})`);
    const btf = this.sim.object.btf;
    return m.cells().map((c) => ({
      keyLabel: c.keyLabel,
      key: decodeValue(btf, m.spec.keyTypeId, c.key),
      value: decodeValue(btf, m.spec.valueTypeId, c.region.bytes.subarray(0, m.spec.valueSize)),
    }));
  }
}

export class Resimulator {
  private sim?: Simulation;
  private generation = 0;

  constructor(private readonly opts: SimulationOptions) {}

  at(t: number): Instant {
    if (!this.sim || this.sim.now > t) this.sim = new Simulation(this.opts);
    this.sim.runUntil(t);
    const gen = ++this.generation;
    return new Instant(t, this.sim, this.sim.snapshot(), () => gen === this.generation);
  }
}
