/* Typed parsers for option values, shared by every tool.  Each returns 0
 * or fails the parse with one line that names the value and the fix. */
#ifndef SNOOP_OPTIONS_H
#define SNOOP_OPTIONS_H

#include <argp.h>
#include <stdbool.h>
#include "core/tool.h"

#define SNOOP_PID_MAX 4194304  /* PID_MAX_LIMIT on 64-bit kernels */

/* Parse an unsigned integer in [min, max]; false if it is not one. */
bool parse_ulong_range(const char *s, unsigned long min, unsigned long max,
		       unsigned long *out);
/* Positive seconds, decimals allowed. */
bool parse_seconds(const char *s, double *out);

/* argp front end: report a bad value and exit with status 2. */
unsigned long option_ulong(struct argp_state *st, const char *what, const char *arg,
			   unsigned long min, unsigned long max);

/* Build the argp for a tool (its own options, then the common ones it
 * takes) and parse argv into cfg.  Exits on --help and on usage errors. */
void snoop_parse_args(const struct snoop_tool *tool, int argc, char **argv,
		      struct snoop_config *cfg, void *tool_state);

/* The tool state pointer handed to the tool's parse function. */
void *snoop_parse_tool_state(const struct argp_state *st);

#endif
