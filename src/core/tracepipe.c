#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/bpfobj.h"
#include "core/tool.h"
#include "core/tracepipe.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits at s[*i], as an int; false if there are none or too many. */
static bool scan_int(const char *s, size_t len, size_t *i, int *out)
{
	long v = 0;
	size_t start = *i;

	while (*i < len && is_digit(s[*i])) {
		v = v * 10 + (s[*i] - '0');
		if (v > 0x7fffffff)
			return false;
		(*i)++;
	}
	*out = (int)v;
	return *i > start;
}

static size_t skip_spaces(const char *s, size_t len, size_t i)
{
	while (i < len && s[i] == ' ')
		i++;
	return i;
}

/* "123.456789:" (or "123:" for counter clocks) followed by a space or the
 * end of the line.  On success *i is past the colon. */
static bool scan_timestamp(const char *s, size_t len, size_t *i, double *out)
{
	size_t j = *i, start = *i;
	char num[64];

	while (j < len && is_digit(s[j]))
		j++;
	if (j == start)
		return false;
	if (j < len && s[j] == '.') {
		size_t frac = ++j;

		while (j < len && is_digit(s[j]))
			j++;
		if (j == frac)
			return false;
	}
	if (j >= len || s[j] != ':' || (j + 1 < len && s[j + 1] != ' '))
		return false;
	if (j - start >= sizeof(num))
		return false;
	memcpy(num, s + start, j - start);
	num[j - start] = '\0';
	*out = strtod(num, NULL);
	*i = j + 1;
	return true;
}

/* Everything after "COMM-": "PID [(TGID)] [CPU] [FLAGS] TIMESTAMP: REST". */
static bool parse_after_dash(const char *s, size_t len, size_t i, struct tracepipe_line *l)
{
	size_t tok;

	if (!scan_int(s, len, &i, &l->pid))
		return false;
	if (i >= len || s[i] != ' ')
		return false;
	i = skip_spaces(s, len, i);
	l->tgid = -1;
	if (i < len && s[i] == '(') {
		/* "(  1977)", or "(-------)" when the tgid is unknown. */
		i = skip_spaces(s, len, i + 1);
		if (i < len && s[i] == '-') {
			while (i < len && s[i] == '-')
				i++;
		} else if (!scan_int(s, len, &i, &l->tgid)) {
			return false;
		}
		if (i >= len || s[i] != ')')
			return false;
		i = skip_spaces(s, len, i + 1);
	}
	if (i >= len || s[i] != '[')
		return false;
	i++;
	if (!scan_int(s, len, &i, &l->cpu) || i >= len || s[i] != ']')
		return false;
	i++;
	if (i >= len || s[i] != ' ')
		return false;
	i = skip_spaces(s, len, i);

	/* Flags are absent when the irq-info trace option is off. */
	tok = i;
	if (scan_timestamp(s, len, &i, &l->timestamp)) {
		l->flags = s + tok;
		l->flags_len = 0;
	} else {
		while (i < len && s[i] != ' ')
			i++;
		l->flags = s + tok;
		l->flags_len = i - tok;
		if (i >= len)
			return false;
		i = skip_spaces(s, len, i);
		if (!scan_timestamp(s, len, &i, &l->timestamp))
			return false;
	}
	if (i < len && s[i] == ' ')
		i++;

	/* "event: message", where event is an identifier; otherwise (the
	 * function tracer, say) the whole rest is the message. */
	size_t ev = i;

	while (i < len && (s[i] == '_' || is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'z') ||
			   (s[i] >= 'A' && s[i] <= 'Z')))
		i++;
	if (i > ev && i < len && s[i] == ':' && (i + 1 == len || s[i + 1] == ' ')) {
		l->event = s + ev;
		l->event_len = i - ev;
		i++;
		if (i < len)
			i++;
	} else {
		l->event = s + ev;
		l->event_len = 0;
		i = ev;
	}
	l->message = s + i;
	l->message_len = len - i;
	return true;
}

