#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "core/bpfinfo.h"
#include "core/options.h"
#include "core/tool.h"

static void holders_add(struct bpf_holders *h, enum bpfinfo_kind kind, __u32 id, int pid,
			const char *comm)
{
	struct bpf_holder *e;

	/* One entry per process, however many fds it has on the object. */
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].kind == kind && h->v[i].id == id && h->v[i].pid == pid)
			return;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		struct bpf_holder *nv = realloc(h->v, cap * sizeof(*nv));

		if (!nv)
			return;
		h->v = nv;
		h->cap = cap;
	}
	e = &h->v[h->n++];
	e->kind = kind;
	e->id = id;
	e->pid = pid;
	snprintf(e->comm, sizeof(e->comm), "%s", comm);
}

static void read_comm(int pid, char *comm, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	comm[0] = 0;
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(comm, len, f))
		comm[strcspn(comm, "\n")] = 0;
	fclose(f);
}

void bpfinfo_holders_scan(struct bpf_holders *h)
{
	DIR *proc = opendir("/proc");
	struct dirent *pe;

	memset(h, 0, sizeof(*h));
	if (!proc)
		return;
	while ((pe = readdir(proc))) {
		char path[600], comm[16] = "";
		DIR *fds;
		struct dirent *fe;
		int pid;

		if (!isdigit((unsigned char)pe->d_name[0]))
			continue;
		pid = atoi(pe->d_name);
		snprintf(path, sizeof(path), "/proc/%s/fdinfo", pe->d_name);
		fds = opendir(path);
		if (!fds)
			continue;
		while ((fe = readdir(fds))) {
			char line[128];
			FILE *f;

			if (!isdigit((unsigned char)fe->d_name[0]))
				continue;
			snprintf(path, sizeof(path), "/proc/%s/fdinfo/%s", pe->d_name, fe->d_name);
			f = fopen(path, "r");
			if (!f)
				continue;
			while (fgets(line, sizeof(line), f)) {
				unsigned id;
				enum bpfinfo_kind kind;

				if (sscanf(line, "prog_id:\t%u", &id) == 1)
					kind = BPFINFO_PROG;
				else if (sscanf(line, "map_id:\t%u", &id) == 1)
					kind = BPFINFO_MAP;
				else
					continue;
				if (!comm[0])
					read_comm(pid, comm, sizeof(comm));
				holders_add(h, kind, id, pid, comm);
				break;
			}
			fclose(f);
		}
		closedir(fds);
	}
	closedir(proc);
}

void bpfinfo_holders_free(struct bpf_holders *h)
{
	free(h->v);
	memset(h, 0, sizeof(*h));
}

bool bpfinfo_held_by(const struct bpf_holders *h, enum bpfinfo_kind kind, __u32 id, int pid)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].kind == kind && h->v[i].id == id && h->v[i].pid == pid)
			return true;
	return false;
}

void bpfinfo_holders_print(struct output *out, const struct bpf_holders *h,
			   enum bpfinfo_kind kind, __u32 id)
{
	bool any = false;

	if (out->json) {
		output_array_begin(out, "pids");
		for (size_t i = 0; i < h->n; i++) {
			if (h->v[i].kind != kind || h->v[i].id != id)
				continue;
			output_object_begin(out, NULL);
			output_int(out, "pid", 0, h->v[i].pid);
			output_str(out, "comm", 0, h->v[i].comm);
			output_object_end(out);
		}
		output_array_end(out);
		return;
	}
	putc(' ', out->f);
	for (size_t i = 0; i < h->n; i++) {
		if (h->v[i].kind != kind || h->v[i].id != id)
			continue;
		fprintf(out->f, "%s", any ? "," : "");
		output_table_string(out->f, h->v[i].comm, strlen(h->v[i].comm));
		fprintf(out->f, "(%d)", h->v[i].pid);
		any = true;
	}
	if (!any)
		putc('-', out->f);
	out->first = false;
}

unsigned long long bpfinfo_fdinfo(int fd, const char *key, unsigned long long def)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return def;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			def = strtoull(line + klen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return def;
}

