// Checks a Chrome Trace Event JSON document against the format's rules (the
// Trace Event Format document, as Perfetto and chrome://tracing read it):
// known phases, numeric µs timestamps, durations, instant scopes, paired
// flows, metadata names, and properly nested complete events per thread.

const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 's', 't', 'f', 'M']);

export function chromeTraceViolations(doc: unknown): string[] {
  const bad: string[] = [];
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { traceEvents?: unknown }).traceEvents)) return ['top level must be an object with a traceEvents array'];
  const events = (doc as { traceEvents: Record<string, unknown>[] }).traceEvents;
  const unit = (doc as { displayTimeUnit?: unknown }).displayTimeUnit;
  if (unit !== undefined && unit !== 'ms' && unit !== 'ns') bad.push(`displayTimeUnit must be "ms" or "ns", got ${String(unit)}`);
  const tracks = new Map<string, { ts: number; end: number }[]>();
  const flows = new Map<unknown, { s: number; f: number; sTs: number; fTs: number }>();
  events.forEach((e, i) => {
    const at = `event ${i} (${String(e.ph)} ${String(e.name)})`;
    if (typeof e.ph !== 'string' || !PHASES.has(e.ph)) return void bad.push(`${at}: unknown phase`);
    if (typeof e.name !== 'string') bad.push(`${at}: name must be a string`);
    if (!Number.isInteger(e.pid) || !Number.isInteger(e.tid)) bad.push(`${at}: pid and tid must be integers`);
    if (e.ph === 'M') {
      const args = e.args as { name?: unknown; sort_index?: unknown } | undefined;
      if (!['process_name', 'thread_name', 'process_sort_index', 'thread_sort_index', 'process_labels'].includes(e.name as string)) bad.push(`${at}: unknown metadata name`);
      if ((e.name === 'process_name' || e.name === 'thread_name') && typeof args?.name !== 'string') bad.push(`${at}: metadata needs args.name`);
      return;
    }
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) return void bad.push(`${at}: ts must be a finite non-negative number of µs`);
    const ts = e.ts;
    if (e.ph === 'X') {
      if (typeof e.dur !== 'number' || !Number.isFinite(e.dur) || e.dur < 0) return void bad.push(`${at}: X needs a non-negative dur`);
      const key = `${String(e.pid)}/${String(e.tid)}`;
      let list = tracks.get(key);
      if (!list) tracks.set(key, (list = []));
      // Compare at ns resolution: µs doubles like 1370.312 carry ulp-level noise.
      list.push({ ts: Math.round(ts * 1000), end: Math.round((ts + e.dur) * 1000) });
    }
    if (e.ph === 'i' || e.ph === 'I') {
      if (e.s !== undefined && e.s !== 'g' && e.s !== 'p' && e.s !== 't') bad.push(`${at}: instant scope must be g, p or t`);
    }
    if (e.ph === 'C') {
      const args = e.args as Record<string, unknown> | undefined;
      if (!args || Object.keys(args).length === 0 || Object.values(args).some((v) => typeof v !== 'number')) bad.push(`${at}: counter args must be numbers`);
    }
    if (e.ph === 's' || e.ph === 't' || e.ph === 'f') {
      if (e.id === undefined) return void bad.push(`${at}: flow needs an id`);
      if (e.ph === 'f' && e.bp !== undefined && e.bp !== 'e') bad.push(`${at}: flow bp must be "e"`);
      let fl = flows.get(e.id);
      if (!fl) flows.set(e.id, (fl = { s: 0, f: 0, sTs: 0, fTs: 0 }));
      if (e.ph === 's') {
        fl.s++;
        fl.sTs = ts;
      } else if (e.ph === 'f') {
        fl.f++;
        fl.fTs = ts;
      }
    }
  });
  for (const [id, fl] of flows) {
    if (fl.s !== 1 || fl.f !== 1) bad.push(`flow ${String(id)}: ${fl.s} starts and ${fl.f} ends`);
    else if (fl.fTs < fl.sTs) bad.push(`flow ${String(id)}: ends before it starts`);
  }
  // Complete events on one thread must nest: each is inside or after the ones before.
  for (const [key, list] of tracks) {
    list.sort((a, b) => a.ts - b.ts || b.end - a.end);
    const stack: number[] = [];
    for (const x of list) {
      while (stack.length > 0 && stack[stack.length - 1]! <= x.ts) stack.pop();
      if (stack.length > 0 && x.end > stack[stack.length - 1]!) {
        bad.push(`track ${key}: slice [${x.ts}, ${x.end}] overlaps its parent ending at ${stack[stack.length - 1]}`);
        break;
      }
      stack.push(x.end);
    }
  }
  return bad;
}
