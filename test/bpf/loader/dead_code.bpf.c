/* Load-time verdicts on calls to an unresolved weak kfunc, as the kernel's
 * verifier gives them: a call it can prove dead (bpf_ksym_exists() is 0, a
 * frozen .rodata knob is off, a constant reaches a subprogram's guard) loads;
 * a reachable one is refused. Each program is loaded alone
 * (test/kernel/dead_code_verdict.test.ts compares with the real kernel;
 * src/sched_ext/loader/dead_code.test.ts checks the line). */
#include <scx/common.bpf.h>

extern void scxray_no_such_kfunc(u64 x) __ksym __weak;

const volatile bool knob_off = false;
const volatile bool knob_on = true;
const volatile u32 level = 3;

SEC("syscall")
int guarded_ok(u64 *ctx)
{
	if (bpf_ksym_exists(scxray_no_such_kfunc))
		scxray_no_such_kfunc(1);
	return 0;
}

SEC("syscall")
int unguarded_bad(u64 *ctx)
{
	scxray_no_such_kfunc(2); /* MARK:unguarded_bad */
	return 0;
}

SEC("syscall")
int knob_off_ok(u64 *ctx)
{
	if (knob_off)
		scxray_no_such_kfunc(3);
	return 0;
}

SEC("syscall")
int knob_on_bad(u64 *ctx)
{
	if (knob_on)
		scxray_no_such_kfunc(4); /* MARK:knob_on_bad */
	return 0;
}

SEC("syscall")
int level_ok(u64 *ctx)
{
	if (level > 5)
		scxray_no_such_kfunc(5);
	return 0;
}

SEC("syscall")
int runtime_guard_bad(u64 *ctx)
{
	if (ctx[0] == 7)
		scxray_no_such_kfunc(6); /* MARK:runtime_guard_bad */
	return 0;
}

static __attribute__((noinline)) int maybe_call(int enable)
{
	if (enable)
		scxray_no_such_kfunc(7); /* MARK:subprog_bad */
	return 0;
}

SEC("syscall")
int subprog_const_ok(u64 *ctx)
{
	return maybe_call(0);
}

SEC("syscall")
int subprog_bad(u64 *ctx)
{
	return maybe_call(1);
}

char LICENSE[] SEC("license") = "GPL";
