// The simulated kernel's BTF comes from a clang-built object
// (assets/kernel/kernel.bpf.o): its .BTF section plays /sys/kernel/btf/vmlinux.

import { existsSync, readFileSync } from 'node:fs';
import { Btf } from '../btf/btf';
import { ElfFile } from '../elf/elf';
import { LoadError } from '../base/load_error';

export function loadKernelBtfFromObject(bytes: Uint8Array, file = 'kernel.bpf.o'): Btf {
  const elf = ElfFile.parse(bytes, file);
  const sec = elf.section('.BTF');
  if (sec === undefined) throw new LoadError('kernel_btf', 'the kernel object has no .BTF section; rebuild it with clang-19 -g', { file });
  try {
    return Btf.parse(sec.data);
  } catch (e) {
    if (e instanceof LoadError) throw e.within({ file, section: '.BTF' });
    throw e;
  }
}

/** Read the kernel BTF object from a path, or undefined when the file is absent. */
export function loadKernelBtfFile(path: string): Btf | undefined {
  if (!existsSync(path)) return undefined;
  return loadKernelBtfFromObject(new Uint8Array(readFileSync(path)), path);
}
