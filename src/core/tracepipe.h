/* The kernel trace pipe: where bpf_printk() output goes.  One reader and
 * one line parser, shared by every tool that shows trace_pipe lines.
 *
 * Reading trace_pipe consumes what is read: every reader on the system
 * competes for the same lines.  Tools keep their own reads short and show
 * only the lines they asked for. */
#ifndef SNOOP_TRACEPIPE_H
#define SNOOP_TRACEPIPE_H

#include <stdbool.h>
#include <stddef.h>
#include "core/output.h"

/* One standard line, e.g.
 *   "  bash-1977  [001] d..31  293.228681: bpf_trace_printk: hello"
 * Strings point into the parsed line and are not NUL-terminated. */
struct tracepipe_line {
	const char *comm;     /* "<...>" when the kernel had no name cached */
	size_t comm_len;
	int pid;              /* the task's ID: a thread ID for threads */
	int tgid;             /* -1 unless the record-tgid option is on */
	int cpu;
	const char *flags;    /* "d..31" (5 chars since 5.13, 4 before); may be empty */
	size_t flags_len;
	double timestamp;     /* seconds, in the trace clock */
	const char *event;    /* "bpf_trace_printk"; empty if the line names none */
	size_t event_len;
	const char *message;  /* what follows "event: " */
	size_t message_len;
};

/* Parse one line (without its newline).  False if it is not a standard
 * line, such as a "CPU:1 [LOST 12 EVENTS]" notice. */
bool tracepipe_parse(const char *line, size_t len, struct tracepipe_line *out);

/* The notice the kernel writes when a reader fell behind. */
bool tracepipe_parse_lost(const char *line, size_t len, int *cpu, unsigned long long *lost);

/* Whether a parsed line's message starts with prefix. */
bool tracepipe_message_starts(const struct tracepipe_line *l, const char *prefix);

/* Write one parsed line as a record: JSON keys comm, pid, tgid (only when
 * the kernel wrote it), cpu, flags, timestamp, event, message; a table
 * shows the line as the kernel wrote it. */
void tracepipe_output(struct output *o, const struct tracepipe_line *l,
		      const char *raw, size_t raw_len);

struct tracepipe {
	int fd;
	const char *dir;      /* the tracefs directory it was opened from */
	bool mounted;         /* tracefs was mounted by us, in our namespace */
	size_t len;           /* bytes of an unfinished line in buf */
	char buf[16384];
};

/* Find tracefs (mounting it in our own mount namespace if neither usual
 * place has it, and saying so on stderr) and open trace_pipe.  tp->dir
 * stays usable (for tracepoint attach) until tracepipe_close().  Returns 0
 * or -errno, having printed why. */
int tracepipe_open(struct tracepipe *tp);

/* Wait up to timeout_ms for data and hand each complete line (without
 * its newline) to cb.  A cb returning <0 stops and that value is returned.
 * Returns the number of lines, 0 on timeout or signal, or -errno. */
int tracepipe_read(struct tracepipe *tp, int timeout_ms,
		   int (*cb)(void *ctx, const char *line, size_t len), void *ctx);

void tracepipe_close(struct tracepipe *tp);

#endif
