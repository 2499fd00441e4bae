// Verifier agreement: for each ownership rule the kernel's verifier enforces
// (leak; a non-owning reference used after bpf_spin_unlock; bpf_obj_drop
// while holding the lock; bpf_rbtree_add without the lock; use after
// bpf_obj_drop), the twin programs of test/bpf/runtime/verifier_twins.bpf.c
// are loaded into this machine's kernel one at a time and run in scxray's
// runtime. The kernel rejects exactly the bad ones at the marked line; the
// runtime raises the matching diagnostic at that same line for each bad one,
// in both engines, and nothing for each good one.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/model/events';
import { ENGINES, lineOf, loadProgram, sourcePath } from '../../src/sched_ext/runtime/testing/harness';
import { bpfFixturePath } from '../support/bpf';
import { kernelVerdict, objectRunnerUnavailable } from './kernel_oracle';

const RULES: { bad: string; good: string; diagnostic: Diagnostic['kind'] }[] = [
  { bad: 'leak_bad', good: 'leak_good', diagnostic: 'leak' },
  { bad: 'use_after_unlock_bad', good: 'use_after_unlock_good', diagnostic: 'invalidated_ref' },
  { bad: 'drop_locked_bad', good: 'drop_locked_good', diagnostic: 'call_under_lock' },
  { bad: 'add_unlocked_bad', good: 'add_unlocked_good', diagnostic: 'lock_not_held' },
  { bad: 'use_after_drop_bad', good: 'use_after_drop_good', diagnostic: 'use_after_free' },
];

const unavailable = objectRunnerUnavailable();

function ourDiagnostics(prog: string, engine: (typeof ENGINES)[number]): Diagnostic[] {
  const l = loadProgram('verifier_twins', engine);
  try {
    l.run(prog);
  } catch {
    // A use after free faults here as it would oops in a kernel that ran it; the diagnostic is what counts.
  }
  return l.rt.diagnostics();
}

describe('the twin fixture covers every rule', () => {
  it('has a bad and a good program for each, and a MARK on each bad one', () => {
    const src = readFileSync(sourcePath('verifier_twins'), 'utf8');
    for (const r of RULES) {
      expect(src).toMatch(new RegExp(`^(int|long) ${r.bad}\\(`, 'm'));
      expect(src).toMatch(new RegExp(`^(int|long) ${r.good}\\(`, 'm'));
      expect(lineOf('verifier_twins', `MARK:${r.bad}`)).toBeGreaterThan(0);
    }
  });
});

describe.skipIf(unavailable !== undefined)(`verifier agreement with the kernel${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const object = bpfFixturePath('test/bpf/runtime/verifier_twins.bpf.c');
  for (const r of RULES) {
    it(`${r.bad}: the kernel rejects it at its marked line and the runtime reports ${r.diagnostic} there; ${r.good} passes both`, () => {
      const marked = lineOf('verifier_twins', `MARK:${r.bad}`);
      const verdict = kernelVerdict(object, r.bad);
      expect(verdict.accepted, `the kernel accepted ${r.bad}`).toBe(false);
      if (!verdict.accepted) expect(verdict.line, `the verifier said: ${verdict.message}`).toBe(marked);
      expect(kernelVerdict(object, r.good)).toEqual({ accepted: true });
      for (const engine of ENGINES) {
        const bad = ourDiagnostics(r.bad, engine);
        expect(bad.map((d) => [d.kind, d.line]), `${r.bad} in ${engine}`).toEqual([[r.diagnostic, marked]]);
        expect(ourDiagnostics(r.good, engine), `${r.good} in ${engine}`).toEqual([]);
      }
    });
  }
});
