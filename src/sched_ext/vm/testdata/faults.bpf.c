// Test fixture for the VM's fault reports: each program faults one way when
// the test hands it the right context, and each faulting line carries a
// FAULT marker that the test finds to check the reported source line.
// Built from the repository root (reproducible, relative debug paths):
//   clang-19 -g -O2 -target bpf -mcpu=v3 -fdebug-compilation-dir=. -ffile-prefix-map=$PWD/= \
//     -c src/sched_ext/vm/testdata/faults.bpf.c -o src/sched_ext/vm/testdata/faults.bpf.o

typedef unsigned long long u64;
typedef unsigned int u32;

#define SEC(name) __attribute__((section(name), used))
#define __noinline __attribute__((noinline))

/* ctx[0]: a pointer the test chooses (NULL, a short region, a read-only or
 * freed one); ctx[1]: an index into it. */
SEC("tc")
u64 read_ptr(u64 *ctx)
{
	u64 *p = (u64 *)ctx[0];
	return p[ctx[1]]; /* FAULT: read */
}

SEC("tc")
u64 write_ptr(u64 *ctx)
{
	u64 *p = (u64 *)ctx[0];
	p[ctx[1]] = 42; /* FAULT: write */
	return 0;
}

/* ctx[1] is a byte offset, so the test can misalign the atomic. */
SEC("tc")
u64 atomic_add(u64 *ctx)
{
	u64 *p = (u64 *)(ctx[0] + ctx[1]);
	return __sync_fetch_and_add(p, 1); /* FAULT: atomic */
}

/* Never ends while *ctx[0] is 0: the instruction budget stops it. */
SEC("tc")
u64 spin(u64 *ctx)
{
	volatile u64 *p = (volatile u64 *)ctx[0];
	u64 n = 0;

	while (*p == 0) /* FAULT: spin */
		n++;
	return n;
}

static __noinline u64 fib(u64 n)
{
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2); /* FAULT: depth */
}

/* fib(ctx[0]) nests ctx[0] frames deep: 8 frames is the limit. */
SEC("tc")
u64 recurse(u64 *ctx)
{
	return fib(ctx[0]);
}

static long (*bpf_get_prandom_u32)(void) = (void *)7;

/* Helper 7 is not registered in the test's NativeTable. */
SEC("tc")
u64 unknown_helper(u64 *ctx)
{
	return bpf_get_prandom_u32() + ctx[0]; /* FAULT: helper */
}
