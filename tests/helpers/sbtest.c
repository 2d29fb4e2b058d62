/* sbtest: the integration tests' event source and probe.
 *
 * The tests run under busybox sh only (the VM suite has nothing else), so
 * whatever sh cannot do precisely lives here: raw open syscalls with exact
 * flags, paths with arbitrary bytes, threads, uid switches, dropping every
 * privilege, and looking at BPF objects by id without bpftool.
 *
 *   sbtest run [-n] ACTION...
 *       Without -n, first opens /nonexistent-sbtest-ready-PID every 10 ms
 *       until SIGUSR1 arrives (exit 3 after 10 s): the test sends it once
 *       the tracer has printed that path, which proves the tracer is
 *       attached before the real events.  An explicit "ready" action moves
 *       the handshake to that point.  At the end opens
 *       /nonexistent-sbtest-done-PID, so a test can wait for everything
 *       before it.  Prints one line per action with the exact values:
 *         open pid=P tid=T uid=U fd=F errno=E
 *   sbtest runas UID CMD ARG...    drop every privilege to UID, then exec
 *   sbtest nofile N CMD ARG...     exec with RLIMIT_NOFILE set to N
 *   sbtest bpf-exists prog|map|link ID    exit 0 if it exists, 1 if not
 *   sbtest bpf-ids PID     the BPF objects PID holds, "prog|map|link ID"
 *                        (a link's program is listed too)
 *   sbtest bpf-max         the highest ids now: "prog=N map=N link=N"
 *   sbtest bpf-orphans prog=N map=N link=N PREFIX...
 *       objects newer than those ids, named PREFIX* (links: by their
 *       program's name), that no live process holds: what a tool left
 *       behind in the kernel (pins, attachments) after it exited.
 *   sbtest json-valid FILE   every line is one valid JSON object (exit 1 if not)
 *
 * Actions (paths and strings take C escapes: \n \t \\ \xHH):
 *   open PATH FLAGS [MODE]          raw open(2)
 *   openat DIR PATH FLAGS [MODE]    openat(2) relative to a dirfd on DIR
 *   openat2 DIR|AT_FDCWD PATH FLAGS [MODE]   raw openat2(2)
 *   creat PATH MODE                 raw creat(2)
 *   chdir DIR
 *   comm NAME                       prctl(PR_SET_NAME) for this thread
 *   setuid UID | setresuid R E S
 *   thread ACTION...                run the next action in a new thread
 *   sleep MS
 *   ready                           the handshake, here
 *   fork | vfork | clone FLAGS | clone3 FLAGS   (see the process-lifecycle block)
 * FLAGS: O_* names joined by | (O_WRONLY|O_CREAT), or a number (0x, 0).
 * MODE: octal. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <linux/bpf.h>
#include <linux/capability.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

struct sb_open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

static void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("sbtest: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

/* ---- argument decoding ------------------------------------------------ */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* C escapes in place, so a test under busybox sh can name any byte. */
static char *unescape(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!out)
		die(1, "out of memory");
	while (*s) {
		if (*s != '\\' || !s[1]) {
			*o++ = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': *o++ = '\n'; s++; break;
		case 't': *o++ = '\t'; s++; break;
		case 'r': *o++ = '\r'; s++; break;
		case '\\': *o++ = '\\'; s++; break;
		case 'x':
			if (hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
				*o++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
				s += 3;
				break;
			}
			/* fall through */
		default:
			die(2, "bad escape '\\%c'", *s);
		}
	}
	*o = 0;
	return out;
}

