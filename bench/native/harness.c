// Self-timing native baseline for bench/vm.ts: the C sources of
// /work/shared/bench/progs compiled for the host with clang-19 -O2 and linked
// with this file. Each program gets the same 4096-byte buffer and calling
// convention as its BPF build (u64 fn(void *buf, u64 len), r0 = the result).
//
// Usage: harness PROGRAM WARMUP RUNS
// Prints one line of JSON: {"program":…,"r0":"0x…","ns":[…],"cpu_ns":[…]}
// with the CLOCK_MONOTONIC (wall) and CLOCK_PROCESS_CPUTIME_ID (CPU) time of
// each timed run; on a loaded machine the CPU time leaves out the time spent
// waiting for a CPU. The buffer is restored before every run, outside the
// timed section (memloop writes to it).

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef unsigned long long u64;
typedef u64 (*bench_fn)(void *buf, u64 len);

u64 arith(void *buf, u64 len);
u64 memloop(void *buf, u64 len);
u64 calls(void *buf, u64 len);
u64 branchy(void *buf, u64 len);

static const struct { const char *name; bench_fn fn; } PROGRAMS[] = {
	{ "arith", arith }, { "memloop", memloop }, { "calls", calls }, { "branchy", branchy },
};

#define BUF_BYTES 4096

static _Alignas(64) unsigned char input[BUF_BYTES];
static _Alignas(64) unsigned char buf[BUF_BYTES];

static u64 clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s PROGRAM WARMUP RUNS\n", argv[0]);
		return 2;
	}
	bench_fn fn = 0;
	for (size_t i = 0; i < sizeof(PROGRAMS) / sizeof(PROGRAMS[0]); i++)
		if (strcmp(PROGRAMS[i].name, argv[1]) == 0)
			fn = PROGRAMS[i].fn;
	if (fn == 0) {
		fprintf(stderr, "harness: unknown program '%s'\n", argv[1]);
		return 2;
	}
	int warmup = atoi(argv[2]), runs = atoi(argv[3]);
	if (warmup < 0 || runs < 1 || runs > 100000) {
		fprintf(stderr, "harness: bad WARMUP %s or RUNS %s\n", argv[2], argv[3]);
		return 2;
	}
	// a[i] = i*16 + (i & 7) as little-endian u32 (the host is little-endian)
	for (uint32_t i = 0; i < BUF_BYTES / 4; i++) {
		uint32_t v = i * 16 + (i & 7);
		memcpy(input + i * 4, &v, 4);
	}
	// A volatile pointer keeps the compiler from inlining or folding the call.
	bench_fn volatile call = fn;
	u64 *ns = calloc((size_t)runs, sizeof(u64));
	u64 *cpu_ns = calloc((size_t)runs, sizeof(u64));
	u64 r0 = 0, first = 0;
	for (int i = 0; i < warmup + runs; i++) {
		memcpy(buf, input, BUF_BYTES);
		u64 c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
		u64 t0 = clock_ns(CLOCK_MONOTONIC);
		r0 = call(buf, BUF_BYTES);
		u64 t1 = clock_ns(CLOCK_MONOTONIC);
		u64 c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
		if (i == 0)
			first = r0;
		else if (r0 != first) {
			fprintf(stderr, "harness: %s returned 0x%llx, then 0x%llx\n", argv[1], first, r0);
			return 1;
		}
		if (i >= warmup) {
			ns[i - warmup] = t1 - t0;
			cpu_ns[i - warmup] = c1 - c0;
		}
	}
	printf("{\"program\":\"%s\",\"r0\":\"0x%llx\",\"ns\":[", argv[1], r0);
	for (int i = 0; i < runs; i++)
		printf("%s%llu", i ? "," : "", ns[i]);
	printf("],\"cpu_ns\":[");
	for (int i = 0; i < runs; i++)
		printf("%s%llu", i ? "," : "", cpu_ns[i]);
	printf("]}\n");
	free(ns);
	free(cpu_ns);
	return 0;
}
