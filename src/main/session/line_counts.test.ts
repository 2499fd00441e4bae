// lineCounts over a recorded trace of the example rbtree scheduler: every
// counted line is a line of rbtree.bpf.c that calls the kfunc its events
// say (bpf_obj_new for allocations, bpf_obj_drop for frees, the rbtree and
// kptr calls for moves), the totals equal the window's events, and op calls
// equal the op events; a cut-short read says so.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimEvent } from '../../model/events';
import type { LineCounts } from '../../protocol/line_counts';
import { Simulation } from '../../sim/simulation';
import { exampleScheduler, REPO_ROOT } from '../../sim/testing/fixtures';
import { objectLabels } from '../../sim/trace/labels';
import { TraceReader } from '../../sim/trace/reader';
import { TraceRecorder } from '../../sim/trace/recorder';
import { countLines, lineCounts } from './line_counts';
import { Session } from './session';
import { readerTimeline } from './timeline';

const dir = mkdtempSync(join(tmpdir(), 'scxray-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const source = readFileSync(join(REPO_ROOT, 'assets/schedulers/rbtree.bpf.c'), 'utf8').split('\n');

function recordRbtree(): string {
  const sim = new Simulation({ objectBytes: exampleScheduler('rbtree'), file: 'rbtree.bpf.o', workload: 'interactive', cpus: 3, seed: 5 });
  const path = join(dir, 'rbtree.scxtrace');
  const rec = new TraceRecorder(path, sim.info, { labels: objectLabels(sim.object), chunkEvents: 500, snapshot: () => sim.snapshot() });
  sim.on((e) => rec.event(e));
  sim.runFor(30_000_000);
  rec.close();
  return path;
}

describe('lineCounts', () => {
  const path = recordRbtree();

  it('counts each line\'s ownership events at the line that calls the kfunc, and op calls per op', () => {
    const reader = TraceReader.open(path);
    try {
      const t0 = 0;
      const t1 = 25_000_000;
      const lc = lineCounts(readerTimeline(reader), t0, t1);
      expect(lc.truncated).toBe(false);
      expect(lc.runs).toBe('not_recorded');
      const all = reader.events(t0, t1);
      const count = (k: SimEvent['kind']) => all.filter((e) => e.kind === k).length;
      const sum = (f: (r: LineCounts['lines'][number]) => number) => lc.lines.reduce((n, r) => n + f(r), 0);
      expect(count('obj_new')).toBeGreaterThan(10);
      expect(sum((r) => r.alloc)).toBe(count('obj_new'));
      // every owner change and free the runtime records on the scheduler's behalf has a site
      // (bpf_obj_new's hand-over from 'freed' to the program is part of the allocation, not a move)
      expect(sum((r) => r.move)).toBe(all.filter((e) => e.kind === 'obj_owner' && e.site?.line && e.from.kind !== 'freed').length);
      expect(sum((r) => r.free)).toBe(all.filter((e) => e.kind === 'obj_free' && e.site?.line).length);
      expect(sum((r) => r.move)).toBeGreaterThan(10);
      for (const r of lc.lines) {
        expect(r.file).toMatch(/rbtree\.bpf\.c$/);
        const text = source[r.line - 1]!;
        if (r.alloc > 0) expect(text).toContain('bpf_obj_new');
        if (r.free > 0) expect(text).toMatch(/bpf_obj_drop|bpf_kptr_xchg/);
        if (r.move > 0) expect(text).toMatch(/bpf_rbtree_(add|remove)|bpf_kptr_xchg/);
      }
      // one allocation line per allocated type
      expect(lc.lines.filter((r) => r.alloc > 0).map((r) => source[r.line - 1]!.trim()).sort()).toEqual(['node = bpf_obj_new(struct task_node);', 'tctx = bpf_obj_new(struct task_ctx);']);
      const ops = new Map(lc.ops.map((o) => [o.op, o]));
      const enqueues = all.filter((e): e is SimEvent & { kind: 'op' } => e.kind === 'op' && e.op === 'enqueue');
      expect(ops.get('enqueue')?.calls).toBe(enqueues.length);
      expect(ops.get('enqueue')?.insns).toBe(enqueues.reduce((n, e) => n + e.insns, 0));
    } finally {
      reader.close();
    }
  });

  it('counts only [t0, t1) and says when a read was cut short', () => {
    const e = (t: number, line: number): SimEvent => ({ t, kind: 'obj_new', obj: t, type: 'struct x', size: 8, site: { program: 'p', insn: 3, file: 'a.bpf.c', line } });
    const events = [e(1, 7), e(2, 7), e(3, 9), e(4, 7)];
    const lc = countLines(events, 2, 4);
    expect(lc.lines).toEqual([
      { file: 'a.bpf.c', line: 7, program: 'p', alloc: 1, move: 0, free: 0 },
      { file: 'a.bpf.c', line: 9, program: 'p', alloc: 1, move: 0, free: 0 },
    ]);
    const cut = lineCounts({ events: () => ({ events, truncated: true }) }, 0, 10);
    expect(cut.truncated).toBe(true);
    // the window ends at the last event read; the events at that instant are left for the next answer
    expect(cut.t1).toBe(4);
    expect(cut.lines.find((r) => r.line === 7)!.alloc).toBe(2);
  });

  it('is a session method validated by the contract', async () => {
    const s = new Session({ host: 'browser', assetsDir: join(REPO_ROOT, 'assets') });
    await s.handle({ method: 'openTrace', params: { path } });
    const r = await s.handle({ method: 'lineCounts', params: { t0: 0, t1: 30_000_000 } });
    expect(r.ok).toBe(true);
    expect((r as { result: LineCounts }).result.lines.length).toBeGreaterThan(2);
    const bad = await s.handle({ method: 'lineCounts', params: { t0: 5, t1: 1 } });
    expect(bad.ok).toBe(false);
  });
});
