/* sbhooks: which BPF hook kinds this kernel loads, attaches and runs.
 * Prints one line per kind, "hook NAME: ok" or "hook NAME: no (why)", for
 * the VM suite's per-kernel expectations and the README's table.  Each
 * program is loaded on its own: one refused kind must not hide the others. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "hooks.skel.h"

static const char *const kinds[] = {
	"tracepoint", "raw_tp", "tp_btf", "kprobe", "kretprobe", "kprobe_multi",
	"fentry", "fexit", "lsm",
};

static int quiet(enum libbpf_print_level l, const char *fmt, va_list ap) { return 0; }

static int probe(int i, char *why, size_t len)
{
	char name[64];
	struct hooks_bpf *s = hooks_bpf__open();
	struct bpf_program *p, *want = NULL;
	struct bpf_link *link = NULL;
	int err = 0;

	if (!s) {
		snprintf(why, len, "open: %s", strerror(errno));
		return -1;
	}
	snprintf(name, sizeof(name), "hooks_%s", kinds[i]);
	s->rodata->hooks_tgid = getpid();
	bpf_object__for_each_program(p, s->obj) {
		bool me = !strcmp(bpf_program__name(p), name);

		bpf_program__set_autoload(p, me);
		if (me)
			want = p;
	}
	err = hooks_bpf__load(s);
	if (err) {
		snprintf(why, len, "load: %s", strerror(-err));
		goto out;
	}
	link = bpf_program__attach(want);
	if (!link) {
		err = -errno;
		snprintf(why, len, "attach: %s", strerror(errno));
		goto out;
	}
	for (int n = 0; n < 3; n++) {
		int fd = open("/dev/null", O_RDONLY);

		if (fd >= 0)
			close(fd);
	}
	if (!s->bss->hooks_hits[i]) {
		err = -1;
		snprintf(why, len, "attached but never ran");
	}
out:
	bpf_link__destroy(link);
	hooks_bpf__destroy(s);
	return err;
}

int main(int argc, char **argv)
{
	int n = 0;

	if (argc > 1 && strcmp(argv[1], "-v")) {
		fprintf(stderr, "usage: sbhooks [-v]\n");
		return 2;
	}
	if (argc == 1)
		libbpf_set_print(quiet);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char why[160] = "";

		if (probe(i, why, sizeof(why)) == 0) {
			printf("hook %s: ok\n", kinds[i]);
			n++;
		} else {
			printf("hook %s: no (%s)\n", kinds[i], why);
		}
	}
	return n ? 0 : 1;
}