long long bpfinfo_wallclock(__u64 boot_ns)
{
	struct timespec real, boot;

	/* The offset between the clocks, in whole nanoseconds, so a load
	 * time near a second boundary rounds as bpftool's does. */
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	return (long long)(real.tv_sec - boot.tv_sec) +
	       ((long long)real.tv_nsec - boot.tv_nsec + (long long)boot_ns) / 1000000000;
}

/* Privilege problem hint for errno from the id walk. */
static void bpfinfo_report_walk_error(const char *what, int err)
{
	if (err == EPERM || err == EACCES)
		snoop_err("cannot list %s: %s; need root (CAP_SYS_ADMIN)", what, strerror(err));
	else
		snoop_err("cannot list %s: %s", what, strerror(err));
}

/* Why object id could not be opened.  The wording is each tool's own, and
 * the tests hold it: maps names the map; progs says the id is missing when
 * it was asked for, and otherwise that the programs cannot be listed. */
static void report_open_error(enum bpfinfo_kind kind, __u32 id, bool asked, int err)
{
	const char *hint = err == EPERM ? "; need root (CAP_SYS_ADMIN)" : "";

	if (kind == BPFINFO_MAP)
		snoop_err("cannot open map %u: %s%s", id, strerror(err), hint);
	else if (asked)
		snoop_err("no program with id %u (%s)%s", id, strerror(err), hint);
	else
		bpfinfo_report_walk_error("programs", err);
}

static const struct {
	const char *plural;
	int (*next_id)(__u32 start, __u32 *next);
	int (*fd_by_id)(__u32 id);
	__u32 info_size;
} walk_kinds[] = {
	[BPFINFO_PROG] = { "programs", bpf_prog_get_next_id, bpf_prog_get_fd_by_id,
			   sizeof(struct bpf_prog_info) },
	[BPFINFO_MAP] = { "maps", bpf_map_get_next_id, bpf_map_get_fd_by_id,
			  sizeof(struct bpf_map_info) },
};

int bpfinfo_walk(enum bpfinfo_kind kind, __u32 only_id, bpfinfo_visit_fn visit, void *ctx)
{
	__u32 cur = 0;

	for (;;) {
		union bpfinfo_info info = { 0 };
		/* The kind's own size: the kernel rejects a longer struct whose
		 * tail it does not know unless that tail is zero. */
		__u32 len = walk_kinds[kind].info_size;
		bool stop;
		int fd;

		if (only_id) {
			if (cur)
				return SNOOP_EXIT_OK;
			cur = only_id;
		} else if (walk_kinds[kind].next_id(cur, &cur)) {
			if (errno == ENOENT)
				return SNOOP_EXIT_OK;
			bpfinfo_report_walk_error(walk_kinds[kind].plural, errno);
			return SNOOP_EXIT_FAIL;
		}
		fd = walk_kinds[kind].fd_by_id(cur);
		if (fd < 0) {
			/* In a walk the object may have gone since its id was
			 * read; an id asked for, or a refusal, is an answer. */
			if (!only_id && errno != EPERM)
				continue;
			report_open_error(kind, cur, only_id, errno);
			return SNOOP_EXIT_FAIL;
		}
		if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
			close(fd);
			continue;
		}
		stop = visit(ctx, fd, &info);
		close(fd);
		if (stop)
			return SNOOP_EXIT_OK;
	}
}

const char *bpfinfo_prog_type(__u32 type, char *buf, size_t len)
{
	const char *s = libbpf_bpf_prog_type_str(type);

	if (s)
		return s;
	snprintf(buf, len, "type %u", type);
	return buf;
}

const char *bpfinfo_map_type(__u32 type, char *buf, size_t len)
{
	const char *s = libbpf_bpf_map_type_str(type);

	if (s)
		return s;
	snprintf(buf, len, "type %u", type);
	return buf;
}

struct prog_by_name {
	const char *name;
	int found;     /* a dup of the last match's fd, or -1 */
	int matches;
};

