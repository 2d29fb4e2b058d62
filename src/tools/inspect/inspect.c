/* inspect: what a BPF object file holds, or the object embedded in one of
 * snoopbox's own tools; its bytecode with source lines; or the embedded
 * object itself, for readelf and bpftool. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/objinfo.h"
#include "core/options.h"
#include "core/tool.h"

/* Objects larger than this are not BPF objects anyone wrote by hand. */
#define INSPECT_MAX_FILE (256u << 20)

enum { KEY_TOOL = 0x2000, KEY_DISASM, KEY_EXTRACT, KEY_NO_RAW };

struct inspect_opts {
	const char *file;
	const char *tool;
	const char *extract;
	const char *output;
	bool disasm;
	bool no_raw;
};

extern const struct snoop_tool snoop_tool_inspect;

static const struct argp_option inspect_options[] = {
	{ "tool", KEY_TOOL, "NAME", 0,
	  "Inspect the object embedded in snoopbox's tool NAME (or object NAME, "
	  "e.g. opensnoop_fullpath) instead of a file", 1 },
	{ "disasm", KEY_DISASM, NULL, 0,
	  "Show each program's bytecode with raw bytes, source lines and relocations", 1 },
	{ "no-raw", KEY_NO_RAW, NULL, 0, "With --disasm: leave out the raw bytes", 1 },
	{ "extract", KEY_EXTRACT, "NAME", 0,
	  "Write the embedded object of tool (or object) NAME to stdout or -o FILE", 1 },
	{ "output", 'o', "FILE", 0, "With --extract: write to FILE instead of stdout", 1 },
	{ 0 },
};

