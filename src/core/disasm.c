#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "core/disasm.h"
#include "core/output.h"

/* Opcode parts newer than the UAPI headers of Debian 12 (Linux 6.1);
 * values from the kernel's instruction-set document. */
#define OP_MEMSX       0x80   /* sign-extending load mode */
#define OP_JCOND       0xe0   /* may_goto */
#define OFF_SDIV       1      /* off of BPF_DIV/BPF_MOD: signed */
#define OFF_AS_CAST    1      /* off of ALU64 MOV X: address space cast */
#define ATOMIC_LOAD_ACQ  0x100
#define ATOMIC_STORE_REL 0x110

static const char *const size_name[4] = { "u32", "u16", "u8", "u64" };
static const char *const ssize_name[4] = { "s32", "s16", "s8", "s64" };

/* ALU operators, indexed by BPF_OP >> 4. */
static const char *const alu_op[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
	NULL /* neg */, "%=", "^=", "=", "s>>=", NULL /* end */, NULL, NULL,
};

/* Conditional jump operators, indexed by BPF_OP >> 4. */
static const char *const jmp_op[16] = {
	NULL, "==", ">", ">=", "&", "!=", "s>", "s>=",
	NULL, NULL, "<", "<=", "s<", "s<=", NULL, NULL,
};

struct sbuf {
	char *p;
	size_t len, used;
};

static void out(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->used >= b->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->used, b->len - b->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->used += (size_t)n < b->len - b->used ? (size_t)n : b->len - b->used - 1;
}

static int decode_alu(struct sbuf *b, const struct bpf_insn *in)
{
	unsigned cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	bool is64 = cls == BPF_ALU64, x = BPF_SRC(in->code) == BPF_X;
	char r = is64 ? 'r' : 'w';

	switch (op) {
	case BPF_NEG:
		out(b, "%c%d = -%c%d", r, in->dst_reg, r, in->dst_reg);
		return 1;
	case BPF_END:
		if (in->imm != 16 && in->imm != 32 && in->imm != 64)
			break;
		if (is64) {
			if (x)
				break;
			out(b, "r%d = bswap%d r%d", in->dst_reg, in->imm, in->dst_reg);
		} else {
			out(b, "r%d = %s%d r%d", in->dst_reg, x ? "be" : "le", in->imm, in->dst_reg);
		}
		return 1;
	case BPF_MOV:
		if (x && in->off == OFF_AS_CAST && is64) {
			out(b, "r%d = addr_space_cast(r%d, %u, %u)", in->dst_reg, in->src_reg,
			    (unsigned)in->imm >> 16, (unsigned)(in->imm & 0xffff));
			return 1;
		}
		if (x && (in->off == 8 || in->off == 16 || (is64 && in->off == 32))) {
			out(b, "%c%d = (s%d)%c%d", r, in->dst_reg, in->off, r, in->src_reg);
			return 1;
		}
		if (in->off)
			break;
		goto plain;
	case BPF_DIV:
	case BPF_MOD:
		if (in->off == OFF_SDIV) {
			if (x)
				out(b, "%c%d s%s %c%d", r, in->dst_reg, alu_op[op >> 4], r, in->src_reg);
			else
				out(b, "%c%d s%s %d", r, in->dst_reg, alu_op[op >> 4], in->imm);
			return 1;
		}
		if (in->off)
			break;
		goto plain;
	default:
		if (!alu_op[op >> 4] || in->off)
			break;
plain:
		if (x)
			out(b, "%c%d %s %c%d", r, in->dst_reg, alu_op[op >> 4], r, in->src_reg);
		else
			out(b, "%c%d %s %d", r, in->dst_reg, alu_op[op >> 4], in->imm);
		return 1;
	}
	return 0;
}

