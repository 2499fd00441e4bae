import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { specialFields } from '../btf/special_fields';
import { ElfFile } from '../elf/elf';
import { openObject } from './index';
import { REPO_ROOT } from './testing/fixtures';
import { simKernel } from './testing/kernel';

// libbpf's btf_fixup_datasec: clang writes DATASEC size 0 and every VAR at
// offset 0; the loader takes them from the ELF section and symbols.
describe('DATASEC fix-up like libbpf btf_fixup_datasec', () => {
  const file = 'rbtree.bpf.o';
  const bytes = new Uint8Array(readFileSync(join(REPO_ROOT, 'assets/schedulers', file)));
  const obj = openObject(bytes, { file, kernel: simKernel() });
  const elf = ElfFile.parse(bytes, file);

  it('gives each global section DATASEC its section size and each VAR the offset of its ELF symbol', () => {
    for (const map of obj.maps.filter((m) => m.origin === 'global' && m.valueTypeId !== 0)) {
      const ds = obj.btf.type(map.valueTypeId);
      if (ds.kind !== 'datasec') throw new Error(`${map.name}: value type is ${ds.kind}`);
      expect(ds.size).toBe(map.valueSize);
      const shndx = elf.section(map.section)!.index;
      for (const v of ds.vars) {
        const name = obj.btf.type(v.type).name;
        const sym = elf.symbols.find((x) => x.shndx === shndx && x.name === name);
        expect(sym, `${map.section}:${name} has an ELF symbol`).toBeDefined();
        expect(v.offset, `${map.section}:${name}`).toBe(sym!.value);
      }
    }
  });

  it('places the rb_root of a private() section after its spin lock, not at offset 0', () => {
    const queue = obj.maps.find((m) => m.section === '.data.queue');
    expect(queue).toBeDefined();
    const fields = specialFields(obj.btf, queue!.valueTypeId);
    const lock = fields.find((f) => f.kind === 'spin_lock');
    const root = fields.find((f) => f.kind === 'rb_root');
    expect(lock).toBeDefined();
    expect(root).toBeDefined();
    expect(root!.offset).toBe(obj.globals.find((g) => g.name === 'queue')!.offset);
    expect(root!.offset).not.toBe(lock!.offset);
  });
});
