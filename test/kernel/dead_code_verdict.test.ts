// Load-time verdicts against the kernel: each program of
// test/bpf/loader/dead_code.bpf.c (calls to an unresolved weak kfunc behind
// bpf_ksym_exists(), .rodata knobs, runtime guards and subprogram arguments)
// is loaded alone into this machine's kernel; scxray's loader must refuse
// exactly the programs the verifier refuses, at the line of the call, and
// load the ones it loads.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoadError, openObject } from '../../src/sched_ext/loader/index';
import { simKernel } from '../../src/sched_ext/loader/testing/kernel';
import { REPO_ROOT, bpfFixtureBytes, bpfFixturePath } from '../support/bpf';
import { kernelVerdict, objectRunnerUnavailable } from './kernel_oracle';

const source = readFileSync(join(REPO_ROOT, 'test/bpf/loader/dead_code.bpf.c'), 'utf8').split('\n');
const markLine = (mark: string) => source.findIndex((l) => l.includes(`MARK:${mark}`)) + 1;

const PROGRAMS = ['guarded_ok', 'unguarded_bad', 'knob_off_ok', 'knob_on_bad', 'level_ok', 'runtime_guard_bad', 'subprog_const_ok', 'subprog_bad'];
const unavailable = objectRunnerUnavailable();

/** Our verdict on one program: the loader opens the object with only that program kept. */
function ourVerdict(prog: string): { accepted: true } | { accepted: false; message: string } {
  try {
    openObject(bpfFixtureBytes('test/bpf/loader/dead_code.bpf.c'), { file: 'dead_code.bpf.o', kernel: simKernel(), onlyPrograms: [prog] });
    return { accepted: true };
  } catch (e) {
    if (e instanceof LoadError) return { accepted: false, message: e.message };
    throw e;
  }
}

describe.skipIf(unavailable !== undefined)(`load-time verdicts agree with the kernel's verifier${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const object = bpfFixturePath('test/bpf/loader/dead_code.bpf.c');
  for (const prog of PROGRAMS) {
    it(prog, () => {
      const kernel = kernelVerdict(object, prog);
      const ours = ourVerdict(prog);
      expect(ours.accepted, `kernel: ${kernel.accepted ? 'loads' : `refuses (${kernel.message}) at line ${kernel.line}`}; ours: ${ours.accepted ? 'loads' : ours.message}`).toBe(kernel.accepted);
      if (!kernel.accepted && !ours.accepted) {
        expect(kernel.message).toContain('not eliminated in verifier pass');
        // The verifier finds this after its main pass and names no line; ours names the call's (MARK).
        expect(ours.message).toContain(`dead_code.bpf.c:${kernel.line ?? markLine(prog)}`);
      }
    });
  }
});
