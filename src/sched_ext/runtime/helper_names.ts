// BPF helper names by uapi id (include/uapi/linux/bpf.h, ___BPF_FUNC_MAPPER):
// the one table the runtime registers helpers by and the disassembler names
// calls with. Ids are part of the kernel ABI and never change.

export const HELPER_NAMES: Readonly<Record<number, string>> = {
  1: 'bpf_map_lookup_elem',
  2: 'bpf_map_update_elem',
  3: 'bpf_map_delete_elem',
  5: 'bpf_ktime_get_ns',
  6: 'bpf_trace_printk',
  7: 'bpf_get_prandom_u32',
  8: 'bpf_get_smp_processor_id',
  14: 'bpf_get_current_pid_tgid',
  16: 'bpf_get_current_comm',
  35: 'bpf_get_current_task',
  87: 'bpf_map_push_elem',
  88: 'bpf_map_pop_elem',
  89: 'bpf_map_peek_elem',
  93: 'bpf_spin_lock',
  94: 'bpf_spin_unlock',
  113: 'bpf_probe_read_kernel',
  115: 'bpf_probe_read_kernel_str',
  125: 'bpf_ktime_get_boot_ns',
  130: 'bpf_ringbuf_output',
  131: 'bpf_ringbuf_reserve',
  132: 'bpf_ringbuf_submit',
  133: 'bpf_ringbuf_discard',
  134: 'bpf_ringbuf_query',
  153: 'bpf_per_cpu_ptr',
  154: 'bpf_this_cpu_ptr',
  156: 'bpf_task_storage_get',
  157: 'bpf_task_storage_delete',
  158: 'bpf_get_current_task_btf',
  160: 'bpf_ktime_get_coarse_ns',
  164: 'bpf_for_each_map_elem',
  165: 'bpf_snprintf',
  169: 'bpf_timer_init',
  170: 'bpf_timer_set_callback',
  171: 'bpf_timer_start',
  172: 'bpf_timer_cancel',
  177: 'bpf_trace_vprintk',
  181: 'bpf_loop',
  194: 'bpf_kptr_xchg',
  195: 'bpf_map_lookup_percpu_elem',
  201: 'bpf_dynptr_read',
  203: 'bpf_dynptr_data',
  208: 'bpf_ktime_get_tai_ns',
  209: 'bpf_user_ringbuf_drain',
  210: 'bpf_cgrp_storage_get',
  211: 'bpf_cgrp_storage_delete',
};

/** The helper's name, or `helper #id` for one this table does not list. */
export function helperName(id: number): string {
  return HELPER_NAMES[id] ?? `helper #${id}`;
}
