// `skel.maps.NAME` of the setup skeleton: what libbpf's bpf_map__* calls do
// from user space. Before load: max_entries and value size
// (bpf_map__set_max_entries / bpf_map__set_value_size). After load: lookup,
// update, delete and key iteration (bpf_map_lookup_elem & co. on the map fd),
// per-CPU values as one value per CPU, queue/stack push and pop, creating an
// inner map from a map-of-maps' template and inserting it, and draining a
// ring buffer. Keys and values are typed by the map's BTF key/value types;
// update/delete return 0 or a negative errno like libbpf.

import type { Btf } from '../../sched_ext/btf/btf';
import { readTyped, typeDesc, TypedValueError, writeTyped, type TypedJs } from '../../sched_ext/btf/typed_value';
import { MapType, type MapSpec } from '../../sched_ext/loader/object';
import type { BpfMap } from '../../sched_ext/runtime/maps/map';
import { MapOfMaps } from '../../sched_ext/runtime/maps/map_of_maps';
import { HashMap } from '../../sched_ext/runtime/maps/hash';
import { ArrayMap } from '../../sched_ext/runtime/maps/array';
import { QueueStackMap } from '../../sched_ext/runtime/maps/queue_stack';
import { createMap } from '../../sched_ext/runtime/maps/create';
import type { SetupState } from './state';
import type { SetupFunction } from './sandbox';
import { UserRingbufMap } from '../../sched_ext/runtime/maps/user_ringbuf';
import { ArenaMap } from '../../sched_ext/runtime/maps/arena';

const PERCPU = new Set<number>([MapType.PERCPU_ARRAY, MapType.PERCPU_HASH, MapType.LRU_PERCPU_HASH]);
/** Largest max_entries a setup may ask for (the simulator keeps arrays in memory). */
const MAX_ENTRIES_LIMIT = 1 << 20;

export class SkelMap {
  private live?: BpfMap;

  constructor(
    private readonly state: SetupState,
    readonly name: string,
    /** Set for inner maps created by createInner (they have no spec in the object). */
    created?: BpfMap,
  ) {
    this.live = created;
  }

  private get spec(): MapSpec {
    if (this.live !== undefined) return this.live.spec;
    const maps = this.state.opened?.maps ?? this.state.object?.maps ?? [];
    const s = maps.find((m) => m.name === this.name);
    if (s === undefined) throw new TypedValueError(`skel.maps.${this.name}`, 'no such map');
    return s;
  }

  private get label(): string {
    return `skel.maps.${this.name}`;
  }

  private get btf(): Btf {
    return this.state.btf();
  }

  get type(): number {
    return this.spec.type;
  }
  get maxEntries(): number {
    return this.spec.maxEntries;
  }
  get valueSize(): number {
    return this.spec.valueSize;
  }
  get keySize(): number {
    return this.spec.keySize;
  }

  // ---- before load ---------------------------------------------------------

  private beforeLoad(what: string): MapSpec {
    if (this.state.phase !== 'open') throw new TypedValueError(`${this.label}.${what}`, `can only be called before load (in beforeLoad), as libbpf refuses it once the map exists`);
    return this.spec;
  }

