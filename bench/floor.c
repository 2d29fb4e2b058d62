/* sbbench-floor [--exit-only]: load floor.bpf.c's empty programs, attach
 * them to every open tracepoint this kernel has (with --exit-only, to the
 * sys_exit_* ones only: the least a tracer that runs at exit alone can
 * cost), print "ready", and hold them until SIGINT or SIGTERM.  Exit 0
 * after a clean detach, 1 on any failure, 2 on a bad argument.
 *
 * tracefs may be unmounted on the machines we run on.  We look for
 * tracepoints in a mount namespace of our own, so a tracefs we mount there
 * disappears with us and no other process's mounts ever change under it. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

#define TRACEFS "/sys/kernel/tracing"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static int private_tracefs(void)
{
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		fprintf(stderr, "sbbench-floor: cannot make a private mount namespace: %s\n",
			strerror(errno));
		return -1;
	}
	if (access(TRACEFS "/events", F_OK) == 0)
		return 0;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL)) {
		fprintf(stderr, "sbbench-floor: cannot mount tracefs on %s: %s\n", TRACEFS,
			strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	bool exit_only = argc == 2 && !strcmp(argv[1], "--exit-only");
	struct floor_bpf *skel;
	struct bpf_program *prog;
	struct bpf_link *links[16];
	int nlinks = 0, status = 1;
	struct sigaction sa = { .sa_handler = on_signal };

	sigset_t block, wait_mask;

	if (argc > 1 && !exit_only) {
		fprintf(stderr, "usage: sbbench-floor [--exit-only]\n");
		return 2;
	}

	/* Blocked until we wait for them, so none slips in between the check
	 * of stop and the wait. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	libbpf_set_print(quiet);
	if (private_tracefs())
		return 1;

	skel = floor_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "sbbench-floor: cannot load the floor programs: %s\n",
			strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		/* "tracepoint/syscalls/sys_enter_openat" -> "syscalls/sys_enter_openat" */
		const char *tp = strchr(bpf_program__section_name(prog), '/') + 1;
		char id[256];

		/* open and creat are missing on arm64, openat2 before 5.6: skip what
		 * opensnoop would skip too. */
		snprintf(id, sizeof(id), TRACEFS "/events/%s/id", tp);
		if (access(id, F_OK) || (exit_only && !strstr(tp, "/sys_exit_")))
			continue;
		links[nlinks] = bpf_program__attach(prog);
		if (!links[nlinks]) {
			fprintf(stderr, "sbbench-floor: cannot attach to %s: %s\n", tp,
				strerror(errno));
			goto out;
		}
		nlinks++;
	}
	if (nlinks < (exit_only ? 1 : 2)) {
		fprintf(stderr, "sbbench-floor: no openat tracepoints found under %s\n", TRACEFS);
		goto out;
	}
	printf("ready %d\n", nlinks);
	fflush(stdout);
	while (!stop)
		sigsuspend(&wait_mask);
	status = 0;
out:
	while (nlinks > 0)
		bpf_link__destroy(links[--nlinks]);
	floor_bpf__destroy(skel);
	return status;
}
