import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInspect } from './inspect';
import { fixtureBytes, fixturePath } from '../../sched_ext/loader/testing/fixtures';

function capture(f: () => number): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    return { code: f(), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('scxray inspect', () => {
  it('--json lists programs, maps and struct_ops with the ops each implements', () => {
    const { code, out } = capture(() => runInspect(fixturePath('sched'), { json: true }));
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.programs.find((p: { name: string }) => p.name === 't_enqueue')).toMatchObject({ section: 'struct_ops/t_enqueue', insns: 62 });
    expect(j.maps.find((m: { name: string }) => m.name === 'outer')).toMatchObject({ type: 'array_of_maps', maxEntries: 3 });
    expect(j.structOps).toEqual([expect.objectContaining({ name: 'loader_ops', ops: ['select_cpu', 'enqueue', 'dispatch', 'running', 'init', 'exit'] })]);
    expect(j.kfuncs.find((k: { name: string }) => k.name === 'scx_bpf_not_in_kernel')).toMatchObject({ resolved: false, weak: true });
  });

  it('text output shows struct_ops members, globals with values and CO-RE results; --disasm shows source lines', () => {
    const { code, out } = capture(() => runInspect(fixturePath('sched'), { disasm: true, set: ['slice_ns=777'] }));
    expect(code).toBe(0);
    expect(out).toMatch(/struct_ops loader_ops \(\.struct_ops\.link → struct sched_ext_ops\) name "loader_test"/);
    expect(out).toMatch(/enqueue\s+→ t_enqueue/);
    expect(out).toMatch(/slice_ns\s+8 bytes, ro\s+= 777/);
    expect(out).toMatch(/byte_off\s+struct task_struct: 0:\d+:\d+ \(scx\.dsq_vtime\)/);
    expect(out).toMatch(/; .*BPF_CORE_READ\(p, scx\.dsq_vtime\).* @ sched\.bpf\.c:\d+/);
  });

  it('--kernel-version loads against an older kernel: scx_bpf_dsq_insert___v1 (void) resolves on 6.12', () => {
    const { code, out } = capture(() => runInspect(fixturePath('sched'), { json: true, kernelVersion: '6.12.0' }));
    expect(code).toBe(0);
    const j = JSON.parse(out);
    const byName = Object.fromEntries(j.kfuncs.map((k: { name: string }) => [k.name, k]));
    // before v6.13 the kernel had scx_bpf_dispatch, not scx_bpf_dsq_insert
    expect(byName['scx_bpf_dsq_insert___v2___compat'].resolved).toBe(false);
    expect(byName['scx_bpf_dispatch___compat'].resolved).toBe(true);
  });

  it('--btf dumps the object types as C', () => {
    const { out } = capture(() => runInspect(fixturePath('btf_kinds'), { btf: true }));
    expect(out).toMatch(/struct node_data \{\n\tu64 key;\n\tstruct bpf_rb_node node;/);
  });

  it('exits 2 with the error on stderr for bad input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scxray-inspect-'));
    const bad = join(dir, 'cut.bpf.o');
    writeFileSync(bad, fixtureBytes('sched').slice(0, 30));
    const { code, out, err } = capture(() => runInspect(bad, {}));
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^scxray inspect: cut\.bpf\.o.*shorter than an ELF64 header/);
    expect(capture(() => runInspect(join(dir, 'missing.o'), {})).code).toBe(2);
  });
});

describe('scxray inspect --resize', () => {
  it('scxray inspect --resize shows the grown map and refuses a bad one with exit 2', () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(runInspect(fixturePath('resizable'), { json: true, resize: ['started_at=4', '.bss.counts=8'] })).toBe(0);
      const report = JSON.parse(String(out.mock.calls.map((c) => c[0]).join(''))) as { maps: { section: string; valueSize: number }[] };
      expect(report.maps.find((m) => m.section === '.data.started_at')!.valueSize).toBe(32);
      expect(report.maps.find((m) => m.section === '.bss.counts')!.valueSize).toBe(32);
      expect(runInspect(fixturePath('resizable'), { resize: ['lone=2'] })).toBe(2);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/section \.data\.scalar_last.*not an array/);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