static bool prog_by_name_visit(void *ctx, int fd, const union bpfinfo_info *info)
{
	struct prog_by_name *q = ctx;
	char full[128];

	if (strcmp(info->prog.name, q->name) &&
	    strcmp(bpfinfo_prog_name(fd, &info->prog, full, sizeof(full)), q->name))
		return false;
	q->matches++;
	if (q->found >= 0)
		close(q->found);
	/* The walk closes fd; keep our own for the one match we return. */
	q->found = dup(fd);
	return false;
}

int bpfinfo_prog_open(const char *what)
{
	struct prog_by_name q = { what, -1, 0 };
	unsigned long id;

	if (parse_ulong_range(what, 1, 0xffffffffu, &id)) {
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			report_open_error(BPFINFO_PROG, id, true, errno);
		return fd;
	}
	if (bpfinfo_walk(BPFINFO_PROG, 0, prog_by_name_visit, &q) != SNOOP_EXIT_OK) {
		if (q.found >= 0)
			close(q.found);
		return -1;
	}
	if (q.matches == 1 && q.found >= 0)
		return q.found;
	if (q.found >= 0)
		close(q.found);
	if (!q.matches)
		snoop_err("no loaded program named '%s'; 'snoopbox progs' lists them", what);
	else if (q.matches == 1)
		snoop_err("cannot open program '%s': %s", what, strerror(errno));
	else
		snoop_err("%d programs are named '%s'; give an id ('snoopbox progs --name %s')",
			  q.matches, what, what);
	return -1;
}

const char *bpfinfo_prog_name(int fd, const struct bpf_prog_info *info, char *buf, size_t len)
{
	struct bpf_prog_info fi = { 0 };
	struct bpf_func_info rec[1];
	__u32 ilen = sizeof(fi);
	struct btf *btf;
	const struct btf_type *t;

	snprintf(buf, len, "%s", info->name);
	/* The kernel keeps 15 characters; the function's BTF has them all. */
	if (strlen(info->name) < BPF_OBJ_NAME_LEN - 1 || !info->btf_id || !info->nr_func_info)
		return buf;
	fi.nr_func_info = 1;
	fi.func_info_rec_size = sizeof(rec[0]);
	fi.func_info = (__u64)(unsigned long)rec;
	if (bpf_obj_get_info_by_fd(fd, &fi, &ilen) || !fi.nr_func_info)
		return buf;
	btf = btf__load_from_kernel_by_id(info->btf_id);
	if (!btf)
		return buf;
	t = btf__type_by_id(btf, rec[0].type_id);
	if (t && btf_is_func(t)) {
		const char *n = btf__name_by_offset(btf, t->name_off);

		if (n && !strncmp(n, info->name, BPF_OBJ_NAME_LEN - 1))
			snprintf(buf, len, "%s", n);
	}
	btf__free(btf);
	return buf;
}

/* -p as in libbpf-tools and our tracers.  The common options' -p is a
 * tracer's in-kernel filter, which progs and maps do not take, so the key
 * reaches their parser first (core/options.c). */
enum { KEY_FILTER_ID = 0x2100, KEY_FILTER_NAME, KEY_FILTER_TYPE, KEY_FILTER_PID = 'p' };

const struct argp_option bpfinfo_prog_filter_options[] = {
	{ "id", KEY_FILTER_ID, "ID", 0, "Only the program with this id", 1 },
	{ "name", KEY_FILTER_NAME, "NAME", 0, "Only programs with this name", 1 },
	{ "type", KEY_FILTER_TYPE, "TYPE", 0, "Only programs of this type (e.g. tracepoint, xdp)", 1 },
	{ "pid", KEY_FILTER_PID, "PID", 0, "Only programs held open by process PID", 1 },
	{ 0 },
};

const struct argp_option bpfinfo_map_filter_options[] = {
	{ "id", KEY_FILTER_ID, "ID", 0, "Only the map with this id", 1 },
	{ "name", KEY_FILTER_NAME, "NAME", 0, "Only maps with this name", 1 },
	{ "type", KEY_FILTER_TYPE, "TYPE", 0, "Only maps of this type (e.g. hash, ringbuf)", 1 },
	{ "pid", KEY_FILTER_PID, "PID", 0, "Only maps held open by process PID", 1 },
	{ 0 },
};