static error_t inspect_parse(int key, char *arg, struct argp_state *st)
{
	struct inspect_opts *o = snoop_parse_tool_state(st);

	switch (key) {
	case KEY_TOOL:
		o->tool = arg;
		return 0;
	case KEY_DISASM:
		o->disasm = true;
		return 0;
	case KEY_NO_RAW:
		o->no_raw = true;
		return 0;
	case KEY_EXTRACT:
		o->extract = arg;
		return 0;
	case 'o':
		o->output = arg;
		return 0;
	case ARGP_KEY_ARG:
		if (o->file)
			argp_error(st, "unexpected argument '%s': inspect takes one FILE", arg);
		o->file = arg;
		return 0;
	case ARGP_KEY_END:
		if (o->extract && (o->file || o->tool || o->disasm))
			argp_error(st, "--extract writes an object; it takes no FILE, --tool or --disasm");
		if (!o->extract && o->output)
			argp_error(st, "-o/--output goes with --extract");
		if (!o->extract && !!o->file == !!o->tool)
			argp_error(st, "give one FILE.bpf.o or --tool NAME");
		if (o->no_raw && !o->disasm)
			argp_error(st, "--no-raw goes with --disasm");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

/* An embedded object by object name, or by tool name when that tool has
 * an object of its own name or only one. */
static const struct snoop_object *find_object(const char *name)
{
	const struct snoop_object *only = NULL;

	for (int i = 0; snoop_tools[i]; i++)
		for (const struct snoop_object *ob = snoop_tools[i]->objects; ob && ob->name; ob++)
			if (!strcmp(ob->name, name))
				return ob;
	for (int i = 0; snoop_tools[i]; i++) {
		const struct snoop_object *ob = snoop_tools[i]->objects;

		if (strcmp(snoop_tools[i]->name, name) || !ob || !ob->name)
			continue;
		only = ob;
		if (!ob[1].name)
			return only;
	}
	return NULL;
}

static void list_objects(void)
{
	fprintf(stderr, "embedded objects:");
	for (int i = 0; snoop_tools[i]; i++)
		for (const struct snoop_object *ob = snoop_tools[i]->objects; ob && ob->name; ob++)
			fprintf(stderr, " %s", ob->name);
	fprintf(stderr, "\n");
}

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 64 * 1024, n = 0;
	char *buf = NULL;

	if (!f) {
		snoop_err("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		char *nb;
		size_t got;

		if (n == cap || !buf) {
			if (buf)
				cap *= 2;
			if (cap > INSPECT_MAX_FILE + 1)
				cap = INSPECT_MAX_FILE + 1;
			nb = realloc(buf, cap);
			if (!nb) {
				snoop_err("%s: out of memory", path);
				goto fail;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (ferror(f)) {
			snoop_err("cannot read %s: %s", path, strerror(errno));
			goto fail;
		}
		if (n > INSPECT_MAX_FILE) {
			snoop_err("%s: larger than %u MiB; not a BPF object", path,
				  INSPECT_MAX_FILE >> 20);
			goto fail;
		}
		if (feof(f))
			break;
	}
	fclose(f);
	*size = n;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

static int extract(const struct inspect_opts *o)
{
	const struct snoop_object *ob = find_object(o->extract);
	const void *bytes;
	size_t size;
	FILE *f = stdout;

	if (!ob) {
		snoop_err("no embedded object or tool with one object named '%s'", o->extract);
		list_objects();
		return SNOOP_EXIT_USAGE;
	}
	bytes = ob->elf_bytes(&size);
	if (o->output && strcmp(o->output, "-")) {
		f = fopen(o->output, "wb");
		if (!f) {
			snoop_err("cannot create %s: %s", o->output, strerror(errno));
			return SNOOP_EXIT_FAIL;
		}
	} else if (isatty(STDOUT_FILENO)) {
		snoop_err("not writing a binary object to a terminal; redirect stdout or use -o FILE");
		return SNOOP_EXIT_USAGE;
	}
	if (fwrite(bytes, 1, size, f) != size || fflush(f) || ferror(f)) {
		snoop_err("cannot write %s: %s", o->output ? o->output : "stdout", strerror(errno));
		if (f != stdout)
			fclose(f);
		return SNOOP_EXIT_FAIL;
	}
	if (f != stdout && fclose(f)) {
		snoop_err("cannot write %s: %s", o->output, strerror(errno));
		return SNOOP_EXIT_FAIL;
	}
	return SNOOP_EXIT_OK;
}

static int inspect_main(int argc, char **argv)
{
	struct inspect_opts o = { 0 };
	struct snoop_config cfg;
	struct output out;
	unsigned flags = 0;
	void *buf = NULL;
	const void *elf;
	size_t size;
	char label[128];
	int ret;

	snoop_parse_args(&snoop_tool_inspect, argc, argv, &cfg, &o);
	if (o.extract)
		return extract(&o);
	if (o.tool) {
		const struct snoop_object *ob = find_object(o.tool);

		if (!ob) {
			snoop_err("no embedded object or tool with one object named '%s'", o.tool);
			list_objects();
			return SNOOP_EXIT_USAGE;
		}
		elf = ob->elf_bytes(&size);
		snprintf(label, sizeof(label), "tool:%s", ob->name);
	} else {
		elf = buf = read_file(o.file, &size);
		if (!buf)
			return SNOOP_EXIT_FAIL;
		snprintf(label, sizeof(label), "%s", o.file);
	}
	if (o.disasm)
		flags |= OBJINFO_DISASM;
	if (o.no_raw)
		flags |= OBJINFO_NO_RAW;
	if (cfg.verbose)
		flags |= OBJINFO_VERBOSE;
	output_init(&out, stdout, cfg.json);
	ret = objinfo_print_named(elf, size, label, &out, flags);
	free(buf);
	if (ret && out.failed && !ferror(stderr))
		snoop_err("cannot write the report: %s", strerror(errno));
	return ret ? SNOOP_EXIT_FAIL : SNOOP_EXIT_OK;
}

const struct snoop_tool snoop_tool_inspect = {
	.name = "inspect",
	.summary = "Show what a BPF object holds: programs, maps, globals, BTF, bytecode",
	.doc = "Show the ELF facts, sections, programs (type, attach point, size), maps, "
	       "globals, license and BTF of a BPF object file, or of the object embedded "
	       "in one of snoopbox's tools."
	       "\vExamples:\n"
	       "  inspect prog.bpf.o                 facts of an object file\n"
	       "  inspect --tool opensnoop --disasm  bytecode with source lines\n"
	       "  inspect --extract opensnoop -o o.bpf.o; readelf -S o.bpf.o",
	.args_doc = "[FILE.bpf.o]",
	.options = inspect_options,
	.parse = inspect_parse,
	.common = SNOOP_OPT_JSON | SNOOP_OPT_VERBOSE,
	.main = inspect_main,
	.state_size = sizeof(struct inspect_opts),
};
