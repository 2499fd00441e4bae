// The replay model on small hand-written traces in each text form: which
// wakeups become wake/wait edges, interrupt-context wakeups, forks, exits,
// partial tasks, lost switches, and the ftrace / trace-cmd / perf line heads.

import { describe, expect, it } from 'vitest';
import { importTraceText } from './index';
import { traceToWorkload } from './to_workload';
import { traceFigures } from './figures';
import { validateWorkload } from '../load';
import type { Workload } from '../schema';

const load = (text: string): Workload => validateWorkload(traceToWorkload(importTraceText(text, 't.txt').trace, { name: 't' }), 't.txt');
const steps = (w: Workload, name: string) => w.groups.find((g) => g.name === name)!.steps;
const ms = (n: number) => ({ dist: 'fixed', value: n * 1e6 });

// ftrace form: A (pid 10) runs 2 ms, wakes B (pid 20, blocked since before the trace), blocks; B runs 1 ms
// and blocks; a hardirq on CPU 0 wakes B again while idle; B runs 3 ms, forks C, exits.
const FTRACE = `# tracer: nop
#
# entries-in-buffer/entries-written: 12/12   #P:2
           <idle>-0     [000] d..2.   100.000000: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=a next_pid=10 next_prio=120
                a-10    [000] d..3.   100.002000: sched_waking: comm=b pid=20 prio=115 target_cpu=001
                a-10    [000] d..2.   100.002000: sched_switch: prev_comm=a prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120
           <idle>-0     [001] d..2.   100.002100: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=b next_pid=20 next_prio=115
                b-20    [001] d..2.   100.003100: sched_switch: prev_comm=b prev_pid=20 prev_prio=115 prev_state=D ==> next_comm=swapper/1 next_pid=0 next_prio=120
           <idle>-0     [000] d.h2.   100.010000: sched_waking: comm=b pid=20 prio=115 target_cpu=000
           <idle>-0     [000] d..2.   100.010050: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=b next_pid=20 next_prio=115
                b-20    [000] .....   100.012000: sched_process_fork: comm=b pid=20 child_comm=c child_pid=30
                b-20    [000] d..2.   100.012000: sched_wakeup_new: comm=c pid=30 prio=120 target_cpu=001
                b-20    [000] .....   100.012500: sched_process_exit: comm=b pid=20 prio=115 group_dead=1
                b-20    [000] d..2.   100.013050: sched_switch: prev_comm=b prev_pid=20 prev_prio=115 prev_state=X ==> next_comm=swapper/0 next_pid=0 next_prio=120
           <idle>-0     [001] d..2.   100.014000: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=c next_pid=30 next_prio=120
`;

