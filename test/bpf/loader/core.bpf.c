/* Each CO-RE relocation kind (enum bpf_core_relo_kind 0..12) against local
 * types with ___flavor suffixes; core_target.bpf.c is the "kernel" BTF. */
#include "loader.h"

struct core_inner___local {
	u16 c;
} __attribute__((preserve_access_index));

struct core_s___local {
	int a;
	u64 b;
	struct core_inner___local nested;
	u8 flag : 3;
	u16 small;
	s64 arr[4];
	u32 gone;         /* not in the kernel */
} __attribute__((preserve_access_index));

enum core_e___local { CORE_E_ONE___local = 1, CORE_E_BIG___local = 2, CORE_E_MISSING___local = 3 };

struct only_local { int z; };
struct only_in_kernel { int z; };
struct core_matches { u32 p; u64 q; };
struct core_matches___nomatch { u64 p; u64 q; };

u64 out[32];

SEC("struct_ops/core_fields")
int core_fields(unsigned long long *ctx)
{
	struct core_s___local *s = (void *)ctx[0];
	out[0] = __builtin_preserve_field_info(s->a, 0);        /* FIELD_BYTE_OFFSET */
	out[1] = __builtin_preserve_field_info(s->small, 1);    /* FIELD_BYTE_SIZE */
	out[2] = __builtin_preserve_field_info(s->gone, 2);     /* FIELD_EXISTS (no) */
	out[3] = __builtin_preserve_field_info(s->b, 2);        /* FIELD_EXISTS (yes) */
	out[4] = __builtin_preserve_field_info(s->a, 3);        /* FIELD_SIGNED */
	out[5] = __builtin_preserve_field_info(s->flag, 4);     /* FIELD_LSHIFT_U64 */
	out[6] = __builtin_preserve_field_info(s->flag, 5);     /* FIELD_RSHIFT_U64 */
	out[7] = __builtin_preserve_field_info(s->nested.c, 0); /* nested member */
	out[8] = __builtin_preserve_field_info(s->arr[2], 0);   /* array element */
	out[9] = s->small;                                      /* a relocated load that also widens */
	return 0;
}

SEC("struct_ops/core_types")
int core_types(unsigned long long *ctx)
{
	out[10] = __builtin_btf_type_id(*(struct core_s___local *)0, 0);      /* TYPE_ID_LOCAL */
	out[11] = __builtin_btf_type_id(*(struct core_s___local *)0, 1);      /* TYPE_ID_TARGET */
	out[12] = __builtin_preserve_type_info(*(struct only_in_kernel *)0, 0); /* TYPE_EXISTS (yes) */
	out[13] = __builtin_preserve_type_info(*(struct only_local *)0, 0);   /* TYPE_EXISTS (no) */
	out[14] = __builtin_preserve_type_info(*(struct core_s___local *)0, 1); /* TYPE_SIZE */
	out[15] = __builtin_preserve_type_info(*(struct core_matches *)0, 2); /* TYPE_MATCHES (yes) */
	out[16] = __builtin_preserve_type_info(*(struct core_matches___nomatch *)0, 2); /* TYPE_MATCHES (no) */
	return 0;
}

SEC("struct_ops/core_enums")
int core_enums(unsigned long long *ctx)
{
	out[17] = __builtin_preserve_enum_value(*(enum core_e___local *)CORE_E_ONE___local, 0);     /* ENUMVAL_EXISTS */
	out[18] = __builtin_preserve_enum_value(*(enum core_e___local *)CORE_E_MISSING___local, 0); /* (no) */
	out[19] = __builtin_preserve_enum_value(*(enum core_e___local *)CORE_E_ONE___local, 1);     /* ENUMVAL_VALUE */
	out[20] = __builtin_preserve_enum_value(*(enum core_e___local *)CORE_E_BIG___local, 1);     /* 64-bit value */
	out[22] = __builtin_preserve_enum_value(*(enum core_e___local *)CORE_E_MISSING___local, 1); /* poisoned ld_imm64 */
	return 0;
}

SEC("struct_ops/core_poison")
int core_poison(unsigned long long *ctx)
{
	struct core_s___local *s = (void *)ctx[0];
	out[21] = s->gone;   /* FIELD_BYTE_OFFSET of a missing field: poisoned */
	return 0;
}

char _license[] SEC("license") = "GPL";
