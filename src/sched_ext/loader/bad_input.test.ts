import { beforeAll, describe, expect, it } from 'vitest';
import { ElfFile } from '../elf/elf';
import { openObject } from './index';
import { LoadError, type LoadErrorCode } from '../base/load_error';
import { fixtureBytes } from './testing/fixtures';
import { simKernel } from './testing/kernel';
import { makeKernelEnv } from './kernel_env';
import { loadKernelBtfFromObject } from './kernel_btf';

let sched: Uint8Array;
beforeAll(() => {
  sched = fixtureBytes('sched');
});

function loadError(bytes: Uint8Array, file = 'x.bpf.o'): LoadError {
  try {
    openObject(bytes, { file, kernel: simKernel() });
  } catch (e) {
    if (e instanceof LoadError) return e;
    throw e;
  }
  throw new Error('expected a LoadError');
}

function expectError(bytes: Uint8Array, code: LoadErrorCode, message: RegExp): void {
  const e = loadError(bytes);
  expect(e.code).toBe(code);
  expect(e.message).toMatch(message);
  expect(e.message).toMatch(/^x\.bpf\.o/);
}

const sectionOffset = (bytes: Uint8Array, name: string): { offset: number; size: number } => {
  const s = ElfFile.parse(bytes).section(name)!;
  return { offset: s.offset, size: s.size };
};
const put32 = (b: Uint8Array, off: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(off, v, true);

/** Byte offset of each BTF type record (BTF record sizes per btf.rst §2.2). */
function btfTypeOffsets(bytes: Uint8Array): { kind: number; off: number }[] {
  const { offset } = sectionOffset(bytes, '.BTF');
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  const hdr = dv.getUint32(offset + 4, true);
  let p = offset + hdr + dv.getUint32(offset + 8, true);
  const end = p + dv.getUint32(offset + 12, true);
  const out: { kind: number; off: number }[] = [{ kind: 0, off: -1 }];
  while (p < end) {
    const info = dv.getUint32(p + 4, true);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    out.push({ kind, off: p });
    const extra: Record<number, number> = { 1: 4, 3: 12, 4: 12 * vlen, 5: 12 * vlen, 6: 8 * vlen, 13: 8 * vlen, 14: 4, 15: 12 * vlen, 17: 4, 19: 12 * vlen };
    p += 12 + (extra[kind] ?? 0);
  }
  return out;
}

describe('bad input gives a LoadError naming what and where', () => {
  it('truncated ELF header', () => {
    expectError(sched.slice(0, 40), 'elf_truncated', /shorter than an ELF64 header/);
  });

  it('ELF truncated before its section table', () => {
    expectError(sched.slice(0, sched.length - 200), 'elf_truncated', /section header table .* runs past/);
  });

  it('wrong machine', () => {
    const b = sched.slice();
    b[18] = 62; // EM_X86_64
    b[19] = 0;
    expectError(b, 'elf_wrong_machine', /machine 62 is not BPF/);
  });

  it('corrupt BTF string offset names the type and the section', () => {
    const b = sched.slice();
    const t = btfTypeOffsets(b)[1]!;
    put32(b, t.off, 0x0fffffff);
    expectError(b, 'btf_string', /section \.BTF, type \[1\].*string offset 268435455/);
  });

  it('a loop in type references', () => {
    const b = sched.slice();
    const types = btfTypeOffsets(b);
    const id = types.findIndex((t) => t.kind === 2); // a PTR
    put32(b, types[id]!.off + 8, id);
    expectError(b, 'btf_loop', new RegExp(`section \\.BTF, type \\[${id}\\].*\\[${id}\\] -> \\[${id}\\]`));
  });

  it('a relocation naming a symbol that does not exist', () => {
    const b = sched.slice();
    const rel = sectionOffset(b, '.relstruct_ops/t_enqueue');
    put32(b, rel.offset + 12, 0xffff);
    expectError(b, 'reloc_missing_symbol', /section \.relstruct_ops\/t_enqueue.*symbol #65535/);
  });

  it('BTF.ext line_info pointing past its program section', () => {
    const b = sched.slice();
    const ext = sectionOffset(b, '.BTF.ext');
    const dv = new DataView(b.buffer);
    const hdr = dv.getUint32(ext.offset + 4, true);
    const lineOff = dv.getUint32(ext.offset + 16, true);
    put32(b, ext.offset + hdr + lineOff + 12, 0x100000); // first record's insn_off
    expectError(b, 'btf_ext_bad', /section \.BTF\.ext.*line_info record at byte 1048576 of .* points past/);
  });

  it('BTF.ext part running past the end of .BTF.ext', () => {
    const b = sched.slice();
    const ext = sectionOffset(b, '.BTF.ext');
    put32(b, ext.offset + 12, 0x7fffffff); // func_info_len
    expectError(b, 'btf_ext_bad', /func_info .* points past the end of the section/);
  });

  it('a missing strong kfunc names the kfunc, the calling program and the source line', () => {
    const e = loadError(fixtureBytes('bad_kfunc'));
    expect(e.code).toBe('kfunc_missing');
    expect(e.where).toMatchObject({ program: 'calls_missing', symbol: 'scx_bpf_no_such_kfunc' });
    expect(e.message).toMatch(/bad_kfunc\.bpf\.c:11/);
  });

  it('a strong kfunc whose prototype differs from the kernel BTF is refused (libbpf bpf_core_types_are_compat)', () => {
    const e = loadError(fixtureBytes('bad_kfunc_proto'));
    expect(e.code).toBe('kfunc_proto');
    expect(e.where.symbol).toBe('scx_bpf_kick_cpu');
    expect(e.message).toMatch(/1 arguments here, 2 in the kernel/);
  });

  it('the legacy maps section is refused with what to do instead', () => {
    expectError(fixtureBytes('legacy_maps'), 'legacy_maps', /SEC\("\.maps"\)/);
  });
});

describe('struct_ops validation like the kernel map update', () => {
  it.each([
    ['bad_ops_unknown', 'unknown_knob', /has no member unknown_knob/],
    ['bad_ops_type', 'enqueue', /member enqueue is u64 here but void \(\*\)\(struct task_struct \*, u64\)/],
    ['bad_ops_section', 'enqueue', /bound to not_struct_ops from section syscall/],
    ['bad_ops_sleepable', 'enqueue', /sleepable program enq .* only for init_task/],
  ])('%s is refused naming member %s', (fixture, member, message) => {
    const e = loadError(fixtureBytes(fixture));
    expect(e.code).toBe('struct_ops_bad');
    expect(e.where.member).toBe(member);
    expect(e.message).toMatch(message);
  });
});

describe('struct_ops data members like bpf_scx_init_member', () => {
  const structOpsData = (b: Uint8Array, member: string): number => {
    const obj = openObject(b, { file: 'x.bpf.o', kernel: simKernel() });
    return sectionOffset(b, '.struct_ops.link').offset + obj.btf.memberPath('sched_ext_ops', member).offset;
  };

  it('a non-zero value in a member the kernel does not accept is refused', () => {
    const kernel = makeKernelEnv(loadKernelBtfFromObject(fixtureBytes('kernel_extra')));
    const e = (() => {
      try {
        openObject(fixtureBytes('ops_reserved'), { file: 'ops_reserved.bpf.o', kernel });
      } catch (err) {
        return err as LoadError;
      }
      throw new Error('expected a LoadError');
    })();
    expect(e).toBeInstanceOf(LoadError);
    expect(e.code).toBe('struct_ops_bad');
    expect(e.where.member).toBe('reserved');
    expect(e.message).toMatch(/member reserved must be zero/);
  });

  it('timeout_ms above SCX_WATCHDOG_MAX_TIMEOUT (30 s) is refused', () => {
    const b = sched.slice();
    put32(b, structOpsData(b, 'timeout_ms'), 40_000);
    const e = loadError(b);
    expect([e.code, e.where.member]).toEqual(['struct_ops_bad', 'timeout_ms']);
    expect(e.message).toMatch(/timeout_ms 40000 exceeds/);
  });

  it('flags outside SCX_OPS_ALL_FLAGS and dispatch_max_batch above INT_MAX are refused', () => {
    const b = sched.slice();
    put32(b, structOpsData(b, 'flags'), 1 << 20);
    const e = loadError(b);
    expect([e.code, e.where.member]).toEqual(['struct_ops_bad', 'flags']);
    expect(e.message).toMatch(/flags 0x100000 has bits the kernel does not know/);
    const c = sched.slice();
    put32(c, structOpsData(c, 'dispatch_max_batch'), 0x80000000);
    expect(loadError(c).message).toMatch(/dispatch_max_batch 2147483648 exceeds INT_MAX/);
  });

  it('an ops name with characters bpf_obj_name_cpy rejects is refused', () => {
    const b = sched.slice();
    b[structOpsData(b, 'name')] = '!'.charCodeAt(0);
    const e = loadError(b);
    expect([e.code, e.where.member]).toEqual(['struct_ops_bad', 'name']);
    expect(e.message).toMatch(/ops name "!oader_test" is invalid/);
  });
});
