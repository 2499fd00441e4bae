/*
 * Runs raw BPF programs in this machine's kernel, for scxray's differential
 * tests (test/kernel/). Each program is loaded as a sleepable
 * BPF_PROG_TYPE_SYSCALL program and run once with BPF_PROG_TEST_RUN on a
 * context buffer, which the kernel copies back after the run.
 *
 * stdin: records of  u32 insn_count, insn_count * 8 bytes, u32 ctx_len, ctx bytes
 * stdout: one line per record:
 *   ok <retval> <ctx after the run, hex>
 *   rejected <errno> <last line of the verifier log>
 *   error <errno> <what failed>
 * Exit 0 when every record was read; 2 on malformed input.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_INSNS 4096
#define MAX_CTX 4096
static char log_buf[1 << 20];

static long bpf(int cmd, union bpf_attr *attr) { return syscall(__NR_bpf, cmd, attr, sizeof(*attr)); }

static int read_exact(void *p, size_t n) { return fread(p, 1, n, stdin) == n; }

/* The verifier's reason: the last log line that is not its closing statistics. */
static const char *reason(const char *log) {
	static char line[512];
	line[0] = 0;
	const char *p = log;
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > 0 && strncmp(p, "processed ", 10) != 0 && strncmp(p, "verification time", 17) != 0 && strncmp(p, "stack depth", 11) != 0) {
			size_t n = len < sizeof(line) - 1 ? len : sizeof(line) - 1;
			memcpy(line, p, n);
			line[n] = 0;
		}
		if (!end) break;
		p = end + 1;
	}
	for (char *c = line; *c; c++) if (*c == '\t') *c = ' ';
	return line;
}

int main(void) {
	static uint64_t insns[MAX_INSNS];
	static unsigned char ctx[MAX_CTX];
	uint32_t n, ctx_len;
	while (read_exact(&n, 4)) {
		if (n == 0 || n > MAX_INSNS || !read_exact(insns, (size_t)n * 8) || !read_exact(&ctx_len, 4) || ctx_len > MAX_CTX || !read_exact(ctx, ctx_len)) {
			fprintf(stderr, "bpf_test_run: malformed record\n");
			return 2;
		}
		union bpf_attr attr;
		memset(&attr, 0, sizeof(attr));
		attr.prog_type = BPF_PROG_TYPE_SYSCALL;
		attr.insns = (uint64_t)(uintptr_t)insns;
		attr.insn_cnt = n;
		attr.license = (uint64_t)(uintptr_t)"GPL";
		attr.prog_flags = BPF_F_SLEEPABLE;
		int fd = (int)bpf(BPF_PROG_LOAD, &attr);
		if (fd < 0) {
			int err = errno;
			log_buf[0] = 0;
			attr.log_buf = (uint64_t)(uintptr_t)log_buf;
			attr.log_size = sizeof(log_buf);
			attr.log_level = 1;
			if (bpf(BPF_PROG_LOAD, &attr) >= 0) {
				printf("error %d loads only with a log\n", err);
			} else {
				printf("rejected %d %s\n", err, reason(log_buf));
			}
			fflush(stdout);
			continue;
		}
		memset(&attr, 0, sizeof(attr));
		attr.test.prog_fd = fd;
		attr.test.ctx_in = (uint64_t)(uintptr_t)ctx;
		attr.test.ctx_size_in = ctx_len;
		if (bpf(BPF_PROG_TEST_RUN, &attr) < 0) {
			printf("error %d test_run\n", errno);
		} else {
			printf("ok %u ", attr.test.retval);
			for (uint32_t i = 0; i < ctx_len; i++) printf("%02x", ctx[i]);
			printf("\n");
		}
		fflush(stdout);
		close(fd);
	}
	return 0;
}