static int decode_jmp(struct sbuf *b, const struct bpf_insn *in, const struct disasm_syms *s)
{
	unsigned cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	bool x = BPF_SRC(in->code) == BPF_X;
	char r = cls == BPF_JMP32 ? 'w' : 'r';
	const char *name = NULL;

	switch (op) {
	case BPF_JA:
		if (x)
			return 0;
		if (cls == BPF_JMP32)
			out(b, "gotol pc%+d", in->imm);
		else
			out(b, "goto pc%+d", in->off);
		return 1;
	case OP_JCOND:
		if (cls != BPF_JMP || x || in->src_reg != 0)
			return 0;
		out(b, "may_goto pc%+d", in->off);
		return 1;
	case BPF_EXIT:
		if (cls != BPF_JMP || x)
			return 0;
		out(b, "exit");
		return 1;
	case BPF_CALL:
		/* JMP|CALL|X is "callx": call through a register (dst). */
		if (cls != BPF_JMP)
			return 0;
		if (x) {
			out(b, "call r%d", in->dst_reg);
			return 1;
		}
		if (in->src_reg == BPF_PSEUDO_CALL) {
			out(b, "call pc%+d", in->imm);
			return 1;
		}
		if (in->src_reg == BPF_PSEUDO_KFUNC_CALL) {
			if (s && s->kfunc)
				name = s->kfunc(s->ctx, in->imm, in->off);
			out(b, "call %s#%d", name ? name : "kfunc", in->imm);
			return 1;
		}
		if (in->src_reg != 0)
			return 0;
		if (s && s->helper)
			name = s->helper(s->ctx, in->imm);
		if (name)
			out(b, "call %s#%d", name, in->imm);
		else
			out(b, "call %d", in->imm);
		return 1;
	default:
		if (!jmp_op[op >> 4])
			return 0;
		if (x)
			out(b, "if %c%d %s %c%d goto pc%+d", r, in->dst_reg, jmp_op[op >> 4], r,
			    in->src_reg, in->off);
		else
			out(b, "if %c%d %s 0x%x goto pc%+d", r, in->dst_reg, jmp_op[op >> 4],
			    (unsigned)in->imm, in->off);
		return 1;
	}
}

static int decode_atomic(struct sbuf *b, const struct bpf_insn *in)
{
	unsigned sz = BPF_SIZE(in->code) >> 3;
	const char *w = BPF_SIZE(in->code) == BPF_DW ? "64" : "";
	int op = in->imm & ~BPF_FETCH;

	if (in->imm == ATOMIC_LOAD_ACQ) {
		out(b, "r%d = load_acquire((%s *)(r%d %+d))", in->dst_reg, size_name[sz],
		    in->src_reg, in->off);
		return 1;
	}
	if (in->imm == ATOMIC_STORE_REL) {
		out(b, "store_release((%s *)(r%d %+d), r%d)", size_name[sz], in->dst_reg, in->off,
		    in->src_reg);
		return 1;
	}
	/* Read-modify-write exists in 32 and 64 bits only. */
	if (BPF_SIZE(in->code) != BPF_W && BPF_SIZE(in->code) != BPF_DW)
		return 0;
	if (in->imm == BPF_XCHG) {
		out(b, "r%d = atomic%s_xchg((%s *)(r%d %+d), r%d)", in->src_reg, w, size_name[sz],
		    in->dst_reg, in->off, in->src_reg);
		return 1;
	}
	if (in->imm == BPF_CMPXCHG) {
		out(b, "r0 = atomic%s_cmpxchg((%s *)(r%d %+d), r0, r%d)", w, size_name[sz],
		    in->dst_reg, in->off, in->src_reg);
		return 1;
	}
	if (op != BPF_ADD && op != BPF_AND && op != BPF_OR && op != BPF_XOR)
		return 0;
	if (in->imm & BPF_FETCH) {
		static const char *const fetch_name[16] = {
			[BPF_ADD >> 4] = "add", [BPF_AND >> 4] = "and",
			[BPF_OR >> 4] = "or", [BPF_XOR >> 4] = "xor",
		};
		out(b, "r%d = atomic%s_fetch_%s((%s *)(r%d %+d), r%d)", in->src_reg, w,
		    fetch_name[op >> 4], size_name[sz], in->dst_reg, in->off, in->src_reg);
	} else {
		out(b, "lock *(%s *)(r%d %+d) %s r%d", size_name[sz], in->dst_reg, in->off,
		    alu_op[op >> 4], in->src_reg);
	}
	return 1;
}

