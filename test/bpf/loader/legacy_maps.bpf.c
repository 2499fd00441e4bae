/* The pre-BTF map definition in SEC("maps") that libbpf 1.0 dropped. */
#include "loader.h"

struct bpf_map_def {
	unsigned int type, key_size, value_size, max_entries, map_flags;
};

struct bpf_map_def SEC("maps") old_map = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 1 };

SEC("struct_ops/uses_old")
int uses_old(unsigned long long *ctx)
{
	u32 k = 0;
	return bpf_map_lookup_elem(&old_map, &k) != 0;
}

char _license[] SEC("license") = "GPL";
