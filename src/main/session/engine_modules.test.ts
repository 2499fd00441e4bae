import { describe, expect, it } from 'vitest';
import { EngineUnavailable, importEngine } from './engine_modules';

describe('importEngine', () => {
  it('loads a TypeScript module that exists', async () => {
    const m = await importEngine<{ kernelVersionCode(v: string): bigint }>('kernel env', 'sched_ext/loader/kernel_env');
    expect(m.kernelVersionCode('6.1.0')).toBe(0x060100n);
  });
  it('reports a missing part as EngineUnavailable naming the file', async () => {
    await expect(importEngine('the frobnicator', 'sim/no_such_module')).rejects.toThrow(EngineUnavailable);
    await expect(importEngine('the frobnicator', 'sim/no_such_module')).rejects.toThrow(/src\/sim\/no_such_module\.ts/);
  });
});
