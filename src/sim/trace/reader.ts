// Opens a trace file (complete, crashed, or still being written) and answers
// the questions replay and the timeline ask: the state at any instant (one
// keyframe plus at most one chunk of events), the events in a window, and
// level-of-detail run slices and DSQ depth counters.

import type { RunInfo, SimEvent, SimEventKind, SimSnapshot } from '../../model/events';
import { decodeChunkPayload, type ChunkIndexEntry, type ChunkPayload } from './chunk_codec';
import { DsqCounterIndex, type CounterSeries } from './counters';
import { crc32 } from './crc32';
import { TraceError } from './errors';
import { decodeChunkEvents, type ChunkEvents } from './event_decoder';
import { checkFixedHeader, decodeHeader, FIXED_HEADER_BYTES, parseRecordHeader, RECORD_CHUNK, RECORD_HEADER_BYTES, type TraceHeader } from './format';
import { KIND_CODE } from './kinds';
import { ReplayState } from './reduce';
import { readFooter, scanRecords, type ScanState } from './scan';
import { RunSliceIndex, type RunSlices } from './slices';
import { FileSource, MemorySource, type ByteSource } from './source';

export interface EventFilter {
  kinds?: readonly SimEventKind[];
  cpu?: number;
  pid?: number;
  /** Stop after this many events. */
  limit?: number;
}

/** What a reader could not use: bytes after the last whole chunk. */
export interface TraceRecovery {
  /** The file ends with a valid footer. */
  complete: boolean;
  lostBytes: number;
  reason: string | null;
}

interface LoadedChunk {
  payload: ChunkPayload;
  events?: ChunkEvents;
  keyframe?: SimSnapshot;
}

const CACHE_CHUNKS = 8;

export class TraceReader {
  private readonly cache = new Map<number, LoadedChunk>();
  private readonly slices = new RunSliceIndex();
  private readonly counterIndex = new DsqCounterIndex();
  private indexedChunks = 0;
  /** Per chunk once decoded: which kind codes it holds, so a kind-filtered scan skips chunks without them. */
  private readonly chunkKinds: (Uint8Array | undefined)[] = [];

  private constructor(
    private readonly src: ByteSource,
    readonly header: TraceHeader,
    readonly formatVersion: { major: number; minor: number },
    private readonly scan: ScanState,
  ) {}

  static open(path: string): TraceReader {
    const src = new FileSource(path);
    try {
      return TraceReader.fromSource(src);
    } catch (e) {
      src.close();
      throw e;
    }
  }

  static fromBytes(bytes: Uint8Array, name?: string): TraceReader {
    return TraceReader.fromSource(new MemorySource(bytes, name));
  }

  static fromSource(src: ByteSource): TraceReader {
    const size = src.size();
    const { jsonLen } = checkFixedHeader(src.read(0, Math.min(size, FIXED_HEADER_BYTES)), size, src.name);
    const h = decodeHeader(src.read(0, FIXED_HEADER_BYTES + jsonLen), size, src.name);
    const footer = readFooter(src, h.bodyOffset);
    const scan: ScanState = footer
      ? { chunks: footer, scanEnd: size, complete: true, lostBytes: 0, lostReason: null }
      : { chunks: [], scanEnd: h.bodyOffset, complete: false, lostBytes: 0, lostReason: null };
    if (!footer) scanRecords(src, scan);
    return new TraceReader(src, h.header, { major: h.major, minor: h.minor }, scan);
  }

  get info(): RunInfo {
    return this.header.info;
  }

  get recovery(): TraceRecovery {
    return { complete: this.scan.complete, lostBytes: this.scan.lostBytes, reason: this.scan.lostReason };
  }

  get chunkCount(): number {
    return this.scan.chunks.length;
  }

  get eventCount(): number {
    const last = this.scan.chunks[this.scan.chunks.length - 1];
    return last ? last.firstEvent + last.count : 0;
  }

  get startTime(): number {
    return this.scan.chunks[0]?.tBase ?? 0;
  }

  get endTime(): number {
    const last = this.scan.chunks[this.scan.chunks.length - 1];
    return last ? Math.max(last.tBase, last.tLast) : 0;
  }

  get duration(): number {
    return this.endTime - this.startTime;
  }

  /** Picks up chunks appended since the last look (a live recording). Returns how many are new. */
  refresh(): number {
    if (this.scan.complete) return 0;
    const before = this.scan.chunks.length;
    scanRecords(this.src, this.scan);
    return this.scan.chunks.length - before;
  }

  close(): void {
    this.src.close();
    this.cache.clear();
  }

