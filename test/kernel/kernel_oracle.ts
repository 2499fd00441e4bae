// The machine's own kernel as a test oracle: builds test/kernel/bpf_test_run.c
// with the host C compiler and feeds it raw programs (BPF_PROG_TYPE_SYSCALL,
// BPF_PROG_TEST_RUN). `kernelOracle()` says why it cannot run (no compiler,
// not root, bpf() not permitted) instead of failing, so tests can skip with
// a printed reason.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/bpf';

const SOURCE = join(REPO_ROOT, 'test/kernel/bpf_test_run.c');
const BINARY = join(REPO_ROOT, 'test/bpf/build/kernel/bpf_test_run');

export type KernelResult =
  | { kind: 'ok'; retval: number; ctx: Uint8Array }
  | { kind: 'rejected'; errno: number; reason: string }
  | { kind: 'error'; errno: number; what: string };

export interface KernelOracle {
  /** Run programs in the kernel, one result per program, in order. */
  run(programs: readonly { insns: Uint8Array; ctx: Uint8Array }[]): KernelResult[];
}

function build(): string | undefined {
  if (existsSync(BINARY) && statSync(BINARY).mtimeMs >= statSync(SOURCE).mtimeMs) return undefined;
  mkdirSync(join(REPO_ROOT, 'test/bpf/build/kernel'), { recursive: true });
  const cc = spawnSync('cc', ['-O2', '-Wall', '-o', BINARY, SOURCE], { encoding: 'utf8' });
  if (cc.error) return `no C compiler (cc): ${cc.error.message}`;
  if (cc.status !== 0) return `cc could not build ${SOURCE}: ${cc.stderr.trim()}`;
  return undefined;
}

function parse(line: string): KernelResult {
  const [kind, a, ...rest] = line.split(' ');
  if (kind === 'ok') {
    const hex = rest[0] ?? '';
    return { kind, retval: Number(a), ctx: Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)) };
  }
  if (kind === 'rejected') return { kind, errno: Number(a), reason: rest.join(' ') };
  return { kind: 'error', errno: Number(a), what: rest.join(' ') || line };
}

function frame(programs: readonly { insns: Uint8Array; ctx: Uint8Array }[]): Buffer {
  const parts: Buffer[] = [];
  for (const p of programs) {
    const head = Buffer.alloc(4);
    head.writeUInt32LE(p.insns.length / 8);
    const ctxLen = Buffer.alloc(4);
    ctxLen.writeUInt32LE(p.ctx.length);
    parts.push(head, Buffer.from(p.insns), ctxLen, Buffer.from(p.ctx));
  }
  return Buffer.concat(parts);
}

