// Every example scheduler runs every workload preset to the end without a
// stall (short virtual runs; the watchdog would eject a scheduler that
// leaves a task runnable for timeout_ms).

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { exampleScheduler } from './testing/fixtures';
import { listPresets } from './workload/load';

const SCHEDULERS = ['fifo', 'vtime', 'rbtree', 'list', 'qmap', 'cgweight'];
const MS = 1_000_000;
/** Scheduler bugs (not simulator ones) a preset is known to hit, as "scheduler:preset"; none at present. */
const KNOWN_STALLS = new Set<string>();

describe('example schedulers × workload presets', () => {
  const presets = listPresets().map((p) => p.name);

  it('ships the presets', () => {
    expect(presets).toEqual(['affinity-pinned', 'cgroups', 'cpu-hogs', 'fork-burst', 'interactive', 'overload', 'pipe-pingpong']);
  });

  for (const name of SCHEDULERS) {
    it(`${name} runs every preset to the end without a stall`, () => {
      const bytes = exampleScheduler(name);
      for (const preset of presets) {
        if (KNOWN_STALLS.has(`${name}:${preset}`)) continue;
        const s = new Simulation({ objectBytes: bytes, file: `${name}.bpf.o`, workload: preset, cpus: 2, seed: 1 });
        s.runFor((preset === 'pipe-pingpong' ? 60 : 250) * MS);
        const sum = s.summary();
        expect({ preset, exit: sum.exit.kind, msg: sum.exit.message }).toEqual({ preset, exit: 'none', msg: '' });
        // weighted schedulers may make a low-weight task wait a while, but not most of the run
        const starved = sum.tasks.filter((t) => t.runs === 0 && !t.exited && t.waitNs > 200 * MS);
        expect({ preset, starved }).toEqual({ preset, starved: [] });
        expect(sum.ops.calls).toBeGreaterThan(0);
      }
    });
  }
});

describe('qmap serves every queue', () => {
  // qmap_dispatch() used to give up after 3 empty pops in a row, inside its
  // round's five queue-0 slots, while queue 1 held a task: with one spawner on
  // 2 CPUs nothing else rescheduled, and the watchdog ejected qmap at ~7.5 s
  it('watchdog (timeout_ms 5000): fork-burst on 2 CPUs runs past 7.5 s with every task run, no SCX_EXIT_ERROR_STALL', () => {
    const s = new Simulation({ objectBytes: exampleScheduler('qmap'), file: 'qmap.bpf.o', workload: 'fork-burst', cpus: 2, seed: 1 });
    s.runFor(8000 * MS);
    const sum = s.summary();
    expect(sum.exit).toMatchObject({ kind: 'none', ejected: false });
    expect(sum.tasks.find((t) => t.pid === 1)).toMatchObject({ comm: 'make-0' });
    for (const t of sum.tasks) expect({ pid: t.pid, ran: t.runs > 0 }).toEqual({ pid: t.pid, ran: true });
    expect(sum.latencyNs.max).toBeLessThan(1000 * MS);
  });
});
