// `scxray inspect OBJ`: what the loader makes of a scheduler object, like
// `bpftool prog/map/struct_ops show` would after a load. Exit 0 on success,
// 2 on bad input (the LoadError on stderr).

import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { osErrorCode, osErrorText } from '../../base/os_error';
import { checkKernelVersion } from '../../sim/setup_checks';
import { SimSetupError } from '../../sim/bpf_ops';
import { basename } from 'node:path';
import { openObject, LoadError, parseGlobalSets } from '../../sched_ext/loader/index';
import { parseResizeArgs } from '../../sched_ext/loader/resize';
import { createKernelEnv, DEFAULT_KERNEL_VERSION } from '../../sim/kernel/kernel_env';
import { buildReport, formatReport } from '../../sched_ext/loader/report';
import { disassemble } from '../../sched_ext/vm/index';
import type { LoadedObject } from '../../sched_ext/loader/object';
import { HELPER_NAMES } from '../../sched_ext/runtime/helper_names';

interface InspectOptions {
  json?: boolean;
  btf?: boolean;
  disasm?: boolean;
  kernel?: string;
  kernelVersion?: string;
  set?: string[];
  resize?: string[];
}

function disasmText(obj: LoadedObject): string {
  const kfuncNames = new Map(obj.kfuncs.filter((k) => k.kfuncId !== undefined).map((k) => [k.kfuncId!, k.kernelName]));
  const out: string[] = [];
  for (const p of obj.programs) {
    out.push('', `${p.name} (${p.section}):`);
    try {
      const lines = disassemble(p.image, { helper: (id) => HELPER_NAMES[id], kfunc: (id) => kfuncNames.get(id), map: (i) => obj.maps[i]?.name });
      const bySlot = new Map(p.image.lineInfo.map((l) => [l.insn, l]));
      const funcs = new Map(p.image.funcInfo.map((f) => [f.insn, f.name]));
      for (const line of lines) {
        const slot = Number(line.slice(0, line.indexOf(':')));
        if (funcs.has(slot)) out.push(`${funcs.get(slot)}:`);
        const li = bySlot.get(slot);
        if (li?.text) out.push(`  ; ${li.text.trim()} @ ${basename(li.file)}:${li.line}`);
        const poison = p.image.poisoned.get(slot);
        out.push(`  ${line}${poison ? `   ; poisoned: ${poison}` : ''}`);
      }
    } catch (e) {
      out.push(`  (cannot disassemble: ${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return out.join('\n') + '\n';
}

export function runInspect(path: string, opts: InspectOptions): number {
  try {
    const bytes = new Uint8Array(readFileSync(path));
    // the same kernel the simulator would give this object: BTF of the chosen release plus its kconfig
    if (opts.kernel !== undefined && !existsSync(opts.kernel)) throw new LoadError('kernel_btf', `kernel BTF object ${opts.kernel} does not exist`);
    if (opts.kernelVersion !== undefined) checkKernelVersion(opts.kernelVersion);
    const kernel = createKernelEnv({ version: opts.kernelVersion ?? DEFAULT_KERNEL_VERSION, ...(opts.kernel !== undefined ? { kernelObject: opts.kernel } : {}) });
    const obj = openObject(bytes, { file: basename(path), kernel, globalSets: parseGlobalSets(opts.set), resize: parseResizeArgs(opts.resize) });
    const report = buildReport(obj);
    if (opts.json) {
      const json: Record<string, unknown> = { ...report };
      if (opts.btf) json.btfC = obj.btf.dumpC();
      process.stdout.write(JSON.stringify(json, null, 2) + '\n');
      return 0;
    }
    let text = formatReport(report);
    if (opts.btf) text += '\nBTF:\n' + obj.btf.dumpC();
    if (opts.disasm) text += disasmText(obj);
    process.stdout.write(text);
    return 0;
  } catch (e) {
    if (e instanceof LoadError || e instanceof SimSetupError) {
      process.stderr.write(`scxray inspect: ${e.message}\n`);
      return 2;
    }
    if (osErrorCode(e)) {
      process.stderr.write(`scxray inspect: cannot read ${path}: ${osErrorText(e)}\n`);
      return 2;
    }
    throw e;
  }
}

export function register(program: Command): void {
  program
    .command('inspect')
    .description('Show what loading a scheduler object gives: programs, maps, struct_ops, globals, kfuncs, CO-RE results')
    .argument('<object>', 'a clang-built *.bpf.o')
    .option('--json', 'machine-readable output')
    .option('--btf', 'dump the object BTF as C')
    .option('--disasm', 'disassemble every linked program')
    .option('--kernel <path>', 'kernel BTF object (default: the simulated kernel of --kernel-version)')
    .option('--kernel-version <version>', `simulated kernel release whose BTF and kfuncs to load against (default ${DEFAULT_KERNEL_VERSION})`)
    .option('--set <name=value...>', 'assign a global variable before load, as scxray run --set does (NAME=VALUE, NAME[i]=VALUE, NAME.member=VALUE); repeatable')
    .option('--resize <name=elements...>', 'resize a one-element array variable (or its .data.X/.bss.X section) to ELEMENTS before load, like bpf_map__set_value_size; repeatable')
    .action((path: string, opts: InspectOptions) => {
      process.exitCode = runInspect(path, opts);
    });
}
