// Error numbers helpers and kfuncs return, negated as the kernel does
// (include/uapi/asm-generic/errno-base.h and errno.h).

export const EPERM = 1;
export const ENOENT = 2;
export const E2BIG = 7;
export const ENOMEM = 12;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const EINVAL = 22;
export const ENOSPC = 28;
export const EDEADLK = 35;
export const EOPNOTSUPP = 95;

/** BPF_ANY / BPF_NOEXIST / BPF_EXIST / BPF_F_LOCK map update flags (uapi bpf.h). */
export const UpdateFlag = { ANY: 0, NOEXIST: 1, EXIST: 2, LOCK: 4 } as const;
