// Importing a scheduling trace from a real machine in the UI (drag and drop):
// the session turns it into a workload; it joins the workload list as
// "trace: FILE", selected, on the traced machine's CPU count, and the next
// run replays it. The original stays in the debugger state for the tracks
// and histograms under the simulated timeline.

import type { DebuggerState } from './debugger_state.svelte';
import { describeFailure, type Session, uploadRef } from './session_client';
import type { WorkloadRef } from '../../protocol/contract';

export const IMPORTED_PREFIX = 'trace: ';

// the toolbar's choices (Toolbar.svelte): the run takes the smallest that covers the trace
const DURATION_CHOICES = [50e6, 200e6, 1e9, 5e9, 10e9, 20e9];
const CPU_CHOICES = [1, 2, 4, 8, 16, 32, 64];
const atLeast = (choices: number[], v: number): number => choices.find((c) => c >= v) ?? choices[choices.length - 1]!;

/** Files a drop hands to the importer rather than to open object / open trace. */
export function isSchedTraceFile(name: string): boolean {
  return !/\.(bpf\.o|o|scxtrace)$/i.test(name);
}

/** The run's workload: the imported trace's when it is the one chosen, else the preset. */
export function workloadRefFor(s: DebuggerState): WorkloadRef {
  const imp = s.imported;
  return imp && s.choice.workload === IMPORTED_PREFIX + imp.file ? { json: imp.workloadJson } : { preset: s.choice.workload };
}

export async function importSchedTraceFile(session: Session, s: DebuggerState, file: File): Promise<void> {
  s.busy = `importing ${file.name}`;
  try {
    const t = await session.call('importSchedTrace', await uploadRef(file));
    const name = IMPORTED_PREFIX + t.file;
    s.imported = t;
    s.examples = {
      ...s.examples,
      workloads: [...s.examples.workloads.filter((w) => !w.name.startsWith(IMPORTED_PREFIX)), { name, file: t.file, description: t.report }],
    };
    s.choice = { ...s.choice, workload: name, cpus: atLeast(CPU_CHOICES, t.cpus), durationNs: atLeast(DURATION_CHOICES, t.spanNs) };
    s.banner = null;
  } catch (e) {
    const f = describeFailure(e);
    s.banner = { file: f.file ?? file.name, message: f.message };
  } finally {
    s.busy = null;
  }
}
