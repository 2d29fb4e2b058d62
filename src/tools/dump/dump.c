/* dump: the translated bytecode of a loaded program, with its source
 * lines, helper calls by name and maps by id and name; or its JITed
 * machine code, disassembled by capstone (loaded only then: cslib.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "core/bpfinfo.h"
#include "core/disasm.h"
#include "core/options.h"
#include "core/tool.h"
#include "tools/dump/cslib.h"

enum { KEY_JITED = 0x2300, KEY_NO_RAW };

struct dump_opts {
	const char *prog;
	bool jited;
	bool no_raw;
};

extern const struct snoop_tool snoop_tool_dump;

static const struct argp_option dump_options[] = {
	{ "jited", KEY_JITED, NULL, 0, "Show the JITed machine code instead (needs libcapstone)", 1 },
	{ "no-raw", KEY_NO_RAW, NULL, 0, "Leave out the raw bytes", 1 },
	{ 0 },
};

static error_t dump_parse(int key, char *arg, struct argp_state *st)
{
	struct dump_opts *o = snoop_parse_tool_state(st);

	switch (key) {
	case KEY_JITED:
		o->jited = true;
		return 0;
	case KEY_NO_RAW:
		o->no_raw = true;
		return 0;
	case ARGP_KEY_ARG:
		if (o->prog)
			argp_error(st, "unexpected argument '%s': dump takes one ID or NAME", arg);
		o->prog = arg;
		return 0;
	case ARGP_KEY_END:
		if (!o->prog)
			argp_error(st, "give the ID or NAME of a loaded program ('snoopbox progs' lists them)");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

/* ---- kernel symbols: helper calls in translated code hold the helper's
 * address relative to __bpf_call_base, not its id. */

struct ksym {
	unsigned long long addr;
	char *name;
};

static struct ksym *ksyms;
static size_t nksyms;
static unsigned long long call_base;

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void ksyms_load(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];
	size_t cap = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256];

		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || !addr)
			continue;
		if (type != 't' && type != 'T')
			continue;
		if (!strcmp(name, "__bpf_call_base"))
			call_base = addr;
		if (nksyms == cap) {
			struct ksym *n;

			cap = cap ? cap * 2 : 65536;
			n = realloc(ksyms, cap * sizeof(*n));
			if (!n)
				break;
			ksyms = n;
		}
		ksyms[nksyms].addr = addr;
		ksyms[nksyms].name = strdup(name);
		if (ksyms[nksyms].name)
			nksyms++;
	}
	fclose(f);
	qsort(ksyms, nksyms, sizeof(*ksyms), ksym_cmp);
}

