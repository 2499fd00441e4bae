// Where the Electron binary is, if this machine has one. `npm ci` with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1 (or a failed download) leaves none, and
// the Electron e2e project is then skipped with one clear line.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronBinary(root = process.cwd()): string | null {
  const pkg = join(root, 'node_modules', 'electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const exe = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}