static int decode(struct sbuf *b, const struct bpf_insn *in, size_t left,
		  const struct disasm_syms *s)
{
	unsigned cls = BPF_CLASS(in->code), mode = BPF_MODE(in->code);
	unsigned sz = BPF_SIZE(in->code) >> 3;

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		return decode_alu(b, in);
	case BPF_JMP:
	case BPF_JMP32:
		return decode_jmp(b, in, s);
	case BPF_LDX:
		if (mode != BPF_MEM && mode != OP_MEMSX)
			return 0;
		if (mode == OP_MEMSX && BPF_SIZE(in->code) == BPF_DW)
			return 0;
		out(b, "r%d = *(%s *)(r%d %+d)", in->dst_reg,
		    mode == OP_MEMSX ? ssize_name[sz] : size_name[sz], in->src_reg, in->off);
		return 1;
	case BPF_ST:
		if (mode != BPF_MEM)
			return 0;
		out(b, "*(%s *)(r%d %+d) = %d", size_name[sz], in->dst_reg, in->off, in->imm);
		return 1;
	case BPF_STX:
		if (mode == BPF_ATOMIC)
			return decode_atomic(b, in);
		if (mode != BPF_MEM)
			return 0;
		out(b, "*(%s *)(r%d %+d) = r%d", size_name[sz], in->dst_reg, in->off, in->src_reg);
		return 1;
	case BPF_LD:
		if (mode == BPF_ABS && BPF_SIZE(in->code) != BPF_DW) {
			out(b, "r0 = *(%s *)skb[%d]", size_name[sz], in->imm);
			return 1;
		}
		if (mode == BPF_IND && BPF_SIZE(in->code) != BPF_DW) {
			out(b, "r0 = *(%s *)skb[r%d + %d]", size_name[sz], in->src_reg, in->imm);
			return 1;
		}
		if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
			return 0;
		if (left < 2 || in[1].code != 0 || in[1].dst_reg || in[1].src_reg || in[1].off) {
			out(b, "invalid ld_imm64: second half %s", left < 2 ? "missing" : "malformed");
			return -1;
		} else {
			char tmp[128];
			const char *t = NULL;
			unsigned long long v = (unsigned)in[0].imm | (unsigned long long)(unsigned)in[1].imm << 32;

			if (in->src_reg > BPF_PSEUDO_MAP_IDX_VALUE)
				return 0;
			if (s && s->imm64)
				t = s->imm64(s->ctx, in, tmp, sizeof(tmp));
			if (t) {
				out(b, "r%d = %s", in->dst_reg, t);
				return 2;
			}
			switch (in->src_reg) {
			case BPF_PSEUDO_MAP_FD:
				out(b, "r%d = map[fd:%d]", in->dst_reg, in[0].imm);
				break;
			case BPF_PSEUDO_MAP_IDX:
				out(b, "r%d = map[idx:%d]", in->dst_reg, in[0].imm);
				break;
			case BPF_PSEUDO_MAP_VALUE:
				out(b, "r%d = map[fd:%d][0]+%u", in->dst_reg, in[0].imm, (unsigned)in[1].imm);
				break;
			case BPF_PSEUDO_MAP_IDX_VALUE:
				out(b, "r%d = map[idx:%d][0]+%u", in->dst_reg, in[0].imm, (unsigned)in[1].imm);
				break;
			case BPF_PSEUDO_BTF_ID:
				out(b, "r%d = btf_id[%d]", in->dst_reg, in[0].imm);
				break;
			case BPF_PSEUDO_FUNC:
				out(b, "r%d = func[pc%+d]", in->dst_reg, in[0].imm);
				break;
			default:
				out(b, "r%d = 0x%llx", in->dst_reg, v);
			}
			return 2;
		}
	}
	return 0;
}

