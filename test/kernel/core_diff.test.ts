// CO-RE against a real kernel's BTF: test/bpf/loader/core_kernel.bpf.c
// (field offsets and sizes, existence, signedness, type sizes and existence,
// enum values of kernel types) relocated by scxray's loader against this
// machine's /sys/kernel/btf/vmlinux, and by libbpf against the same BTF
// (its debug log, through test/kernel/bpf_obj_run.c). Every relocation must
// give libbpf's value, or be poisoned where libbpf poisons it. This kernel's
// layouts differ from our assets/include/vmlinux.h (task_struct.pid is at
// another offset; without sched_ext there is no task_struct.scx at all).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Btf } from '../../src/sched_ext/btf/btf';
import { makeKernelEnv, openObject } from '../../src/sched_ext/loader/index';
import { REPO_ROOT, bpfFixtureBytes, bpfFixturePath } from '../support/bpf';
import { objectRunnerUnavailable } from './kernel_oracle';

const VMLINUX = '/sys/kernel/btf/vmlinux';
const unavailable = !existsSync(VMLINUX) ? `${VMLINUX} is missing` : objectRunnerUnavailable();

interface Relo {
  program: string;
  insn: number;
  value?: number;
  poisoned: boolean;
}

/**
 * libbpf's results, from its "patched insn" and "substituting insn" debug
 * lines, one per relocation (libbpf poisons both slots of an ld_imm64: the
 * relocation is at the first).
 */
function libbpfRelos(object: string): Relo[] {
  const r = spawnSync(join(REPO_ROOT, 'test/bpf/build/kernel/bpf_obj_run'), [object], { input: '', encoding: 'utf8', env: { ...process.env, BPF_OBJ_RUN_CORE: '1' } });
  const byRelo = new Map<string, Relo>();
  for (const line of r.stdout.split('\n')) {
    const m = /prog '(\w+)': relo #(\d+): (?:patched insn #(\d+) \([^)]*\) (?:imm64|imm|off) -?\d+ -> (-?\d+)|substituting insn #(\d+) w\/ invalid insn)/.exec(line);
    if (!m) continue;
    const relo: Relo = m[3] !== undefined ? { program: m[1]!, insn: Number(m[3]), value: Number(m[4]), poisoned: false } : { program: m[1]!, insn: Number(m[5]), poisoned: true };
    const key = `${m[1]}#${m[2]}`;
    const seen = byRelo.get(key);
    if (seen === undefined || relo.insn < seen.insn) byRelo.set(key, relo);
  }
  return [...byRelo.values()];
}

describe.skipIf(unavailable !== undefined)(`CO-RE against this kernel's BTF, as libbpf relocates${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('every relocation of core_kernel.bpf.c gives libbpf\'s value or is poisoned where libbpf poisons it', () => {
    const theirs = libbpfRelos(bpfFixturePath('test/bpf/loader/core_kernel.bpf.c'));
    const kernel = makeKernelEnv(Btf.parse(new Uint8Array(readFileSync(VMLINUX))));
    const obj = openObject(bpfFixtureBytes('test/bpf/loader/core_kernel.bpf.c'), { file: 'core_kernel.bpf.o', kernel });
    const ours: Relo[] = obj.coreRelos.map((c) => ({ program: c.program, insn: c.insn, poisoned: c.poisoned, ...(c.poisoned ? {} : { value: c.targetValue }) }));
    const key = (r: Relo) => `${r.program}#${r.insn}`;
    expect(theirs.length).toBeGreaterThan(30);
    expect(theirs.filter((r) => r.poisoned).length, 'this kernel has no sched_ext: scx fields are poisoned').toBeGreaterThan(0);
    expect(new Map(ours.map((r) => [key(r), r]))).toEqual(new Map(theirs.map((r) => [key(r), r])));
  });
});
