/* The "kernel" for the CO-RE tests: the same type names as core.bpf.c but
 * laid out differently — fields moved and resized, a bitfield shifted, an
 * enum with other values and one enumerator missing, a type core.bpf.c asks
 * about that exists here and one that does not. Only its BTF is used. */
#include "loader.h"

struct core_inner {
	u32 pad;
	u16 c;
};

struct core_s {
	u64 moved_in_front;
	u64 b;            /* was after `a`; same size */
	struct core_inner nested;
	u32 x : 4, flag : 7, y : 21;   /* flag moved to bit 4, 7 bits wide */
	int a;            /* was at 0, now at 28 */
	u32 small;        /* u16 locally, u32 here */
	s64 arr[4];
};

enum core_e { CORE_E_ONE = 10, CORE_E_BIG = 0x123456789LL };

struct only_in_kernel { int z; };
typedef struct core_s core_s_t;

struct core_matches { u32 p; u64 q; };

struct core_all {
	struct core_s s;
	enum core_e e;
	struct only_in_kernel k;
	core_s_t t;
	struct core_matches m;
} core_all_kernel;
