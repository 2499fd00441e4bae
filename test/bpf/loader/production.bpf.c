/* SPDX-License-Identifier: MIT */
/*
 * What production scheduler objects bring to the loader, one variant per
 * -D flag (compiled by src/sched_ext/loader/production.test.ts):
 *   (none)            an arena with __ulong(map_extra), an __arena global,
 *                     a 96 MiB .bss (larger than the old 64 MiB cap)
 *   ZERO_ENTRIES      an array map with max_entries 0 (the kernel refuses it)
 *   ARENA_NO_MMAP     an arena without BPF_F_MMAPABLE
 *   GLOBALS_NO_ARENA  __arena globals but no arena map (a library declares it)
 *   UNLINKED          calls a global function another object defines
 *   MISSING_KSYM      reads a typed kernel symbol the kernel does not have
 */
#include "loader.h"

#define __arena __attribute__((address_space(1)))
#define __ulong(name, val) enum { __uniq_##name = val } name
#define BPF_F_MMAPABLE 1024

char _license[] SEC("license") = "GPL";

#ifndef GLOBALS_NO_ARENA
struct {
	__uint(type, 33); /* BPF_MAP_TYPE_ARENA */
#ifndef ARENA_NO_MMAP
	__uint(map_flags, BPF_F_MMAPABLE);
#endif
	__uint(max_entries, 16);
	__ulong(map_extra, 0x100000000000ull);
} arena SEC(".maps");
#endif

#ifdef ZERO_ENTRIES
struct {
	__uint(type, 2); /* BPF_MAP_TYPE_ARRAY */
	__uint(max_entries, 0);
	__type(key, u32);
	__type(value, u64);
} empty SEC(".maps");
#endif

u64 __arena arena_counter = 5;
char big[96 << 20];

#ifdef UNLINKED
int lib_pick_cpu(int hint);
#endif
#ifdef MISSING_KSYM
extern int no_such_counter __ksym;
#endif

SEC("syscall")
int touch(void *ctx)
{
	arena_counter++;
	big[(96 << 20) - 1] = 1;
#ifdef UNLINKED
	return lib_pick_cpu(1);
#elif defined(MISSING_KSYM)
	return (long)&no_such_counter;
#else
	return (int)arena_counter;
#endif
}