  /** The state after every event at or before t. */
  stateAt(t: number): SimSnapshot {
    if (!Number.isFinite(t)) throw new TraceError('bad_argument', `stateAt needs a finite time, got ${t}`);
    const ci = this.chunkForTime(t);
    const chunk = this.load(ci);
    const kf = this.keyframeOf(ci, chunk);
    if (t < kf.t) return structuredClone(kf);
    const ev = this.eventsOf(ci, chunk);
    const state = new ReplayState(kf);
    const n = ev.upperBound(t);
    for (let i = 0; i < n; i++) state.apply(ev.event(i));
    return state.snapshot(t);
  }

  /** Events with t0 <= t < t1, in recorded order. */
  events(t0: number, t1: number, filter: EventFilter = {}): SimEvent[] {
    const out: SimEvent[] = [];
    // Kinds compare by code on the column, so skipped events are never built.
    const kinds = filter.kinds ? new Set(filter.kinds.map((k) => KIND_CODE[k])) : null;
    const limit = filter.limit ?? Infinity;
    for (let ci = 0; ci < this.scan.chunks.length && out.length < limit; ci++) {
      const c = this.scan.chunks[ci]!;
      if (c.count === 0 || c.tLast < t0 || c.tFirst >= t1) continue;
      if (kinds && !this.mayHold(ci, kinds)) continue;
      const ev = this.eventsOf(ci, this.indexOnTheWay(ci));
      for (let i = ev.lowerBound(t0); i < ev.count && ev.t[i]! < t1 && out.length < limit; i++) {
        if (filter.cpu !== undefined && ev.cpu[i] !== filter.cpu) continue;
        if (kinds && !kinds.has(ev.kind[i]!)) continue;
        const e = ev.event(i);
        if (filter.pid !== undefined && !mentionsPid(e, filter.pid)) continue;
        out.push(e);
      }
    }
    return out;
  }

  /** Calls fn for every event with t0 <= t < t1, chunk by chunk, without holding them all. */
  forEachEvent(fn: (e: SimEvent) => void, t0 = -Infinity, t1 = Infinity): void {
    for (let ci = 0; ci < this.scan.chunks.length; ci++) {
      const c = this.scan.chunks[ci]!;
      if (c.count === 0 || c.tLast < t0 || c.tFirst >= t1) continue;
      const ev = this.eventsOf(ci, this.indexOnTheWay(ci));
      for (let i = ev.lowerBound(t0); i < ev.count && ev.t[i]! < t1; i++) fn(ev.event(i));
    }
  }

  /** The full state stored at the start of chunk ci (before its first event). */
  keyframe(ci: number): SimSnapshot {
    if (!Number.isInteger(ci) || ci < 0 || ci >= this.scan.chunks.length) throw new TraceError('bad_argument', `no chunk ${ci}; the trace has ${this.scan.chunks.length}`);
    return structuredClone(this.keyframeOf(ci, this.load(ci)));
  }

  /** All events of one chunk (0 <= ci < chunkCount), in order. */
  chunkEvents(ci: number): SimEvent[] {
    if (!Number.isInteger(ci) || ci < 0 || ci >= this.scan.chunks.length) throw new TraceError('bad_argument', `no chunk ${ci}; the trace has ${this.scan.chunks.length}`);
    const ev = this.eventsOf(ci, this.load(ci));
    return Array.from({ length: ev.count }, (_, i) => ev.event(i));
  }

  /** Per-CPU run slices overlapping [t0, t1), sub-pixel slices merged. */
  runSlices(t0: number, t1: number, nsPerPx: number): RunSlices {
    this.indexAll();
    return this.slices.query(t0, t1, nsPerPx);
  }

  /**
   * Index chunks in file order (run slices, DSQ counters, kinds per chunk) until `budgetMs` of wall
   * time has passed, at least one chunk per call; true once every chunk is indexed. Lets a big trace
   * answer its first slices query from a prefix and index the rest between requests.
   */
  indexSome(budgetMs: number): boolean {
    const deadline = performance.now() + budgetMs;
    while (this.indexedChunks < this.scan.chunks.length) {
      this.indexChunk(this.indexedChunks);
      this.indexedChunks++;
      if (performance.now() >= deadline) break;
    }
    return this.indexedChunks >= this.scan.chunks.length;
  }

  /** Slices and counters are complete before this instant: the start of the first chunk not indexed yet (Infinity when all are). */
  get indexedUntil(): number {
    const next = this.scan.chunks[this.indexedChunks];
    return next ? next.tBase : Infinity;
  }

  /** runSlices over what is indexed so far (see indexSome), without indexing more. */
  indexedRunSlices(t0: number, t1: number, nsPerPx: number): RunSlices {
    return this.slices.query(t0, t1, nsPerPx);
  }

  /** DSQ depth step series over [t0, t1), at most one point per pixel. */
  counters(t0: number, t1: number, nsPerPx: number, dsqs?: readonly string[]): CounterSeries[] {
    this.indexAll();
    return this.counterIndex.query(t0, t1, nsPerPx, dsqs);
  }