function runBatch(programs: readonly { insns: Uint8Array; ctx: Uint8Array }[]): KernelResult[] {
  const r = spawnSync(BINARY, [], { input: frame(programs), encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`bpf_test_run exited with ${r.status}: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  if (lines.length !== programs.length) throw new Error(`bpf_test_run answered ${lines.length} of ${programs.length} programs`);
  return lines.map(parse);
}

/** The oracle, or the reason this machine cannot be one. */
export function kernelOracle(): KernelOracle | { unavailable: string } {
  if (process.platform !== 'linux') return { unavailable: 'not Linux' };
  const why = build();
  if (why) return { unavailable: why };
  // r0 = 0; exit — if even this cannot load, bpf() is not permitted here.
  const probe = runBatch([{ insns: Uint8Array.from([0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]), ctx: new Uint8Array(8) }])[0]!;
  if (probe.kind !== 'ok') return { unavailable: `bpf() is not permitted here (${probe.kind} errno ${'errno' in probe ? probe.errno : '?'}): run as root on a kernel with BPF_PROG_TYPE_SYSCALL` };
  return { run: runBatch };
}

const OBJ_SOURCE = join(REPO_ROOT, 'test/kernel/bpf_obj_run.c');
const OBJ_BINARY = join(REPO_ROOT, 'test/bpf/build/kernel/bpf_obj_run');

export type ObjectStep = { call: string; ctx: Uint8Array } | { map: string };
export type ObjectStepResult = { kind: 'ret'; ret: number; ctx: Uint8Array } | { kind: 'map'; bytes: Uint8Array } | { kind: 'error'; what: string };

/**
 * Load a clang-built object into the kernel with libbpf (test/kernel/bpf_obj_run.c)
 * and run steps against it in order, in one process so state persists between them.
 */
export function runObjectInKernel(object: string, steps: readonly ObjectStep[]): { loaded: false; reason: string } | { loaded: true; results: ObjectStepResult[] } {
  const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const input = steps.map((s) => ('call' in s ? `call ${s.call} ${hexOf(s.ctx)}` : `map ${s.map}`)).join('\n') + '\n';
  const r = spawnSync(OBJ_BINARY, [object], { input, encoding: 'utf8', maxBuffer: 256 << 20 });
  const lines = r.stdout.trim().split('\n');
  if (lines[0] !== 'loaded') return { loaded: false, reason: lines[0] ?? r.stderr };
  const results = lines.slice(1).map((line): ObjectStepResult => {
    const [kind, a, b] = line.split(' ');
    if (kind === 'ret') return { kind, ret: Number(a), ctx: Uint8Array.from(Buffer.from(b ?? '', 'hex')) };
    if (kind === 'map') return { kind, bytes: Uint8Array.from(Buffer.from(a ?? '', 'hex')) };
    return { kind: 'error', what: line };
  });
  if (results.length !== steps.length) throw new Error(`bpf_obj_run answered ${results.length} of ${steps.length} steps: ${r.stderr}`);
  return { loaded: true, results };
}

/** Build the libbpf-based runner, or say why it cannot be built (no libbpf-dev). */
export function objectRunnerUnavailable(): string | undefined {
  const oracle = kernelOracle();
  if ('unavailable' in oracle) return oracle.unavailable;
  if (existsSync(OBJ_BINARY) && statSync(OBJ_BINARY).mtimeMs >= statSync(OBJ_SOURCE).mtimeMs) return undefined;
  const cc = spawnSync('cc', ['-O2', '-Wall', '-o', OBJ_BINARY, OBJ_SOURCE, '-lbpf'], { encoding: 'utf8' });
  if (cc.error || cc.status !== 0) return `cannot build the libbpf runner (install libbpf-dev): ${cc.error?.message ?? cc.stderr.trim()}`;
  return undefined;
}

/** The kernel's verdict on one program of an object loaded alone, with the source line its verifier names. */
export type Verdict = { accepted: true } | { accepted: false; errno: number; message: string; line: number | undefined };

/**
 * Load only `prog` of `object` and read the verifier's verdict. The line is
 * the one the log names: for "Unreleased reference … alloc_insn=N" the
 * allocating instruction's line, otherwise the last "@ file:line" before the
 * error message.
 */
export function kernelVerdict(object: string, prog: string): Verdict {
  const r = spawnSync(OBJ_BINARY, [object, prog], { input: '', encoding: 'utf8' });
  const lines = r.stdout.split('\n');
  if (lines[0] === 'loaded') return { accepted: true };
  const m = /^rejected (\d+)/.exec(lines[0] ?? '');
  if (!m) throw new Error(`bpf_obj_run: ${lines[0] ?? r.stderr}`);
  const log = lines.filter((l) => l.startsWith('log ')).map((l) => l.slice(4));
  const end = log.findIndex((l) => l.startsWith('processed '));
  const errorAt = end > 0 ? end - 1 : log.length - 1;
  const lineBefore = (i: number): number | undefined => {
    for (let j = i; j >= 0; j--) {
      const at = / @ [^:]+:(\d+)$/.exec(log[j]!);
      if (at) return Number(at[1]);
    }
    return undefined;
  };
  let line = lineBefore(errorAt);
  let message = log[errorAt] ?? '';
  for (let j = errorAt; j >= 0 && j >= errorAt - 3; j--) {
    const leak = /Unreleased reference id=\d+ alloc_insn=(\d+)/.exec(log[j]!);
    if (leak) {
      const insn = log.findIndex((l) => l.startsWith(`${leak[1]}: `));
      line = insn >= 0 ? lineBefore(insn) : undefined;
      message = log[j]!;
    }
  }
  return { accepted: false, errno: Number(m[1]), message, line };
}