describe('the replay model', () => {
  const w = load(FTRACE);

  it('run bursts, a wake edge from a task, a timed sleep from a hardirq, fork and exit', () => {
    expect(w.cpus).toBe(2);
    expect(steps(w, 'a-10')).toEqual([{ run: ms(2) }, { wake: 'b-20', which: 'same' }, { sleep: { dist: 'fixed', value: 12_000_000 } }]);
    // B: blocked when the trace began, woken by A (startBlocked, no wait step); D-state block ended by the hardirq's wakeup: a sleep;
    // it keeps running after sched_process_exit until its X switch
    expect(steps(w, 'b-20')).toEqual([
      { run: ms(1) },
      { sleep: { dist: 'fixed', value: 6_900_000 } },
      { run: ms(1.95) },
      { fork: 'c-30', count: 1 },
      { run: ms(1.05) },
      { exit: true },
    ]);
    const b = w.groups.find((g) => g.name === 'b-20')!;
    expect(b).toMatchObject({ startBlocked: true, nice: -5, trace: { pid: 20, partial: 'start' } });
    const c = w.groups.find((g) => g.name === 'c-30')!;
    expect(c).toMatchObject({ template: true, trace: { partial: 'end' } });
    // C is switched in at the trace's last instant: no CPU time, so a stub sleep keeps it alive like the trace shows
    expect(steps(w, 'c-30').some((s) => 'run' in s)).toBe(false);
    expect(w.groups.find((g) => g.name === 'a-10')!.trace!.partial).toBe('both');
  });

  it('the figures agree: runtime, wakeup latency from the first wakeup, CPU busy time', () => {
    const f = traceFigures(importTraceText(FTRACE, 't.txt').trace);
    const b = f.tasks.find((t) => t.pid === 20)!;
    expect(b.runtimeNs).toBe(1_000_000 + 3_000_000);
    expect(b.wakeLatencyNs.samples).toBe(2);
    expect(b.wakeLatencyNs.p50).toBe(50_000);
    expect(b.wakeLatencyNs.max).toBe(100_000);
    expect(b.migrations).toBe(1);
    expect(f.cpus[0]!.busyNs).toBe(2_000_000 + 3_000_000);
  });

  it('a wakeup of a task still on its CPU is not an edge', () => {
    const t = `#P:1
  a-10 [000] d..2. 1.000000: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=b next_pid=20 next_prio=120
  b-20 [000] d..3. 1.001000: sched_waking: comm=b pid=20 prio=120 target_cpu=000
  b-20 [000] d..2. 1.002000: sched_switch: prev_comm=b prev_pid=20 prev_prio=120 prev_state=R ==> next_comm=a next_pid=10 next_prio=120
  a-10 [000] d..3. 1.003000: sched_waking: comm=b pid=20 prio=120 target_cpu=000
  a-10 [000] d..2. 1.004000: sched_switch: prev_comm=a prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=b next_pid=20 next_prio=120
`;
    const x = load(t);
    expect(steps(x, 'a-10').some((s) => 'wake' in s)).toBe(false);
    expect(steps(x, 'b-20').some((s) => 'wait' in s)).toBe(false);
  });

  it('a lost switch is healed at the first event recorded in the other task', () => {
    const t = `#P:1
  x-1 [000] d..2. 1.000000: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=a next_pid=10 next_prio=120
  b-20 [000] d..3. 1.004000: sched_waking: comm=c pid=30 prio=120 target_cpu=000
  b-20 [000] d..2. 1.005000: sched_switch: prev_comm=b prev_pid=20 prev_prio=120 prev_state=S ==> next_comm=c next_pid=30 next_prio=120
`;
    const tr = importTraceText(t, 't.txt').trace;
    expect(tr.events.filter((e) => e.synthetic).map((e) => e.kind === 'switch' && [e.t, e.prevPid, e.nextPid])).toEqual([[1_004_000_000, 10, 20]]);
    const f = traceFigures(tr);
    expect(f.tasks.find((x) => x.pid === 10)!.runtimeNs).toBe(4_000_000);
    expect(f.tasks.find((x) => x.pid === 20)!.runtimeNs).toBe(1_000_000);
  });
});

describe('line heads of each tool', () => {
  it('trace-cmd report, with its sched plugin forms', () => {
    const t = `cpus=2
           a-10    [000]   100.000000: sched_switch:         a:10 [120] S ==> b:20 [120]
           b-20    [000]   100.001000: sched_wakeup:         a:10 [120] success=1 CPU:001
           b-20    [000]   100.002000: sched_switch:         b:20 [120] R ==> a:10 [120]
CPU 1 is empty
`;
    const tr = importTraceText(t, 'report.txt').trace;
    expect(tr.format).toBe('ftrace');
    expect(tr.machine.cpus).toBe(2);
    expect(tr.events.map((e) => e.kind)).toEqual(['switch', 'wakeup', 'switch']);
    expect(tr.events[1]).toMatchObject({ pid: 10, targetCpu: 1, waker: 20 });
    expect(steps(load(t), 'b-20')).toEqual([{ run: ms(1) }, { wake: 'a-10', which: 'same' }, { run: ms(1) }]);
  });

  it('ftrace with the tgid column, comms with spaces and dashes', () => {
    const t = `#P:1
 Web Content-4242  (   4240) [000] d..2.  5.000000: sched_switch: prev_comm=Web Content prev_pid=4242 prev_prio=120 prev_state=S ==> next_comm=kworker/0:1-events next_pid=7 next_prio=120
 kworker/0:1-events-7 (      7) [000] d..2.  5.000100: sched_switch: prev_comm=kworker/0:1-events prev_pid=7 prev_prio=120 prev_state=I ==> next_comm=swapper/0 next_pid=0 next_prio=120
`;
    const tr = importTraceText(t, 'tgid.txt').trace;
    expect(tr.tasks.get(4242)!.comm).toBe('Web Content');
    expect(tr.tasks.get(7)).toMatchObject({ comm: 'kworker/0:1-events', kthread: true, boundCpu: 0 });
    expect(tr.events.filter((e) => e.synthetic)).toEqual([]);
  });

  it('perf script with µs timestamps', () => {
    const t = `            perf  1234 [001]   294.636258: sched:sched_switch: prev_comm=perf prev_pid=1234 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120
`;
    const tr = importTraceText(t, 'p.txt').trace;
    expect(tr.format).toBe('perf');
    expect(tr.events[0]).toMatchObject({ t: 294_636_258_000, cpu: 1, prevPid: 1234, prevState: 'S' });
  });
});