  /** The chunk index (offsets, times, counts), for tools and tests. */
  chunks(): readonly ChunkIndexEntry[] {
    return this.scan.chunks;
  }

  private indexAll(): void {
    for (; this.indexedChunks < this.scan.chunks.length; this.indexedChunks++) this.indexChunk(this.indexedChunks);
  }

  private indexChunk(ci: number): void {
    const chunk = this.load(ci);
    if (!this.counterIndex.isStarted) this.counterIndex.start(this.keyframeOf(ci, chunk));
    const ev = this.eventsOf(ci, chunk);
    this.slices.consume(chunk.payload.meta, ev);
    this.counterIndex.consume(ev);
  }

  /**
   * Chunk ci, loaded; when it is the next one the index lacks, indexed too: a scan that decodes chunks
   * in order anyway (the first whole-trace query of a big trace) builds the slice index as it goes.
   */
  private indexOnTheWay(ci: number): LoadedChunk {
    if (ci === this.indexedChunks) {
      this.indexChunk(ci);
      this.indexedChunks++;
    }
    return this.load(ci);
  }

  /** False only when chunk ci was decoded before and holds none of `kinds` (codes). */
  private mayHold(ci: number, kinds: ReadonlySet<number>): boolean {
    const present = this.chunkKinds[ci];
    if (!present) return true;
    for (const k of kinds) if (present[k]) return true;
    return false;
  }

  private chunkForTime(t: number): number {
    const chunks = this.scan.chunks;
    if (chunks.length === 0) {
      throw new TraceError('no_chunks', `the trace holds no whole chunk yet${this.scan.lostReason ? ` (${this.scan.lostReason})` : ''}`, this.where());
    }
    // Last chunk whose keyframe is at or before t (before the first: the first).
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (chunks[mid]!.tBase <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private where(chunk?: number, offset?: number): { file?: string; chunk?: number; offset?: number } {
    const w: { file?: string; chunk?: number; offset?: number } = {};
    if (this.src.name !== undefined) w.file = this.src.name;
    if (chunk !== undefined) w.chunk = chunk;
    if (offset !== undefined) w.offset = offset;
    return w;
  }

  private load(ci: number): LoadedChunk {
    const hit = this.cache.get(ci);
    if (hit) {
      this.cache.delete(ci);
      this.cache.set(ci, hit);
      return hit;
    }
    const c = this.scan.chunks[ci]!;
    try {
      const rec = this.src.read(c.offset, c.length);
      const rh = parseRecordHeader(rec);
      if (!rh || rh.type !== RECORD_CHUNK || rh.length !== c.length - RECORD_HEADER_BYTES) throw new TraceError('corrupt', 'the index points at something that is not a chunk');
      const payload = rec.subarray(RECORD_HEADER_BYTES);
      if (crc32(payload) !== rh.crc) throw new TraceError('checksum', 'the chunk fails its checksum: the file is damaged here');
      const loaded: LoadedChunk = { payload: decodeChunkPayload(payload) };
      this.cache.set(ci, loaded);
      if (this.cache.size > CACHE_CHUNKS) this.cache.delete(this.cache.keys().next().value!);
      return loaded;
    } catch (e) {
      throw this.located(e, ci, c.offset);
    }
  }

  private keyframeOf(ci: number, chunk: LoadedChunk): SimSnapshot {
    try {
      return (chunk.keyframe ??= chunk.payload.keyframe());
    } catch (e) {
      throw this.located(e, ci, this.scan.chunks[ci]!.offset);
    }
  }

  private eventsOf(ci: number, chunk: LoadedChunk): ChunkEvents {
    try {
      if (!chunk.events) {
        chunk.events = decodeChunkEvents(chunk.payload.events(), chunk.payload.meta.tBase);
        if (!this.chunkKinds[ci]) {
          const present = new Uint8Array(256);
          const kind = chunk.events.kind;
          for (let i = 0; i < chunk.events.count; i++) present[kind[i]!] = 1;
          this.chunkKinds[ci] = present;
        }
      }
      return chunk.events;
    } catch (e) {
      throw this.located(e, ci, this.scan.chunks[ci]!.offset);
    }
  }

  private located(e: unknown, chunk: number, offset: number): unknown {
    if (e instanceof TraceError && e.where.chunk === undefined) return new TraceError(e.code, e.detail, this.where(chunk, offset));
    return e;
  }
}

function mentionsPid(e: SimEvent, pid: number): boolean {
  switch (e.kind) {
    case 'switch':
      return e.prevPid === pid || e.nextPid === pid;
    case 'task_new':
    case 'task_exit':
    case 'task_state':
    case 'op':
    case 'dsq_insert':
    case 'dsq_remove':
      return e.pid === pid;
    default:
      return false;
  }
}
