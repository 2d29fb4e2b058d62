/* What is loaded in the kernel: programs and maps by id, their fdinfo
 * facts, and the processes holding them.  Shared by progs, maps and dump. */
#ifndef SNOOP_BPFINFO_H
#define SNOOP_BPFINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/bpf.h>
#include <argp.h>
#include "core/output.h"

struct snoop_tool;

enum bpfinfo_kind { BPFINFO_PROG, BPFINFO_MAP };

/* One process holding one object through a file descriptor. */
struct bpf_holder {
	enum bpfinfo_kind kind;
	__u32 id;
	int pid;
	char comm[16];
};

struct bpf_holders {
	struct bpf_holder *v;
	size_t n, cap;
};

/* Read /proc/<pid>/fdinfo/<fd> of every process for prog_id/map_id lines.
 * Processes that vanish or deny access are skipped. */
void bpfinfo_holders_scan(struct bpf_holders *h);
void bpfinfo_holders_free(struct bpf_holders *h);
bool bpfinfo_held_by(const struct bpf_holders *h, enum bpfinfo_kind kind, __u32 id, int pid);
/* "pids" as bpftool's JSON has it (array of {pid, comm}), or in a table
 * "comm(pid) ...", "-" when none. */
void bpfinfo_holders_print(struct output *out, const struct bpf_holders *h,
			   enum bpfinfo_kind kind, __u32 id);

/* A number from /proc/self/fdinfo/FD ("memlock", "frozen"); def if absent. */
unsigned long long bpfinfo_fdinfo(int fd, const char *key, unsigned long long def);

/* Wall-clock seconds of a load_time (ns since boot). */
long long bpfinfo_wallclock(__u64 boot_ns);

/* Open program ID, or the one program named NAME (ambiguous names fail).
 * Returns an fd or -1 after printing why. */
int bpfinfo_prog_open(const char *id_or_name);

/* The program's name, whole: from its BTF when the kernel's copy is cut
 * at 15 characters (as bpftool shows it). */
const char *bpfinfo_prog_name(int fd, const struct bpf_prog_info *info, char *buf, size_t len);

/* The info of one object, as bpf_obj_get_info_by_fd() fills it for its kind. */
union bpfinfo_info {
	struct bpf_prog_info prog;
	struct bpf_map_info map;
};

/* Called with an open fd on one object and its info; return true to stop
 * the walk (the fd is closed after it returns). */
typedef bool (*bpfinfo_visit_fn)(void *ctx, int fd, const union bpfinfo_info *info);

/* Visit every program or map in the kernel, in id order, or only the one
 * with id only_id when it is not 0.  Objects that go away during the walk
 * are skipped.  Returns SNOOP_EXIT_OK, or SNOOP_EXIT_FAIL after printing
 * why (no such id, no privilege, ...). */
int bpfinfo_walk(enum bpfinfo_kind kind, __u32 only_id, bpfinfo_visit_fn visit, void *ctx);

/* "tracepoint", or "type 42" for types newer than libbpf. */
const char *bpfinfo_prog_type(__u32 type, char *buf, size_t len);
const char *bpfinfo_map_type(__u32 type, char *buf, size_t len);

/* The filters progs and maps share: --id, --name, --type, -p/--pid. */
struct bpfinfo_filter {
	unsigned long id;
	const char *name;
	const char *type;
	unsigned long pid;
};

extern const struct argp_option bpfinfo_prog_filter_options[];
extern const struct argp_option bpfinfo_map_filter_options[];
/* Parse one of those options into f (the tool's state), for programs or
 * maps; ARGP_ERR_UNKNOWN for any other key. */
error_t bpfinfo_filter_parse(enum bpfinfo_kind kind, int key, char *arg, struct argp_state *st);

/* What progs and maps do differently; bpfinfo_list() is the rest. */
struct bpfinfo_lister {
	const struct snoop_tool *tool;  /* its options: bpfinfo_filter_parse() */
	enum bpfinfo_kind kind;
	void (*header)(FILE *f);        /* the table's first line */
	void (*print)(struct output *out, int fd, const union bpfinfo_info *info,
		      const struct bpf_holders *h);
};

/* The main() of progs and maps: parse the filters from argv, print the
 * header (not for --json) and each object that passes them.  Returns an
 * exit status. */
int bpfinfo_list(const struct bpfinfo_lister *l, int argc, char **argv);

#endif
