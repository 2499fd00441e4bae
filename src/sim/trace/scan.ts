// Finds the chunks of a trace. A closed file ends in a trailer that points at
// the footer (the index): one read. A file without a valid footer — the
// recorder died, or is still writing — is walked record by record from the
// header, checking each CRC; the walk stops at the first record that is not
// whole and says how many bytes after it could not be used.

import { decodeChunkPayload, decodeFooter, type ChunkIndexEntry } from './chunk_codec';
import { crc32 } from './crc32';
import { TraceError } from './errors';
import { parseRecordHeader, parseTrailer, RECORD_CHUNK, RECORD_FOOTER, RECORD_HEADER_BYTES, TRAILER_BYTES } from './format';
import type { ByteSource } from './source';

export interface ScanState {
  chunks: ChunkIndexEntry[];
  /** End of the last whole record: where the next scan continues. */
  scanEnd: number;
  /** The footer was found: the file is complete and will not grow. */
  complete: boolean;
  /** Bytes after the last whole chunk that could not be read, and why. */
  lostBytes: number;
  lostReason: string | null;
}

/** Reads the index from the footer, or null if the file has no valid footer. */
export function readFooter(src: ByteSource, bodyOffset: number): ChunkIndexEntry[] | null {
  const size = src.size();
  if (size < bodyOffset + RECORD_HEADER_BYTES + TRAILER_BYTES) return null;
  const footerOffset = parseTrailer(src.read(size - TRAILER_BYTES, TRAILER_BYTES));
  if (footerOffset === null || footerOffset < bodyOffset || footerOffset + RECORD_HEADER_BYTES > size - TRAILER_BYTES) return null;
  const rh = parseRecordHeader(src.read(footerOffset, RECORD_HEADER_BYTES));
  if (!rh || rh.type !== RECORD_FOOTER || footerOffset + RECORD_HEADER_BYTES + rh.length !== size - TRAILER_BYTES) return null;
  const payload = src.read(footerOffset + RECORD_HEADER_BYTES, rh.length);
  if (crc32(payload) !== rh.crc) return null;
  let chunks: ChunkIndexEntry[];
  try {
    chunks = decodeFooter(payload);
  } catch (e) {
    if (e instanceof TraceError) return null;
    throw e;
  }
  // The index must tile the body exactly, in time order; otherwise distrust it and scan.
  let expect = bodyOffset;
  let prevT = -Infinity;
  for (const c of chunks) {
    if (c.offset !== expect || c.length < RECORD_HEADER_BYTES || c.tBase < prevT) return null;
    expect += c.length;
    prevT = Math.max(c.tBase, c.tLast);
  }
  return expect === footerOffset ? chunks : null;
}

/** Walks records from state.scanEnd, appending whole chunks; updates state in place. */
export function scanRecords(src: ByteSource, state: ScanState): void {
  const size = src.size();
  let off = state.scanEnd;
  state.lostBytes = 0;
  state.lostReason = null;
  while (off < size) {
    if (size - off < RECORD_HEADER_BYTES) {
      lose(state, size - off, `a record header at byte ${off} is cut off`);
      break;
    }
    const rh = parseRecordHeader(src.read(off, RECORD_HEADER_BYTES));
    if (!rh) {
      lose(state, size - off, `no record starts at byte ${off} (damaged or not written)`);
      break;
    }
    const end = off + RECORD_HEADER_BYTES + rh.length;
    if (end > size) {
      lose(state, size - off, `the record at byte ${off} needs ${rh.length} bytes; the file ends ${end - size} bytes early`);
      break;
    }
    const payload = src.read(off + RECORD_HEADER_BYTES, rh.length);
    if (crc32(payload) !== rh.crc) {
      lose(state, size - off, `the record at byte ${off} fails its checksum`);
      break;
    }
    if (rh.type === RECORD_FOOTER) {
      state.complete = true;
      state.scanEnd = end;
      break;
    }
    if (rh.type === RECORD_CHUNK) {
      let meta;
      try {
        meta = decodeChunkPayload(payload).meta;
      } catch (e) {
        if (!(e instanceof TraceError)) throw e;
        lose(state, size - off, `the chunk at byte ${off} does not decode: ${e.message}`);
        break;
      }
      const prev = state.chunks[state.chunks.length - 1];
      const firstEvent = prev ? prev.firstEvent + prev.count : 0;
      state.chunks.push({ ...meta, offset: off, length: end - off, firstEvent });
    }
    off = end;
    state.scanEnd = end;
  }
}

function lose(state: ScanState, bytes: number, reason: string): void {
  state.lostBytes = bytes;
  state.lostReason = reason;
}
