// The byte layout of a trace file (docs/trace-format.md): a header, then
// self-delimiting records (chunks, then one footer), then a fixed trailer
// that points at the footer. Every structure carries a CRC32.

import type { RunInfo } from '../../model/events';
import { ByteReader } from './bytes';
import { crc32 } from './crc32';
import { TraceError } from './errors';

export const FORMAT_MAJOR = 1;
export const FORMAT_MINOR = 1;

export const FILE_MAGIC = new TextEncoder().encode('SCXTRACE'); // 8 bytes
export const RECORD_MAGIC = 0x52584353; // "SCXR" little-endian
export const TRAILER_MAGIC = new TextEncoder().encode('SCXTEND\0'); // 8 bytes
export const FIXED_HEADER_BYTES = 20;
export const RECORD_HEADER_BYTES = 16;
export const TRAILER_BYTES = 16;

export const RECORD_CHUNK = 1;
export const RECORD_FOOTER = 2;

/** Descriptive tables that label things in the UI (BTF names, map and program names, line table). */
export type TraceLabels = Record<string, unknown>;

export interface TraceHeader {
  format: 'scxray-trace';
  info: RunInfo;
  labels: TraceLabels;
  /** Events per chunk the recorder aimed for. */
  chunkEvents: number;
}

export interface DecodedHeader {
  major: number;
  minor: number;
  header: TraceHeader;
  /** Offset of the first record. */
  bodyOffset: number;
}

export function encodeHeader(h: TraceHeader): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(h));
  const out = new Uint8Array(FIXED_HEADER_BYTES + json.length);
  const v = new DataView(out.buffer);
  out.set(FILE_MAGIC, 0);
  v.setUint16(8, FORMAT_MAJOR, true);
  v.setUint16(10, FORMAT_MINOR, true);
  v.setUint32(12, json.length, true);
  v.setUint32(16, crc32(json), true);
  out.set(json, FIXED_HEADER_BYTES);
  return out;
}

/**
 * Checks magic, version and length from the first FIXED_HEADER_BYTES (or
 * fewer, if that is all the file has) and returns the header JSON length.
 */
export function checkFixedHeader(prefix: Uint8Array, fileSize: number, file?: string): { major: number; minor: number; jsonLen: number } {
  const where = file === undefined ? {} : { file };
  const magicLen = Math.min(prefix.length, FILE_MAGIC.length);
  for (let i = 0; i < magicLen; i++) {
    if (prefix[i] !== FILE_MAGIC[i]) throw new TraceError('not_a_trace', 'not an scxray trace (the file does not start with "SCXTRACE")', { ...where, offset: 0 });
  }
  if (prefix.length < FIXED_HEADER_BYTES) throw new TraceError('truncated', `the file is ${fileSize} bytes, too short for a trace header`, where);
  const v = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const major = v.getUint16(8, true);
  const minor = v.getUint16(10, true);
  if (major > FORMAT_MAJOR) {
    throw new TraceError('newer_version', `trace format ${major}.${minor} is newer than this scxray reads (${FORMAT_MAJOR}.x); open it with a newer scxray`, where);
  }
  if (major < 1) throw new TraceError('corrupt', `trace format major version ${major} does not exist`, { ...where, offset: 8 });
  const jsonLen = v.getUint32(12, true);
  if (FIXED_HEADER_BYTES + jsonLen > fileSize) throw new TraceError('truncated', `the header needs ${jsonLen} bytes but the file ends at ${fileSize}`, { ...where, offset: 12 });
  return { major, minor, jsonLen };
}

/** Parses the whole header; `prefix` must hold FIXED_HEADER_BYTES + its JSON length. */
export function decodeHeader(prefix: Uint8Array, fileSize: number, file?: string): DecodedHeader {
  const where = file === undefined ? {} : { file };
  const { major, minor, jsonLen } = checkFixedHeader(prefix, fileSize, file);
  const v = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const json = prefix.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + jsonLen);
  if (json.length !== jsonLen) throw new RangeError('decodeHeader: prefix too short');
  if (crc32(json) !== v.getUint32(16, true)) throw new TraceError('checksum', 'the header checksum does not match: the file is damaged', { ...where, offset: FIXED_HEADER_BYTES });
  let header: TraceHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json)) as TraceHeader;
  } catch {
    throw new TraceError('corrupt', 'the header is not valid JSON', { ...where, offset: FIXED_HEADER_BYTES });
  }
  if (typeof header !== 'object' || header === null || typeof header.info !== 'object' || header.info === null) {
    throw new TraceError('corrupt', 'the header has no run info', { ...where, offset: FIXED_HEADER_BYTES });
  }
  header.labels ??= {};
  return { major, minor, header, bodyOffset: FIXED_HEADER_BYTES + jsonLen };
}

export function encodeRecord(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_BYTES + payload.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, RECORD_MAGIC, true);
  out[4] = type;
  v.setUint32(8, payload.length, true);
  v.setUint32(12, crc32(payload), true);
  out.set(payload, RECORD_HEADER_BYTES);
  return out;
}

export interface RecordHeader {
  type: number;
  length: number;
  crc: number;
}

/** Null when the 16 bytes are not a record header (bad magic or type). */
export function parseRecordHeader(b: Uint8Array, off = 0): RecordHeader | null {
  const v = new DataView(b.buffer, b.byteOffset + off, RECORD_HEADER_BYTES);
  if (v.getUint32(0, true) !== RECORD_MAGIC) return null;
  const type = b[off + 4]!;
  if (type !== RECORD_CHUNK && type !== RECORD_FOOTER) return null;
  return { type, length: v.getUint32(8, true), crc: v.getUint32(12, true) };
}

export function encodeTrailer(footerOffset: number): Uint8Array {
  const out = new Uint8Array(TRAILER_BYTES);
  new DataView(out.buffer).setFloat64(0, footerOffset, true);
  out.set(TRAILER_MAGIC, 8);
  return out;
}

/** The footer record's offset, or null if these bytes are not a trailer. */
export function parseTrailer(b: Uint8Array): number | null {
  if (b.length !== TRAILER_BYTES) return null;
  for (let i = 0; i < 8; i++) if (b[8 + i] !== TRAILER_MAGIC[i]) return null;
  const off = new ByteReader(b, 0, 8).f64();
  return Number.isSafeInteger(off) && off >= 0 ? off : null;
}
