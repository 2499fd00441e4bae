// Round trip against the real simulator: record a run of every example
// scheduler to a file, then stateAt(t) from the file must equal the live
// Simulation.snapshot() at t, for many t. Exactly at keyframes; between them
// everything events determine (see docs/trace-format.md, "Replay semantics"):
// the fields the events do not carry (task vtime/slice/runtime, heap object
// field values, rbtree shape) are left out of the comparison.

import { readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimSnapshot } from '../events';
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
    heap: s.heap.map(({ fields: _f, ...rest }) => rest),
    roots: s.roots.map(({ parents: _p, red: _r, ...rest }) => rest),
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
      for (let i = 0; i < 30; i++) {
        sim.runFor(700_000);
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
      for (const live of samples) expect(determined(r.stateAt(live.t))).toEqual(determined(live));
      r.close();
    });
  }
});
