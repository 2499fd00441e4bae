// A recorder killed with SIGKILL at a random moment leaves a file that opens
// and replays up to its last whole chunk, with exactly the events the run
// produced up to there.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimEvent } from '../../model/events';
import { TraceReader } from './reader';
import { mulberry32, ToySimulation } from './testing/toy_simulation';

const dir = mkdtempSync(join(tmpdir(), 'scxray-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const child = fileURLToPath(new URL('./testing/record_forever.ts', import.meta.url));

function recordThenKill(path: string, seed: number, minChunks: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, path, String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let killed = false;
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (d: string) => {
      const m = /chunks (\d+)\s*$/.exec(d);
      if (!killed && m && Number(m[1]) >= minChunks) {
        killed = true;
        p.kill('SIGKILL');
      }
    });
    p.on('error', reject);
    p.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`recorder exited by itself (code ${code})`))));
  });
}

function toyPrefix(seed: number, n: number): SimEvent[] {
  const sim = new ToySimulation(4, seed);
  const out: SimEvent[] = [];
  sim.on((e) => out.push(e));
  sim.start();
  while (out.length < n) sim.step();
  return out.slice(0, n);
}

describe('crash safety', () => {
  const rand = mulberry32(20261123);
  for (let run = 0; run < 3; run++) {
    const seed = 1 + Math.floor(rand() * 1000);
    const minChunks = 2 + Math.floor(rand() * 12);
    it(`SIGKILL after ${minChunks}+ chunks (seed ${seed}) leaves a replayable prefix`, async () => {
      const path = join(dir, `kill-${run}.scxtrace`);
      await recordThenKill(path, seed, minChunks);
      const r = TraceReader.open(path);
      expect(r.recovery.complete).toBe(false);
      expect(r.chunkCount).toBeGreaterThanOrEqual(minChunks);
      // Every whole chunk is there, each replays from its keyframe.
      for (const c of r.chunks()) expect(r.stateAt(c.tLast).t).toBe(c.tLast);
      const events = r.events(0, Infinity);
      expect(events.length).toBe(r.eventCount);
      expect(events).toEqual(toyPrefix(seed, events.length));
      r.close();
    });
  }
});
