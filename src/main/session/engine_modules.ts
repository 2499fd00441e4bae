// The engine parts the session glues together, loaded on demand. Several
// land while scxray is being assembled; until a part exists its methods
// answer with a typed 'unavailable' error instead of pretending.
//
// The specifiers are computed (not literal) so that neither the type checker
// nor the bundler requires the files to exist yet.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export class EngineUnavailable extends Error {
  constructor(readonly part: string, readonly module: string) {
    super(`${part} is not available in this build (missing ${module})`);
    this.name = 'EngineUnavailable';
  }
}

const SRC = new URL('../../', import.meta.url);

/** Import `src/<rel>` (without extension) if it exists; throws EngineUnavailable otherwise. */
export async function importEngine<T>(part: string, rel: string): Promise<T> {
  const url = new URL(`${rel}.ts`, SRC);
  if (!existsSync(fileURLToPath(url))) throw new EngineUnavailable(part, `src/${rel}.ts`);
  const spec = url.href;
  return (await import(/* @vite-ignore */ spec)) as T;
}
