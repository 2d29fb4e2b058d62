/* sbseccomp: the seccomp tool's test partner.  Static, so the busybox VM
 * suite can run it too.
 *
 *   sbseccomp load PROFILE COMMAND [ARG...]
 *       Install the seccomp profile PROFILE (OCI runtime-spec JSON, as
 *       Docker reads it) with libseccomp, then exec COMMAND under it, the
 *       way a container runtime does.  Status 125 if the profile cannot be
 *       read or installed.
 *   sbseccomp work DIR FILE N
 *       A workload with known system calls: list DIR (its names, sorted,
 *       one a line), copy FILE to standard output, then call getppid(2)
 *       exactly N times.  Exit 1 with "sbseccomp: WHAT: ERROR" on a failure.
 *
 * The JSON reader is small and strict (a profile it cannot read is a
 * failure, never a partial filter) and takes the subset of the format the
 * profile uses: defaultAction, defaultErrnoRet, architectures, and
 * syscalls entries with names, action and errnoRet. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define EXIT_PROFILE 125

/* ---- a strict JSON reader ---------------------------------------------------- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	double num;
	char *str;             /* J_STR */
	size_t n;              /* items of J_ARR / J_OBJ */
	struct jval *items;
	char **keys;           /* J_OBJ */
};

struct jparser {
	const char *p, *end;
	const char *err;
};

static void skip_ws(struct jparser *jp)
{
	while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\n' ||
				   *jp->p == '\r'))
		jp->p++;
}

static int parse_value(struct jparser *jp, struct jval *v, int depth);

static int parse_string(struct jparser *jp, char **out)
{
	size_t cap = 16, len = 0;
	char *s = malloc(cap);

	if (!s || jp->p >= jp->end || *jp->p != '"')
		goto bad;
	jp->p++;
	while (jp->p < jp->end && *jp->p != '"') {
		char c = *jp->p++;

		if ((unsigned char)c < 0x20)
			goto bad;
		if (c == '\\') {
			if (jp->p >= jp->end)
				goto bad;
			c = *jp->p++;
			switch (c) {
			case '"': case '\\': case '/': break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			default: goto bad;  /* \u never appears in a profile's names */
			}
		}
		if (len + 2 > cap) {
			char *t = realloc(s, cap *= 2);

			if (!t)
				goto bad;
			s = t;
		}
		s[len++] = c;
	}
	if (jp->p >= jp->end)
		goto bad;
	jp->p++;
	s[len] = 0;
	*out = s;
	return 0;
bad:
	free(s);
	jp->err = "bad string";
	return -1;
}

static int push(struct jval *v, struct jval *item, char *key)
{
	struct jval *items = realloc(v->items, (v->n + 1) * sizeof(*items));

	if (!items)
		return -1;
	v->items = items;
	if (v->type == J_OBJ) {
		char **keys = realloc(v->keys, (v->n + 1) * sizeof(*keys));

		if (!keys)
			return -1;
		v->keys = keys;
		keys[v->n] = key;
	}
	items[v->n++] = *item;
	return 0;
}

static int parse_container(struct jparser *jp, struct jval *v, int depth)
{
	char close = v->type == J_ARR ? ']' : '}';

	jp->p++;
	skip_ws(jp);
	if (jp->p < jp->end && *jp->p == close) {
		jp->p++;
		return 0;
	}
	for (;;) {
		struct jval item = { 0 };
		char *key = NULL;

		skip_ws(jp);
		if (v->type == J_OBJ) {
			if (parse_string(jp, &key))
				return -1;
			skip_ws(jp);
			if (jp->p >= jp->end || *jp->p++ != ':') {
				jp->err = "expected ':'";
				return -1;
			}
		}
		if (parse_value(jp, &item, depth + 1) || push(v, &item, key))
			return -1;
		skip_ws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			continue;
		}
		if (jp->p < jp->end && *jp->p == close) {
			jp->p++;
			return 0;
		}
		jp->err = "expected ',' or the end of a list";
		return -1;
	}
}

