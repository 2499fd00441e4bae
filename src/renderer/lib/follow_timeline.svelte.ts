// Keep something fetched from the open run or trace up to date: clear it when
// the run or trace changes, and refetch whenever data arrives or the run
// changes state — at most every 500 ms while a run advances, at once
// otherwise (a trace opened, a run ended). Call from a component's script;
// the effects end with the component. Only the newest fetch's answer is kept:
// `load` gets a sequence number and `isLatest` says whether it is still the one.

import type { DebuggerState } from './debugger_state.svelte';

const THROTTLE_MS = 500;

/** `state` gives the component's DebuggerState prop (a getter, so the effects always read the current one). */
export function followTimeline(state: () => DebuggerState, reset: () => void, load: (isLatest: () => boolean) => Promise<void>): void {
  const dbg = $derived(state());
  const source = $derived(`${dbg.run?.runId ?? ''}|${dbg.trace?.file ?? ''}`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;
  let last = 0;

  $effect(() => {
    void source;
    reset();
  });

  $effect(() => {
    void source;
    void dbg.dataVersion;
    void dbg.run?.state;
    if (!dbg.hasTimeline) return;
    clearTimeout(timer);
    const wait = dbg.isRunning ? Math.max(0, THROTTLE_MS - (performance.now() - last)) : 0;
    timer = setTimeout(() => {
      last = performance.now();
      const mine = ++seq;
      void load(() => mine === seq);
    }, wait);
  });

  $effect(() => () => clearTimeout(timer));
}
