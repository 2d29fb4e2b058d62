#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "core/spawn.h"

/* Find the program as execvp() would, but here: the child then makes one
 * execve(), not one per $PATH entry, each of which the tracer would see as
 * a failed exec of the command. */
static int resolve_command(const char *name, char *out, size_t cap)
{
	const char *path = getenv("PATH");
	int err = ENOENT;

	if (strchr(name, '/')) {
		snprintf(out, cap, "%s", name);
		return 0;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path;; p++) {
		const char *end = strchrnul(p, ':');
		struct stat st;
		int n = snprintf(out, cap, "%.*s%s%s", (int)(end - p), p, end == p ? "" : "/", name);

		if (n > 0 && (size_t)n < cap && !stat(out, &st) && S_ISREG(st.st_mode)) {
			if (!access(out, X_OK))
				return 0;
			err = EACCES;
		}
		if (!*end)
			break;
		p = end;
	}
	return -err;
}

int snoop_child_start(char *const argv[], struct snoop_child *c)
{
	int go[2], errp[2];
	char prog[4096];
	int err = resolve_command(argv[0], prog, sizeof(prog));

	if (err)
		return err;

	if (pipe2(go, O_CLOEXEC))
		return -errno;
	if (pipe2(errp, O_CLOEXEC)) {
		close(go[0]);
		close(go[1]);
		return -errno;
	}
	c->pid = fork();
	if (c->pid < 0) {
		int err = -errno;

		close(go[0]); close(go[1]); close(errp[0]); close(errp[1]);
		return err;
	}
	if (c->pid == 0) {
		char b;
		int e;

		close(go[1]);
		close(errp[0]);
		/* The tracer ignores SIGPIPE; the command must not inherit that. */
		signal(SIGPIPE, SIG_DFL);
		if (read(go[0], &b, 1) != 1)
			_exit(127);  /* the tracer gave up before attaching */
		execv(prog, argv);
		e = errno;
		if (write(errp[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(errp[1]);
	c->go_fd = go[1];
	c->err_fd = errp[0];
	return 0;
}

int snoop_child_release(struct snoop_child *c)
{
	int e = 0;
	ssize_t n;

	if (write(c->go_fd, "g", 1) != 1)
		e = errno;
	close(c->go_fd);
	c->go_fd = -1;
	do {
		n = read(c->err_fd, &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	close(c->err_fd);
	c->err_fd = -1;
	return n == sizeof(e) ? e : 0;
}

void snoop_child_abort(struct snoop_child *c)
{
	if (c->pid <= 0)
		return;
	if (c->go_fd >= 0)
		close(c->go_fd);
	if (c->err_fd >= 0)
		close(c->err_fd);
	kill(c->pid, SIGKILL);
	waitpid(c->pid, NULL, 0);
	c->pid = 0;
}
