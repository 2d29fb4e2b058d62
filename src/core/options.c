#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/options.h"

bool parse_ulong_range(const char *s, unsigned long min, unsigned long max,
		       unsigned long *out)
{
	char *end;
	unsigned long v;

	/* strtoul accepts leading spaces and a minus sign; we do not. */
	if (!s || !*s || !(*s >= '0' && *s <= '9'))
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s || !((*s >= '0' && *s <= '9') || *s == '.'))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v <= 0 || v > 1e9)
		return false;
	*out = v;
	return true;
}

unsigned long option_ulong(struct argp_state *st, const char *what, const char *arg,
			   unsigned long min, unsigned long max)
{
	unsigned long v = 0;

	if (!parse_ulong_range(arg, min, max, &v))
		argp_error(st, "invalid %s '%s': expected a whole number from %lu to %lu",
			   what, arg, min, max);
	return v;
}

enum {
	KEY_ATTACH = 0x1000,
	KEY_CGROUP,
};

struct common_desc {
	unsigned flag;
	struct argp_option opt;
};

static const struct common_desc common_options[] = {
	{ SNOOP_OPT_PID, { "pid", 'p', "PID", 0, "Trace this process only", 1 } },
	{ SNOOP_OPT_TID, { "tid", 't', "TID", 0, "Trace this thread only", 1 } },
	{ SNOOP_OPT_UID, { "uid", 'u', "UID", 0, "Trace this user only", 1 } },
	{ SNOOP_OPT_NAME, { "name", 'n', "NAME", 0,
			    "Trace processes whose command name contains NAME", 1 } },
	{ SNOOP_OPT_FAILED, { "failed", 'x', NULL, 0, "Show failed calls only", 1 } },
	{ SNOOP_OPT_TIMESTAMP, { "timestamp", 'T', NULL, 0,
				 "Print seconds since tracing started", 2 } },
	{ SNOOP_OPT_PRINT_UID, { "print-uid", 'U', NULL, 0, "Print the UID column", 2 } },
	{ SNOOP_OPT_JSON, { "json", 'j', NULL, 0, "Print JSON Lines, one object per event", 2 } },
	{ SNOOP_OPT_DURATION, { "duration", 'd', "SECONDS", 0,
				"Stop after SECONDS (default: until Ctrl-C)", 3 } },
	{ SNOOP_OPT_ATTACH, { "attach", KEY_ATTACH, "VARIANT", 0,
			      "Attach with VARIANT instead of the best one this kernel "
			      "supports (see -v for the choice)", 3 } },
	{ SNOOP_OPT_CGROUP, { "cgroup", KEY_CGROUP, "PATH", 0,
			      "Trace tasks in this cgroup v2 and its children only (a directory "
			      "under the cgroup2 mount, or a path relative to its root)", 1 } },
	{ SNOOP_OPT_VERBOSE, { "verbose", 'v', NULL, 0,
			       "Show the attach points chosen and libbpf's messages", 3 } },
};
#define N_COMMON (sizeof(common_options) / sizeof(common_options[0]))

struct parse_ctx {
	const struct snoop_tool *tool;
	struct snoop_config *cfg;
	void *tool_state;
};

void *snoop_parse_tool_state(const struct argp_state *st)
{
	const struct parse_ctx *ctx = st->input;

	return ctx->tool_state;
}

/* Whether key is a common option this tool took.  For the others (a
 * tool's own -p, say) the tool's parser goes first; a tool may also list a
 * common key under another name (execsnoop's --fails for -x) and leave its
 * parsing to us. */
static bool common_key_taken(const struct snoop_tool *tool, int key)
{
	for (size_t i = 0; i < N_COMMON; i++)
		if (common_options[i].opt.key == key)
			return tool->common & common_options[i].flag;
	return true;  /* argp's own keys (ARGP_KEY_*) */
}

