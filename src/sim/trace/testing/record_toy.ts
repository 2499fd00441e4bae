// Records a ToySimulation run to a file, keeping the toy's own snapshot at
// sampled instants so tests can compare them with the reader's stateAt.

import type { RunInfo, SimSnapshot } from '../../../model/events';
import { TraceRecorder, type TraceRecorderOptions } from '../recorder';
import { ToySimulation } from './toy_simulation';

export function toyInfo(ncpu: number, seed: number): RunInfo {
  return {
    scheduler: 'toy',
    objectFile: 'toy.bpf.o',
    objectSha256: '0'.repeat(64),
    workload: 'random',
    seed,
    machine: { cpus: ncpu },
    kernelVersion: '6.12',
    scxrayVersion: '0.1.0',
  };
}

export interface ToyRecording {
  /** Toy snapshots taken between steps: the state at their t. */
  samples: SimSnapshot[];
  events: number;
  sim: ToySimulation;
}

export function recordToy(path: string, opts: { ncpu?: number; seed?: number; steps: number; sampleEvery?: number; close?: boolean; recorder?: TraceRecorderOptions; useProvider?: boolean }): ToyRecording {
  const ncpu = opts.ncpu ?? 4;
  const seed = opts.seed ?? 1;
  const sim = new ToySimulation(ncpu, seed);
  const rec = new TraceRecorder(path, toyInfo(ncpu, seed), { ...(opts.useProvider === false ? { initial: sim.snapshot() } : { snapshot: () => sim.snapshot() }), ...opts.recorder });
  let events = 0;
  sim.on((e) => {
    events++;
    rec.event(e);
  });
  sim.start();
  const samples: SimSnapshot[] = [];
  for (let i = 0; i < opts.steps; i++) {
    sim.step();
    if (opts.sampleEvery && i % opts.sampleEvery === 0) samples.push(sim.snapshot());
  }
  sim.exit();
  samples.push(sim.snapshot());
  if (opts.close !== false) rec.close();
  else rec.flush();
  return { samples, events, sim };
}
