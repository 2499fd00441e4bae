/* SPDX-License-Identifier: MIT */
/*
 * Setup-module fixture: what a scheduler's main() configures before load and
 * initialises after it.
 *   - .rodata knobs a setup fills: nr_cpu_ids, an array (pair_cpu[], like
 *     scx_pair) and a struct with a char[] (cfg);
 *   - a map whose max_entries the setup sets to nr_cpu_ids / 2 (pair_ctx):
 *     ops.init refuses to start unless its last entry exists;
 *   - a SEC("syscall") program (enable_primary_cpu, like bpfland's) run with
 *     a context struct before attach; it writes results back into the context;
 *   - counters in .bss a stats loop reads every second, a per-CPU array of
 *     enqueues by CPU, and a ring buffer the syscall program reports to.
 */
#include <scx/common.bpf.h>
#include <scx/compat.bpf.h>

char _license[] SEC("license") = "GPL";

#define MAX_CPUS 8
#define SHARED_DSQ 0

struct knob_cfg {
	u64 slice_ns;
	u32 batch;
	char tag[16];
};

const volatile u32 nr_cpu_ids = 1;
const volatile s32 pair_cpu[MAX_CPUS];
const volatile struct knob_cfg cfg = { .slice_ns = 20000000, .batch = 1, .tag = "default" };

struct pair_ctx {
	u64 enqueues;
	s32 cpu;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct pair_ctx);
} pair_ctx SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} cpu_enqueues SEC(".maps");

struct primary_event {
	s32 cpu_id;
	u32 nr_set;
	u64 mask;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} primary_events SEC(".maps");

/* What ops.init saw, for the tests to read back. */
s32 seen_pair[MAX_CPUS];
u64 seen_slice_ns;
u32 seen_pairs;
u64 nr_enqueued, nr_primary_set;
u64 primary_mask;

struct cpu_arg {
	s32 cpu_id;
	s32 was_set;
	u64 cookie;
};

SEC("syscall")
int enable_primary_cpu(struct cpu_arg *input)
{
	struct primary_event ev = {};

	if (input->cpu_id < 0) {
		primary_mask = 0;
		return 0;
	}
	if (input->cpu_id >= nr_cpu_ids || input->cpu_id >= 64)
		return -EINVAL;
	input->was_set = (primary_mask >> input->cpu_id) & 1;
	primary_mask |= 1ULL << input->cpu_id;
	input->cookie = 0xfeed0000ULL + input->cpu_id;
	nr_primary_set++;
	ev.cpu_id = input->cpu_id;
	ev.nr_set = nr_primary_set;
	ev.mask = primary_mask;
	bpf_ringbuf_output(&primary_events, &ev, sizeof(ev), 0);
	return 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(knobs_init)
{
	u32 half = nr_cpu_ids / 2, last = half ? half - 1 : 0;
	int i;

	/* the setup sized pair_ctx to nr_cpu_ids / 2 entries: the last must exist */
	if (!bpf_map_lookup_elem(&pair_ctx, &last)) {
		scx_bpf_error("pair_ctx has no entry %u: max_entries was not set to nr_cpu_ids / 2", last);
		return -EINVAL;
	}
	seen_pairs = half;
	bpf_for(i, 0, MAX_CPUS)
		seen_pair[i] = pair_cpu[i];
	seen_slice_ns = cfg.slice_ns;
	return scx_bpf_create_dsq(SHARED_DSQ, -1);
}

void BPF_STRUCT_OPS(knobs_enqueue, struct task_struct *p, u64 enq_flags)
{
	u32 idx = (u32)scx_bpf_task_cpu(p) / 2;
	struct pair_ctx *pc = bpf_map_lookup_elem(&pair_ctx, &idx);
	u32 zero = 0;
	u64 *ce = bpf_map_lookup_elem(&cpu_enqueues, &zero);

	if (ce)
		(*ce)++;

	if (pc)
		__sync_fetch_and_add(&pc->enqueues, 1);
	__sync_fetch_and_add(&nr_enqueued, 1);
	scx_bpf_dsq_insert(p, SHARED_DSQ, cfg.slice_ns, enq_flags);
}

void BPF_STRUCT_OPS(knobs_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_bpf_dsq_move_to_local(SHARED_DSQ);
}

SEC(".struct_ops.link")
struct sched_ext_ops knobs_ops = {
	.init = (void *)knobs_init,
	.enqueue = (void *)knobs_enqueue,
	.dispatch = (void *)knobs_dispatch,
	.name = "knobs",
};
