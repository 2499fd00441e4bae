// scx_bpf_error / scx_bpf_exit / scx_bpf_dump: the bstr variants take a
// format and an array of u64 arguments (the macros in the common header
// pack them), formatted like bstr_printf().

import type { NativeEnv } from '../../sched_ext/vm/abi';
import { formatBpf } from '../../sched_ext/runtime/printf';
import { ExitKind } from '../kernel/consts';
import type { KfuncContext, KfuncSink } from './context';
import { registrar, siteOf } from './context';

function bstr(env: NativeEnv, fmtArg: 1 | 2, dataArg: 2 | 3, sizeArg: 3 | 4): string {
  const fmt = env.space.readCString(env.arg(fmtArg), 1024);
  const size = env.argU32(sizeArg);
  const args: bigint[] = [];
  if (size > 0 && env.arg(dataArg) !== 0n) {
    const bytes = env.space.readBytes(env.arg(dataArg), size);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let off = 0; off + 8 <= size; off += 8) args.push(view.getBigUint64(off, true));
  }
  return formatBpf(env.space, fmt, args);
}

export function registerExitKfuncs(sink: KfuncSink, kc: KfuncContext): void {
  const reg = registrar(sink, kc);
  reg('scx_bpf_error_bstr', (env) => {
    kc.core().exit(ExitKind.ERROR_BPF, bstr(env, 1, 2, 3), siteOf(env));
  });
  reg('scx_bpf_exit_bstr', (env) => {
    kc.core().exit(ExitKind.UNREG_BPF, bstr(env, 2, 3, 4), siteOf(env), BigInt.asIntN(64, env.arg(1)));
  });
  reg('scx_bpf_dump_bstr', (env) => {
    const core = kc.core();
    const text = bstr(env, 1, 2, 3);
    core.dumpLines.push(text);
    core.host.emit({ t: core.now(), kind: 'printk', cpu: core.ctx?.cpu ?? 0, program: env.program, text });
  });
}