int disasm_insn(const struct bpf_insn *insn, size_t left, const struct disasm_syms *syms,
		char *buf, size_t len)
{
	struct sbuf b = { buf, len, 0 };
	int n;

	if (!len)
		return 1;
	buf[0] = 0;
	if (!left) {
		out(&b, "invalid: no instruction");
		return 1;
	}
	n = decode(&b, insn, left, syms);
	if (n > 0)
		return n;
	if (n == 0) {
		b.used = 0;
		buf[0] = 0;
		out(&b, "invalid opcode 0x%02x", insn->code);
	}
	return 1;
}

bool disasm_insn_valid(const struct bpf_insn *insn, size_t left)
{
	char buf[160];
	struct sbuf b = { buf, sizeof(buf), 0 };

	return left && decode(&b, insn, left, NULL) > 0;
}

void disasm_src_json(struct output *out, const char *func, const struct disasm_src *src)
{
	if (func)
		output_str(out, "function", 0, func);
	if (src->file) {
		output_str(out, "file", 0, src->file);
		output_uint(out, "line", 0, src->line);
		output_str(out, "source", 0, src->text);
	}
}

void disasm_src_table(FILE *f, const struct disasm_src *src)
{
	fputs("; ", f);
	output_table_string(f, src->text, strlen(src->text));
	fprintf(f, " @ %s:%u\n", src->file, src->line);
}

/* Helper names come from the kernel itself, so a helper added after this
 * program was written is still named. */
#include <bpf/btf.h>
#include <stdlib.h>

static char **helper_names;
static int helper_count = -1;
static struct btf *vmlinux_btf;

static void load_helper_names(void)
{
	struct btf *btf;
	int n;

	helper_count = 0;
	btf = btf__load_vmlinux_btf();
	if (!btf)
		return;
	n = btf__type_cnt(btf);
	for (int id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off);
		const struct btf_enum *e;
		int max = -1;

		if (!btf_is_enum(t) || !name || strcmp(name, "bpf_func_id"))
			continue;
		e = btf_enum(t);
		for (int i = 0; i < btf_vlen(t); i++)
			if (e[i].val > max && e[i].val < 100000)
				max = e[i].val;
		helper_names = calloc(max + 1, sizeof(*helper_names));
		if (!helper_names)
			break;
		for (int i = 0; i < btf_vlen(t); i++) {
			const char *en = btf__name_by_offset(btf, e[i].name_off);

			if (!en || e[i].val < 0 || e[i].val > max || strncmp(en, "BPF_FUNC_", 9))
				continue;
			if (asprintf(&helper_names[e[i].val], "bpf_%s", en + 9) < 0)
				helper_names[e[i].val] = NULL;
		}
		helper_count = max + 1;
		break;
	}
	vmlinux_btf = btf;  /* kept for kfunc names */
}

const char *disasm_kernel_helper_name(void *ctx, int id)
{
	(void)ctx;
	if (helper_count < 0)
		load_helper_names();
	if (id <= 0 || id >= helper_count)
		return NULL;
	return helper_names[id];
}

int disasm_kernel_helper_id(const char *name)
{
	if (helper_count < 0)
		load_helper_names();
	for (int i = 1; i < helper_count; i++)
		if (helper_names[i] && !strcmp(helper_names[i], name))
			return i;
	return -1;
}

const char *disasm_kernel_kfunc_name(void *ctx, int btf_id, int off)
{
	const struct btf_type *t;

	(void)ctx;
	if (helper_count < 0)
		load_helper_names();
	/* off names a module's BTF; only vmlinux's is at hand. */
	if (!vmlinux_btf || off || btf_id <= 0)
		return NULL;
	t = btf__type_by_id(vmlinux_btf, btf_id);
	if (!t || !btf_is_func(t))
		return NULL;
	return btf__name_by_offset(vmlinux_btf, t->name_off);
}
