/* top: which BPF programs on this machine cost CPU, and how much.
 *
 * The kernel counts runs and run time per program only while run-time
 * statistics are on.  bpf_enable_stats() turns them on for as long as we
 * hold the fd it returns, so nothing global changes and a crash cannot
 * leave them on (the kernel.bpf_stats_enabled sysctl would). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/bpfobj.h"
#include "core/options.h"
#include "core/tool.h"

struct top_opts {
	double interval;          /* seconds */
	unsigned long count;      /* intervals; 0: no limit */
	bool all;
};

struct top_prog {
	__u32 id;
	__u32 type;
	char name[BPF_OBJ_NAME_LEN];
	__u64 run_cnt;
	__u64 run_time_ns;
	__u64 load_time;          /* CLOCK_BOOTTIME ns */
	/* this interval */
	__u64 d_cnt;
	__u64 d_ns;
	bool ran;                 /* counted in this interval */
};

struct top_snapshot {
	struct top_prog *progs;
	size_t n, cap;
	__u64 boottime;           /* when it was taken */
};

enum { KEY_INTERVAL = 'i', KEY_COUNT = 'c', KEY_ALL = 'a' };

static const struct argp_option top_options[] = {
	{ "interval", KEY_INTERVAL, "SECONDS", 0, "Refresh every SECONDS (default 1)", 1 },
	{ "count", KEY_COUNT, "COUNT", 0, "Stop after COUNT intervals", 1 },
	{ "all", KEY_ALL, NULL, 0, "Also list programs that did not run in the interval", 1 },
	{ 0 },
};

static error_t top_parse(int key, char *arg, struct argp_state *st)
{
	struct top_opts *o = snoop_parse_tool_state(st);

	switch (key) {
	case KEY_INTERVAL:
		if (!parse_seconds(arg, &o->interval) || o->interval < 0.01)
			argp_error(st, "invalid interval '%s': give a number of seconds, at least 0.01",
				   arg);
		return 0;
	case KEY_COUNT:
		o->count = option_ulong(st, "COUNT", arg, 1, 1UL << 31);
		return 0;
	case KEY_ALL:
		o->all = true;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(st, "unexpected argument '%s': top takes options only", arg);
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static __u64 boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Every program loaded now, with its counters.  Programs unloaded while
 * we walk the list are skipped. */
static int snapshot_take(struct top_snapshot *s)
{
	__u32 id = 0;

	s->n = 0;
	s->boottime = boottime_ns();
	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		struct top_prog *p;
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0) {
			if (errno == ENOENT)
				continue;
			return -errno;
		}
		if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
			close(fd);
			continue;
		}
		close(fd);
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 64;
			struct top_prog *np = realloc(s->progs, cap * sizeof(*np));

			if (!np)
				return -ENOMEM;
			s->progs = np;
			s->cap = cap;
		}
		p = &s->progs[s->n++];
		memset(p, 0, sizeof(*p));
		p->id = info.id;
		p->type = info.type;
		memcpy(p->name, info.name, sizeof(p->name));
		p->run_cnt = info.run_cnt;
		p->run_time_ns = info.run_time_ns;
		p->load_time = info.load_time;
	}
	if (errno != ENOENT)
		return -errno;
	return 0;
}

