// Trace keyframes are taken whenever the recorder closes a chunk, i.e. while
// events are being delivered. At every event, the real state (snapshot())
// must equal a replay of the events delivered so far, or a keyframe would
// disagree with the events around it.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { exampleScheduler } from './testing/fixtures';
import { ReplayState } from './trace/reduce';
import type { SimSnapshot } from '../model/events';

// A switch from or to idle is followed by its idle event; both carry absolute
// values, so a keyframe between them is harmless: idle is not compared there.
function comparable(s: SimSnapshot, pids: Set<number>, withIdle: boolean) {
  return {
    cpus: s.cpus.map((c) => ({ cpu: c.cpu, curr: c.curr, idle: withIdle ? c.idle : undefined, local: c.local })),
    dsqs: s.dsqs.filter((d) => d.tasks.length > 0).map((d) => ({ id: d.id, tasks: d.tasks.map((t) => t.pid) })),
    tasks: s.tasks.filter((t) => pids.has(t.pid)).map((t) => ({ pid: t.pid, state: t.state })),
  };
}

describe('the state at every event matches a replay of the events so far', () => {
  for (const sched of ['fifo', 'vtime', 'qmap']) {
    it(sched, () => {
      const s = new Simulation({ objectBytes: exampleScheduler(sched), file: `${sched}.bpf.o`, workload: 'interactive', cpus: 3, seed: 5 });
      const replay = new ReplayState(s.snapshot());
      let checked = 0;
      const bad: string[] = [];
      s.on((ev) => {
        replay.apply(ev);
        if (ev.kind === 'op') return;
        const real = s.snapshot();
        const live = new Set(real.tasks.map((t) => t.pid));
        const a = JSON.stringify(comparable(replay.snapshot(real.t), live, ev.kind !== 'switch'));
        const b = JSON.stringify(comparable(real, live, ev.kind !== 'switch'));
        checked++;
        if (a !== b && bad.length < 3) bad.push(`${JSON.stringify(ev)}\n  replay ${a}\n  real   ${b}`);
      });
      s.runFor(15_000_000);
      expect(checked).toBeGreaterThan(200);
      expect(bad).toEqual([]);
    });
  }
});
