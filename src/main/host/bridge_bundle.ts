// The browser bridge as a script the host can serve: bundled from source with
// esbuild when it is installed (a checkout), else read from dist/host (built
// by scripts/build.mjs).

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('./bridge.ts', import.meta.url));
const PREBUILT = fileURLToPath(new URL('../../../dist/host/bridge.js', import.meta.url));

let cached: Promise<string> | null = null;

export function bridgeScript(): Promise<string> {
  cached ??= build();
  return cached;
}

async function build(): Promise<string> {
  if (existsSync(SOURCE)) {
    try {
      const esbuild = await import('esbuild');
      const out = await esbuild.build({
        entryPoints: [SOURCE],
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
      });
      const file = out.outputFiles[0];
      if (file) return file.text;
    } catch (e) {
      if (!existsSync(PREBUILT)) throw new Error(`cannot build the browser bridge from ${SOURCE}: ${(e as Error).message}`);
    }
  }
  if (existsSync(PREBUILT)) return readFileSync(PREBUILT, 'utf8');
  throw new Error(`the browser bridge is missing: neither ${SOURCE} nor ${PREBUILT} exists (run npm run build)`);
}
