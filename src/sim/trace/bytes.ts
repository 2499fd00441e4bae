// Growable byte writer and bounds-checked reader with LEB128 varints. Values
// are JS numbers up to 2^53; zigzag maps signed values to unsigned so small
// negatives stay small. Every read checks bounds and throws a TraceError, so
// corrupt input can never read past the end or loop forever.

import { TraceError } from './errors';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initial = 1024) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  /** Unsigned LEB128 of a non-negative integer (exact for any integer-valued double below 2^70). */
  uvar(v: number): void {
    this.ensure(10);
    if (v < 0x80) {
      this.buf[this.length++] = v;
      return;
    }
    if (v <= 0xffff_ffff) {
      // Below 2^32 (most times, deltas and ids): integer shifts instead of float division.
      let len = this.length;
      while (v >= 0x80) {
        this.buf[len++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      this.buf[len++] = v;
      this.length = len;
      return;
    }
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** Zigzag-encoded signed integer. */
  svar(v: number): void {
    this.uvar(v < 0 ? -2 * v - 1 : 2 * v);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Length-prefixed UTF-8 string. */
  str(s: string): void {
    const b = encoder.encode(s);
    this.uvar(b.length);
    this.bytes(b);
  }

  /** The written bytes (a view; copy if the writer is reused). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

export class ByteReader {
  pos: number;
  private readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
    private readonly what = 'data',
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new TraceError('corrupt', `${this.what} ends early: needed ${n} more bytes at ${this.pos}, have ${this.end - this.pos}`);
    }
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  uvar(): number {
    let b = this.u8();
    if (b < 0x80) return b;
    let v = b & 0x7f;
    let mul = 0x80;
    for (let i = 1; i < 10; i++) {
      b = this.u8();
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 0x80;
    }
    throw new TraceError('corrupt', `${this.what}: varint longer than 10 bytes at ${this.pos}`);
  }

  svar(): number {
    const u = this.uvar();
    return u % 2 === 1 ? -(u + 1) / 2 : u / 2;
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  str(): string {
    const n = this.uvar();
    const b = this.bytes(n);
    try {
      return decoder.decode(b);
    } catch {
      throw new TraceError('corrupt', `${this.what}: invalid UTF-8 string at ${this.pos - n}`);
    }
  }
}