static int parse_value(struct jparser *jp, struct jval *v, int depth)
{
	skip_ws(jp);
	if (depth > 32 || jp->p >= jp->end) {
		jp->err = depth > 32 ? "nested too deeply" : "unexpected end";
		return -1;
	}
	switch (*jp->p) {
	case '{':
		v->type = J_OBJ;
		return parse_container(jp, v, depth);
	case '[':
		v->type = J_ARR;
		return parse_container(jp, v, depth);
	case '"':
		v->type = J_STR;
		return parse_string(jp, &v->str);
	}
	if (jp->end - jp->p >= 4 && !strncmp(jp->p, "null", 4)) {
		v->type = J_NULL;
		jp->p += 4;
		return 0;
	}
	if (jp->end - jp->p >= 4 && !strncmp(jp->p, "true", 4)) {
		v->type = J_BOOL;
		v->num = 1;
		jp->p += 4;
		return 0;
	}
	if (jp->end - jp->p >= 5 && !strncmp(jp->p, "false", 5)) {
		v->type = J_BOOL;
		jp->p += 5;
		return 0;
	}
	if (*jp->p == '-' || isdigit((unsigned char)*jp->p)) {
		char *e;

		v->type = J_NUM;
		v->num = strtod(jp->p, &e);
		if (e == jp->p || e > jp->end) {
			jp->err = "bad number";
			return -1;
		}
		jp->p = e;
		return 0;
	}
	jp->err = "unexpected character";
	return -1;
}

static const struct jval *jget(const struct jval *obj, const char *key)
{
	for (size_t i = 0; obj->type == J_OBJ && i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return &obj->items[i];
	return NULL;
}

/* ---- load --------------------------------------------------------------------- */

static void die_profile(const char *path, const char *what)
{
	fprintf(stderr, "sbseccomp: %s: %s\n", path, what);
	exit(EXIT_PROFILE);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	size_t cap = 4096, n = 0, got;
	char *buf = malloc(cap);

	if (!f || !buf)
		return NULL;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap && !(buf = realloc(buf, cap *= 2)))
			return NULL;
	}
	if (ferror(f))
		return NULL;
	fclose(f);
	*len = n;
	return buf;
}

