import { describe, expect, it } from 'vitest';
import { openObject, parseGlobalSets } from './index';
import { fixtureBytes, fixturePath } from './testing/fixtures';
import { simKernel } from './testing/kernel';
import { frozenGlobals, poisonReachability } from './dead_code';
import { readFileSync } from 'node:fs';

// test/bpf/loader/dead_code.bpf.c: the kernel's verdict on each program (see
// test/kernel/dead_code_verdict.test.ts, which checks these against the real
// verifier) and, for the refused ones, the line of the call it names.
const VERDICTS: Record<string, 'dead' | string> = {
  guarded_ok: 'dead',
  unguarded_bad: 'unguarded_bad',
  knob_off_ok: 'dead',
  knob_on_bad: 'knob_on_bad',
  level_ok: 'dead',
  runtime_guard_bad: 'runtime_guard_bad',
  subprog_const_ok: 'dead',
  subprog_bad: 'subprog_bad',
};

const source = readFileSync(fixturePath('dead_code').replace(/build\/loader\/dead_code\.bpf\.o$/, 'loader/dead_code.bpf.c'), 'utf8').split('\n');
const markLine = (mark: string) => source.findIndex((l) => l.includes(`MARK:${mark}`)) + 1;

describe('poisoned calls the verifier would keep or remove', () => {
  // Open without verifying any program: the bad ones would (rightly) refuse the load.
  const obj = openObject(fixtureBytes('dead_code'), { file: 'dead_code.bpf.o', kernel: simKernel(), onlyPrograms: [] });
  const frozen = frozenGlobals(obj.maps);
  for (const [prog, expected] of Object.entries(VERDICTS)) {
    it(`${prog}: ${expected === 'dead' ? 'the call is dead (the kernel loads it)' : 'the call is reachable (the kernel refuses it at the marked line)'}`, () => {
      const p = obj.programs.find((x) => x.name === prog)!;
      expect(p.image.poisoned.size).toBeGreaterThan(0);
      const r = poisonReachability(p.image, frozen);
      if (expected === 'dead') {
        expect(r).toEqual({ kind: 'dead' });
      } else {
        expect(r.kind).toBe('reachable');
        if (r.kind !== 'reachable') return;
        expect(r.reason).toContain('scxray_no_such_kfunc');
        const li = p.image.lineInfo.filter((l) => l.insn <= r.insn).at(-1);
        expect(li?.line).toBe(markLine(expected));
      }
    });
  }

  it('a knob set before load changes the verdict (knob_off = true makes knob_off_ok reachable)', () => {
    const on = openObject(fixtureBytes('dead_code'), { file: 'dead_code.bpf.o', kernel: simKernel(), globalSets: parseGlobalSets(['knob_off=true']), onlyPrograms: [] });
    const p = on.programs.find((x) => x.name === 'knob_off_ok')!;
    expect(poisonReachability(p.image, frozenGlobals(on.maps)).kind).toBe('reachable');
  });
});

describe('the loader refuses a reachable poisoned kfunc call, naming its line', () => {
  it('refuses unguarded_bad with a poisoned_call error at the call, and loads the dead ones', () => {
    let err: unknown;
    try {
      openObject(fixtureBytes('dead_code'), { file: 'dead_code.bpf.o', kernel: simKernel(), onlyPrograms: ['guarded_ok', 'unguarded_bad'] });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'poisoned_call', where: { program: 'unguarded_bad', line: expect.stringMatching(new RegExp(`dead_code\\.bpf\\.c:${markLine('unguarded_bad')}$`)) } });
    expect(() => openObject(fixtureBytes('dead_code'), { file: 'dead_code.bpf.o', kernel: simKernel(), onlyPrograms: ['guarded_ok', 'knob_off_ok', 'level_ok', 'subprog_const_ok'] })).not.toThrow();
  });
});
