/* Every BTF kind, kptr type tags, graph roots with contains: decl tags,
 * bitfields and nested/array special fields, for the BTF and special-field tests. */
#include "loader.h"

struct node_data {
	u64 key;
	struct bpf_rb_node node;
	struct bpf_list_node lnode;
	struct bpf_refcount ref;
};

struct stash {
	struct node_data __kptr *ptr;
	struct node_data __kptr_untrusted *raw;
	struct bpf_timer timer;
};

struct flags {
	u32 a : 3;
	u32 b : 5;
	s32 c : 12;
	u8 tail;
};

enum small { SMALL_A = 1, SMALL_NEG = -2 };
enum big { BIG_A = 0x100000000ULL, BIG_B = 3 };

typedef const volatile u64 cvu64;

struct everything {
	int i;
	char name[16];
	float f;
	double d;
	struct flags fl;
	union { u32 w; u16 h[2]; } u;
	enum small es;
	enum big eb;
	cvu64 cv;
	struct stash nested;
	struct stash stashes[2];
	struct bpf_spin_lock lock;
	struct bpf_rb_root root __contains(node_data, node);
	struct bpf_list_head head __contains(node_data, lnode);
	int *restrict rp;
	struct fwd_only *fwd;
	u64 (*fn)(int a, struct node_data *b);
} __attribute__((btf_decl_tag("everything_tag")));

struct everything everything_var SEC(".data.every");
u64 counter;

__noinline int helper_fn(int x) __attribute__((btf_decl_tag("fn_tag")))
{
	return x * 3 + counter;
}

SEC("struct_ops/use_all")
int use_all(unsigned long long *ctx)
{
	counter += everything_var.fl.b + everything_var.u.h[1];
	return helper_fn((int)ctx[0]);
}

char _license[] SEC("license") = "GPL";