static const char *ksym_at(unsigned long long addr)
{
	size_t lo = 0, hi = nksyms;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (ksyms[mid].addr == addr)
			return ksyms[mid].name;
		if (ksyms[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct dump_ctx {
	struct btf *btf;
	const char *call_name;  /* resolved for the instruction being decoded */
};

static const char *dump_helper(void *ctx, int id)
{
	struct dump_ctx *d = ctx;

	return d->call_name;
}

static const char *dump_imm64(void *ctx, const struct bpf_insn *in, char *buf, size_t len)
{
	if (in->src_reg == BPF_PSEUDO_MAP_FD)
		snprintf(buf, len, "map[id:%u]", (unsigned)in[0].imm);
	else if (in->src_reg == BPF_PSEUDO_MAP_VALUE)
		snprintf(buf, len, "map[id:%u][0]+%u", (unsigned)in[0].imm, (unsigned)in[1].imm);
	else
		return NULL;
	return buf;
}

static void map_name(__u32 id, char *buf, size_t len)
{
	struct bpf_map_info mi = { 0 };
	__u32 ml = sizeof(mi);
	int fd = bpf_map_get_fd_by_id(id);

	buf[0] = 0;
	if (fd < 0)
		return;
	if (!bpf_obj_get_info_by_fd(fd, &mi, &ml))
		snprintf(buf, len, "%s", mi.name);
	close(fd);
}

/* Everything the second info call fetches. */
struct prog_data {
	struct bpf_prog_info info;
	struct bpf_insn *xlated;
	unsigned char *jited;
	struct bpf_line_info *lines;
	__u64 *jited_lines;
	struct bpf_func_info *funcs;
	__u64 *ksyms;
	__u32 *func_lens;
};

static int prog_fetch(int fd, struct prog_data *p)
{
	struct bpf_prog_info first = { 0 }, *i = &p->info;
	__u32 len = sizeof(first);

	memset(p, 0, sizeof(*p));
	if (bpf_obj_get_info_by_fd(fd, &first, &len))
		return -errno;
	p->xlated = calloc(1, first.xlated_prog_len + 8);
	p->jited = calloc(1, first.jited_prog_len + 1);
	p->lines = calloc(first.nr_line_info + 1, sizeof(*p->lines));
	p->jited_lines = calloc(first.nr_jited_line_info + 1, sizeof(__u64));
	p->funcs = calloc(first.nr_func_info + 1, sizeof(*p->funcs));
	p->ksyms = calloc(first.nr_jited_ksyms + 1, sizeof(__u64));
	p->func_lens = calloc(first.nr_jited_func_lens + 1, sizeof(__u32));
	if (!p->xlated || !p->jited || !p->lines || !p->jited_lines || !p->funcs || !p->ksyms ||
	    !p->func_lens)
		return -ENOMEM;
	memset(i, 0, sizeof(*i));
	i->xlated_prog_len = first.xlated_prog_len;
	i->xlated_prog_insns = (__u64)(unsigned long)p->xlated;
	i->jited_prog_len = first.jited_prog_len;
	i->jited_prog_insns = (__u64)(unsigned long)p->jited;
	i->nr_line_info = first.nr_line_info;
	i->line_info_rec_size = sizeof(struct bpf_line_info);
	i->line_info = (__u64)(unsigned long)p->lines;
	i->nr_jited_line_info = first.nr_jited_line_info;
	i->jited_line_info_rec_size = sizeof(__u64);
	i->jited_line_info = (__u64)(unsigned long)p->jited_lines;
	i->nr_func_info = first.nr_func_info;
	i->func_info_rec_size = sizeof(struct bpf_func_info);
	i->func_info = (__u64)(unsigned long)p->funcs;
	i->nr_jited_ksyms = first.nr_jited_ksyms;
	i->jited_ksyms = (__u64)(unsigned long)p->ksyms;
	i->nr_jited_func_lens = first.nr_jited_func_lens;
	i->jited_func_lens = (__u64)(unsigned long)p->func_lens;
	len = sizeof(*i);
	if (bpf_obj_get_info_by_fd(fd, i, &len))
		return -errno;
	/* The program may not have changed, but the kernel says how much it
	 * wrote: never read past what we asked for. */
	if (i->xlated_prog_len > first.xlated_prog_len || i->jited_prog_len > first.jited_prog_len ||
	    i->nr_line_info > first.nr_line_info || i->nr_func_info > first.nr_func_info ||
	    i->nr_jited_line_info > first.nr_jited_line_info ||
	    i->nr_jited_ksyms > first.nr_jited_ksyms ||
	    i->nr_jited_func_lens > first.nr_jited_func_lens)
		return -EAGAIN;
	return 0;
}

static void prog_free(struct prog_data *p)
{
	free(p->xlated);
	free(p->jited);
	free(p->lines);
	free(p->jited_lines);
	free(p->funcs);
	free(p->ksyms);
	free(p->func_lens);
}

static const char *btf_str(struct btf *btf, __u32 off)
{
	const char *s = btf ? btf__name_by_offset(btf, off) : NULL;

	return s ? s : "";
}

static const char *func_name_at(struct prog_data *p, struct btf *btf, __u32 insn)
{
	for (__u32 k = 0; k < p->info.nr_func_info; k++)
		if (p->funcs[k].insn_off == insn) {
			const struct btf_type *t = btf ? btf__type_by_id(btf, p->funcs[k].type_id) : NULL;

			return t ? btf_str(btf, t->name_off) : "";
		}
	return NULL;
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* The statement last shown: one that spans several line records is shown
 * once, where it starts. */
struct last_stmt {
	__u32 line_off, line;
};

/* Fill *at from line record l unless its statement is the last one shown;
 * returns whether it did. */
static bool statement_at(const struct bpf_line_info *l, struct btf *btf, struct last_stmt *last,
			 struct disasm_src *at)
{
	unsigned line = BPF_LINE_INFO_LINE_NUM(l->line_col);

	if (!line || (l->line_off == last->line_off && line == last->line))
		return false;
	last->line_off = l->line_off;
	last->line = line;
	at->file = basename_of(btf_str(btf, l->file_name_off));
	at->text = btf_str(btf, l->line_off);
	at->line = line;
	while (*at->text == ' ' || *at->text == '\t')
		at->text++;
	return true;
}

static void dump_xlated(struct output *out, struct prog_data *p, struct btf *btf, bool no_raw)
{
	size_t n = p->info.xlated_prog_len / sizeof(struct bpf_insn);
	struct dump_ctx dc = { .btf = btf };
	struct disasm_syms syms = { .ctx = &dc, .helper = dump_helper,
				    .kfunc = disasm_kernel_kfunc_name, .imm64 = dump_imm64 };
	struct last_stmt last = { 0 };
	__u32 li = 0;

	if (out->json)
		output_array_begin(out, "insns");
	for (size_t i = 0; i < n;) {
		struct bpf_insn in[2];
		const struct bpf_insn *raw = p->xlated + i;
		const char *fn = func_name_at(p, btf, i);
		struct disasm_src at = { 0 };
		char text[256], note[128] = "";
		int used;

		in[0] = raw[0];
		in[1] = i + 1 < n ? raw[1] : (struct bpf_insn){ 0 };
		while (li < p->info.nr_line_info && p->lines[li].insn_off < i)
			li++;
		if (li < p->info.nr_line_info && p->lines[li].insn_off == i)
			statement_at(&p->lines[li], btf, &last, &at);
		dc.call_name = NULL;
		if (in[0].code == (BPF_JMP | BPF_CALL) && in[0].src_reg == 0 && call_base) {
			const char *k = ksym_at(call_base + (long long)in[0].imm);

			if (k && !strncmp(k, "bpf_", 4) && disasm_kernel_helper_id(k) > 0) {
				/* A helper: shown by its name and id in enum bpf_func_id. */
				in[0].imm = disasm_kernel_helper_id(k);
				dc.call_name = disasm_kernel_helper_name(NULL, in[0].imm);
			} else if (k) {
				dc.call_name = k;  /* a map operation called directly */
			}
		}
		used = disasm_insn(in, n - i, &syms, text, sizeof(text));
		if (used == 2 && (in[0].src_reg == BPF_PSEUDO_MAP_FD ||
				  in[0].src_reg == BPF_PSEUDO_MAP_VALUE)) {
			char mn[BPF_OBJ_NAME_LEN + 1];

			map_name(in[0].imm, mn, sizeof(mn));
			if (mn[0])
				snprintf(note, sizeof(note), "map %s", mn);
		}
		if (out->json) {
			char raw_hex[40];

			for (int k = 0; k < used * 8; k++)
				snprintf(raw_hex + 2 * k, 3, "%02x", ((const unsigned char *)raw)[k]);
			output_object_begin(out, NULL);
			output_uint(out, "idx", 0, i);
			{
				char code[8];

				snprintf(code, sizeof(code), "0x%02x", raw->code);
				output_str(out, "code", 0, code);
			}
			output_str(out, "raw", 0, raw_hex);
			output_str(out, "asm", 0, text);
			if (note[0])
				output_str(out, "map", 0, note + 4);
			disasm_src_json(out, fn, &at);
			output_object_end(out);
		} else {
			const unsigned char *b = (const unsigned char *)raw;

			if (fn)
				fprintf(out->f, "%s%s:\n", i ? "\n" : "", fn);
			if (at.file)
				disasm_src_table(out->f, &at);
			fprintf(out->f, "%5zu: (%02x) ", i, raw->code);
			if (!no_raw)
				fprintf(out->f, "%02x %02x %02x %02x %02x %02x %02x %02x  ", b[0], b[1],
					b[2], b[3], b[4], b[5], b[6], b[7]);
			fputs(text, out->f);
			if (note[0])
				fprintf(out->f, "  ; %s", note);
			putc('\n', out->f);
		}
		i += used;
	}
	if (out->json)
		output_array_end(out);
}

static int dump_jited(const struct cslib *cs_lib, struct output *out, struct prog_data *p,
		      struct btf *btf, bool no_raw)
{
	struct utsname u;
	cs_arch arch;
	cs_mode mode;
	csh cs;
	__u32 nfunc = p->info.nr_jited_ksyms ? p->info.nr_jited_ksyms : 1;
	size_t off = 0;
	struct last_stmt last = { 0 };
	__u32 li = 0;

	if (!p->info.jited_prog_len) {
		snoop_err("program %u is not JITed (net.core.bpf_jit_enable is 0?)", p->info.id);
		return -1;
	}
	uname(&u);
	if (!strcmp(u.machine, "x86_64")) {
		arch = CS_ARCH_X86, mode = CS_MODE_64;
	} else if (!strcmp(u.machine, "aarch64")) {
		arch = CS_ARCH_ARM64, mode = CS_MODE_ARM;
	} else {
		snoop_err("no disassembler for %s machine code", u.machine);
		return -1;
	}
	if (cs_lib->open(arch, mode, &cs) != CS_ERR_OK) {
		snoop_err("capstone cannot disassemble %s", u.machine);
		return -1;
	}
	if (out->json)
		output_array_begin(out, "jited");
	for (__u32 f = 0; f < nfunc; f++) {
		size_t flen = p->info.nr_jited_func_lens > f ? p->func_lens[f] :
			      p->info.jited_prog_len - off;
		__u64 base = p->info.nr_jited_ksyms > f ? p->ksyms[f] : 0;
		const char *fname = ksym_at(base);
		cs_insn *insn;
		size_t count;

		if (off + flen > p->info.jited_prog_len)
			flen = p->info.jited_prog_len - off;
		if (!out->json)
			fprintf(out->f, "%s%s:\n", f ? "\n" : "", fname ? fname : "(function)");
		count = cs_lib->disasm(cs, p->jited + off, flen, base, 0, &insn);
		for (size_t k = 0; k < count; k++) {
			struct disasm_src at = { 0 };

			while (li < p->info.nr_jited_line_info && p->jited_lines[li] < insn[k].address)
				li++;
			if (li < p->info.nr_jited_line_info && p->jited_lines[li] == insn[k].address &&
			    li < p->info.nr_line_info && statement_at(&p->lines[li], btf, &last, &at))
				li++;
			if (out->json) {
				char hex[64] = "";

				for (int b = 0; b < insn[k].size && b < 24; b++)
					snprintf(hex + 2 * b, 3, "%02x", insn[k].bytes[b]);
				output_object_begin(out, NULL);
				output_uint(out, "offset", 0, insn[k].address - base + off * !base);
				output_str(out, "raw", 0, hex);
				output_str(out, "mnemonic", 0, insn[k].mnemonic);
				output_str(out, "operands", 0, insn[k].op_str);
				disasm_src_json(out, k == 0 ? fname : NULL, &at);
				output_object_end(out);
				continue;
			}
			if (at.file)
				disasm_src_table(out->f, &at);
			fprintf(out->f, "%5llx: ", (unsigned long long)(insn[k].address - base));
			if (!no_raw) {
				for (int b = 0; b < 12; b++)
					fprintf(out->f, b < insn[k].size ? "%02x " : "   ", insn[k].bytes[b]);
			}
			fprintf(out->f, " %s %s\n", insn[k].mnemonic, insn[k].op_str);
		}
		if (count) {
			cs_lib->free(insn, count);
		} else if (out->json) {
			/* Still one JSON document: the function, and why it is empty. */
			output_object_begin(out, NULL);
			output_uint(out, "offset", 0, off);
			output_str(out, "function", 0, fname ? fname : "");
			output_str(out, "error", 0, "capstone could not decode this function");
			output_object_end(out);
		} else {
			fprintf(out->f, "(capstone could not decode this function)\n");
		}
		off += flen;
	}
	if (out->json)
		output_array_end(out);
	cs_lib->close(&cs);
	return 0;
}

static int dump_main(int argc, char **argv)
{
	struct dump_opts o = { 0 };
	struct snoop_config cfg;
	struct output out;
	struct prog_data p;
	struct btf *btf = NULL;
	const struct cslib *cs_lib = NULL;
	const char *why;
	char tag[2 * BPF_TAG_SIZE + 1], tbuf[32], name[128];
	int fd, err, ret = SNOOP_EXIT_OK;

	snoop_parse_args(&snoop_tool_dump, argc, argv, &cfg, &o);
	/* First, so that a missing library is the one line printed. */
	if (o.jited && !(cs_lib = cslib_get(&why))) {
		snoop_err("--jited needs libcapstone: %s; install it with apt-get install libcapstone4",
			  why);
		return SNOOP_EXIT_FAIL;
	}
	fd = bpfinfo_prog_open(o.prog);
	if (fd < 0)
		return SNOOP_EXIT_FAIL;
	err = prog_fetch(fd, &p);
	if (err == -EAGAIN)
		err = (prog_free(&p), prog_fetch(fd, &p));
	if (err) {
		snoop_err("cannot read program %s: %s", o.prog, strerror(-err));
		prog_free(&p);
		close(fd);
		return SNOOP_EXIT_FAIL;
	}
	if (!p.info.xlated_prog_len && !o.jited) {
		snoop_err("the kernel hides program %s's instructions (kernel.kptr_restrict or "
			  "no CAP_SYS_ADMIN?)", o.prog);
		prog_free(&p);
		close(fd);
		return SNOOP_EXIT_FAIL;
	}
	if (p.info.btf_id)
		btf = btf__load_from_kernel_by_id(p.info.btf_id);
	ksyms_load();
	bpfinfo_prog_name(fd, &p.info, name, sizeof(name));
	for (int i = 0; i < BPF_TAG_SIZE; i++)
		snprintf(tag + 2 * i, 3, "%02x", p.info.tag[i]);
	output_init(&out, stdout, cfg.json);
	if (out.json) {
		output_record_begin(&out);
		output_uint(&out, "id", 0, p.info.id);
		output_str(&out, "type", 0, bpfinfo_prog_type(p.info.type, tbuf, sizeof(tbuf)));
		output_str(&out, "name", 0, name);
		output_str(&out, "tag", 0, tag);
		output_uint(&out, "bytes_xlated", 0, p.info.xlated_prog_len);
		output_uint(&out, "bytes_jited", 0, p.info.jited_prog_len);
	} else {
		fprintf(out.f, "# program %u %s (%s), tag %s, %u bytes translated, %u JITed\n",
			p.info.id, name, bpfinfo_prog_type(p.info.type, tbuf, sizeof(tbuf)), tag,
			p.info.xlated_prog_len, p.info.jited_prog_len);
	}
	if (o.jited) {
		if (dump_jited(cs_lib, &out, &p, btf, o.no_raw))
			ret = SNOOP_EXIT_FAIL;
	} else {
		dump_xlated(&out, &p, btf, o.no_raw);
	}
	if (out.json)
		output_record_end(&out);
	if (!output_flush(&out)) {
		snoop_err("cannot write the dump: %s", strerror(errno));
		ret = SNOOP_EXIT_FAIL;
	}
	btf__free(btf);
	prog_free(&p);
	close(fd);
	return ret;
}

const struct snoop_tool snoop_tool_dump = {
	.name = "dump",
	.summary = "Disassemble a loaded BPF program, with its source lines",
	.doc = "Show the translated bytecode of a loaded program (what the verifier "
	       "accepted, after its rewrites) with source file:line and text, helper "
	       "calls by name and maps by id and name; or with --jited its machine code."
	       "\vExamples:\n"
	       "  dump 42                         program id 42\n"
	       "  dump opensnoop_raw_enter --jited\n"
	       "  dump 42 -j                      one JSON document",
	.args_doc = "ID|NAME",
	.options = dump_options,
	.parse = dump_parse,
	.common = SNOOP_OPT_JSON,
	.main = dump_main,
	.state_size = sizeof(struct dump_opts),
};
