// The layer allowlist (eslint/layers.js) as `npm test` runs it: an upward
// import is an error that names both layers; a downward one is clean.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/bpf';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(REPO_ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === 'layers/allowed-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it('refuse sched_ext importing the simulator, naming both layers', async () => {
    const errs = await layerErrors('src/sched_ext/runtime/probe.ts', "import type { Simulation } from '../../sim/simulation';\nexport type X = Simulation;\n");
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/sched_ext may not import sim/);
  });

  it('refuse the renderer importing main or sim, and allow model and protocol', async () => {
    expect(await layerErrors('src/renderer/lib/probe.ts', "import { Session } from '../../main/session/session';\nexport const s = Session;\n")).toHaveLength(1);
    expect(await layerErrors('src/renderer/lib/probe.ts', "import { runSimulation } from '../../sim/index';\nexport const r = runSimulation;\n")).toHaveLength(1);
    expect(await layerErrors('src/renderer/lib/probe.ts', "import type { SimEvent } from '../../model/events';\nimport type { ScxrayApi } from '../../protocol/contract';\nexport type T = [SimEvent, ScxrayApi];\n")).toEqual([]);
  });

  it('keep ELF and BTF below the loader', async () => {
    const errs = await layerErrors('src/sched_ext/btf/probe.ts', "import { openObject } from '../loader/index';\nexport const o = openObject;\n");
    expect(errs[0]).toMatch(/sx_btf may not import sched_ext/);
  });

  it('refuse the shared model importing anything above it, dynamic imports included', async () => {
    const errs = await layerErrors('src/model/probe.ts', "export const load = () => import('../sim/simulation');\n");
    expect(errs[0]).toMatch(/model may not import sim/);
  });
});
