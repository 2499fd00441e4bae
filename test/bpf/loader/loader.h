/* Minimal BPF definitions for the loader's test programs (written here; the
 * shapes follow the uapi and libbpf's bpf_helpers.h conventions). */
#ifndef SCXRAY_LOADER_TEST_H
#define SCXRAY_LOADER_TEST_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]
#define __ksym __attribute__((section(".ksyms")))
#define __kconfig __attribute__((section(".kconfig")))
#define __weak __attribute__((weak))
#define __kptr __attribute__((btf_type_tag("kptr")))
#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define __percpu_kptr __attribute__((btf_type_tag("percpu_kptr")))
#define __contains(name, node) __attribute__((btf_decl_tag("contains:" #name ":" #node)))
#define private(name) SEC(".data." #name) __attribute__((aligned(8)))
#define __always_inline inline __attribute__((always_inline))
#define __noinline __attribute__((noinline))

#define bpf_ksym_exists(sym) ({ _Static_assert(!__builtin_constant_p(!!sym), #sym " should be marked as __weak"); !!sym; })

enum { BPF_MAP_TYPE_HASH = 1, BPF_MAP_TYPE_ARRAY = 2, BPF_MAP_TYPE_PERCPU_ARRAY = 6,
       BPF_MAP_TYPE_ARRAY_OF_MAPS = 12, BPF_MAP_TYPE_TASK_STORAGE = 29 };
enum { BPF_F_NO_PREALLOC = 1 };

struct bpf_spin_lock { u32 val; };
struct bpf_rb_root { u64 __a; u64 __b; } __attribute__((aligned(8)));
struct bpf_rb_node { u64 __a; u64 __b; u64 __c; u64 __d; } __attribute__((aligned(8)));
struct bpf_list_head { u64 __a; u64 __b; } __attribute__((aligned(8)));
struct bpf_list_node { u64 __a; u64 __b; u64 __c; } __attribute__((aligned(8)));
struct bpf_refcount { u32 __a; } __attribute__((aligned(4)));
struct bpf_timer { u64 __a; u64 __b; } __attribute__((aligned(8)));

static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value, u64 flags) = (void *)2;
static u64 (*bpf_ktime_get_ns)(void) = (void *)5;
static long (*bpf_loop)(u32 nr, void *fn, void *ctx, u64 flags) = (void *)181;
static void *(*bpf_kptr_xchg)(void *dst, void *ptr) = (void *)194;

#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) name(unsigned long long *ctx)

#endif
