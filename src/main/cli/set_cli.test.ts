// The one --set parser (src/sched_ext/loader/global_set.ts) through both
// commands that take it: `scxray run --set` and `scxray inspect --set` accept
// the same items (array elements, struct members, strings for char[N]) and
// refuse the same bad ones with one line naming the variable and its type,
// exit 2 — never wrapping a too-large integer modulo 2^64 or writing a
// string's bytes into an integer.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../sim/testing/fixtures';
import { bpfFixturePath } from '../../../test/support/bpf';

const knobs = bpfFixturePath('test/bpf/setup/knobs.bpf.c');

function cli(cmd: 'run' | 'inspect', args: string[]) {
  const extra = cmd === 'run' ? ['-c', '4', '-d', '20ms', '--json'] : ['--json'];
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/scxray.mjs'), cmd, knobs, ...extra, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const BAD: [string, RegExp][] = [
  ['cfg.slice_ns=99999999999999999999999999999', /99999999999999999999999999999 is out of range: cfg\.slice_ns is a u64 \(0 to 18446744073709551615\)/],
  ['cfg.slice_ns=hello', /"hello" is not an integer; cfg\.slice_ns is a u64/],
  ['pair_cpu[8]=1', /index 8 is out of bounds \(pair_cpu is s32\[8\], indexes 0 to 7\)/],
  ['pair_cpu[0]=-2147483649', /-2147483649 is out of range: pair_cpu\[0\] is a s32 \(-2147483648 to 2147483647\)/],
  ['pair_cpu=1', /a whole s32\[8\] cannot be set from one value; set one element, e.g. --set 'pair_cpu\[0\]=1'/],
  ['cfg.tag=01234567890123456', /needs 18 bytes with its NUL; char\[16\] holds 16/],
  ['cfg.nope=1', /struct knob_cfg has no member nope \(members: slice_ns, batch, tag\)/],
  ['nope=1', /no global variable named nope/],
  ['pair_cpu[x]=1', /--set expects NAME=VALUE, NAME\[INDEX\]=VALUE or NAME\.MEMBER=VALUE, got "pair_cpu\[x\]=1"/],
];

describe('--set, one parser for run and inspect', () => {
  for (const cmd of ['run', 'inspect'] as const) {
    for (const [item, msg] of BAD) {
      it(`${cmd} --set ${item} is refused with exit 2 and one line`, () => {
        const r = cli(cmd, ['--set', item]);
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        expect(r.err).toMatch(msg);
        expect(r.err.trim().split('\n')).toHaveLength(1);
        expect(r.err).toMatch(new RegExp(`^scxray ${cmd}: `));
      });
    }
  }

  it('inspect --set writes array elements, struct members and char[] strings into .rodata', () => {
    const r = cli('inspect', ['--set', 'pair_cpu[1]=3', '--set', 'cfg.slice_ns=5000000', '--set', 'cfg.tag=hi', '--set', 'nr_cpu_ids=4']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const g = (n: string) => j.globals.find((x: { name: string }) => x.name === n);
    expect(g('nr_cpu_ids').value).toBe('4');
    expect(g('pair_cpu').type).toMatch(/s32 ?\[8\]/);
  });

  it('run --set reaches the BPF side: nr_cpu_ids decides which pair_ctx entry ops.init requires', () => {
    // pair_ctx keeps max_entries 1 without a setup module, so only nr_cpu_ids < 4 passes ops.init
    const ok = cli('run', ['--set', 'nr_cpu_ids=2', '--set', 'pair_cpu[0]=1', '--set', 'pair_cpu[7]=-5', '--set', 'cfg.slice_ns=3000000']);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).exit.ejected).toBe(false);
    const bad = cli('run', ['--set', 'nr_cpu_ids=4']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).exit.message).toMatch(/pair_ctx has no entry 1/);
  });
});
