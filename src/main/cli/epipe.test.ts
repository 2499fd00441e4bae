// `scxray replay … | head`: the reader closing the pipe early ends the
// command quietly (exit 0, no EPIPE stack trace on stderr).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

describe('scxray replay into a pipe closed early', () => {
  it('exits 0 without a stack trace', async () => {
    const child = spawn(process.execPath, [resolve(ROOT, 'bin', 'scxray.mjs'), 'replay', resolve(ROOT, 'assets', 'traces', 'rbtree-interactive.scxtrace'), '--events', '..'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `head -1`: read the first chunk, then close our end.
    const first = await new Promise<string>((done) => child.stdout.once('data', (d: Buffer) => done(d.toString())));
    child.stdout.destroy();
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(first).toMatch(/task_new/);
    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error'/);
    expect(code).toBe(0);
  }, 60_000);
});
