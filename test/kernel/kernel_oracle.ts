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