static const struct top_prog *snapshot_find(const struct top_snapshot *s, __u32 id)
{
	/* Ids come in increasing order from the kernel. */
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->progs[mid].id == id)
			return &s->progs[mid];
		if (s->progs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* What each program did since the previous snapshot.  A program loaded
 * since then did all its runs in this interval; one that was there
 * before our first look is measured from that look. */
static void snapshot_delta(struct top_snapshot *cur, const struct top_snapshot *prev)
{
	for (size_t i = 0; i < cur->n; i++) {
		struct top_prog *p = &cur->progs[i];
		const struct top_prog *o = snapshot_find(prev, p->id);

		if (o && o->run_cnt <= p->run_cnt && o->run_time_ns <= p->run_time_ns) {
			p->d_cnt = p->run_cnt - o->run_cnt;
			p->d_ns = p->run_time_ns - o->run_time_ns;
		} else if (!o && p->load_time >= prev->boottime) {
			p->d_cnt = p->run_cnt;
			p->d_ns = p->run_time_ns;
		}
		p->ran = p->d_cnt > 0;
	}
}

static int by_cost(const void *a, const void *b)
{
	const struct top_prog *x = a, *y = b;

	if (x->d_ns != y->d_ns)
		return x->d_ns < y->d_ns ? 1 : -1;
	if (x->d_cnt != y->d_cnt)
		return x->d_cnt < y->d_cnt ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int by_id(const void *a, const void *b)
{
	const struct top_prog *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static const char *prog_type_name(__u32 type)
{
	const char *s = libbpf_bpf_prog_type_str(type);

	return s ? s : "unknown";
}

static void print_interval(struct output *o, struct top_snapshot *s, double secs,
			   unsigned long index, const struct top_opts *opts, bool tty)
{
	size_t ran = 0;
	__u64 total_ns = 0;

	if (s->n)  /* progs is NULL while nothing was ever loaded */
		qsort(s->progs, s->n, sizeof(s->progs[0]), by_cost);
	for (size_t i = 0; i < s->n; i++) {
		ran += s->progs[i].ran;
		total_ns += s->progs[i].d_ns;
	}
	if (!o->json) {
		char when[16];
		time_t now = time(NULL);
		struct tm tm;

		strftime(when, sizeof(when), "%H:%M:%S", localtime_r(&now, &tm));
		/* Redraw in place on a terminal, with a plain escape (home,
		 * clear); a pipe or file gets one block per interval. */
		if (tty)
			fputs("\033[H\033[2J", o->f);
		else if (index > 1)
			fputc('\n', o->f);
		fprintf(o->f, "%s  %zu programs loaded, %zu ran in %.2fs, %.2f%% of one CPU\n",
			when, s->n, ran, secs, secs > 0 ? total_ns / (secs * 1e7) : 0.0);
		fprintf(o->f, "%7s %-18s %-16s %10s %10s %10s %7s\n", "ID", "TYPE", "NAME", "RUNS",
			"RUNS/s", "AVG_NS", "CPU%");
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct top_prog *p = &s->progs[i];
		double rate = secs > 0 ? p->d_cnt / secs : 0;
		double avg = p->d_cnt ? (double)p->d_ns / p->d_cnt : 0;
		double cpu = secs > 0 ? p->d_ns / (secs * 1e7) : 0;

		if (!p->ran && !opts->all)
			continue;
		output_record_begin(o);
		output_uint(o, "interval", OUT_JSON_ONLY, index);
		output_double(o, "interval_seconds", OUT_JSON_ONLY, 3, secs);
		output_uint(o, "id", 7, p->id);
		output_str(o, "type", -18, prog_type_name(p->type));
		output_bytes(o, "name", -16, p->name, strnlen(p->name, sizeof(p->name)));
		output_uint(o, "runs", 10, p->d_cnt);
		output_double(o, "runs_per_sec", 10, 1, rate);
		output_double(o, "avg_ns", 10, o->json ? 1 : 0, avg);
		output_double(o, "cpu_percent", 7, o->json ? 4 : 2, cpu);
		output_uint(o, "run_time_ns", OUT_JSON_ONLY, p->d_ns);
		output_uint(o, "runs_total", OUT_JSON_ONLY, p->run_cnt);
		output_uint(o, "run_time_total_ns", OUT_JSON_ONLY, p->run_time_ns);
		output_record_end(o);
	}
}

static void sleep_until(__u64 deadline, volatile int *stop)
{
	while (!*stop) {
		__u64 now = snoop_now_ns();
		struct timespec ts;

		if (now >= deadline)
			return;
		ts.tv_sec = (deadline - now) / 1000000000ULL;
		ts.tv_nsec = (deadline - now) % 1000000000ULL;
		/* A stop signal interrupts this (no SA_RESTART). */
		nanosleep(&ts, NULL);
	}
}

static int top_main(int argc, char **argv)
{
	extern const struct snoop_tool snoop_tool_top;
	struct top_opts opts = { .interval = 1.0 };
	struct top_snapshot snaps[2] = { 0 };
	struct snoop_config cfg;
	struct output out;
	volatile int stop = 0;
	int status = SNOOP_EXIT_FAIL, stats_fd, err, cur = 0;
	unsigned long index = 0;
	__u64 start, deadline, next, taken;
	bool tty;

	snoop_parse_args(&snoop_tool_top, argc, argv, &cfg, &opts);
	snoop_signals_install(&stop);
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0) {
		err = errno;
		if (err == EPERM || err == EACCES)
			snoop_err("turning on BPF run-time statistics was refused: run as root "
				  "(needs CAP_SYS_ADMIN)");
		else
			snoop_err("cannot turn on BPF run-time statistics: %s%s", strerror(err),
				  err == EINVAL ? " (needs Linux 5.8 or later)" : "");
		return SNOOP_EXIT_FAIL;
	}
	err = snapshot_take(&snaps[0]);
	if (err) {
		snoop_err("cannot list the BPF programs: %s%s", strerror(-err),
			  err == -EPERM ? " (run as root: needs CAP_SYS_ADMIN)" : "");
		goto out;
	}
	if (cfg.verbose)
		snoop_err("run-time statistics on (fd %d) for this run; %zu programs loaded",
			  stats_fd, snaps[0].n);

	output_init(&out, stdout, cfg.json);
	tty = !cfg.json && isatty(fileno(stdout));
	start = taken = snoop_now_ns();
	deadline = cfg.duration > 0 ? start + (__u64)(cfg.duration * 1e9) : 0;
	next = start;
	for (;;) {
		struct top_snapshot *now_s = &snaps[!cur];
		__u64 t;

		next += (__u64)(opts.interval * 1e9);
		sleep_until(deadline && deadline < next ? deadline : next, &stop);
		t = snoop_now_ns();
		/* A stop in the middle of an interval still reports it, so no
		 * run goes uncounted; a sliver too short to mean anything does
		 * not. */
		if ((stop || (deadline && t >= deadline)) && t - taken < 10000000ULL)
			break;
		err = snapshot_take(now_s);
		if (err) {
			snoop_err("cannot list the BPF programs: %s", strerror(-err));
			goto out;
		}
		snapshot_delta(now_s, &snaps[cur]);
		print_interval(&out, now_s, (t - taken) / 1e9, ++index, &opts, tty);
		/* A reader that went away ends the run as Ctrl-C does. */
		if (!output_flush(&out))
			break;
		/* Back in id order: the next delta looks ids up by bisection. */
		if (now_s->n)
			qsort(now_s->progs, now_s->n, sizeof(now_s->progs[0]), by_id);
		cur = !cur;
		taken = t;
		if (stop || (deadline && t >= deadline) || (opts.count && index >= opts.count))
			break;
	}
	status = SNOOP_EXIT_OK;
out:
	close(stats_fd);
	free(snaps[0].progs);
	free(snaps[1].progs);
	return status;
}

const struct snoop_tool snoop_tool_top = {
	.name = "top",
	.summary = "BPF programs on this machine by the CPU they cost (runs/s, ns per run)",
	.doc = "A live view of the BPF programs loaded on this machine, costliest first, from "
	       "the kernel's run-time statistics.  The statistics are on only while top runs, "
	       "through a file descriptor of its own: kernel.bpf_stats_enabled is not touched."
	       "\vCPU% is the run time in the interval as a share of one CPU.  Counting adds a "
	       "little to each program run while top runs.  On a terminal the view is redrawn; "
	       "otherwise one block per interval, without control codes.  --json writes one "
	       "record per program per interval."
	       "\n\nExamples:\n"
	       "  top                  refresh every second until Ctrl-C\n"
	       "  top -i 5 -c 3        three 5-second intervals\n"
	       "  top -d 10 -j         ten seconds, as JSON Lines",
	.options = top_options,
	.parse = top_parse,
	.common = SNOOP_OPT_DURATION | SNOOP_OPT_JSON | SNOOP_OPT_VERBOSE,
	.main = top_main,
	.state_size = sizeof(struct top_opts),
};
