/* sbbench-open: the workload of the opensnoop benchmark.
 *
 *   sbbench-open N PATH     N times openat(AT_FDCWD, PATH, O_RDONLY) + close;
 *                           prints the mean ns per iteration, then the mean
 *                           of the fastest block of SBBENCH_BLOCK iterations
 *   sbbench-open -s SECS [US]
 *                           for SECS seconds, openat() paths that embed the
 *                           CLOCK_MONOTONIC time just before the call:
 *                           /nonexistent/sbbench/<ns>, one every US
 *                           microseconds (default 0: back to back).  A
 *                           tracer started meanwhile shows when it began
 *                           capturing, to within US plus one open.
 *
 * The binary's name is its command name, which the tracers filter on
 * (opensnoop -n sbbench-open), so that other processes on a shared machine
 * add no events to the count.  It is linked statically so that the dynamic
 * loader's own opens do not appear among them either. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SBBENCH_STAMP_PREFIX "/nonexistent/sbbench/"

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int usage(void)
{
	fprintf(stderr, "usage: sbbench-open N PATH | sbbench-open -s SECONDS [INTERVAL_US]\n");
	return 2;
}

static int parse_count(const char *s, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || end == s || *end || *out == 0 ? -1 : 0;
}

/* Interference from other processes only ever adds time, so the fastest
 * block of a few milliseconds is a steady measure of what one iteration
 * costs by itself (a block still spans a timer tick, so a tracer's
 * periodic wake-ups are in it): a cross-check of the run's mean. */
#define SBBENCH_BLOCK 1000

static int loop_open(unsigned long long n, const char *path)
{
	unsigned long long t0, t1, tb, best = 0, failed = 0;
	int fd;

	/* No trial open first: a tracer counting events must see exactly N. */
	t0 = tb = now_ns();
	for (unsigned long long i = 0; i < n; i++) {
		fd = openat(AT_FDCWD, path, O_RDONLY);
		if (fd >= 0)
			close(fd);
		else
			failed++;
		if ((i + 1) % SBBENCH_BLOCK == 0) {
			unsigned long long t = now_ns();

			if (!best || t - tb < best)
				best = t - tb;
			tb = t;
		}
	}
	t1 = now_ns();
	if (failed) {
		fprintf(stderr, "sbbench-open: %llu of %llu opens of %s failed: %s\n", failed, n,
			path, strerror(errno));
		return 1;
	}
	if (!best)
		best = (t1 - t0) * SBBENCH_BLOCK / n;
	printf("%.1f %.1f\n", (double)(t1 - t0) / n, (double)best / SBBENCH_BLOCK);
	return 0;
}

static int loop_stamp(double secs, long interval_us)
{
	unsigned long long end = now_ns() + (unsigned long long)(secs * 1e9);
	struct timespec pause = { interval_us / 1000000, interval_us % 1000000 * 1000 };
	char path[64];

	for (;;) {
		unsigned long long t = now_ns();

		if (t >= end)
			break;
		snprintf(path, sizeof(path), SBBENCH_STAMP_PREFIX "%llu", t);
		openat(AT_FDCWD, path, O_RDONLY);
		/* Paced, the workload leaves the CPUs to the tracer starting up,
		 * as most traced programs would. */
		if (interval_us)
			nanosleep(&pause, NULL);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long n;

	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "-s")) {
		char *end;
		double secs = strtod(argv[2], &end);
		long us = 0;

		if (end == argv[2] || *end || secs <= 0 || secs > 3600)
			return usage();
		if (argc == 4) {
			us = strtol(argv[3], &end, 10);
			if (end == argv[3] || *end || us < 0 || us > 1000000)
				return usage();
		}
		return loop_stamp(secs, us);
	}
	if (argc != 3 || parse_count(argv[1], &n))
		return usage();
	return loop_open(n, argv[2]);
}
