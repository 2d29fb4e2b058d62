/* seccomp: record the system calls a command makes and write the seccomp
 * profile that allows exactly those, in the OCI runtime-spec (Docker)
 * format.
 *
 * The kernel program only counts (tools/seccomp/seccomp.bpf.c); everything
 * here happens once, after the traced command ended: read the counters,
 * name the numbers with libseccomp, write the profile and, with --counts,
 * a table of the counts. */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <seccomp.h>
#include "core/bpfobj.h"
#include "core/options.h"
#include "core/output.h"
#include "core/tool.h"
#include "tools/seccomp/seccomp.h"
#include "seccomp.skel.h"

struct sc_opts {
	const char *output;  /* -o FILE, or NULL for stdout */
	bool counts;
};

struct sc_syscall {
	unsigned nr;         /* SECCOMP_NR_MAX: numbers outside the table */
	char *name;          /* from libseccomp; NULL if it has none */
	__u64 count;
};

enum { SC_KEY_COUNTS = 'c', SC_KEY_OUTPUT = 'o' };

static const struct argp_option sc_options[] = {
	{ "output", SC_KEY_OUTPUT, "FILE", 0,
	  "Write the profile to FILE instead of standard output", 2 },
	{ "counts", SC_KEY_COUNTS, NULL, 0,
	  "Print how often each system call was made (SYSCALL COUNT, most frequent "
	  "first; JSON Lines with -j).  Without -o it replaces the profile on "
	  "standard output", 2 },
	{ 0 },
};

/* A profile path that cannot be written is a usage error, found before the
 * command runs rather than after all the work. */
static void sc_check_output(struct argp_state *st, const char *path)
{
	char *copy, *dir;
	struct stat sb;
	int err = 0;

	if (!*path)
		argp_error(st, "-o needs a file name");
	if (access(path, F_OK) == 0) {
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			err = EISDIR;
		else if (access(path, W_OK))
			err = errno;
	} else if (errno == ENOENT) {
		copy = strdup(path);
		if (!copy)
			argp_failure(st, SNOOP_EXIT_FAIL, ENOMEM, "-o");
		dir = dirname(copy);
		if (access(dir, W_OK | X_OK))
			err = errno;
		free(copy);
	} else {
		err = errno;
	}
	if (err)
		argp_error(st, "cannot write the profile to '%s': %s; give -o a writable path",
			   path, strerror(err));
}

static error_t sc_parse(int key, char *arg, struct argp_state *st)
{
	struct sc_opts *o = snoop_parse_tool_state(st);

	switch (key) {
	case SC_KEY_OUTPUT:
		sc_check_output(st, arg);
		o->output = arg;
		return 0;
	case SC_KEY_COUNTS:
		o->counts = true;
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const void *sc_object(const struct snoop_run *run, size_t *size)
{
	return seccomp_bpf__elf_bytes(size);
}

static int sc_configure(struct snoop_run *run, struct bpf_object *obj)
{
	__u32 self = getpid();
	int err = snoop_rodata_set(obj, "seccomp_self_tgid", &self, sizeof(self));

	if (err)
		snoop_err("cannot configure the kernel program: %s", strerror(-err));
	return err;
}

/* Never called: the kernel program sends no events. */
static int sc_print(struct snoop_run *run, const void *data, size_t size)
{
	return 0;
}

/* Every slot with a count, summed over CPUs; *n is how many. */
static struct sc_syscall *sc_read_counts(struct bpf_object *obj, size_t *n)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "seccomp_counts");
	int ncpu = libbpf_num_possible_cpus();
	struct sc_syscall *list = NULL;
	__u64 *vals = NULL;
	size_t used = 0;

	*n = 0;
	if (!map || ncpu <= 0) {
		snoop_err("cannot read the counters: %s",
			  map ? strerror(-ncpu) : "map seccomp_counts is missing");
		return NULL;
	}
	vals = calloc(ncpu, sizeof(*vals));
	list = calloc(SECCOMP_SLOTS, sizeof(*list));
	if (!vals || !list) {
		snoop_err("out of memory");
		goto fail;
	}
	for (__u32 slot = 0; slot < SECCOMP_SLOTS; slot++) {
		__u64 sum = 0;

		if (bpf_map_lookup_elem(bpf_map__fd(map), &slot, vals)) {
			snoop_err("cannot read the counter of syscall %u: %s", slot, strerror(errno));
			goto fail;
		}
		for (int i = 0; i < ncpu; i++)
			sum += vals[i];
		if (!sum)
			continue;
		list[used].nr = slot;
		list[used].count = sum;
		if (slot < SECCOMP_NR_MAX)
			list[used].name = seccomp_syscall_resolve_num_arch(seccomp_arch_native(),
									   slot);
		used++;
	}
	free(vals);
	*n = used;
	return list;
fail:
	free(vals);
	free(list);
	return NULL;
}

