import { describe, expect, it } from 'vitest';
import { openObject } from '../../sched_ext/loader/index';
import { buildReport } from '../../sched_ext/loader/report';
import { createKernelEnv } from '../../sim/kernel/kernel_env';
import { objectLabels } from '../../sim/trace/labels';
import { exampleScheduler } from '../../sim/testing/fixtures';
import { summarizeObject } from './object_summary';

describe('one object summary', () => {
  for (const name of ['rbtree', 'qmap']) {
    it(`${name}: the UI summary, inspect and the trace labels agree on names, types, sizes and initial values`, () => {
      const obj = openObject(exampleScheduler(name), { file: `${name}.bpf.o`, kernel: createKernelEnv() });
      const report = buildReport(obj);
      const ui = summarizeObject(obj);
      const labels = objectLabels(obj);
      expect(ui.maps.map((m) => [m.name, m.type, m.valueSize])).toEqual(report.maps.map((m) => [m.name, m.type, m.valueSize]));
      expect(ui.maps.find((m) => m.origin === 'struct_ops')?.type).toBe('struct_ops');
      expect(ui.maps.every((m) => /^[a-z_]+$|^type_\d+$/.test(m.type))).toBe(true);
      expect(ui.globals.map((g) => [g.name, g.initial])).toEqual(report.globals.map((g) => [g.name, g.value]));
      expect(labels.programs.map((p) => [p.name, p.insnCount])).toEqual(ui.programs.map((p) => [p.name, p.insnCount]));
      expect(labels.structOps[0]!.ops).toEqual(Object.fromEntries(ui.structOps[0]!.ops.map((o) => [o.op, o.program])));
    });
  }
});