bool tracepipe_parse(const char *s, size_t len, struct tracepipe_line *l)
{
	size_t start;

	memset(l, 0, sizeof(*l));
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	start = skip_spaces(s, len, 0);
	/* The kernel pads the comm to 16 columns on the left and the comm
	 * itself may hold spaces and dashes ("kworker/0:1-events"): take the
	 * first dash after which the rest of a header follows. */
	for (size_t i = start + 1; i < len; i++) {
		if (s[i] != '-')
			continue;
		if (parse_after_dash(s, len, i + 1, l)) {
			l->comm = s + start;
			l->comm_len = i - start;
			return true;
		}
	}
	memset(l, 0, sizeof(*l));
	return false;
}

bool tracepipe_parse_lost(const char *s, size_t len, int *cpu, unsigned long long *lost)
{
	char buf[128], tail;

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return sscanf(buf, "CPU:%d [LOST %llu EVENTS%c", cpu, lost, &tail) == 3 && tail == ']';
}

bool tracepipe_message_starts(const struct tracepipe_line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->message_len >= n && !memcmp(l->message, prefix, n);
}

void tracepipe_output(struct output *o, const struct tracepipe_line *l,
		      const char *raw, size_t raw_len)
{
	output_record_begin(o);
	if (!o->json) {
		output_bytes(o, "line", 0, raw, raw_len);
		output_record_end(o);
		return;
	}
	output_bytes(o, "comm", 0, l->comm, l->comm_len);
	output_int(o, "pid", 0, l->pid);
	if (l->tgid >= 0)
		output_int(o, "tgid", 0, l->tgid);
	output_int(o, "cpu", 0, l->cpu);
	output_bytes(o, "flags", 0, l->flags, l->flags_len);
	output_double(o, "timestamp", 0, 6, l->timestamp);
	output_bytes(o, "event", 0, l->event, l->event_len);
	output_bytes(o, "message", 0, l->message, l->message_len);
	output_record_end(o);
}

int tracepipe_open(struct tracepipe *tp)
{
	char path[256];
	const char *dir;
	int err;

	tp->fd = -1;
	tp->len = 0;
	tp->dir = dir = snoop_tracefs(&tp->mounted);
	if (!dir) {
		err = errno;
		snoop_err("tracefs is not mounted and mounting it at /sys/kernel/tracing failed: %s%s",
			  strerror(err), err == EPERM || err == EACCES ? " (it needs root)" : "");
		return -err;
	}
	if (tp->mounted)
		snoop_err("tracefs was not mounted: mounted it at %s in our own mount namespace",
			  dir);
	snprintf(path, sizeof(path), "%s/trace_pipe", dir);
	/* Non-blocking, so that poll() decides how long we wait and a stop
	 * request is seen within one timeout. */
	tp->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (tp->fd < 0) {
		err = errno;
		snoop_err("cannot open %s: %s%s", path, strerror(err),
			  err == EACCES || err == EPERM ? " (it needs root)" : "");
		return -err;
	}
	return 0;
}

int tracepipe_read(struct tracepipe *tp, int timeout_ms,
		   int (*cb)(void *ctx, const char *line, size_t len), void *ctx)
{
	struct pollfd pfd = { .fd = tp->fd, .events = POLLIN };
	int lines = 0, ret;
	ssize_t n;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return errno == EINTR ? 0 : -errno;
	if (ret == 0)
		return 0;
	for (;;) {
		n = read(tp->fd, tp->buf + tp->len, sizeof(tp->buf) - tp->len);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			return -errno;
		}
		if (n == 0)
			break;
		tp->len += n;

		char *p = tp->buf, *end = tp->buf + tp->len, *nl;

		while ((nl = memchr(p, '\n', end - p))) {
			if (nl > p) {
				ret = cb(ctx, p, nl - p);
				if (ret < 0) {
					/* Keep the rest for a later call. */
					tp->len = end - (nl + 1);
					memmove(tp->buf, nl + 1, tp->len);
					return ret;
				}
				lines++;
			}
			p = nl + 1;
		}
		tp->len = end - p;
		memmove(tp->buf, p, tp->len);
		/* A line longer than the buffer: hand over what we have. */
		if (tp->len == sizeof(tp->buf)) {
			ret = cb(ctx, tp->buf, tp->len);
			tp->len = 0;
			if (ret < 0)
				return ret;
			lines++;
		}
	}
	return lines;
}

void tracepipe_close(struct tracepipe *tp)
{
	if (tp->fd >= 0)
		close(tp->fd);
	tp->fd = -1;
}