  /** bpf_map__set_max_entries. */
  setMaxEntries(n: unknown): void {
    const spec = this.beforeLoad('setMaxEntries');
    if (spec.origin === 'global') throw new TypedValueError(`${this.label}.setMaxEntries`, 'a global data section always has one entry; use setValueSize or skel.resize');
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_ENTRIES_LIMIT) throw new TypedValueError(`${this.label}.setMaxEntries`, `max_entries must be an integer from 1 to ${MAX_ENTRIES_LIMIT}, got ${String(n)}`);
    spec.maxEntries = n;
  }

  /** bpf_map__set_value_size; for global data, the section's last array variable grows (as RESIZE_ARRAY does). */
  setValueSize(n: unknown): void {
    const spec = this.beforeLoad('setValueSize');
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1 << 26) throw new TypedValueError(`${this.label}.setValueSize`, `the value size must be a positive integer of bytes, got ${String(n)}`);
    if (spec.origin === 'global') {
      this.state.opened!.resize(spec.section, n);
      return;
    }
    if (spec.valueTypeId !== 0 && this.btf.sizeOf(spec.valueTypeId) !== n) spec.valueTypeId = 0; // values are bytes from now on
    spec.valueSize = n;
  }

  // ---- after load ------------------------------------------------------------

  private map(what: string): BpfMap {
    if (this.live !== undefined) return this.live;
    const rt = this.state.runtime;
    if (this.state.phase === 'open' || rt === undefined) throw new TypedValueError(`${this.label}.${what}`, 'the map does not exist before load; call this in afterLoad or afterAttach');
    const m = rt.mapByName(this.name);
    if (m === undefined) throw new TypedValueError(this.label, 'no such map');
    this.live = m;
    return m;
  }

  private encode(value: unknown, typeId: number, size: number, label: string): Uint8Array {
    const out = new Uint8Array(size);
    if (value instanceof Uint8Array) {
      if (value.length !== size) throw new TypedValueError(label, `${value.length} bytes given, the map's ${size}-byte slot needs exactly ${size}`);
      out.set(value);
      return out;
    }
    if (typeId > 0) {
      writeTyped(this.btf, out, { typeId, offset: 0, label }, value);
      return out;
    }
    if ((typeof value === 'number' && Number.isSafeInteger(value)) || typeof value === 'bigint') {
      if (![1, 2, 4, 8].includes(size)) throw new TypedValueError(label, `the ${size}-byte slot has no BTF type; pass a Uint8Array`);
      const v = BigInt(value);
      if (v < -(1n << BigInt(size * 8 - 1)) || v >= 1n << BigInt(size * 8)) throw new TypedValueError(label, `${v} does not fit ${size} bytes`);
      let x = BigInt.asUintN(size * 8, v);
      for (let i = 0; i < size; i++, x >>= 8n) out[i] = Number(x & 0xffn);
      return out;
    }
    throw new TypedValueError(label, `the map's ${size}-byte slot has no BTF type; pass a number, BigInt or Uint8Array`);
  }

  private decode(bytes: Uint8Array, typeId: number): TypedJs | Uint8Array {
    if (typeId > 0) return readTyped(this.btf, bytes, { typeId, offset: 0, label: this.label });
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length === 4) return v.getUint32(0, true);
    if (bytes.length === 8) return v.getBigUint64(0, true);
    return bytes.slice();
  }

  private key(key: unknown, what: string): Uint8Array {
    const s = this.spec;
    return this.encode(key, s.keyTypeId, s.keySize || 4, `${this.label}.${what} key`);
  }

  private valueBytesAt(m: BpfMap, key: Uint8Array, cpu: number): Uint8Array | undefined {
    const ptr = m.lookup(key, cpu);
    if (ptr === 0n) return undefined;
    const { region, offset } = this.state.runtime!.space.resolve(ptr, m.spec.valueSize, false);
    return region.bytes.subarray(offset, offset + m.spec.valueSize);
  }

  private nrCpus(): number {
    return this.state.machine.cpus;
  }

  /** bpf_map_lookup_elem: the value (per-CPU maps: an array with one value per CPU), undefined if absent; for map-of-maps the inner map. */
  lookup(key: unknown): unknown {
    const m = this.map('lookup');
    const k = this.key(key, 'lookup');
    if (m instanceof MapOfMaps) {
      const inner = m.inner(k);
      return inner === undefined ? undefined : this.state.skelMapFor(inner);
    }
    if (PERCPU.has(m.spec.type)) {
      const out: unknown[] = [];
      for (let c = 0; c < this.nrCpus(); c++) {
        const b = this.valueBytesAt(m, k, c);
        if (b === undefined) return undefined;
        out.push(this.decode(b, m.spec.valueTypeId));
      }
      return out;
    }
    const b = this.valueBytesAt(m, k, 0);
    return b === undefined ? undefined : this.decode(b, m.spec.valueTypeId);
  }

  /** bpf_map_update_elem: 0 or a negative errno. Per-CPU maps take one value for every CPU or an array of nrCpus values; map-of-maps take an inner map. */
  update(key: unknown, value: unknown, flags: unknown = 0): number {
    const m = this.map('update');
    const k = this.key(key, 'update');
    const f = typeof flags === 'bigint' ? flags : BigInt(typeof flags === 'number' && Number.isInteger(flags) && flags >= 0 ? flags : 0);
    const label = `${this.label}.update value`;
    if (m instanceof MapOfMaps) {
      if (!(value instanceof SkelMap)) throw new TypedValueError(label, `${this.name} holds maps; pass an inner map (from createInner() or skel.maps.NAME)`);
      const inner = value.map('update');
      const slot = new DataView(k.buffer).getUint32(0, true);
      if (m.spec.type === MapType.ARRAY_OF_MAPS && slot >= m.spec.maxEntries) return -7; // -E2BIG
      m.setSlot(slot, inner);
      return 0;
    }
    if (m instanceof QueueStackMap) return m.push(this.encode(value, m.spec.valueTypeId, m.spec.valueSize, label), f);
    if (PERCPU.has(m.spec.type)) {
      const values = Array.isArray(value) && !(this.spec.valueTypeId > 0 && typeDesc(this.btf, this.spec.valueTypeId).endsWith(']')) ? value : Array.from({ length: this.nrCpus() }, () => value);
      if (values.length !== this.nrCpus()) throw new TypedValueError(label, `a per-CPU map takes ${this.nrCpus()} values (one per CPU), got ${values.length}`);
      const enc = values.map((v: unknown, i: number) => this.encode(v, m.spec.valueTypeId, m.spec.valueSize, `${label}[cpu ${i}]`));
      const err = m.update(k, enc[0]!, f, undefined);
      if (err !== 0) return err;
      for (let c = 0; c < enc.length; c++) this.valueBytesAt(m, k, c)?.set(enc[c]!);
      return 0;
    }
    return m.update(k, this.encode(value, m.spec.valueTypeId, m.spec.valueSize, label), f, undefined);
  }

  /** bpf_map_delete_elem: 0 or a negative errno (arrays: -EINVAL, as in the kernel). */
  delete(key: unknown): number {
    const m = this.map('delete');
    return m.delete(this.key(key, 'delete'), undefined);
  }

  /** Every key (bpf_map_get_next_key until the end): arrays 0..max_entries-1, hashes in insertion order. */
  keys(): unknown[] {
    const m = this.map('keys');
    if (m instanceof ArrayMap || m.spec.type === MapType.ARRAY_OF_MAPS) return Array.from({ length: m.spec.maxEntries }, (_, i) => i);
    if (m instanceof HashMap) return m.keys().map((k) => this.decode(k, m.spec.keyTypeId));
    throw new TypedValueError(`${this.label}.keys`, `map type ${m.spec.type} has no keys to iterate`);
  }

  /** bpf_map_update_elem on a queue or stack (push): 0 or a negative errno. */
  push(value: unknown, flags: unknown = 0): number {
    const m = this.map('push');
    if (!(m instanceof QueueStackMap)) throw new TypedValueError(`${this.label}.push`, 'only queue and stack maps take push');
    return m.push(this.encode(value, m.spec.valueTypeId, m.spec.valueSize, `${this.label}.push value`), typeof flags === 'bigint' ? flags : BigInt(Number(flags) || 0));
  }

  /** bpf_map_lookup_and_delete_elem on a queue or stack: the value, or undefined when empty. */
  pop(): unknown {
    return this.take('pop', false);
  }

  /** bpf_map_lookup_elem on a queue or stack: the next value without removing it. */
  peek(): unknown {
    return this.take('peek', true);
  }

  private take(what: string, peek: boolean): unknown {
    const m = this.map(what);
    if (!(m instanceof QueueStackMap)) throw new TypedValueError(`${this.label}.${what}`, 'only queue and stack maps take pop and peek');
    const r = m.pop(peek);
    return typeof r === 'number' ? undefined : this.decode(r, m.spec.valueTypeId);
  }

  /** A new inner map from a map-of-maps' template (bpf_map_create with the inner map's definition); insert it with update(key, inner). */
  createInner(opts: { maxEntries?: number } = {}): SkelMap {
    const outer = this.map('createInner');
    const tmpl = outer.spec.inner;
    if (tmpl === undefined) throw new TypedValueError(`${this.label}.createInner`, 'is not a map-of-maps with an __array(values, ...) template');
    const n = opts.maxEntries ?? tmpl.maxEntries;
    if (!Number.isInteger(n) || n < 1 || n > MAX_ENTRIES_LIMIT) throw new TypedValueError(`${this.label}.createInner`, `maxEntries must be an integer from 1 to ${MAX_ENTRIES_LIMIT}`);
    const name = `${this.name}.inner#${this.state.nextInnerId()}`;
    const spec: MapSpec = { ...tmpl, name, maxEntries: n, index: -1 };
    const inner = createMap(spec, this.state.runtime!.core);
    return this.state.skelMapFor(inner);
  }

  /**
   * User ring buffer (BPF_MAP_TYPE_USER_RINGBUF): submit a record for the BPF
   * side's bpf_user_ringbuf_drain (user_ring_buffer__reserve + __submit).
   * Returns 0, or -E2BIG / -ENOSPC as reserve would fail.
   */
  submit(bytes: unknown): number {
    const m = this.map('submit');
    if (!(m instanceof UserRingbufMap)) throw new TypedValueError(`${this.label}.submit`, 'only user ring buffer maps take submit');
    // The module runs in its own realm: check the shape, not instanceof.
    if (!ArrayBuffer.isView(bytes) || bytes instanceof DataView) throw new TypedValueError(`${this.label}.submit`, 'takes the record as a Uint8Array');
    return m.produce(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  /**
   * Arena (BPF_MAP_TYPE_ARENA): `len` bytes at `addr` through userspace's
   * mapping of the arena (libbpf mmaps it; Rust and C dereference the
   * addresses the BPF side hands out). `addr` is such an address or
   * map_extra + offset; a page not mapped yet is mapped zeroed, as the
   * kernel does on userspace's page fault.
   */
  read(addr: unknown, len: unknown): Uint8Array {
    const { arena, offset } = this.arenaAt('read', addr);
    if (typeof len !== 'number' || !Number.isInteger(len) || len < 0) throw new TypedValueError(`${this.label}.read`, `the length must be a byte count, got ${String(len)}`);
    const out = new Uint8Array(len);
    let at = 0;
    for (const v of this.arenaViews(arena, offset, len, 'read')) {
      out.set(v, at);
      at += v.length;
    }
    return out;
  }

  /** Arena: write `bytes` (a Uint8Array) at `addr` through userspace's mapping (see read). */
  write(addr: unknown, bytes: unknown): void {
    const { arena, offset } = this.arenaAt('write', addr);
    // The module runs in its own realm: check the shape, not instanceof.
    if (!ArrayBuffer.isView(bytes) || bytes instanceof DataView) throw new TypedValueError(`${this.label}.write`, 'takes the bytes as a Uint8Array');
    const src = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 0;
    for (const v of this.arenaViews(arena, offset, src.length, 'write')) {
      v.set(src.subarray(at, at + v.length));
      at += v.length;
    }
  }

  private arenaAt(what: string, addr: unknown): { arena: ArenaMap; offset: number } {
    const m = this.map(what);
    if (!(m instanceof ArenaMap)) throw new TypedValueError(`${this.label}.${what}`, 'only arena maps are read and written by address');
    if (typeof addr !== 'bigint' && !(typeof addr === 'number' && Number.isSafeInteger(addr))) throw new TypedValueError(`${this.label}.${what}`, `the address must be a BigInt or an integer, got ${String(addr)}`);
    const offset = m.userOffset(BigInt(addr));
    if (offset === undefined) throw new TypedValueError(`${this.label}.${what}`, `0x${BigInt.asUintN(64, BigInt(addr)).toString(16)} is not an address in arena ${this.name} (an address the BPF side handed out, or map_extra + offset)`);
    return { arena: m, offset };
  }

  private arenaViews(arena: ArenaMap, offset: number, len: number, what: string): Uint8Array[] {
    try {
      return arena.userAccess(offset, len);
    } catch (e) {
      throw new TypedValueError(`${this.label}.${what}`, e instanceof Error ? e.message : String(e));
    }
  }

  /** Ring buffer: call fn(bytes) for each record the BPF side submitted since the last drain; returns how many. */
  drain(fn: SetupFunction): number {
    const m = this.map('drain');
    if (m.spec.type !== MapType.RINGBUF) throw new TypedValueError(`${this.label}.drain`, 'only ring buffer maps can be drained');
    const records = this.state.takeRingbuf(m.name);
    for (const r of records) fn(r);
    return records.length;
  }
}
