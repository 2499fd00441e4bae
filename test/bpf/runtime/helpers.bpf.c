/* SPDX-License-Identifier: MIT */
/* Runtime test: time, CPU, random, printing, loops, iterators, cpumasks, timers. */
#include <scx/common.bpf.h>

/* uapi bpf.h: bpf_timer_start flags (not in the scx headers). */
#ifndef BPF_F_TIMER_ABS
#define BPF_F_TIMER_ABS 1
#define BPF_F_TIMER_CPU_PIN 2
#endif

struct tval {
	struct bpf_timer t;
	u64 fired;
	u64 at;
	u64 cpu;
	u64 limit;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct tval);
} timers SEC(".maps");

struct mask_val {
	struct bpf_cpumask __kptr *mask;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct mask_val);
} masks SEC(".maps");

long out[4];
char sbuf[32];
char name[8] = "scxray";

SEC("syscall")
long basics(u64 *ctx)
{
	out[0] = bpf_ktime_get_ns();
	out[1] = bpf_get_smp_processor_id();
	out[2] = bpf_get_prandom_u32();
	return 0;
}

SEC("syscall")
int print(u64 *ctx)
{
	bpf_printk("a=%d b=%u c=%llx", (int)ctx[0], (u32)ctx[1], ctx[2]);
	bpf_printk("name=%s v=%lld", name, (s64)ctx[0]);
	return 0;
}

SEC("syscall")
long format(u64 *ctx)
{
	u64 data[2] = { ctx[0], ctx[1] };

	return bpf_snprintf(sbuf, sizeof(sbuf), "%llu:%05d", data, sizeof(data));
}

struct loop_ctx {
	u64 sum;
	u64 stop;
};

static int loop_body(u32 i, struct loop_ctx *c)
{
	if (i == c->stop)
		return 1;
	c->sum += i;
	return 0;
}

/* bpf_loop(ctx[0]) summing i, stopping at ctx[1]; out[0] = iterations. */
SEC("syscall")
long loop_sum(u64 *ctx)
{
	struct loop_ctx c = { 0, ctx[1] };

	out[0] = bpf_loop(ctx[0], loop_body, &c, 0);
	return c.sum;
}

/* Sum of bpf_for(i, ctx[0], ctx[1]). */
SEC("syscall")
long for_sum(u64 *ctx)
{
	int i, lo = ctx[0], hi = ctx[1];
	long s = 0;

	bpf_for(i, lo, hi)
		s += i;
	return s;
}

SEC("syscall")
long mask_ops(u64 *ctx)
{
	struct bpf_cpumask *m = bpf_cpumask_create(), *o;
	long r;

	if (!m)
		return -1;
	o = bpf_cpumask_create();
	if (!o) {
		bpf_cpumask_release(m);
		return -2;
	}
	bpf_cpumask_set_cpu(1, m);
	bpf_cpumask_set_cpu(3, m);
	bpf_cpumask_set_cpu(99, m);
	bpf_cpumask_set_cpu(3, o);
	r = bpf_cpumask_weight(cast_mask(m)) * 1000;
	r += bpf_cpumask_first(cast_mask(m)) * 100;
	r += bpf_cpumask_test_cpu(3, cast_mask(m)) * 10;
	bpf_cpumask_and(o, cast_mask(m), cast_mask(o));
	r += bpf_cpumask_first(cast_mask(o));
	bpf_cpumask_release(o);
	bpf_cpumask_release(m);
	return r;
}

/* Stash a new cpumask with cpu ctx[0] set in masks[0]. */
SEC("syscall")
int mask_stash(u64 *ctx)
{
	u32 k = 0;
	struct mask_val *v = bpf_map_lookup_elem(&masks, &k);
	struct bpf_cpumask *m, *old;

	if (!v)
		return -1;
	m = bpf_cpumask_create();
	if (!m)
		return -2;
	bpf_cpumask_set_cpu(ctx[0], m);
	old = bpf_kptr_xchg(&v->mask, m);
	if (old)
		bpf_cpumask_release(old);
	return 0;
}

/* Stash a mask with cpu ctx[0], then read it back from the slot under RCU (allowed) and test the cpu. */
SEC("syscall")
int mask_stash_read(u64 *ctx)
{
	u32 k = 0;
	struct mask_val *v = bpf_map_lookup_elem(&masks, &k);
	struct bpf_cpumask *m, *old, *r;
	int hit = 0;

	if (!v)
		return -1;
	m = bpf_cpumask_create();
	if (!m)
		return -2;
	bpf_cpumask_set_cpu(ctx[0], m);
	old = bpf_kptr_xchg(&v->mask, m);
	if (old)
		bpf_cpumask_release(old);
	bpf_rcu_read_lock();
	r = v->mask;
	if (r) {
		struct bpf_cpumask *a = bpf_cpumask_acquire(r);

		hit = bpf_cpumask_test_cpu(ctx[0], cast_mask(a));
		bpf_cpumask_release(a);
	}
	bpf_rcu_read_unlock();
	return hit;
}

static int timer_cb(void *map, int *key, struct tval *v)
{
	v->fired++;
	v->at = bpf_ktime_get_ns();
	v->cpu = bpf_get_smp_processor_id();
	if (v->fired < v->limit)
		bpf_timer_start(&v->t, 1000, BPF_F_TIMER_CPU_PIN);
	return 0;
}

/* arm(delay, flags, limit): init the timer and start it; it re-arms itself until it fired `limit` times. */
SEC("syscall")
long arm(u64 *ctx)
{
	u32 k = 0;
	struct tval *v = bpf_map_lookup_elem(&timers, &k);
	long err;

	if (!v)
		return -100;
	v->limit = ctx[2];
	err = bpf_timer_init(&v->t, &timers, 1);
	if (err && err != -EBUSY)
		return err;
	err = bpf_timer_set_callback(&v->t, timer_cb);
	if (err)
		return err;
	return bpf_timer_start(&v->t, ctx[0], ctx[1]);
}

SEC("syscall")
long disarm(u64 *ctx)
{
	u32 k = 0;
	struct tval *v = bpf_map_lookup_elem(&timers, &k);

	return v ? bpf_timer_cancel(&v->t) : -100;
}

/* Read 8 bytes from address ctx[0] with bpf_probe_read_kernel; out[0] = value. */
SEC("syscall")
long peek(u64 *ctx)
{
	u64 v = 1;
	long err = bpf_probe_read_kernel(&v, sizeof(v), (void *)ctx[0]);

	out[0] = v;
	return err;
}

char LICENSE[] SEC("license") = "GPL";
