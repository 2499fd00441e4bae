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

const MAX_FILE = 512 * 1024 * 1024;

export async function readFileRef(
  ref: FileRef,
  opts: { resolveExample: (name: string) => string | undefined; allowPath: (path: string) => boolean },
): Promise<FileBytes> {
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
    if (!found) fail({ code: 'not_found', message: `no bundled example named "${ref.example}"`, where: 'params.example' });
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
    if (st.size > MAX_FILE) fail({ code: 'io', message: `${path}: ${st.size} bytes is larger than the ${MAX_FILE}-byte limit`, file: name });
    return { name, path, bytes: new Uint8Array(await readFile(path)) };
  } catch (e) {
    if (e instanceof SessionFailure) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') fail({ code: 'not_found', message: `${path}: no such file`, file: name });
    fail({ code: 'io', message: `${path}: cannot read (${err.code ?? err.message})`, file: name });
  }
}