error_t bpfinfo_filter_parse(enum bpfinfo_kind kind, int key, char *arg, struct argp_state *st)
{
	struct bpfinfo_filter *f = snoop_parse_tool_state(st);
	bool prog = kind == BPFINFO_PROG;

	switch (key) {
	case KEY_FILTER_ID:
		f->id = option_ulong(st, "ID", arg, 1, 0xffffffffu);
		return 0;
	case KEY_FILTER_NAME:
		/* Program names can be longer than the kernel's 15 characters:
		 * progs completes them from BTF, as bpftool does. */
		if (!*arg)
			argp_error(st, "invalid NAME '': give a %s name", prog ? "program" : "map");
		if (!prog && strlen(arg) >= BPF_OBJ_NAME_LEN)
			argp_error(st, "invalid NAME '%s': map names have 1 to %d characters",
				   arg, BPF_OBJ_NAME_LEN - 1);
		f->name = arg;
		return 0;
	case KEY_FILTER_TYPE:
		for (__u32 t = 0;; t++) {
			const char *name = prog ? libbpf_bpf_prog_type_str(t) : libbpf_bpf_map_type_str(t);

			if (!name)
				break;
			if (!strcmp(name, arg)) {
				f->type = arg;
				return 0;
			}
		}
		if (prog)
			argp_error(st, "unknown program TYPE '%s': give a name as 'progs' prints it "
				   "(tracepoint, kprobe, xdp, sched_cls, ...)", arg);
		else
			argp_error(st, "unknown map TYPE '%s': give a name as 'maps' prints it "
				   "(hash, array, ringbuf, percpu_array, ...)", arg);
		return 0;
	case KEY_FILTER_PID:
		f->pid = option_ulong(st, "PID", arg, 1, SNOOP_PID_MAX);
		return 0;
	case ARGP_KEY_ARG:
		argp_error(st, "unexpected argument '%s': use --id or --name", arg);
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static bool filter_match(const struct bpfinfo_filter *f, enum bpfinfo_kind kind,
			 const struct bpf_holders *h, int fd, const union bpfinfo_info *info)
{
	bool prog = kind == BPFINFO_PROG;
	const char *name = prog ? info->prog.name : info->map.name;
	__u32 id = prog ? info->prog.id : info->map.id;
	__u32 type = prog ? info->prog.type : info->map.type;
	char tbuf[32], full[128];

	/* A program's name may be given whole, past the kernel's 15 characters. */
	if (f->name && strcmp(f->name, name) &&
	    (!prog || strcmp(f->name, bpfinfo_prog_name(fd, &info->prog, full, sizeof(full)))))
		return false;
	if (f->type && strcmp(f->type, prog ? bpfinfo_prog_type(type, tbuf, sizeof(tbuf)) :
					     bpfinfo_map_type(type, tbuf, sizeof(tbuf))))
		return false;
	return !f->pid || bpfinfo_held_by(h, kind, id, f->pid);
}

struct list_walk {
	const struct bpfinfo_lister *l;
	const struct bpfinfo_filter *f;
	const struct bpf_holders *h;
	struct output *out;
};

static bool list_visit(void *ctx, int fd, const union bpfinfo_info *info)
{
	struct list_walk *w = ctx;

	if (filter_match(w->f, w->l->kind, w->h, fd, info))
		w->l->print(w->out, fd, info, w->h);
	return w->out->failed;
}

int bpfinfo_list(const struct bpfinfo_lister *l, int argc, char **argv)
{
	struct bpfinfo_filter f = { 0 };
	struct snoop_config cfg;
	struct bpf_holders h;
	struct output out;
	struct list_walk w = { l, &f, &h, &out };
	int ret;

	snoop_parse_args(l->tool, argc, argv, &cfg, &f);
	output_init(&out, stdout, cfg.json);
	bpfinfo_holders_scan(&h);
	if (!out.json)
		l->header(out.f);
	ret = bpfinfo_walk(l->kind, f.id, list_visit, &w);
	bpfinfo_holders_free(&h);
	if (!output_flush(&out)) {
		snoop_err("cannot write the list: %s", strerror(errno));
		ret = SNOOP_EXIT_FAIL;
	}
	return ret;
}