static int sc_by_name(const void *a, const void *b)
{
	const struct sc_syscall *x = a, *y = b;

	/* Unnamed ones last, by number. */
	if (!x->name || !y->name)
		return x->name ? -1 : y->name ? 1 : (x->nr > y->nr) - (x->nr < y->nr);
	return strcmp(x->name, y->name);
}

static int sc_by_count(const void *a, const void *b)
{
	const struct sc_syscall *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return sc_by_name(a, b);
}

/* The OCI name of this build's architecture.  libseccomp can turn a name
 * into a token but not back, so the few names a profile uses are here. */
static const char *sc_arch_name(void)
{
	static const struct { uint32_t token; const char *name; } archs[] = {
		{ SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64" },
		{ SCMP_ARCH_X86, "SCMP_ARCH_X86" },
		{ SCMP_ARCH_X32, "SCMP_ARCH_X32" },
		{ SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64" },
		{ SCMP_ARCH_ARM, "SCMP_ARCH_ARM" },
		{ SCMP_ARCH_PPC64LE, "SCMP_ARCH_PPC64LE" },
		{ SCMP_ARCH_PPC64, "SCMP_ARCH_PPC64" },
		{ SCMP_ARCH_S390X, "SCMP_ARCH_S390X" },
		{ SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64" },
		{ SCMP_ARCH_MIPS64, "SCMP_ARCH_MIPS64" },
		{ SCMP_ARCH_MIPSEL64, "SCMP_ARCH_MIPSEL64" },
	};
	uint32_t native = seccomp_arch_native();

	for (size_t i = 0; i < sizeof(archs) / sizeof(archs[0]); i++)
		if (archs[i].token == native)
			return archs[i].name;
	return NULL;
}

/* The profile: deny by default with EPERM, allow the recorded calls.  Only
 * this machine's native architecture is listed: the numbers recorded are
 * native ones, and a 32-bit (x86, x32) process under this profile is then
 * refused every call instead of being allowed calls no one recorded. */
static void sc_write_profile(FILE *f, const struct sc_syscall *list, size_t n,
			     const char *arch)
{
	bool first = true;

	fprintf(f, "{\n\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
		   "\t\"defaultErrnoRet\": %d,\n"
		   "\t\"architectures\": [\n\t\t\"%s\"\n\t],\n"
		   "\t\"syscalls\": [", EPERM, arch);
	for (size_t i = 0; i < n; i++) {
		if (!list[i].name)
			continue;
		fputs(first ? "\n\t\t{\n\t\t\t\"names\": [\n" : ",\n", f);
		first = false;
		fputs("\t\t\t\t", f);
		output_json_string(f, list[i].name, strlen(list[i].name));
	}
	if (!first)
		fputs("\n\t\t\t],\n\t\t\t\"action\": \"SCMP_ACT_ALLOW\"\n\t\t}\n\t", f);
	fputs("]\n}\n", f);
}

static int sc_write_profile_to(const struct sc_opts *o, const struct sc_syscall *list,
			       size_t n, const char *arch)
{
	const char *where = o->output ? o->output : "standard output";
	FILE *f = o->output ? fopen(o->output, "w") : stdout;
	int err;

	if (!f) {
		snoop_err("cannot write the profile to '%s': %s", where, strerror(errno));
		return SNOOP_EXIT_FAIL;
	}
	sc_write_profile(f, list, n, arch);
	err = ferror(f) ? EIO : 0;
	if (fflush(f) && !err)
		err = errno;
	if (o->output && fclose(f) && !err)
		err = errno;
	if (err) {
		snoop_err("cannot write the profile to '%s': %s", where, strerror(err));
		return SNOOP_EXIT_FAIL;
	}
	return SNOOP_EXIT_OK;
}

static int sc_write_counts(struct snoop_run *run, struct sc_syscall *list, size_t n)
{
	struct output *out = &run->out;
	char unnamed[32];

	qsort(list, n, sizeof(*list), sc_by_count);
	if (!out->json)
		fprintf(out->f, "%-24s %12s\n", "SYSCALL", "COUNT");
	for (size_t i = 0; i < n; i++) {
		output_record_begin(out);
		if (list[i].name) {
			output_str(out, "syscall", -24, list[i].name);
		} else {
			if (list[i].nr < SECCOMP_NR_MAX)
				snprintf(unnamed, sizeof(unnamed), "(%u)", list[i].nr);
			else
				snprintf(unnamed, sizeof(unnamed), "(other)");
			output_null(out, "syscall", -24, unnamed);
		}
		if (list[i].nr < SECCOMP_NR_MAX)
			output_uint(out, "nr", OUT_JSON_ONLY, list[i].nr);
		else
			output_null(out, "nr", OUT_JSON_ONLY, "");
		output_uint(out, "count", 12, list[i].count);
		output_record_end(out);
	}
	if (!output_flush(out)) {
		snoop_err("cannot write the counts: %s", strerror(errno ? errno : EIO));
		return SNOOP_EXIT_FAIL;
	}
	return SNOOP_EXIT_OK;
}

static int sc_finish(struct snoop_run *run, struct bpf_object *obj)
{
	const struct sc_opts *o = run->tool_state;
	const char *arch = sc_arch_name();
	struct sc_syscall *list;
	size_t n, named = 0;
	int status = SNOOP_EXIT_OK;

	if (!arch) {
		snoop_err("this architecture (libseccomp token 0x%x) has no profile name here",
			  seccomp_arch_native());
		return SNOOP_EXIT_FAIL;
	}
	list = sc_read_counts(obj, &n);
	if (!list)
		return SNOOP_EXIT_FAIL;
	for (size_t i = 0; i < n; i++) {
		if (list[i].name) {
			named++;
		} else if (list[i].nr < SECCOMP_NR_MAX) {
			snoop_err("warning: syscall number %u (%llu calls) is unknown to libseccomp; "
				  "left out of the profile", list[i].nr,
				  (unsigned long long)list[i].count);
		} else {
			snoop_err("warning: %llu calls with numbers outside the native table "
				  "(x32 or invalid); left out of the profile",
				  (unsigned long long)list[i].count);
		}
	}
	if (!named)
		snoop_err("warning: no system calls were recorded; the profile allows none");

	qsort(list, n, sizeof(*list), sc_by_name);
	/* The command may have written to our stdout: it ended, but its last
	 * bytes and ours must not interleave with buffered ones. */
	fflush(stdout);
	if (o->output || !o->counts)
		status = sc_write_profile_to(o, list, n, arch);
	if (status == SNOOP_EXIT_OK && o->counts)
		status = sc_write_counts(run, list, n);
	for (size_t i = 0; i < n; i++)
		free(list[i].name);
	free(list);
	return status;
}

static const struct snoop_hook sc_tracepoint_hooks[] = {
	{ "seccomp_tp_sys_enter", SNOOP_HOOK_TRACEPOINT, "raw_syscalls/sys_enter" },
	{ NULL },
};

static const struct snoop_hook sc_raw_tp_hooks[] = {
	{ "seccomp_raw_sys_enter", SNOOP_HOOK_RAW_TP, "sys_enter" },
	{ NULL },
};

/* The raw tracepoint first: both run on every syscall of every task, and
 * the raw one skips building the trace record, which measured 20-30% less
 * added time per call (0.22 against 0.32 us, a getppid loop). */
static const struct snoop_variant sc_variants[] = {
	{ "raw_tp", sc_raw_tp_hooks },
	{ "tracepoint", sc_tracepoint_hooks },
	{ NULL },
};

static const struct snoop_tracer sc_tracer = {
	.object = sc_object,
	.variants = sc_variants,
	.configure = sc_configure,
	.print = sc_print,
	.finish = sc_finish,
};

const struct snoop_tool snoop_tool_seccomp = {
	.name = "seccomp",
	.summary = "Record the system calls of a command and write a seccomp profile allowing them",
	.doc = "Count every system call the traced processes make, in the kernel, and when "
	       "COMMAND ends (or at -d, or Ctrl-C) write a seccomp profile in the OCI "
	       "runtime-spec format Docker, Podman and runc read: every recorded call "
	       "allowed, anything else refused with EPERM."
	       "\vThe profile covers COMMAND from its execve on, with every process it starts. "
	       "Only this machine's native architecture is recorded and listed; 32-bit "
	       "(compat) system calls are out of scope.  A runtime that does work of its own "
	       "between installing the filter and exec may need more calls.  The exit status is "
	       "COMMAND's, or 1 if the profile could not be written."
	       "\n\nExamples:\n"
	       "  seccomp -o app.json -- ./app --selftest   profile for one run of ./app\n"
	       "  seccomp --counts -- ls /                 how often ls makes each call\n"
	       "  seccomp -p 181 -d 30 -o p.json           what process 181 does in 30 s\n"
	       "  seccomp --cgroup system.slice/x.service  a service's calls, until Ctrl-C",
	.options = sc_options,
	.parse = sc_parse,
	.common = SNOOP_OPT_PID | SNOOP_OPT_TID | SNOOP_OPT_UID | SNOOP_OPT_NAME |
		  SNOOP_OPT_DURATION | SNOOP_OPT_JSON | SNOOP_OPT_VERBOSE | SNOOP_OPT_ATTACH |
		  SNOOP_OPT_CGROUP | SNOOP_OPT_COMMAND,
	.tracer = &sc_tracer,
	.state_size = sizeof(struct sc_opts),
};
