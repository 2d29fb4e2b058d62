/* opensnoop: user side.  Prints one line per completed open. */
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include "core/names.h"
#include "core/options.h"
#include "core/path.h"
#include "core/tool.h"
#include "tools/opensnoop/opensnoop.h"
#include "opensnoop.skel.h"
#include "opensnoop_fullpath.skel.h"

struct opensnoop_opts {
	bool extended;
	bool full_path;
};

static const struct argp_option opensnoop_options[] = {
	{ "extended-fields", 'e', NULL, 0, "Show the open flags and the mode of creating opens", 2 },
	{ "full-path", 'F', NULL, 0,
	  "Show relative paths as absolute ones, resolved in the kernel against the "
	  "directory fd or the working directory at the time of the call", 2 },
	{ 0 },
};

static error_t opensnoop_parse(int key, char *arg, struct argp_state *st)
{
	struct opensnoop_opts *o = snoop_parse_tool_state(st);

	switch (key) {
	case 'e':
		o->extended = true;
		return 0;
	case 'F':
		o->full_path = true;
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const void *opensnoop_object(const struct snoop_run *run, size_t *size)
{
	const struct opensnoop_opts *o = run->tool_state;

	if (o->full_path) {
		((struct snoop_run *)run)->needs_kernel_btf = true;
		return opensnoop_fullpath_bpf__elf_bytes(size);
	}
	return opensnoop_bpf__elf_bytes(size);
}

static const struct snoop_column *opensnoop_columns(const struct snoop_run *run)
{
	static const struct snoop_column plain[] = {
		{ "PID", -7 }, { "COMM", -16 }, { "FD", 3 }, { "ERR", 3 }, { "PATH", 0 }, { NULL },
	};
	static const struct snoop_column extended[] = {
		{ "PID", -7 }, { "COMM", -16 }, { "FD", 3 }, { "ERR", 3 }, { "FLAGS", -24 },
		{ "MODE", -4 }, { "PATH", 0 }, { NULL },
	};
	const struct opensnoop_opts *o = run->tool_state;

	return o->extended ? extended : plain;
}

static const char *const opensnoop_syscall_names[] = {
	[OPENSNOOP_SYS_OPEN] = "open",
	[OPENSNOOP_SYS_CREAT] = "creat",
	[OPENSNOOP_SYS_OPENAT] = "openat",
	[OPENSNOOP_SYS_OPENAT2] = "openat2",
};

/* Only opens that may create a file have a meaningful mode. */
static bool opensnoop_has_mode(__u64 flags)
{
	return (flags & 0100) || (flags & 020000000) == 020000000;
}

static int opensnoop_print(struct snoop_run *run, const void *data, size_t size)
{
	const struct opensnoop_opts *o = run->tool_state;
	const struct opensnoop_event *e = data;
	const char *parts = (const char *)(e + 1);
	size_t parts_len = e->path_len;
	struct output *out = &run->out;
	char path[OPENSNOOP_PATH_BUF + 2], flags[256], mode[16], errbuf[16];
	size_t path_len;
	bool truncated = e->path_flags & OPENSNOOP_PATH_TRUNCATED;
	/* The kernel returns errors as -4095..-1; anything else is not one. */
	int err = e->ret < 0 && e->ret >= -4095 ? (int)-e->ret : 0;

	if (parts_len > size - sizeof(*e))
		parts_len = size - sizeof(*e);
	path_len = path_assemble(path, sizeof(path), parts, parts_len, e->path_parts,
				 e->path_flags & OPENSNOOP_PATH_DIRS);
	if (path_len >= sizeof(path)) {
		path_len = sizeof(path) - 1;
		truncated = true;
	}
	/* Only the views that show them pay for the names. */
	if (out->json || o->extended) {
		open_flags_str(flags, sizeof(flags), e->flags);
		snprintf(mode, sizeof(mode), "%04o", e->mode & 07777);
	}

	snoop_event_begin(run, &e->hdr);
	output_uint(out, "pid", -7, e->hdr.pid);
	output_uint(out, "tid", OUT_JSON_ONLY, e->hdr.tid);
	output_uint(out, "uid", OUT_JSON_ONLY, e->hdr.uid);
	output_bytes(out, "comm", -16, e->hdr.comm, strnlen(e->hdr.comm, sizeof(e->hdr.comm)));
	output_int(out, "fd", 3, e->ret < 0 ? -1 : e->ret);
	output_int(out, out->json ? "errno" : "err", 3, err);
	if (out->json) {
		if (err)
			output_str(out, "err", 0, errno_name(err, errbuf, sizeof(errbuf)));
		else
			output_null(out, "err", 0, "");
		output_uint(out, "flags", 0, e->flags);
		output_str(out, "flag_names", 0, flags);
		if (opensnoop_has_mode(e->flags))
			output_uint(out, "mode", 0, e->mode & 07777);
		else
			output_null(out, "mode", 0, "");
		output_str(out, "syscall", 0, e->syscall < 4 ? opensnoop_syscall_names[e->syscall] : "?");
	} else if (o->extended) {
		output_str(out, "flags", -24, flags);
		output_str(out, "mode", -4, opensnoop_has_mode(e->flags) ? mode : "-");
	}
	if (out->json) {
		output_bytes(out, "path", 0, path, path_len);
		output_bool(out, "path_truncated", 0, truncated);
	} else {
		/* The table cannot say "truncated" in a column of its own. */
		if (truncated && path_len + 3 < sizeof(path)) {
			memcpy(path + path_len, "...", 3);
			path_len += 3;
		}
		output_bytes(out, "path", 0, path, path_len);
	}
	output_record_end(out);
	return 0;
}

/* Best: the exit tracepoints only, arguments from the saved registers. */
static const struct snoop_hook opensnoop_exit_hooks[] = {
	{ "opensnoop_exit_openat", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_openat" },
	/* open and creat exist on x86 but not on arm64; openat2 since 5.6. */
	{ "opensnoop_exit_open", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_open", true },
	{ "opensnoop_exit_creat", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_creat", true },
	{ "opensnoop_exit_openat2", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_openat2", true },
	{ NULL },
};

/* Before 5.15, or on an architecture whose registers we do not decode:
 * entry and exit, paired through per-thread storage. */
static const struct snoop_hook opensnoop_pair_hooks[] = {
	{ "opensnoop_pair_enter_openat", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_enter_openat" },
	{ "opensnoop_pair_exit_openat", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_openat" },
	{ "opensnoop_pair_enter_open", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_enter_open", true },
	{ "opensnoop_pair_exit_open", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_open", true },
	{ "opensnoop_pair_enter_creat", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_enter_creat", true },
	{ "opensnoop_pair_exit_creat", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_creat", true },
	{ "opensnoop_pair_enter_openat2", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_enter_openat2",
	  true },
	{ "opensnoop_pair_exit_openat2", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_openat2", true },
	{ NULL },
};

/* No per-syscall tracepoints, or no tracefs: the raw sys_exit. */
static const struct snoop_hook opensnoop_raw_tp_hooks[] = {
	{ "opensnoop_raw_exit", SNOOP_HOOK_RAW_TP, "sys_exit" },
	{ NULL },
};

static const struct snoop_variant opensnoop_variants[] = {
	{ "tracepoint", opensnoop_exit_hooks, BPF_FUNC_task_pt_regs,
	  "bpf_task_pt_regs, Linux 5.15" },
	{ "tracepoint-pair", opensnoop_pair_hooks },
	{ "raw_tp", opensnoop_raw_tp_hooks },
	{ NULL },
};

static const struct snoop_tracer opensnoop_tracer = {
	.object = opensnoop_object,
	.variants = opensnoop_variants,
	.columns = opensnoop_columns,
	.print = opensnoop_print,
	.min_event_size = sizeof(struct opensnoop_event),
};

static const struct snoop_object opensnoop_objects[] = {
	{ "opensnoop", opensnoop_bpf__elf_bytes },
	{ "opensnoop_fullpath", opensnoop_fullpath_bpf__elf_bytes },
	{ NULL },
};

const struct snoop_tool snoop_tool_opensnoop = {
	.name = "opensnoop",
	.summary = "Trace files opened by path (open, openat, openat2, creat)",
	.doc = "Trace open(2), openat(2), openat2(2) and creat(2): one line per completed call."
	       "\vFD is -1 and ERR the errno when the call failed.  Filters run in the kernel."
	       "\n\nExamples:\n"
	       "  opensnoop             trace every open\n"
	       "  opensnoop -p 181      trace process 181 only\n"
	       "  opensnoop -x -n nginx failed opens by commands containing \"nginx\"\n"
	       "  opensnoop -eF -j      flags, mode and absolute paths, as JSON Lines",
	.options = opensnoop_options,
	.parse = opensnoop_parse,
	.common = SNOOP_OPTS_TRACER | SNOOP_OPT_FAILED,
	.tracer = &opensnoop_tracer,
	.state_size = sizeof(struct opensnoop_opts),
	.objects = opensnoop_objects,
};
