/* SPDX-License-Identifier: MIT */
/*
 * Typed-value fixture: .rodata variables of the C types the --set parser and
 * the setup skeleton must write by their BTF type — signed and unsigned
 * widths, bool, an enum, bitfields, char[], nested arrays of structs — read
 * by ops.init so they are not optimised away.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

enum mode { MODE_FIFO = 0, MODE_VTIME = 7, MODE_BIG = 200 };

struct flags {
	u32 lo : 3;
	s32 mid : 5;
	u32 hi : 24;
};

struct dom {
	u16 id;
	s8 bias;
	bool on;
	u64 cpus[2];
};

const volatile s8 tiny = -1;
const volatile u16 word = 1;
const volatile bool enabled;
const volatile enum mode mode = MODE_FIFO;
const volatile struct flags flags = { .lo = 1, .mid = -2, .hi = 3 };
const volatile char label[8] = "abc";
const volatile struct dom doms[2];

u64 sink;

s32 BPF_STRUCT_OPS_SLEEPABLE(types_init)
{
	sink = tiny + word + enabled + mode + flags.lo + flags.mid + flags.hi + label[0] + doms[1].cpus[1] + doms[0].bias + doms[1].on;
	return 0;
}

SEC(".struct_ops.link")
struct sched_ext_ops types_ops = {
	.init = (void *)types_init,
	.name = "types",
};