/* "SCMP_ACT_ERRNO" and friends; errno_ret for the ERRNO action. */
static int action_of(const char *path, const struct jval *name, const struct jval *errno_ret,
		     uint32_t *action)
{
	int ret = errno_ret && errno_ret->type == J_NUM ? (int)errno_ret->num : EPERM;

	if (!name || name->type != J_STR)
		die_profile(path, "an action is missing or not a string");
	if (!strcmp(name->str, "SCMP_ACT_ALLOW"))
		*action = SCMP_ACT_ALLOW;
	else if (!strcmp(name->str, "SCMP_ACT_ERRNO"))
		*action = SCMP_ACT_ERRNO(ret);
	else if (!strcmp(name->str, "SCMP_ACT_KILL") || !strcmp(name->str, "SCMP_ACT_KILL_THREAD"))
		*action = SCMP_ACT_KILL;
	else if (!strcmp(name->str, "SCMP_ACT_KILL_PROCESS"))
		*action = SCMP_ACT_KILL_PROCESS;
	else if (!strcmp(name->str, "SCMP_ACT_TRAP"))
		*action = SCMP_ACT_TRAP;
	else if (!strcmp(name->str, "SCMP_ACT_LOG"))
		*action = SCMP_ACT_LOG;
	else
		die_profile(path, "unknown action");
	return 0;
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token, through its own name table. */
static uint32_t arch_of(const char *path, const char *name)
{
	char lower[64];
	size_t i;
	uint32_t token;

	if (strncmp(name, "SCMP_ARCH_", 10) || strlen(name + 10) >= sizeof(lower))
		die_profile(path, "an architecture is not SCMP_ARCH_*");
	for (i = 0; name[10 + i]; i++)
		lower[i] = tolower((unsigned char)name[10 + i]);
	lower[i] = 0;
	token = seccomp_arch_resolve_name(lower);
	if (!token)
		die_profile(path, "unknown architecture");
	return token;
}

static int cmd_load(int argc, char **argv)
{
	const char *path = argv[0];
	struct jparser jp;
	struct jval root = { 0 };
	const struct jval *archs, *calls;
	uint32_t def, native = seccomp_arch_native();
	bool native_listed = false;
	scmp_filter_ctx ctx;
	size_t len;
	char *text;
	int err;

	if (argc < 2) {
		fprintf(stderr, "usage: sbseccomp load PROFILE COMMAND [ARG...]\n");
		return 2;
	}
	text = read_file(path, &len);
	if (!text)
		die_profile(path, strerror(errno));
	jp = (struct jparser){ text, text + len, NULL };
	if (parse_value(&jp, &root, 0))
		die_profile(path, jp.err ? jp.err : "out of memory");
	skip_ws(&jp);
	if (jp.p != jp.end)
		die_profile(path, "text after the JSON object");
	if (root.type != J_OBJ)
		die_profile(path, "not a JSON object");

	action_of(path, jget(&root, "defaultAction"), jget(&root, "defaultErrnoRet"), &def);
	ctx = seccomp_init(def);
	if (!ctx)
		die_profile(path, "seccomp_init failed");
	archs = jget(&root, "architectures");
	for (size_t i = 0; archs && archs->type == J_ARR && i < archs->n; i++) {
		uint32_t a;

		if (archs->items[i].type != J_STR)
			die_profile(path, "an architecture is not a string");
		a = arch_of(path, archs->items[i].str);
		if (a == native) {
			native_listed = true;
			continue;
		}
		err = seccomp_arch_add(ctx, a);
		if (err && err != -EEXIST)
			die_profile(path, strerror(-err));
	}
	/* A profile that lists architectures but not ours is not for us. */
	if (archs && archs->n && !native_listed)
		die_profile(path, "this machine's architecture is not listed");

	calls = jget(&root, "syscalls");
	for (size_t i = 0; calls && calls->type == J_ARR && i < calls->n; i++) {
		const struct jval *e = &calls->items[i], *names = jget(e, "names");
		uint32_t action;

		if (e->type != J_OBJ || !names || names->type != J_ARR)
			die_profile(path, "a syscalls entry has no names list");
		action_of(path, jget(e, "action"), jget(e, "errnoRet"), &action);
		for (size_t k = 0; k < names->n; k++) {
			int nr;

			if (names->items[k].type != J_STR)
				die_profile(path, "a syscall name is not a string");
			nr = seccomp_syscall_resolve_name(names->items[k].str);
			if (nr == __NR_SCMP_ERROR) {
				/* As runc does: a name this libseccomp does not know is
				 * skipped, not fatal. */
				fprintf(stderr, "sbseccomp: %s: unknown syscall '%s' skipped\n", path,
					names->items[k].str);
				continue;
			}
			if (action == def)
				continue;  /* libseccomp refuses a rule that changes nothing */
			err = seccomp_rule_add(ctx, action, nr, 0);
			if (err)
				die_profile(path, strerror(-err));
		}
	}
	/* Nothing may run between the filter and exec but exec itself: every
	 * other call would need a rule the traced command never asked for. */
	err = seccomp_load(ctx);
	if (err)
		die_profile(path, strerror(-err));
	execvp(argv[1], argv + 1);
	err = errno;
	fprintf(stderr, "sbseccomp: cannot run '%s': %s\n", argv[1], strerror(err));
	_exit(err == ENOENT ? 127 : 126);
}

/* ---- work -------------------------------------------------------------------- */

static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "sbseccomp: %s %s: %s\n", what, arg, strerror(errno));
	return 1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_work(int argc, char **argv)
{
	char *names[1024], buf[4096];
	size_t n = 0;
	struct dirent *d;
	DIR *dir;
	ssize_t got;
	long calls;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: sbseccomp work DIR FILE N\n");
		return 2;
	}
	calls = strtol(argv[2], NULL, 10);
	dir = opendir(argv[0]);
	if (!dir)
		return fail("opendir", argv[0]);
	while ((d = readdir(dir)) && n < sizeof(names) / sizeof(names[0]))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			names[n++] = strdup(d->d_name);
	closedir(dir);
	qsort(names, n, sizeof(names[0]), by_name);
	for (size_t i = 0; i < n; i++)
		printf("%s\n", names[i]);
	if (fflush(stdout))
		return fail("write", "stdout");

	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		return fail("open", argv[1]);
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, got) != got)
			return fail("write", "stdout");
	if (got < 0)
		return fail("read", argv[1]);
	close(fd);

	/* syscall(2) directly: a libc could answer from a cache. */
	for (long i = 0; i < calls; i++)
		syscall(SYS_getppid);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "load"))
		return cmd_load(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "work"))
		return cmd_work(argc - 2, argv + 2);
	fprintf(stderr, "usage: sbseccomp load PROFILE COMMAND [ARG...]\n"
			"       sbseccomp work DIR FILE N\n");
	return 2;
}
