// tp_btf programs at the simulator's events (test/bpf/sim/tp_tracker.bpf.c):
// sched_switch with idle tasks on the idle side and next == what ops.running
// saw, wakeups, fork wakeups, exits and cgroup_attach_task, checked against
// the simulator's own events; unmodelled tracepoints and fentry programs load
// unattached, with the reason. A run without tracing programs keeps its event
// stream (src/sim/event_stream_hash.test.ts).

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { simFixture } from './testing/fixtures';
import type { SimEvent } from '../model/events';

const MS = 1_000_000;

function run(workload: string) {
  const s = new Simulation({ objectBytes: simFixture('tp_tracker'), file: 'tp_tracker.bpf.o', workload, cpus: 4, seed: 4 });
  const printks: string[] = [];
  let switches = 0, toIdle = 0, fromIdle = 0, exits = 0;
  s.on((e: SimEvent) => {
    if (e.kind === 'printk') printks.push(e.text);
    if (e.kind === 'switch') {
      switches++;
      if (e.nextPid === 0) toIdle++;
      if (e.prevPid === 0) fromIdle++;
    }
    if (e.kind === 'task_exit') exits++;
  });
  s.runFor(500 * MS);
  const attaches = s.runtime.mapByName('cgroup_attaches')!.cells().map((c) => Number(c.region.view.getBigUint64(0, true)));
  const sum = s.summary();
  s.unload();
  const c: Record<string, number> = {};
  for (const p of printks) if (p.startsWith('tp_tracker ')) for (const m of p.matchAll(/(\w+) (\d+)/g)) c[m[1]!] = Number(m[2]);
  return { s, sum, c, seen: { switches, toIdle, fromIdle, exits }, attaches };
}

describe('tp_btf programs at simulated events', () => {
  it('sched_switch fires at every switch, idle sides are pid 0, and next is the task ops.running just saw', () => {
    const { sum, c, seen } = run('interactive');
    expect(sum.exit).toMatchObject({ kind: 'none', ejected: false });
    expect(seen.switches).toBeGreaterThan(50);
    expect(c.switches).toBe(seen.switches);
    expect(c.to_idle).toBe(seen.toIdle);
    expect(c.from_idle).toBe(seen.fromIdle);
    expect(c.next_matches).toBe(seen.switches - seen.toIdle);
    expect(c.wakeups).toBeGreaterThan(20);
    expect(c.mkdirs).toBe(0);
    expect(c.fentries).toBe(0);
  });

  it('fork wakeups and exits: sched_wakeup_new once per task, sched_process_exit once per exit', () => {
    const { sum, c, seen } = run('fork-burst');
    expect(sum.exit).toMatchObject({ kind: 'none', ejected: false });
    expect(seen.exits).toBeGreaterThan(0);
    expect(c.exits).toBe(seen.exits);
    // tasks present at load are woken as new tasks too (wake_up_new_task), forks after it as well
    expect(c.wakeups_new).toBe(sum.tasks.length);
  });

  it('cgroup_attach_task counts the mover\'s moves per destination cgroup', () => {
    const { c, attaches } = run('cgroups');
    // the mover alternates /web and /batch: 2 ms run + 5 ms sleep per move, over 500 ms
    expect(c.attaches).toBeGreaterThan(10);
    expect(attaches.reduce((a, b) => a + b, 0)).toBe(c.attaches);
    expect(attaches).toHaveLength(2);
    expect(Math.abs(attaches[0]! - attaches[1]!)).toBeLessThanOrEqual(1);
  });

  it('unmodelled tracepoints and fentry programs load unattached, with the reason', () => {
    const { s } = run('cpu-hogs');
    const prog = (n: string) => s.object.programs.find((p) => p.name === n)!;
    expect(prog('tt_switch')).toMatchObject({ runnable: true, attachTo: 'sched_switch' });
    expect(prog('tt_attach')).toMatchObject({ runnable: true, attachTo: 'cgroup_attach_task' });
    expect(prog('tt_mkdir').runnable).toBe(false);
    expect(prog('tt_mkdir').refusal).toMatch(/^tp_btf\/cgroup_mkdir: not attached: the simulator creates every cgroup before the scheduler loads/);
    expect(prog('tt_fentry').refusal).toMatch(/^fentry\/cpuset_write_resmask: not attached: fentry programs hook kernel function cpuset_write_resmask/);
    expect(s.object.warnings).toContain(`program tt_fentry: ${prog('tt_fentry').refusal}`);
  });
});
