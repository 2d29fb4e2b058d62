/* progs: the BPF programs loaded in the kernel, with the fields of
 * `bpftool prog list` and the processes holding each. */
#include <stdio.h>
#include <time.h>
#include <bpf/bpf.h>
#include "core/bpfinfo.h"
#include "core/tool.h"

extern const struct snoop_tool snoop_tool_progs;

static error_t progs_parse(int key, char *arg, struct argp_state *st)
{
	return bpfinfo_filter_parse(BPFINFO_PROG, key, arg, st);
}

/* Map ids come in a second info call, sized by the first. */
static __u32 prog_map_ids(int fd, const struct bpf_prog_info *info, __u32 *ids, __u32 max)
{
	struct bpf_prog_info i2 = { 0 };
	__u32 len = sizeof(i2), n = info->nr_map_ids < max ? info->nr_map_ids : max;

	i2.nr_map_ids = n;
	i2.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(fd, &i2, &len))
		return 0;
	return i2.nr_map_ids < n ? i2.nr_map_ids : n;
}

static void print_prog(struct output *out, int fd, const union bpfinfo_info *obj,
		       const struct bpf_holders *h)
{
	const struct bpf_prog_info *info = &obj->prog;
	char tag[2 * BPF_TAG_SIZE + 1], tbuf[32], when[32], name[128];
	long long loaded = bpfinfo_wallclock(info->load_time);
	time_t lt = loaded;
	struct tm tm;
	__u32 map_ids[64], nmaps = prog_map_ids(fd, info, map_ids, 64);

	bpfinfo_prog_name(fd, info, name, sizeof(name));
	for (int i = 0; i < BPF_TAG_SIZE; i++)
		snprintf(tag + 2 * i, 3, "%02x", info->tag[i]);
	if (out->json) {
		output_record_begin(out);
		output_uint(out, "id", 0, info->id);
		output_str(out, "type", 0, bpfinfo_prog_type(info->type, tbuf, sizeof(tbuf)));
		output_str(out, "name", 0, name);
		output_str(out, "tag", 0, tag);
		output_bool(out, "gpl_compatible", 0, info->gpl_compatible);
		output_uint(out, "run_time_ns", 0, info->run_time_ns);
		output_uint(out, "run_cnt", 0, info->run_cnt);
		output_int(out, "loaded_at", 0, loaded);
		output_uint(out, "uid", 0, info->created_by_uid);
		output_uint(out, "bytes_xlated", 0, info->xlated_prog_len);
		output_bool(out, "jited", 0, info->jited_prog_len > 0);
		output_uint(out, "bytes_jited", 0, info->jited_prog_len);
		output_uint(out, "bytes_memlock", 0, bpfinfo_fdinfo(fd, "memlock", 0));
		output_array_begin(out, "map_ids");
		for (__u32 i = 0; i < nmaps; i++)
			output_array_uint(out, map_ids[i]);
		output_array_end(out);
		if (info->btf_id)
			output_uint(out, "btf_id", 0, info->btf_id);
		else
			output_null(out, "btf_id", 0, "-");
		output_uint(out, "verified_insns", 0, info->verified_insns);
		bpfinfo_holders_print(out, h, BPFINFO_PROG, info->id);
		output_record_end(out);
		return;
	}
	localtime_r(&lt, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(out->f, "%-6u %-16s %-24s %s %-3s %s %5u %7u %7u %8llu ", info->id,
		bpfinfo_prog_type(info->type, tbuf, sizeof(tbuf)), name, tag,
		info->gpl_compatible ? "yes" : "no", when, info->created_by_uid,
		info->xlated_prog_len, info->jited_prog_len, bpfinfo_fdinfo(fd, "memlock", 0));
	if (!nmaps)
		putc('-', out->f);
	for (__u32 i = 0; i < nmaps; i++)
		fprintf(out->f, "%s%u", i ? "," : "", map_ids[i]);
	if (info->btf_id)
		fprintf(out->f, " %u", info->btf_id);
	else
		fputs(" -", out->f);
	bpfinfo_holders_print(out, h, BPFINFO_PROG, info->id);
	putc('\n', out->f);
}

static void print_header(FILE *f)
{
	fprintf(f, "%-6s %-16s %-24s %-16s %-3s %-19s %5s %7s %7s %8s %s %s %s\n", "ID", "TYPE",
		"NAME", "TAG", "GPL", "LOADED_AT", "UID", "XLATED", "JITED", "MEMLOCK", "MAPS",
		"BTF", "PIDS");
}

static int progs_main(int argc, char **argv)
{
	static const struct bpfinfo_lister lister = {
		&snoop_tool_progs, BPFINFO_PROG, print_header, print_prog,
	};

	return bpfinfo_list(&lister, argc, argv);
}

const struct snoop_tool snoop_tool_progs = {
	.name = "progs",
	.summary = "List the BPF programs loaded in the kernel and who holds them",
	.doc = "List loaded BPF programs with the fields of 'bpftool prog list' and the "
	       "processes holding each (from /proc/*/fdinfo).  --json uses bpftool's keys."
	       "\vExamples:\n"
	       "  progs                  every program\n"
	       "  progs --type xdp -j    XDP programs as JSON Lines\n"
	       "  progs -p 1234          programs process 1234 holds",
	.options = bpfinfo_prog_filter_options,
	.parse = progs_parse,
	.common = SNOOP_OPT_JSON,
	.main = progs_main,
	.state_size = sizeof(struct bpfinfo_filter),
};
