#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "core/bpfobj.h"
#include "core/tool.h"

int snoop_rodata_set(struct bpf_object *obj, const char *var, const void *val, size_t size)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map, *rodata = NULL;
	const struct btf_type *sec;
	struct btf_var_secinfo *vs;
	size_t data_size;
	char *data;
	int id;

	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);
		size_t len = strlen(name);

		if (bpf_map__is_internal(map) && len >= 7 && !strcmp(name + len - 7, ".rodata"))
			rodata = map;
	}
	if (!btf || !rodata)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (id < 0)
		return -ENOENT;
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *v = btf__type_by_id(btf, vs->type);

		if (strcmp(btf__name_by_offset(btf, v->name_off), var))
			continue;
		data = (char *)bpf_map__initial_value(rodata, &data_size);
		if (!data || vs->size != size || vs->offset + size > data_size)
			return -EINVAL;
		memcpy(data + vs->offset, val, size);
		return 0;
	}
	return -ENOENT;
}

int snoop_percpu_sum(struct bpf_map *map, __u64 *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	__u32 zero = 0;
	__u64 *vals;
	int err;

	*sum = 0;
	if (ncpu <= 0)
		return ncpu;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	err = bpf_map_lookup_elem(bpf_map__fd(map), &zero, vals);
	if (!err)
		for (int i = 0; i < ncpu; i++)
			*sum += vals[i];
	free(vals);
	return err ? -errno : 0;
}

/* The two places libbpf looks, in its order. */
#define TRACEFS_DEBUGFS "/sys/kernel/debug/tracing"
#define TRACEFS_TRACEFS "/sys/kernel/tracing"

const char *snoop_tracefs(bool *mounted_by_us)
{
	*mounted_by_us = false;
	if (access(TRACEFS_DEBUGFS "/events", F_OK) == 0)
		return TRACEFS_DEBUGFS;
	if (access(TRACEFS_TRACEFS "/events", F_OK) == 0)
		return TRACEFS_TRACEFS;
	/* Mounting it for everyone and unmounting after attach raced with a
	 * second snoopbox that found it mounted and was still attaching.
	 * Slave propagation: the system's later mounts still reach us. */
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) ||
	    mount("tracefs", TRACEFS_TRACEFS, "tracefs", 0, NULL))
		return NULL;
	*mounted_by_us = true;
	return TRACEFS_TRACEFS;
}

static bool cap_effective(int cap)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long caps = 0;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			break;
	fclose(f);
	return caps & (1ULL << cap);
}

bool snoop_have_bpf_privileges(void)
{
	enum { CAP_SYS_ADMIN_ = 21, CAP_PERFMON_ = 38, CAP_BPF_ = 39 };

	if (cap_effective(CAP_SYS_ADMIN_) || (cap_effective(CAP_BPF_) && cap_effective(CAP_PERFMON_)))
		return true;
	snoop_err("need root, or CAP_BPF and CAP_PERFMON, to load BPF programs%s",
		  geteuid() ? " (run it with sudo)" : "");
	return false;
}

static volatile int *stop_flag;
volatile int snoop_stop_signal;
volatile int snoop_stop_signal_sent;

static void on_stop_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	snoop_stop_signal = sig;
	snoop_stop_signal_sent = si && (si->si_code == SI_USER || si->si_code == SI_QUEUE);
	if (stop_flag)
		*stop_flag = 1;
}

void snoop_signals_install(volatile int *flag)
{
	struct sigaction sa = { .sa_sigaction = on_stop_signal, .sa_flags = SA_SIGINFO };

	stop_flag = flag;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

__u64 snoop_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int snoop_tracepoint_field_offset(const char *tracefs, const char *event, const char *field)
{
	char path[512], line[512], want[128];
	FILE *f;
	int off = -1;

	snprintf(path, sizeof(path), "%s/events/%s/format", tracefs, event);
	snprintf(want, sizeof(want), " %s;", field);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		const char *decl = strstr(line, "field:"), *end = strchr(line, ';'), *o;

		/* "field:pid_t child_pid;\toffset:20;\tsize:4;..." */
		if (!decl || !end || !(o = strstr(line, "offset:")))
			continue;
		if ((size_t)(end - decl + 1) >= strlen(want) &&
		    !strncmp(end + 1 - strlen(want), want, strlen(want))) {
			off = atoi(o + 7);
			break;
		}
	}
	fclose(f);
	return off;
}
