/*
 * Loads a clang-built BPF object into this machine's kernel with libbpf and
 * runs its SEC("syscall") programs on command, for scxray's differential
 * tests of graph and kptr semantics (test/kernel/graph_diff.test.ts).
 *
 * usage: bpf_obj_run OBJ [PROG]
 *   With PROG, only that program is loaded; when the verifier rejects it the
 *   first line is "rejected <errno>" and every line of its log follows as
 *   "log <line>" (the log names source lines as "; … @ file:line").
 * stdin, one command per line:
 *   call PROG CTXHEX   run PROG once with that context (BPF_PROG_TEST_RUN)
 *                      -> "ret <r0 as signed 32-bit> <ctx after, hex>"
 *   map NAME           -> "map <value of key 0, hex>" (global data: .bss, .data, ...)
 * A load failure prints "load_failed <errno> <libbpf's message>" and exits 1.
 * With BPF_OBJ_RUN_CORE=1 in the environment, libbpf's CO-RE relocation
 * results are printed first, one "core <libbpf's line>" each.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char last_msg[4096];
static char all_msgs[1 << 20];
static size_t all_len;

static int capture(enum libbpf_print_level level, const char *fmt, va_list args) {
	char line[1 << 16];
	vsnprintf(line, sizeof(line), fmt, args);
	if (level == LIBBPF_DEBUG) {
		if (getenv("BPF_OBJ_RUN_CORE") && strstr(line, ": relo #")) {
			line[strcspn(line, "\n")] = 0;
			printf("core %s\n", line);
		}
		return 0;
	}
	size_t n = strlen(line);
	if (all_len + n < sizeof(all_msgs)) {
		memcpy(all_msgs + all_len, line, n);
		all_len += n;
		all_msgs[all_len] = 0;
	}
	if (n > 1) {
		strncpy(last_msg, line, sizeof(last_msg) - 1);
		for (char *c = last_msg; *c; c++) if (*c == '\n' || *c == '\t') *c = ' ';
	}
	return 0;
}

static int unhex(const char *s, unsigned char *out, size_t max) {
	size_t n = strlen(s) / 2;
	if (n > max) return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1) return -1;
		out[i] = (unsigned char)v;
	}
	return (int)n;
}

static void hex(const unsigned char *p, size_t n) {
	for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
}

int main(int argc, char **argv) {
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: bpf_obj_run OBJ [PROG]\n");
		return 2;
	}
	libbpf_set_print(capture);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		printf("load_failed %d %s\n", errno, last_msg);
		return 1;
	}
	if (argc == 3) {
		struct bpf_program *p;
		bpf_object__for_each_program(p, obj) bpf_program__set_autoload(p, strcmp(bpf_program__name(p), argv[2]) == 0);
	}
	int err = bpf_object__load(obj);
	if (err && argc == 3) {
		printf("rejected %d\n", -err);
		for (char *line = strtok(all_msgs, "\n"); line; line = strtok(NULL, "\n")) printf("log %s\n", line);
		return 1;
	}
	if (err) {
		printf("load_failed %d %s\n", -err, last_msg);
		return 1;
	}
	printf("loaded\n");
	fflush(stdout);
	static char line[1 << 16];
	static unsigned char ctx[4096], value[1 << 16];
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		char *cmd = strtok(line, " ");
		char *name = strtok(NULL, " ");
		char *arg = strtok(NULL, " ");
		if (!cmd || !name) continue;
		if (strcmp(cmd, "call") == 0) {
			struct bpf_program *p = bpf_object__find_program_by_name(obj, name);
			int n = arg ? unhex(arg, ctx, sizeof(ctx)) : 0;
			if (!p || n < 0) {
				printf("error no program %s\n", name);
			} else {
				LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ctx, .ctx_size_in = (unsigned)n);
				if (bpf_prog_test_run_opts(bpf_program__fd(p), &opts)) {
					printf("error test_run %d\n", errno);
				} else {
					printf("ret %d ", (int)opts.retval);
					hex(ctx, (size_t)n);
					printf("\n");
				}
			}
		} else if (strcmp(cmd, "map") == 0) {
			struct bpf_map *m = NULL, *it;
			bpf_object__for_each_map(it, obj) {
				const char *mn = bpf_map__name(it);
				size_t ln = strlen(mn), lw = strlen(name);
				if (strcmp(mn, name) == 0 || (ln >= lw && strcmp(mn + ln - lw, name) == 0)) m = it;
			}
			unsigned key = 0;
			if (!m || bpf_map__value_size(m) > sizeof(value) || bpf_map_lookup_elem(bpf_map__fd(m), &key, value)) {
				printf("error no map %s\n", name);
			} else {
				printf("map ");
				hex(value, bpf_map__value_size(m));
				printf("\n");
			}
		} else {
			printf("error unknown command %s\n", cmd);
		}
		fflush(stdout);
	}
	bpf_object__close(obj);
	return 0;
}