static const struct { const char *name; unsigned long bits; } flag_names[] = {
	{ "O_RDONLY", 0 }, { "O_WRONLY", 01 }, { "O_RDWR", 02 },
	{ "O_CREAT", 0100 }, { "O_EXCL", 0200 }, { "O_NOCTTY", 0400 },
	{ "O_TRUNC", 01000 }, { "O_APPEND", 02000 }, { "O_NONBLOCK", 04000 },
	{ "O_DSYNC", 010000 }, { "O_ASYNC", 020000 }, { "O_DIRECT", 040000 },
	/* glibc defines O_LARGEFILE as 0 on 64-bit; the kernel's bit is this. */
	{ "O_LARGEFILE", 0100000 }, { "O_DIRECTORY", 0200000 }, { "O_NOFOLLOW", 0400000 },
	{ "O_NOATIME", 01000000 }, { "O_CLOEXEC", 02000000 }, { "O_SYNC", 04010000 },
	{ "O_PATH", 010000000 }, { "O_TMPFILE", 020200000 },
};

static unsigned long parse_number(const char *s, int base, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, base);
	if (!*s || *end || errno)
		die(2, "bad %s '%s'", what, s);
	return v;
}

static unsigned long parse_flags(const char *s)
{
	unsigned long v = 0;
	char *copy, *tok, *save;

	if (isdigit((unsigned char)*s))
		return parse_number(s, 0, "flags");
	copy = strdup(s);
	for (tok = strtok_r(copy, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		size_t i;

		for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
			if (!strcmp(tok, flag_names[i].name))
				break;
		if (i == sizeof(flag_names) / sizeof(flag_names[0]))
			die(2, "unknown open flag '%s'", tok);
		v |= flag_names[i].bits;
	}
	free(copy);
	return v;
}

/* ---- actions ------------------------------------------------------------ */

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

static void report_open(const char *name, long ret, int err)
{
	pthread_mutex_lock(&print_lock);
	printf("%s pid=%d tid=%d uid=%d fd=%ld errno=%d\n", name, (int)getpid(), (int)gettid_(),
	       (int)getuid(), ret < 0 ? -1L : ret, ret < 0 ? err : 0);
	fflush(stdout);
	pthread_mutex_unlock(&print_lock);
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

static void handshake(void)
{
	char marker[64];
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int i;

	snprintf(marker, sizeof(marker), "/nonexistent-sbtest-ready-%d", (int)getpid());
	printf("ready pid=%d tid=%d marker=%s\n", (int)getpid(), (int)gettid_(), marker);
	fflush(stdout);
	for (i = 0; !got_usr1; i++) {
		if (i >= 1000)
			die(3, "no SIGUSR1 within 10 s: the tracer never showed %s", marker);
#ifdef SYS_open
		syscall(SYS_open, marker, O_RDONLY);
#else
		syscall(SYS_openat, AT_FDCWD, marker, O_RDONLY);
#endif
		nanosleep(&tick, NULL);
	}
}

/* ---- process-lifecycle actions (forksnoop) --------------------------------
 *   fork                raw fork(2) (x86 only), the child _exit(0)s at once
 *   vfork               glibc vfork() (raw SYS_vfork cannot return safely)
 *   clone FLAGS         raw clone(2): FLAGS | SIGCHLD, no new stack, so no
 *                       CLONE_VM; FLAGS as a number (0x...)
 *   clone3 FLAGS        raw clone3(2) with exit_signal SIGCHLD
 * Each waits for its child and prints
 *   fork kind=K pid=P tid=T child=C
 *   exec PATH           execv(PATH, {PATH, NULL}) from this thread, which
 *                       may be a "thread" one; prints "exec pid=P tid=T"
 *                       first (and "exec errno=E" if it fails) */
#include <linux/sched.h>
#include <sys/wait.h>

struct sb_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static int proc_action_argc(const char *a)
{
	if (!strcmp(a, "fork") || !strcmp(a, "vfork"))
		return 0;
	if (!strcmp(a, "clone") || !strcmp(a, "clone3") || !strcmp(a, "exec"))
		return 1;
	return -1;
}

/* Returns 0 when a is not one of these actions. */
static int proc_do_action(char **argv)
{
	const char *a = argv[0];
	long child;

	if (!strcmp(a, "fork")) {
#ifdef SYS_fork
		child = syscall(SYS_fork);
#else
		die(2, "this architecture has no fork(2)");
#endif
	} else if (!strcmp(a, "vfork")) {
		child = vfork();
	} else if (!strcmp(a, "clone")) {
		unsigned long flags = parse_number(argv[1], 0, "clone flags");

		child = syscall(SYS_clone, flags | SIGCHLD, 0, NULL, NULL, 0);
	} else if (!strcmp(a, "clone3")) {
		struct sb_clone_args ca = {
			.flags = parse_number(argv[1], 0, "clone3 flags"),
			.exit_signal = SIGCHLD,
		};

#ifdef SYS_clone3
		child = syscall(SYS_clone3, &ca, sizeof(ca));
#else
		child = syscall(435, &ca, sizeof(ca));
#endif
	} else if (!strcmp(a, "exec")) {
		char *path = unescape(argv[1]);
		char *args[] = { path, NULL };

		printf("exec pid=%d tid=%d\n", (int)getpid(), (int)gettid_());
		fflush(stdout);
		execv(path, args);
		printf("exec errno=%d\n", errno);
		free(path);
		return 1;
	} else {
		return 0;
	}
	if (child == 0)
		_exit(0);
	if (child < 0)
		die(1, "%s: %s", a, strerror(errno));
	waitpid(child, NULL, __WALL);
	printf("fork kind=%s pid=%d tid=%d child=%ld\n", a, (int)getpid(), (int)gettid_(), child);
	return 1;
}
/* ---- end of process-lifecycle actions --------------------------------------- */

/* Number of arguments an action takes (after its name), -1 if unknown.
 * Optional trailing MODEs are recognised by starting with a digit: action
 * names never do. */
static int action_argc(char **argv, int argc)
{
	const char *a = argv[0];
	int fixed;

	if (!strcmp(a, "open"))
		fixed = 2;
	else if (!strcmp(a, "openat") || !strcmp(a, "openat2"))
		fixed = 3;
	else if (!strcmp(a, "creat") || !strcmp(a, "setresuid"))
		fixed = !strcmp(a, "creat") ? 2 : 3;
	else if (!strcmp(a, "chdir") || !strcmp(a, "comm") || !strcmp(a, "setuid") ||
		 !strcmp(a, "sleep"))
		fixed = 1;
	else if (!strcmp(a, "ready"))
		return 0;
	else if (!strcmp(a, "thread"))
		return argc > 1 ? 1 + action_argc(argv + 1, argc - 1) : -1;
	else if (proc_action_argc(a) >= 0)
		fixed = proc_action_argc(a);
	else
		return -1;
	if (fixed >= argc)
		return -1;
	if ((!strcmp(a, "open") || !strcmp(a, "openat") || !strcmp(a, "openat2")) &&
	    fixed + 1 < argc && isdigit((unsigned char)argv[fixed + 1][0]))
		fixed++;
	return fixed;
}

static int open_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		die(1, "cannot open directory %s: %s", dir, strerror(errno));
	return fd;
}

static void do_action(char **argv, int n);

struct thread_arg {
	char **argv;
	int n;
};

static void *thread_main(void *p)
{
	struct thread_arg *t = p;

	do_action(t->argv, t->n);
	return NULL;
}

static void do_action(char **argv, int n)
{
	const char *a = argv[0];
	long ret;

	if (proc_do_action(argv)) {
		fflush(stdout);
		return;
	}
	if (!strcmp(a, "open")) {
		char *path = unescape(argv[1]);
		unsigned long flags = parse_flags(argv[2]);
		unsigned long mode = n > 2 ? parse_number(argv[3], 8, "mode") : 0;

#ifdef SYS_open
		ret = syscall(SYS_open, path, flags, mode);
#else
		die(2, "this architecture has no open(2)");
#endif
		report_open("open", ret, errno);
		free(path);
	} else if (!strcmp(a, "creat")) {
		char *path = unescape(argv[1]);
		unsigned long mode = parse_number(argv[2], 8, "mode");

#ifdef SYS_creat
		ret = syscall(SYS_creat, path, mode);
#else
		die(2, "this architecture has no creat(2)");
#endif
		report_open("creat", ret, errno);
		free(path);
	} else if (!strcmp(a, "openat") || !strcmp(a, "openat2")) {
		int dfd = !strcmp(argv[1], "AT_FDCWD") ? AT_FDCWD : open_dir(argv[1]);
		char *path = unescape(argv[2]);
		unsigned long flags = parse_flags(argv[3]);
		unsigned long mode = n > 3 ? parse_number(argv[4], 8, "mode") : 0;

		if (!strcmp(a, "openat")) {
			ret = syscall(SYS_openat, dfd, path, flags, mode);
		} else {
			struct sb_open_how how = { flags, mode, 0 };

			ret = syscall(SYS_openat2, dfd, path, &how, sizeof(how));
		}
		report_open(a, ret, errno);
		if (dfd >= 0)
			close(dfd);
		free(path);
	} else if (!strcmp(a, "chdir")) {
		char *dir = unescape(argv[1]);

		if (chdir(dir))
			die(1, "chdir %s: %s", dir, strerror(errno));
		printf("chdir pid=%d tid=%d\n", (int)getpid(), (int)gettid_());
		free(dir);
	} else if (!strcmp(a, "comm")) {
		char *name = unescape(argv[1]);

		if (prctl(PR_SET_NAME, name, 0, 0, 0))
			die(1, "PR_SET_NAME: %s", strerror(errno));
		printf("comm tid=%d name=%s\n", (int)gettid_(), name);
		free(name);
	} else if (!strcmp(a, "setuid")) {
		if (setuid(parse_number(argv[1], 10, "uid")))
			die(1, "setuid: %s", strerror(errno));
		printf("setuid uid=%d euid=%d\n", (int)getuid(), (int)geteuid());
	} else if (!strcmp(a, "setresuid")) {
		if (setresuid(parse_number(argv[1], 10, "uid"), parse_number(argv[2], 10, "uid"),
			      parse_number(argv[3], 10, "uid")))
			die(1, "setresuid: %s", strerror(errno));
		printf("setresuid uid=%d euid=%d\n", (int)getuid(), (int)geteuid());
	} else if (!strcmp(a, "sleep")) {
		unsigned long ms = parse_number(argv[1], 10, "milliseconds");
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	} else if (!strcmp(a, "ready")) {
		handshake();
	} else if (!strcmp(a, "thread")) {
		struct thread_arg t = { argv + 1, n - 1 };
		pthread_t th;
		int err = pthread_create(&th, NULL, thread_main, &t);

		if (err)
			die(1, "pthread_create: %s", strerror(err));
		pthread_join(th, NULL);
	}
	fflush(stdout);
}

static int cmd_run(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	int i = 0, explicit_ready = 0, wait_ready = 1;
	char marker[64];

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	if (argc > 0 && !strcmp(argv[0], "-n")) {
		wait_ready = 0;
		argv++, argc--;
	}
	/* Check every action before doing any, so a typo fails at once. */
	while (i < argc) {
		int n = action_argc(argv + i, argc - i);

		if (n < 0)
			die(2, "bad action at '%s'", argv[i]);
		if (!strcmp(argv[i], "ready"))
			explicit_ready = 1;
		i += n + 1;
	}
	if (wait_ready && !explicit_ready)
		handshake();
	for (i = 0; i < argc;) {
		int n = action_argc(argv + i, argc - i);

		do_action(argv + i, n);
		i += n + 1;
	}
	snprintf(marker, sizeof(marker), "/nonexistent-sbtest-done-%d", (int)getpid());
#ifdef SYS_open
	syscall(SYS_open, marker, O_RDONLY);
#else
	syscall(SYS_openat, AT_FDCWD, marker, O_RDONLY);
#endif
	printf("done pid=%d marker=%s\n", (int)getpid(), marker);
	return 0;
}

/* ---- privileges ----------------------------------------------------------- */

static int cmd_runas(int argc, char **argv)
{
	uid_t uid;

	if (argc < 2)
		die(2, "usage: sbtest runas UID CMD ARG...");
	uid = parse_number(argv[0], 10, "uid");
	/* Bounding set and ambient caps first: dropping them needs the caps
	 * we are about to lose.  The uid change then clears the rest. */
	for (int cap = 0; cap <= 63; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL)
			die(1, "PR_CAPBSET_DROP %d: %s", cap, strerror(errno));
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		die(1, "cannot become uid %u: %s", (unsigned)uid, strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die(1, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	execvp(argv[1], argv + 1);
	die(127, "cannot run %s: %s", argv[1], strerror(errno));
	return 127;
}

static int cmd_nofile(int argc, char **argv)
{
	struct rlimit rl;

	if (argc < 2)
		die(2, "usage: sbtest nofile N CMD ARG...");
	rl.rlim_cur = rl.rlim_max = parse_number(argv[0], 10, "limit");
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die(1, "setrlimit: %s", strerror(errno));
	execvp(argv[1], argv + 1);
	die(127, "cannot run %s: %s", argv[1], strerror(errno));
	return 127;
}

/* ---- BPF objects ------------------------------------------------------------ */

enum obj_kind { K_PROG, K_MAP, K_LINK, K_N };
static const char *const kind_names[K_N] = { "prog", "map", "link" };

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int kind_of(const char *s)
{
	for (int k = 0; k < K_N; k++)
		if (!strcmp(s, kind_names[k]))
			return k;
	die(2, "unknown object kind '%s' (prog, map or link)", s);
	return -1;
}

static int fd_by_id(int kind, uint32_t id)
{
	static const int cmds[K_N] = { BPF_PROG_GET_FD_BY_ID, BPF_MAP_GET_FD_BY_ID,
				       BPF_LINK_GET_FD_BY_ID };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;  /* map_id and link_id share the slot */
	return (int)sys_bpf(cmds[kind], &attr);
}

static int next_id(int kind, uint32_t start, uint32_t *next)
{
	static const int cmds[K_N] = { BPF_PROG_GET_NEXT_ID, BPF_MAP_GET_NEXT_ID,
				       BPF_LINK_GET_NEXT_ID };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = start;
	if (sys_bpf(cmds[kind], &attr))
		return -1;
	*next = attr.next_id;
	return 0;
}

static int cmd_bpf_exists(int argc, char **argv)
{
	int kind, fd;

	if (argc != 2)
		die(2, "usage: sbtest bpf-exists prog|map|link ID");
	kind = kind_of(argv[0]);
	fd = fd_by_id(kind, parse_number(argv[1], 10, "id"));
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == ENOENT)
		return 1;
	die(2, "%s_GET_FD_BY_ID %s: %s", kind_names[kind], argv[1], strerror(errno));
	return 2;
}

/* Ids held through fds by one process, from its fdinfo.  A link's fdinfo
 * also names its program (prog_id), so link_id wins. */
static void pid_ids(const char *pid, void (*cb)(int kind, uint32_t id, void *ctx), void *ctx)
{
	char dirpath[64], path[600], line[256];
	DIR *d;
	struct dirent *de;

	snprintf(dirpath, sizeof(dirpath), "/proc/%s/fdinfo", pid);
	d = opendir(dirpath);
	if (!d)
		return;
	while ((de = readdir(d))) {
		FILE *f;
		unsigned long prog = 0, map = 0, link = 0, v;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dirpath, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "prog_id: %lu", &v) == 1)
				prog = v;
			else if (sscanf(line, "map_id: %lu", &v) == 1)
				map = v;
			else if (sscanf(line, "link_id: %lu", &v) == 1)
				link = v;
		}
		fclose(f);
		if (link)
			cb(K_LINK, link, ctx);
		if (prog)
			cb(K_PROG, prog, ctx);
		else if (map)
			cb(K_MAP, map, ctx);
	}
	closedir(d);
}

