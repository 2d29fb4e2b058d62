/* sbbench-run: run a tracer for the benchmark and measure what a shell
 * cannot: its peak RSS (wait4) and the time from just before its exec to
 * the first event it captured.
 *
 *   sbbench-run [-o OUT] [-e ERR] [-f PREFIX [-k] [-t SECS]] -- CMD [ARG...]
 *
 *   -o OUT     the command's stdout goes to OUT
 *   -e ERR     the command's stderr goes to ERR
 *   -f PREFIX  read the command's stdout through a pipe (still copied to
 *              OUT) and find the first line containing PREFIX followed by
 *              a CLOCK_MONOTONIC time in ns: sbbench-open -s opens such
 *              paths, stamped just before each call
 *   -k         send SIGINT to the command once that line has been seen
 *   -t SECS    send SIGINT if no such line came within SECS (default 10)
 *
 * SIGINT and SIGTERM are passed on to the command.  At the end one line
 * goes to stdout:
 *
 *   status=S maxrss_kib=K capture_us=C delivery_us=D
 *
 * S is the exit status (128+N for signal N), K the command's peak resident
 * set, C the stamp of the first matching line minus the time just before
 * the exec (when the tracer had started capturing), D the time that line
 * reached us minus the same start (when a user would have seen it); C and
 * D are -1 without -f or when no line matched. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t child = -1;

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

static int usage(void)
{
	fprintf(stderr, "usage: sbbench-run [-o OUT] [-e ERR] [-f PREFIX [-k] [-t SECS]] -- CMD [ARG...]\n");
	return 2;
}

static int redirect(const char *path, int fd)
{
	int f = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (f < 0 || dup2(f, fd) < 0) {
		fprintf(stderr, "sbbench-run: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	close(f);
	return 0;
}

/* Scan [line, end) for PREFIX<digits>; return the number or 0. */
static unsigned long long find_stamp(const char *line, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);
	unsigned long long v = 0;
	const char *p = memmem(line, len, prefix, plen);

	if (!p)
		return 0;
	for (p += plen; p < line + len && *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return v;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *err = NULL, *prefix = NULL;
	double timeout = 10;
	bool kill_at_first = false;
	long long capture_ns = -1, delivery_ns = -1;
	int pipefd[2] = { -1, -1 }, outfd = -1, opt, wstatus, status;
	struct sigaction sa = { .sa_handler = forward };
	struct rusage ru;
	unsigned long long t0;

	while ((opt = getopt(argc, argv, "+o:e:f:kt:")) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'e': err = optarg; break;
		case 'f': prefix = optarg; break;
		case 'k': kill_at_first = true; break;
		case 't': timeout = atof(optarg); break;
		default: return usage();
		}
	}
	if (optind >= argc || (kill_at_first && !prefix) || timeout <= 0)
		return usage();
	if (prefix) {
		if (pipe2(pipefd, O_CLOEXEC)) {
			perror("sbbench-run: pipe");
			return 1;
		}
		if (out) {
			outfd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
			if (outfd < 0) {
				fprintf(stderr, "sbbench-run: cannot write %s: %s\n", out, strerror(errno));
				return 1;
			}
		}
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	t0 = now_ns();
	child = fork();
	if (child < 0) {
		perror("sbbench-run: fork");
		return 1;
	}
	if (child == 0) {
		if (prefix)
			dup2(pipefd[1], STDOUT_FILENO);
		else if (out && redirect(out, STDOUT_FILENO))
			_exit(127);
		if (err && redirect(err, STDERR_FILENO))
			_exit(127);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "sbbench-run: cannot run %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}

	if (prefix) {
		char buf[65536];
		size_t have = 0;
		bool signalled = false;
		unsigned long long deadline = t0 + (unsigned long long)(timeout * 1e9);

		close(pipefd[1]);
		for (;;) {
			struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
			int ms = 100;
			ssize_t n;

			if (capture_ns < 0 && !signalled) {
				unsigned long long t = now_ns();

				if (t >= deadline) {
					kill(child, SIGINT);
					signalled = true;
				} else if ((deadline - t) / 1000000 < 100) {
					ms = (deadline - t) / 1000000 + 1;
				}
			}
			if (poll(&p, 1, ms) <= 0)
				continue;
			n = read(pipefd[0], buf + have, sizeof(buf) - have);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			if (outfd >= 0 && write(outfd, buf + have, n) != n)
				fprintf(stderr, "sbbench-run: short write to %s\n", out);
			have += n;
			/* Look at whole lines only; keep a partial one for the next read. */
			char *start = buf, *nl;

			while ((nl = memchr(start, '\n', buf + have - start))) {
				if (capture_ns < 0) {
					unsigned long long stamp = find_stamp(start, nl - start, prefix);

					if (stamp) {
						delivery_ns = now_ns() - t0;
						capture_ns = (long long)(stamp - t0);
						if (kill_at_first && !signalled) {
							kill(child, SIGINT);
							signalled = true;
						}
					}
				}
				start = nl + 1;
			}
			have = buf + have - start;
			memmove(buf, start, have);
			if (have == sizeof(buf))
				have = 0;  /* a line longer than the buffer: not ours */
		}
		close(pipefd[0]);
	}

	while (wait4(child, &wstatus, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("sbbench-run: wait4");
			return 1;
		}
	}
	status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	printf("status=%d maxrss_kib=%ld capture_us=%.0f delivery_us=%.0f\n", status, ru.ru_maxrss,
	       capture_ns < 0 ? -1 : capture_ns / 1e3, delivery_ns < 0 ? -1 : delivery_ns / 1e3);
	return 0;
}
