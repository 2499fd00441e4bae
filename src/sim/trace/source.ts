// Where trace bytes come from: a file read by ranges (it may still be
// growing while a recorder appends to it) or bytes already in memory.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { TraceError } from './errors';
import { osErrorText } from '../../base/os_error';

export interface ByteSource {
  readonly name: string | undefined;
  size(): number;
  /** Exactly `len` bytes at `off`; the caller checked they exist. */
  read(off: number, len: number): Uint8Array;
  close(): void;
}

export class MemorySource implements ByteSource {
  constructor(
    private readonly bytes: Uint8Array,
    readonly name: string | undefined = undefined,
  ) {}
  size(): number {
    return this.bytes.length;
  }
  read(off: number, len: number): Uint8Array {
    return this.bytes.subarray(off, off + len);
  }
  close(): void {}
}

export class FileSource implements ByteSource {
  private fd: number | null;

  constructor(readonly name: string) {
    let fd: number;
    try {
      fd = openSync(name, 'r');
    } catch (e) {
      throw new TraceError('io', `cannot open: ${osErrorText(e)}`, { file: name });
    }
    // open(2) succeeds on a directory; say so here rather than fail on the first read.
    const st = fstatSync(fd);
    if (!st.isFile()) {
      closeSync(fd);
      throw new TraceError('io', st.isDirectory() ? 'is a directory, not a trace file' : 'not a regular file', { file: name });
    }
    this.fd = fd;
  }

  private handle(): number {
    if (this.fd === null) throw new TraceError('closed', 'the trace reader is closed', { file: this.name });
    return this.fd;
  }

  size(): number {
    return fstatSync(this.handle()).size;
  }

  read(off: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const n = readSync(this.handle(), out, done, len - done, off + done);
      if (n === 0) throw new TraceError('truncated', `the file ended while reading ${len} bytes at ${off}`, { file: this.name, offset: off + done });
      done += n;
    }
    return out;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