static error_t parse_common(int key, char *arg, struct argp_state *st)
{
	struct parse_ctx *ctx = st->input;
	struct snoop_config *cfg = ctx->cfg;
	struct snoop_filter *f = &cfg->filter;

	if (!common_key_taken(ctx->tool, key) && ctx->tool->parse) {
		error_t err = ctx->tool->parse(key, arg, st);

		if (err != ARGP_ERR_UNKNOWN)
			return err;
	}
	switch (key) {
	case 'p':
		f->tgid = option_ulong(st, "PID", arg, 1, SNOOP_PID_MAX);
		break;
	case 't':
		f->tid = option_ulong(st, "TID", arg, 1, SNOOP_PID_MAX);
		break;
	case 'u':
		f->uid = option_ulong(st, "UID", arg, 0, SNOOP_UID_ANY - 1);
		break;
	case 'n':
		if (!*arg || strlen(arg) >= SNOOP_COMM_LEN)
			argp_error(st, "invalid NAME '%s': give 1 to %d characters of a command name",
				   arg, SNOOP_COMM_LEN - 1);
		memcpy(f->comm, arg, strlen(arg));
		f->comm_len = strlen(arg);
		break;
	case 'x':
		f->failed_only = 1;
		break;
	case 'T':
		cfg->timestamp = true;
		break;
	case 'U':
		cfg->print_uid = true;
		break;
	case 'j':
		cfg->json = true;
		break;
	case 'd':
		if (!parse_seconds(arg, &cfg->duration))
			argp_error(st, "invalid duration '%s': give a number of seconds greater than 0",
				   arg);
		break;
	case KEY_ATTACH:
		cfg->attach = arg;
		break;
	case KEY_CGROUP:
		cfg->cgroup = arg;
		break;
	case ARGP_KEY_ARG:
		/* Declining the first argument makes argp hand over all of
		 * them at once as ARGP_KEY_ARGS: the command line to run. */
		if (ctx->tool->common & SNOOP_OPT_COMMAND)
			return ARGP_ERR_UNKNOWN;
		goto tool_parser;
	case ARGP_KEY_ARGS:
		if (st->next < 1 || strcmp(st->argv[st->next - 1], "--"))
			argp_error(st, "unexpected argument '%s'; to trace a command, put it after --",
				   st->argv[st->next]);
		cfg->command = st->argv + st->next;
		st->next = st->argc;
		break;
	case ARGP_KEY_END:
		if ((ctx->tool->common & SNOOP_OPT_COMMAND) && st->next > 0 &&
		    !strcmp(st->argv[st->next - 1], "--") && !cfg->command)
			argp_error(st, "'--' must be followed by a command to run");
		goto tool_parser;
	case 'v':
		cfg->verbose = true;
		break;
	default:
	tool_parser:
		if (ctx->tool->parse) {
			error_t err = ctx->tool->parse(key, arg, st);

			if (err != ARGP_ERR_UNKNOWN || key != ARGP_KEY_ARG)
				return err;
		}
		if (key == ARGP_KEY_ARG)
			argp_error(st, "unexpected argument '%s': %s takes options only", arg,
				   ctx->tool->name);
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

void snoop_parse_args(const struct snoop_tool *tool, int argc, char **argv,
		      struct snoop_config *cfg, void *tool_state)
{
	struct argp_option opts[64];
	size_t n = 0;
	struct parse_ctx ctx = { tool, cfg, tool_state };

	memset(cfg, 0, sizeof(*cfg));
	cfg->filter.uid = SNOOP_UID_ANY;
	cfg->filter.wakeup_bytes = SNOOP_WAKEUP_BYTES;

	/* One table: the tool's options first, then the common ones it takes,
	 * so --help reads as one list and each key is parsed in one place. */
	for (const struct argp_option *o = tool->options; o && (o->name || o->key || o->doc); o++)
		if (n < 48)
			opts[n++] = *o;
	/* --attach names this tool's variants, so --help and the man page
	 * say what VARIANT can be. */
	static char attach_doc[256];
	for (size_t i = 0; i < N_COMMON; i++) {
		if (!(tool->common & common_options[i].flag))
			continue;
		opts[n] = common_options[i].opt;
		if (opts[n].key == KEY_ATTACH && tool->tracer && tool->tracer->variants) {
			size_t len = snprintf(attach_doc, sizeof(attach_doc),
					      "Attach with VARIANT instead of the best one this kernel "
					      "supports (see -v for the choice): ");
			for (const struct snoop_variant *v = tool->tracer->variants;
			     v->name && len < sizeof(attach_doc); v++)
				len += snprintf(attach_doc + len, sizeof(attach_doc) - len, "%s%s",
						v == tool->tracer->variants ? "" : ", ", v->name);
			opts[n].doc = attach_doc;
		}
		n++;
	}
	memset(&opts[n], 0, sizeof(opts[n]));

	struct argp argp = {
		.options = opts,
		.parser = parse_common,
		.args_doc = tool->args_doc ? tool->args_doc :
			    (tool->common & SNOOP_OPT_COMMAND) ? "[-- COMMAND [ARG...]]" : NULL,
		.doc = tool->doc,
	};
	argp_err_exit_status = SNOOP_EXIT_USAGE;
	/* GNU style "TOOL (snoopbox) VERSION", which help2man also reads. */
	static char version[64];
	snprintf(version, sizeof(version), "%s (snoopbox) %s", tool->name, SNOOPBOX_VERSION);
	argp_program_version = version;
	argp_program_bug_address = NULL;
	argp_parse(&argp, argc, argv, 0, NULL, &ctx);
}
