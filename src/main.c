/* snoopbox: one binary, many tools.  The tool is chosen by the name it is
 * run as (a symlink such as opensnoop -> snoopbox) or by the first
 * argument. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/tool.h"

#define SNOOPBOX_TOOL(n) extern const struct snoop_tool snoop_tool_##n;
#include "tools.inc"
#undef SNOOPBOX_TOOL
#define SNOOPBOX_TOOL(n) &snoop_tool_##n,
const struct snoop_tool *const snoop_tools[] = {
#include "tools.inc"
	NULL,
};
#undef SNOOPBOX_TOOL

const struct snoop_tool *snoop_tool_find(const char *name)
{
	for (int i = 0; snoop_tools[i]; i++)
		if (!strcmp(snoop_tools[i]->name, name))
			return snoop_tools[i];
	return NULL;
}

static void print_list(FILE *f)
{
	for (int i = 0; snoop_tools[i]; i++)
		fprintf(f, "  %-12s %s\n", snoop_tools[i]->name, snoop_tools[i]->summary);
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: snoopbox TOOL [OPTION...]\n"
		   "  or:  TOOL [OPTION...]   (through a symlink named after the tool)\n"
		   "eBPF tracing tools in one binary.\n\n"
		   "Tools:\n");
	print_list(f);
	fprintf(f, "\n  -l, --list       list the tools\n"
		   "  -V, --version    print the version\n"
		   "  -?, --help       give this help list\n\n"
		   "Run 'snoopbox TOOL --help' for a tool's options.\n");
}

static int run_tool(const struct snoop_tool *tool, int argc, char **argv)
{
	snoop_set_prog_name(tool->name);
	argv[0] = (char *)tool->name;
	if (tool->main)
		return tool->main(argc, argv);
	return snoop_trace_main(tool, argc, argv);
}

int main(int argc, char **argv)
{
	const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	const struct snoop_tool *tool = snoop_tool_find(self);

	if (tool)
		return run_tool(tool, argc, argv);
	if (argc < 2) {
		usage(stderr);
		return SNOOP_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--list") || !strcmp(argv[1], "-l")) {
		print_list(stdout);
		return SNOOP_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("snoopbox %s\n", SNOOPBOX_VERSION);
		return SNOOP_EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-?") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return SNOOP_EXIT_OK;
	}
	tool = snoop_tool_find(argv[1]);
	if (!tool) {
		fprintf(stderr, "snoopbox: unknown tool '%s'; 'snoopbox --list' shows the tools\n",
			argv[1]);
		return SNOOP_EXIT_USAGE;
	}
	return run_tool(tool, argc - 1, argv + 1);
}
