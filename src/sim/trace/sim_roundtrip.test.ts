// Round trip against the real simulator: record a run of every example
// scheduler to a file, then stateAt(t) from the file must equal the live
// Simulation.snapshot() at t, for many t. Exactly at keyframes; between them
// everything events determine (see docs/trace-format.md, "Replay semantics"):
// the fields the events do not carry (task vtime/slice/runtime, heap object
// field values) are left out of the comparison. rbtree shape (parents, red)
// is compared exactly: replay repeats each add at its recorded position on
// the runtime's own red-black tree. Heap fields must be the keyframe's.

import { readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimSnapshot } from '../../model/events';
import { Simulation } from '../simulation';
import { exampleScheduler, REPO_ROOT } from '../testing/fixtures';
import { TraceReader } from './reader';
import { TraceRecorder } from './recorder';
import { objectLabels } from './labels';

const dir = mkdtempSync(join(tmpdir(), 'scxray-simrt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function determined(s: SimSnapshot): unknown {
  return {
    t: s.t,
    cpus: s.cpus,
    dsqs: s.dsqs,
    tasks: s.tasks.map(({ vtime: _v, slice: _s, runtimeNs: _r, waitNs: _w, readySince: _rs, ...rest }) => rest),
    heap: s.heap.map(({ fields: _f, fieldsAt: _fa, ...rest }) => rest),
    roots: s.roots,
    slots: s.slots,
    exited: s.exited,
  };
}

const schedulers = readdirSync(join(REPO_ROOT, 'assets/schedulers'))
  .filter((f) => f.endsWith('.bpf.o'))
  .map((f) => f.slice(0, -'.bpf.o'.length));

describe('trace round trip on the real simulator', () => {
  it('finds the example schedulers', () => expect(schedulers.length).toBeGreaterThanOrEqual(5));
  for (const sched of schedulers) {
    const workload = sched === 'cgweight' ? 'cgroups' : 'interactive';
    it(`${sched} on ${workload}: stateAt(t) from the file equals the live snapshot`, () => {
      const sim = new Simulation({ objectBytes: exampleScheduler(sched), file: `${sched}.bpf.o`, workload, cpus: 3, seed: 11 });
      const path = join(dir, `${sched}.scxtrace`);
      const keyframes: SimSnapshot[] = [];
      const rec = new TraceRecorder(path, sim.info, {
        labels: objectLabels(sim.object),
        chunkEvents: 100,
        snapshot: () => {
          const s = sim.snapshot();
          keyframes.push(s);
          return s;
        },
      });
      sim.on((e) => rec.event(e));
      const samples: SimSnapshot[] = [];
      for (let i = 0; i < 120; i++) {
        sim.runFor(175_000);
        samples.push(sim.snapshot());
      }
      rec.close();
      const r = TraceReader.open(path);
      expect(r.info).toEqual(sim.info);
      // The header labels name the programs and lines events refer to.
      const labels = r.header.labels as ReturnType<typeof objectLabels>;
      expect(labels.programs.map((p) => p.name)).toEqual(sim.object.programs.map((p) => p.name));
      expect(labels.structOps[0]!.ops).toEqual(sim.object.structOps[0]!.ops);
      const prog = sim.object.programs.find((p) => p.image.lineInfo.length > 0)!;
      const li = prog.image.lineInfo[0]!;
      const l = labels.lines[prog.name]!;
      expect([l.insn[0], labels.files[l.file[0]!], l.line[0], l.text[0]]).toEqual([li.insn, li.file, li.line, li.text]);
      expect(r.chunkCount).toBeGreaterThanOrEqual(2);
      // Keyframe i starts chunk i and comes back exactly as the simulator gave it.
      expect(keyframes.length).toBe(r.chunkCount);
      keyframes.forEach((kf, i) => expect(r.keyframe(i)).toEqual(kf));
      let shaped = 0;
      let kept = 0;
      for (const live of samples) {
        const replayed = r.stateAt(live.t);
        expect(determined(replayed)).toEqual(determined(live));
        for (const root of replayed.roots) if (root.kind === 'rb_root' && root.nodes.length > 1) shaped++;
        // Fields: the keyframe's values for objects it had, none for newer ones.
        for (const h of replayed.heap) {
          expect(h.fieldsAt).toBeDefined();
          const kf = keyframes.findLast((k) => k.t === h.fieldsAt && k.heap.some((o) => o.id === h.id));
          if (kf) {
            expect(h.fields).toEqual(kf.heap.find((o) => o.id === h.id)!.fields);
            kept++;
          } else {
            expect(h.fields).toEqual({});
          }
        }
      }
      if (sched === 'rbtree' || sched === 'cgweight') {
        // The exact-shape comparison above saw real trees, and kept keyframe fields.
        expect(shaped).toBeGreaterThan(0);
        expect(kept).toBeGreaterThan(0);
      }
      r.close();
    });
  }
});