struct idset {
	uint32_t ids[K_N][4096];
	int n[K_N];
};

static void idset_add(int kind, uint32_t id, void *ctx)
{
	struct idset *s = ctx;

	for (int i = 0; i < s->n[kind]; i++)
		if (s->ids[kind][i] == id)
			return;
	if (s->n[kind] < 4096)
		s->ids[kind][s->n[kind]++] = id;
}

static int idset_has(const struct idset *s, int kind, uint32_t id)
{
	for (int i = 0; i < s->n[kind]; i++)
		if (s->ids[kind][i] == id)
			return 1;
	return 0;
}

static int cmd_bpf_ids(int argc, char **argv)
{
	static struct idset s;

	if (argc != 1)
		die(2, "usage: sbtest bpf-ids PID");
	pid_ids(argv[0], idset_add, &s);
	for (int k = 0; k < K_N; k++)
		for (int i = 0; i < s.n[k]; i++)
			printf("%s %u\n", kind_names[k], s.ids[k][i]);
	return 0;
}

static int cmd_bpf_max(int argc, char **argv)
{
	for (int k = 0; k < K_N; k++) {
		uint32_t id = 0, next;

		while (!next_id(k, id, &next))
			id = next;
		printf("%s%s=%u", k ? " " : "", kind_names[k], id);
	}
	putchar('\n');
	return 0;
}

