// Turn a FileRef (path, upload or bundled example) into bytes and a name for
// messages. Paths are checked by the host's policy first, before the file is
// touched: the browser host opens paths under the folders it was started for;
// Electron only paths main handed out, the examples and its own runs' traces.

import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { FileRef, SessionError } from '../../protocol/contract';

export interface FileBytes {
  /** Basename for messages. */
  name: string;
  /** Absolute path when the file is on disk. */
  path?: string;
  bytes: Uint8Array;
}

export class SessionFailure extends Error {
  constructor(readonly error: SessionError) {
    super(error.message);
    this.name = 'SessionFailure';
  }
}

export function fail(error: SessionError): never {
  throw new SessionFailure(error);
}

/**
 * Largest file read whole (objects, sched traces to import): checked with stat before any byte is read.
 * Recorded timelines opened by path are not read whole (locateFileRef + TraceReader.open read the index and
 * then chunks on demand), so they have no limit.
 */
export const MAX_READ_WHOLE = 256 * 1024 * 1024;

export interface FileRefOptions {
  resolveExample: (name: string) => string | undefined;
  allowPath: (path: string) => boolean;
}

/** A file on disk that a request names, checked by policy and stat but not read. */
export interface FileOnDisk {
  name: string;
  path: string;
  size: number;
}

/** Uploads become bytes (they arrived whole); paths and examples are located and checked, not read. */
export async function locateFileRef(ref: FileRef, opts: FileRefOptions): Promise<FileBytes | FileOnDisk> {
  if ('dataBase64' in ref) {
    const name = basename(ref.name);
    // Buffer.from ignores bad characters silently; check the alphabet so a corrupt upload is not read as a short file.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(ref.dataBase64)) {
      fail({ code: 'invalid_request', message: `${name}: upload is not valid base64`, file: name, where: 'params.dataBase64' });
    }
    return { name, bytes: new Uint8Array(Buffer.from(ref.dataBase64, 'base64')) };
  }
  let path: string;
  if ('example' in ref) {
    const found = opts.resolveExample(ref.example);
    if (!found) fail({ code: 'not_found', message: `no bundled example named "${ref.example.slice(0, 100)}"`, where: 'params.example' });
    path = found;
  } else {
    path = resolve(ref.path);
    if (!opts.allowPath(path)) {
      fail({
        code: 'forbidden',
        message: `${basename(path)}: outside the folders this host opens files from (the bundled examples, and files chosen in the app's dialog or, for scxray serve, its working directory and each --allow-path DIR)`,
        file: basename(path),
      });
    }
  }
  const name = basename(path);
  try {
    const st = await stat(path);
    if (!st.isFile()) fail({ code: 'io', message: `${path}: not a regular file`, file: name });
    return { name, path, size: st.size };
  } catch (e) {
    throw fileFailure(e, path);
  }
}

export async function readFileRef(ref: FileRef, opts: FileRefOptions): Promise<FileBytes> {
  const located = await locateFileRef(ref, opts);
  if ('bytes' in located) return located;
  const { name, path, size } = located;
  if (size > MAX_READ_WHOLE) {
    fail({ code: 'io', message: `${path}: ${size} bytes is larger than the ${MAX_READ_WHOLE / 1024 / 1024} MB this host reads whole; a scheduler object is far smaller`, file: name });
  }
  try {
    // fs/promises reads on libuv's thread pool: the host keeps serving other clients meanwhile
    return { name, path, bytes: new Uint8Array(await readFile(path)) };
  } catch (e) {
    throw fileFailure(e, path);
  }
}

function fileFailure(e: unknown, path: string): SessionFailure {
  if (e instanceof SessionFailure) return e;
  const name = basename(path);
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return new SessionFailure({ code: 'not_found', message: `${path}: no such file`, file: name });
  return new SessionFailure({ code: 'io', message: `${path}: cannot read (${err.code ?? err.message})`, file: name });
}
