// Big files (#18 point 4): a scheduler object is refused by its size before a
// byte is read; a recorded timeline is opened by reading its header and chunk
// index, never whole, so a 600 MB file costs neither time nor memory.
import { describe, expect, it } from 'vitest';
import { closeSync, copyFileSync, ftruncateSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from './session';
import type { TraceSummary } from '../../protocol/contract';

const assetsDir = new URL('../../../assets', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'scxray-big-'));

/** A sparse file of `bytes` (no disk blocks for the hole), starting with `head`. */
function sparse(name: string, bytes: number, head: Uint8Array = new Uint8Array(0)): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return path;
}

describe('big files', () => {
  it('refuses a 600 MB object by its size, without reading it', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    const path = sparse('huge.bpf.o', 600 * 1024 * 1024, new Uint8Array([0x7f, 0x45, 0x4c, 0x46]));
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const r = await s.handle({ method: 'openObject', params: { path } });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(100 * 1024 * 1024);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/629145600 bytes is larger than the 256 MB this host reads whole/);
    s.dispose();
  });

  it('opens a trace by path without reading it whole: a 600 MB non-trace is refused from its first bytes', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    const path = sparse('huge.scxtrace', 600 * 1024 * 1024);
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const r = await s.handle({ method: 'openTrace', params: { path } });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(100 * 1024 * 1024);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('trace_bad');
    s.dispose();
  });

  it('a trace opened by path is read through the file (index, then chunks) and answers queries', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    const path = join(dir, 'padded.scxtrace');
    copyFileSync(join(assetsDir, 'traces', 'rbtree-interactive.scxtrace'), path);
    const rss0 = process.memoryUsage().rss;
    const r = await s.handle({ method: 'openTrace', params: { path } });
    expect(r.ok).toBe(true);
    if (r.ok) expect((r.result as TraceSummary).eventCount).toBeGreaterThan(1000);
    const slices = await s.handle({ method: 'slices', params: { t0: 0, t1: 1e9, nsPerPx: 1e6 } });
    expect(slices.ok).toBe(true);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(100 * 1024 * 1024);
    s.dispose();
  });
});
