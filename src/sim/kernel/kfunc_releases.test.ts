// Each release's kernel BTF (assets/kernel/kernel_v6_*.bpf.o, kernel.bpf.o
// for v6.19) declares exactly the kfuncs that release has, by the table of
// kfunc_releases.ts: presence and absence, for every kfunc and release.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKernelBtfFromObject } from '../../sched_ext/loader/kernel_btf';
import { DEFAULT_KERNEL_OBJECT, KERNEL_RELEASES, kernelObjectFor } from './kernel_env';
import { KFUNC_RELEASES, kfuncInRelease } from './kfunc_releases';

function kfuncsOf(release: string): Set<string> {
  const path = kernelObjectFor(`${release}.0`);
  const btf = loadKernelBtfFromObject(new Uint8Array(readFileSync(path)), path);
  return new Set(btf.types.filter((t) => t.kind === 'func').map((t) => t.name));
}

describe('kfunc releases of the simulated kernel BTF', () => {
  const rows = KERNEL_RELEASES.flatMap((release) => [...KFUNC_RELEASES.keys()].map((name) => ({ release, name })));

  describe.each(KERNEL_RELEASES.map((r) => [r]))('v%s', (release) => {
    const have = kfuncsOf(release);
    it.each(rows.filter((r) => r.release === release).map((r) => [r.name, kfuncInRelease(r.name, release)] as const))(
      '%s present: %s', (name, expected) => {
        expect(have.has(name)).toBe(expected);
      });

    it('declares no kfunc the table does not know', () => {
      expect([...have].filter((n) => !KFUNC_RELEASES.has(n))).toEqual([]);
    });
  });

  it('the boundaries the schedulers trip on: old dispatch names through v6.16, res locks from v6.15, the bool insert from v6.19', () => {
    expect(kfuncsOf('6.16').has('scx_bpf_dispatch')).toBe(true);
    expect(kfuncsOf('6.17').has('scx_bpf_dispatch')).toBe(false);
    expect(kfuncsOf('6.19').has('scx_bpf_consume')).toBe(false);
    expect(kfuncsOf('6.14').has('bpf_res_spin_lock')).toBe(false);
    expect(kfuncsOf('6.15').has('bpf_res_spin_lock')).toBe(true);
    expect(kfuncsOf('6.18').has('scx_bpf_dsq_insert___v2')).toBe(false);
    expect(kfuncsOf('6.19').has('scx_bpf_dsq_insert___v2')).toBe(true);
  });

  it('picks the newest release not after the version asked for, clamped to v6.12 .. the default', () => {
    expect(basename(kernelObjectFor('6.16.3'))).toBe('kernel_v6_16.bpf.o');
    expect(basename(kernelObjectFor('6.15'))).toBe('kernel_v6_15.bpf.o');
    expect(basename(kernelObjectFor('6.11.0'))).toBe('kernel_v6_12.bpf.o');
    expect(kernelObjectFor('6.19.2')).toBe(DEFAULT_KERNEL_OBJECT);
    expect(kernelObjectFor('7.0')).toBe(DEFAULT_KERNEL_OBJECT);
  });
});
