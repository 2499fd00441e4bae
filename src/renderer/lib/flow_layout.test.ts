import { describe, expect, it } from 'vitest';
import { FLOW_STEPS, type Flows } from '../../protocol/flows';
import { arrowPath, layoutFlows } from './flow_layout';

/** Two chains of a task: wakeup+enqueue at one instant, dispatch and run later on another CPU; then a lone wakeup. */
function flows(): Flows {
  const steps: [number, number, string, string][] = [
    [1000, 0, 'wakeup', 'wakeup on CPU 0'],
    [1000, 0, 'enqueue', 'ops.enqueue into DSQ 7'],
    [5000, 1, 'dispatch', 'CPU 1 took it from DSQ 7 to LOCAL(1)'],
    [5000, 1, 'run', 'runs on CPU 1'],
    [9000, 2, 'wakeup', 'wakeup on CPU 2'],
  ];
  const strings = steps.map((s) => s[3]);
  return {
    t0: 0,
    t1: 10_000,
    subject: { kind: 'task', pid: 5 },
    strings,
    steps: {
      t: Float64Array.from(steps, (s) => s[0]),
      cpu: Int32Array.from(steps, (s) => s[1]),
      kind: Uint8Array.from(steps, (s) => FLOW_STEPS.indexOf(s[2] as (typeof FLOW_STEPS)[number])),
      label: Int32Array.from(steps, (_, i) => i),
    },
    offset: Int32Array.from([0, 4, 5]),
    truncated: false,
  };
}

const xOf = (t: number) => 100 + t / 10; // 1 px per 10 ns
const yOf = (cpu: number) => 10 + cpu * 20;

describe('layoutFlows', () => {
  it('puts steps of a chain at one instant and lane on one endpoint, and joins endpoints of a chain only', () => {
    const l = layoutFlows(flows(), xOf, yOf, 100, 1100);
    expect(l.nodes.map((n) => [n.x, n.y, n.steps.length])).toEqual([
      [200, 10, 2],
      [600, 30, 2],
      [1000, 50, 1],
    ]);
    expect(l.arrows).toHaveLength(1);
    expect(l.arrows[0]!.from.t).toBe(1000);
    expect(l.arrows[0]!.to.t).toBe(5000);
    expect(l.nodes[0]!.text).toContain('wakeup: wakeup on CPU 0 + enqueue: ops.enqueue into DSQ 7');
    expect(l.nodes[1]!.text).toContain('CPU 1');
  });

  it('leaves out steps on lanes that are not on screen, and arrows wholly left or right of the view', () => {
    const hidden = layoutFlows(flows(), xOf, (cpu) => (cpu === 1 ? null : yOf(cpu)), 100, 1100);
    expect(hidden.nodes.map((n) => n.cpu)).toEqual([0, 2]);
    expect(hidden.arrows).toHaveLength(0);
    // the view starts after the chain's dispatch: its arrow is off to the left
    expect(layoutFlows(flows(), xOf, yOf, 700, 1100).arrows).toHaveLength(0);
    expect(layoutFlows(flows(), xOf, yOf, 100, 1100, 2).hidden).toBe(1);
  });

  it('bends an arrow that stays on its lane upward, so it shows', () => {
    expect(arrowPath(0, 50, 40, 50)).toBe('M0,50 C13.333333333333334,40 26.666666666666664,40 40,50');
    expect(arrowPath(0, 10, 40, 50)).toBe('M0,10 C20,10 20,50 40,50');
  });
});