static int obj_info(int kind, uint32_t id, char *name, size_t cap, uint32_t *link_prog)
{
	union bpf_attr attr;
	struct bpf_prog_info pi;
	struct bpf_map_info mi;
	struct bpf_link_info li;
	int fd = fd_by_id(kind, id), err;

	if (fd < 0)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	memset(&pi, 0, sizeof(pi));
	memset(&mi, 0, sizeof(mi));
	memset(&li, 0, sizeof(li));
	if (kind == K_PROG) {
		attr.info.info_len = sizeof(pi);
		attr.info.info = (uintptr_t)&pi;
	} else if (kind == K_MAP) {
		attr.info.info_len = sizeof(mi);
		attr.info.info = (uintptr_t)&mi;
	} else {
		attr.info.info_len = sizeof(li);
		attr.info.info = (uintptr_t)&li;
	}
	err = (int)sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr);
	close(fd);
	if (err)
		return -1;
	snprintf(name, cap, "%.*s", BPF_OBJ_NAME_LEN,
		 kind == K_PROG ? pi.name : kind == K_MAP ? mi.name : "");
	if (link_prog)
		*link_prog = li.prog_id;
	return 0;
}

static int cmd_bpf_orphans(int argc, char **argv)
{
	static struct idset held;
	uint32_t since[K_N] = { 0 };
	int nprefix, found = 0;
	char **prefixes;
	DIR *d;
	struct dirent *de;

	if (argc < 4)
		die(2, "usage: sbtest bpf-orphans prog=N map=N link=N PREFIX...");
	for (int k = 0; k < K_N; k++) {
		size_t l = strlen(kind_names[k]);

		if (strncmp(argv[k], kind_names[k], l) || argv[k][l] != '=')
			die(2, "expected %s=N, got '%s'", kind_names[k], argv[k]);
		since[k] = parse_number(argv[k] + l + 1, 10, "id");
	}
	prefixes = argv + 3;
	nprefix = argc - 3;

	d = opendir("/proc");
	if (!d)
		die(1, "cannot read /proc: %s", strerror(errno));
	while ((de = readdir(d)))
		if (isdigit((unsigned char)de->d_name[0]))
			pid_ids(de->d_name, idset_add, &held);
	closedir(d);
	/* A process may hold a program and have closed its maps' fds. */
	for (int i = 0, n = held.n[K_PROG]; i < n; i++) {
		uint32_t maps[64];
		union bpf_attr attr;
		struct bpf_prog_info pi;
		int fd = fd_by_id(K_PROG, held.ids[K_PROG][i]);

		if (fd < 0)
			continue;
		memset(&pi, 0, sizeof(pi));
		pi.nr_map_ids = 64;
		pi.map_ids = (uintptr_t)maps;
		memset(&attr, 0, sizeof(attr));
		attr.info.bpf_fd = fd;
		attr.info.info_len = sizeof(pi);
		attr.info.info = (uintptr_t)&pi;
		if (!sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr))
			for (uint32_t j = 0; j < pi.nr_map_ids && j < 64; j++)
				idset_add(K_MAP, maps[j], &held);
		close(fd);
	}

	for (int k = 0; k < K_N; k++) {
		uint32_t id = since[k], next;

		while (!next_id(k, id, &next)) {
			char name[BPF_OBJ_NAME_LEN + 1];
			uint32_t prog = 0;
			int match = 0;

			id = next;
			if (idset_has(&held, k, id))
				continue;
			if (obj_info(k, id, name, sizeof(name), &prog))
				continue;  /* gone meanwhile */
			if (k == K_LINK) {
				/* A link held only through its program's fd is not
				 * in fdinfo; name it by its program. */
				if (obj_info(K_PROG, prog, name, sizeof(name), NULL))
					continue;
			}
			for (int i = 0; i < nprefix; i++)
				if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
					match = 1;
			if (!match)
				continue;
			printf("%s %u %s\n", kind_names[k], id, name);
			found = 1;
		}
	}
	return found;
}

