/* maps: the BPF maps in the kernel, with the fields of `bpftool map list`
 * and the processes holding each. */
#include <stdio.h>
#include "core/bpfinfo.h"
#include "core/tool.h"

extern const struct snoop_tool snoop_tool_maps;

static error_t maps_parse(int key, char *arg, struct argp_state *st)
{
	return bpfinfo_filter_parse(BPFINFO_MAP, key, arg, st);
}

static void print_map(struct output *out, int fd, const union bpfinfo_info *obj,
		      const struct bpf_holders *h)
{
	const struct bpf_map_info *info = &obj->map;
	char tbuf[32];
	unsigned long long memlock = bpfinfo_fdinfo(fd, "memlock", 0);
	unsigned long long frozen = bpfinfo_fdinfo(fd, "frozen", 0);
	const char *type = bpfinfo_map_type(info->type, tbuf, sizeof(tbuf));

	if (out->json) {
		output_record_begin(out);
		output_uint(out, "id", 0, info->id);
		output_str(out, "type", 0, type);
		output_str(out, "name", 0, info->name);
		output_uint(out, "flags", 0, info->map_flags);
		output_uint(out, "bytes_key", 0, info->key_size);
		output_uint(out, "bytes_value", 0, info->value_size);
		output_uint(out, "max_entries", 0, info->max_entries);
		output_uint(out, "bytes_memlock", 0, memlock);
		output_uint(out, "frozen", 0, frozen);
		if (info->btf_id)
			output_uint(out, "btf_id", 0, info->btf_id);
		else
			output_null(out, "btf_id", 0, "-");
		bpfinfo_holders_print(out, h, BPFINFO_MAP, info->id);
		output_record_end(out);
		return;
	}
	fprintf(out->f, "%-6u %-16s %-16s %6u %6u %11u 0x%-6x %8llu %-3s ", info->id, type,
		info->name, info->key_size, info->value_size, info->max_entries,
		info->map_flags, memlock, frozen ? "yes" : "no");
	if (info->btf_id)
		fprintf(out->f, "%u", info->btf_id);
	else
		putc('-', out->f);
	bpfinfo_holders_print(out, h, BPFINFO_MAP, info->id);
	putc('\n', out->f);
}

static void print_header(FILE *f)
{
	fprintf(f, "%-6s %-16s %-16s %6s %6s %11s %-8s %8s %-3s %s %s\n", "ID", "TYPE", "NAME",
		"KEY", "VALUE", "MAX_ENTRIES", "FLAGS", "MEMLOCK", "FRZ", "BTF", "PIDS");
}

static int maps_main(int argc, char **argv)
{
	static const struct bpfinfo_lister lister = {
		&snoop_tool_maps, BPFINFO_MAP, print_header, print_map,
	};

	return bpfinfo_list(&lister, argc, argv);
}

const struct snoop_tool snoop_tool_maps = {
	.name = "maps",
	.summary = "List the BPF maps in the kernel and who holds them",
	.doc = "List BPF maps with the fields of 'bpftool map list' and the processes "
	       "holding each (from /proc/*/fdinfo).  --json uses bpftool's keys."
	       "\vExamples:\n"
	       "  maps                   every map\n"
	       "  maps --type ringbuf -j ring buffers as JSON Lines\n"
	       "  maps -p 1234           maps process 1234 holds",
	.options = bpfinfo_map_filter_options,
	.parse = maps_parse,
	.common = SNOOP_OPT_JSON,
	.main = maps_main,
	.state_size = sizeof(struct bpfinfo_filter),
};
