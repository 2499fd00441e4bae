// Every sched_ext kfunc the simulated kernel implements, registered into a
// runtime's KfuncRegistry. The generic ones (graphs, local kptrs, cpumask,
// task/cgroup references) come from src/sched_ext/runtime.

import type { KfuncContext, KfuncSink } from './context';
import { registerDsqKfuncs } from './dsq';
import { registerDsqIterKfuncs } from './dsq_iter';
import { registerCpuKfuncs } from './cpu';
import { registerExitKfuncs } from './exit';
import { registerEventKfuncs } from './events';
import { registerNumaKfuncs } from './numa';
import { registerRqKfuncs } from './rq';
import { registerSelectCpuAndKfuncs } from './select_cpu_and';
import { registerCssIterKfuncs } from './css_iter';

export type { KfuncContext, KfuncSink } from './context';

export function registerSchedExtKfuncs(sink: KfuncSink, kc: KfuncContext): void {
  registerDsqKfuncs(sink, kc);
  registerDsqIterKfuncs(sink, kc);
  registerCpuKfuncs(sink, kc);
  registerExitKfuncs(sink, kc);
  registerEventKfuncs(sink, kc);
  registerNumaKfuncs(sink, kc);
  registerRqKfuncs(sink, kc);
  registerSelectCpuAndKfuncs(sink, kc);
  registerCssIterKfuncs(sink, kc);
}