/* ---- JSON ------------------------------------------------------------------ */

/* A strict JSON (RFC 8259) validator: the tests have no jq or python, and
 * "always valid JSON whatever bytes the kernel handed us" must be checked. */
struct jp {
	const unsigned char *s, *end;
	int depth;
};

static void jp_ws(struct jp *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r'))
		p->s++;
}

static int jp_lit(struct jp *p, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(p->end - p->s) < n || memcmp(p->s, lit, n))
		return -1;
	p->s += n;
	return 0;
}

static int jp_utf8(struct jp *p)
{
	unsigned char c = *p->s;
	int len;
	unsigned cp;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return -1;
	if (p->end - p->s < len)
		return -1;
	for (int i = 1; i < len; i++) {
		if ((p->s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (p->s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return -1;
	p->s += len;
	return 0;
}

static int jp_string(struct jp *p)
{
	if (p->s >= p->end || *p->s != '"')
		return -1;
	p->s++;
	while (p->s < p->end && *p->s != '"') {
		if (*p->s < 0x20)
			return -1;
		if (*p->s == '\\') {
			p->s++;
			if (p->s >= p->end)
				return -1;
			if (*p->s == 'u') {
				for (int i = 1; i <= 4; i++)
					if (p->s + i >= p->end || hexval(p->s[i]) < 0)
						return -1;
				p->s += 5;
			} else if (strchr("\"\\/bfnrt", *p->s) && *p->s) {
				p->s++;
			} else {
				return -1;
			}
		} else if (*p->s >= 0x80) {
			if (jp_utf8(p))
				return -1;
		} else {
			p->s++;
		}
	}
	if (p->s >= p->end)
		return -1;
	p->s++;
	return 0;
}

static int jp_number(struct jp *p)
{
	const unsigned char *start;

	if (p->s < p->end && *p->s == '-')
		p->s++;
	if (p->s >= p->end || !isdigit(*p->s))
		return -1;
	if (*p->s == '0')
		p->s++;
	else
		while (p->s < p->end && isdigit(*p->s))
			p->s++;
	if (p->s < p->end && *p->s == '.') {
		p->s++;
		start = p->s;
		while (p->s < p->end && isdigit(*p->s))
			p->s++;
		if (p->s == start)
			return -1;
	}
	if (p->s < p->end && (*p->s == 'e' || *p->s == 'E')) {
		p->s++;
		if (p->s < p->end && (*p->s == '+' || *p->s == '-'))
			p->s++;
		start = p->s;
		while (p->s < p->end && isdigit(*p->s))
			p->s++;
		if (p->s == start)
			return -1;
	}
	return 0;
}

static int jp_value(struct jp *p)
{
	jp_ws(p);
	if (p->s >= p->end || ++p->depth > 64)
		return -1;
	switch (*p->s) {
	case '{':
	case '[': {
		int obj = *p->s == '{';
		char close = obj ? '}' : ']';

		p->s++;
		jp_ws(p);
		if (p->s < p->end && *p->s == close) {
			p->s++;
			break;
		}
		for (;;) {
			if (obj) {
				jp_ws(p);
				if (jp_string(p))
					return -1;
				jp_ws(p);
				if (p->s >= p->end || *p->s++ != ':')
					return -1;
			}
			if (jp_value(p))
				return -1;
			jp_ws(p);
			if (p->s < p->end && *p->s == ',') {
				p->s++;
				continue;
			}
			if (p->s < p->end && *p->s == close) {
				p->s++;
				break;
			}
			return -1;
		}
		break;
	}
	case '"':
		if (jp_string(p))
			return -1;
		break;
	case 't':
		return jp_lit(p, "true") ? -1 : (p->depth--, 0);
	case 'f':
		return jp_lit(p, "false") ? -1 : (p->depth--, 0);
	case 'n':
		return jp_lit(p, "null") ? -1 : (p->depth--, 0);
	default:
		if (jp_number(p))
			return -1;
	}
	p->depth--;
	return 0;
}

/* Every line of FILE is one JSON object (JSON Lines); exit 1 naming the
 * first line that is not. */
static int cmd_json_valid(int argc, char **argv)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0, objects = 0;

	if (argc != 1)
		die(2, "usage: sbtest json-valid FILE");
	f = fopen(argv[0], "r");
	if (!f)
		die(2, "cannot open %s: %s", argv[0], strerror(errno));
	while ((n = getline(&line, &cap, f)) > 0) {
		struct jp p = { (unsigned char *)line, (unsigned char *)line + n, 0 };

		lineno++;
		if (line[n - 1] == '\n')
			p.end--;
		jp_ws(&p);
		if (p.s >= p.end || *p.s != '{' || jp_value(&p) || (jp_ws(&p), p.s != p.end)) {
			printf("line %ld: not a JSON object (at byte %ld)\n", lineno,
			       (long)(p.s - (unsigned char *)line));
			return 1;
		}
		objects++;
	}
	printf("%ld objects\n", objects);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die(2, "usage: sbtest run|runas|nofile|bpf-exists|bpf-ids|bpf-max|bpf-orphans|json-valid ...");
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "runas"))
		return cmd_runas(argc - 2, argv + 2);
	if (!strcmp(argv[1], "nofile"))
		return cmd_nofile(argc - 2, argv + 2);
	if (!strcmp(argv[1], "bpf-exists"))
		return cmd_bpf_exists(argc - 2, argv + 2);
	if (!strcmp(argv[1], "bpf-ids"))
		return cmd_bpf_ids(argc - 2, argv + 2);
	if (!strcmp(argv[1], "bpf-max"))
		return cmd_bpf_max(argc - 2, argv + 2);
	if (!strcmp(argv[1], "bpf-orphans"))
		return cmd_bpf_orphans(argc - 2, argv + 2);
	if (!strcmp(argv[1], "json-valid"))
		return cmd_json_valid(argc - 2, argv + 2);
	die(2, "unknown command '%s'", argv[1]);
	return 2;
}
