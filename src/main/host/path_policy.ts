// Which files a browser-host session may open by path: only those inside the
// directories the host was started for (its working directory, the bundled
// examples, each `--allow-path DIR`). Decided before the file is touched, so
// a refused path tells nothing about whether it exists or what it is; a path
// whose real location (symlinks resolved) is outside is refused as well.

import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';

function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

function real(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** A predicate over absolute paths: true when the path (and its real location) lies in one of `dirs`. */
export function pathPolicy(dirs: readonly string[]): (path: string) => boolean {
  const lexical = dirs.map((d) => resolve(d));
  const reals = lexical.map((d) => real(d) ?? d);
  const roots = [...new Set([...lexical, ...reals])];
  return (path) => {
    const p = resolve(path);
    if (!roots.some((d) => inside(p, d))) return false;
    const r = real(p);
    // Absent: the read that follows says "no such file", which is no leak inside an allowed directory.
    return r === null || reals.some((d) => inside(r, d));
  };
}
