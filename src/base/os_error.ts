// Operating-system errors (Node's errno exceptions) in a few plain words, so
// a message can say "x.scxtrace: is a directory" instead of carrying
// "EISDIR: illegal operation on a directory, read" and a stack trace.

const WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EEXIST: 'already exists',
  EIO: 'input/output error',
};

/** The errno code of a Node system error, or undefined for any other value. */
export function osErrorCode(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** "is a directory" for EISDIR, …; the code itself for one without words here; else the message. */
export function osErrorText(e: unknown): string {
  const code = osErrorCode(e);
  if (code) return WORDS[code] ?? code;
  return e instanceof Error ? e.message : String(e);
}
