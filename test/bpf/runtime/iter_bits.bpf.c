/* SPDX-License-Identifier: MIT */
/* Runtime test: the open-coded bit iterator (bpf_iter_bits_*). */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

u64 words[8];
s64 bits_out[64];
s64 nr_out;
s64 new_ret;

/* Record every set bit of words[0..nr_words) (at most 64 of them). */
SEC("syscall")
long collect(u64 *ctx)
{
	u32 nr_words = ctx[0];
	int *bit;
	long n = 0;

	bpf_for_each(bits, bit, &words[0], nr_words) {
		if (n < 64)
			bits_out[n] = *bit;
		n++;
	}
	nr_out = n;
	return n;
}

/* The iterator copies: clearing the source while iterating changes nothing. */
SEC("syscall")
long snapshot(u64 *ctx)
{
	int *bit;
	long n = 0;

	bpf_for_each(bits, bit, &words[0], 2) {
		words[0] = 0;
		words[1] = 0;
		n++;
	}
	return n;
}

/* bpf_iter_bits_new's return value, and what next() then says. */
SEC("syscall")
long raw_new(u64 *ctx)
{
	struct bpf_iter_bits it;
	u64 *src = ctx[0] ? &words[0] : NULL;
	int *bit;
	long r;

	new_ret = bpf_iter_bits_new(&it, src, ctx[1]);
	bit = bpf_iter_bits_next(&it);
	r = bit ? *bit : -1000;
	bpf_iter_bits_destroy(&it);
	return r;
}
