#ifndef SNOOP_SPAWN_H
#define SNOOP_SPAWN_H

#include <sys/types.h>

/* A command started stopped: it waits until the tracer is attached, so it
 * is traced from its first instruction. */
struct snoop_child {
	pid_t pid;
	int go_fd;    /* write end: closing it lets the child exec */
	int err_fd;   /* read end: the errno of a failed exec, or EOF */
};

int snoop_child_start(char *const argv[], struct snoop_child *c);
/* Let it run; returns 0 once exec succeeded, or the exec errno. */
int snoop_child_release(struct snoop_child *c);
/* Kill a child that never ran the command, and reap it. */
void snoop_child_abort(struct snoop_child *c);

#endif
