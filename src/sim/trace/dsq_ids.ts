// Built-in DSQ ids as sched_ext defines them (include/linux/sched/ext.h):
// SCX_DSQ_FLAG_BUILTIN = 1<<63, SCX_DSQ_FLAG_LOCAL_ON = 1<<62,
// SCX_DSQ_GLOBAL = BUILTIN|1, SCX_DSQ_LOCAL = BUILTIN|2,
// SCX_DSQ_LOCAL_ON|cpu targets one CPU's local DSQ. Ids are hex strings.

export const SCX_DSQ_GLOBAL = '0x8000000000000001';
export const SCX_DSQ_LOCAL = '0x8000000000000002';
const LOCAL_ON = 0xc000000000000000n;
const LOCAL_ON_MASK = 0xffffffff00000000n;

const localCache = new Map<string, number | null>();

/**
 * The CPU whose local DSQ an id names: LOCAL_ON|cpu gives that cpu; LOCAL
 * means "this CPU", so the event's own cpu. Null for every other DSQ.
 */
export function localDsqCpu(id: string, eventCpu: number): number | null {
  if (id === SCX_DSQ_LOCAL) return eventCpu;
  let cpu = localCache.get(id);
  if (cpu === undefined) {
    cpu = null;
    if (/^0x[0-9a-f]+$/i.test(id)) {
      const v = BigInt(id);
      if ((v & LOCAL_ON_MASK) === LOCAL_ON) cpu = Number(v & 0xffffffffn);
    }
    localCache.set(id, cpu);
  }
  return cpu;
}


export function localDsqId(cpu: number): string {
  return '0x' + (LOCAL_ON | BigInt(cpu)).toString(16);
}
