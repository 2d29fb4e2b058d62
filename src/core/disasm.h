/* The one eBPF disassembler, for objects on disk (inspect) and for
 * programs loaded in the kernel (dump).  Text follows the syntax of the
 * kernel verifier and bpftool: "r1 = *(u32 *)(r6 +16)", "if r1 == 0x0
 * goto pc+4", "call bpf_map_lookup_elem#1".
 *
 * Written by hand because no Debian library decodes eBPF: capstone 4 has
 * no BPF architecture and LLVM's disassembler is C++ behind a huge
 * dependency. */
#ifndef SNOOP_DISASM_H
#define SNOOP_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/bpf.h>

struct output;

/* Names the caller knows; any callback may be NULL or return NULL, and
 * the instruction is then shown with its raw numbers. */
struct disasm_syms {
	void *ctx;
	/* Helper function by id (enum bpf_func_id), e.g. "bpf_map_lookup_elem". */
	const char *(*helper)(void *ctx, int id);
	/* Kernel function by BTF id (call with src_reg 2); off is the BTF fd
	 * index of a module, 0 for vmlinux. */
	const char *(*kfunc)(void *ctx, int btf_id, int off);
	/* Text for a 64-bit immediate load with a pseudo source (map fd or
	 * id, map value, BTF id, function): write it to buf and return buf,
	 * or NULL for the default form.  insn is the first of the two. */
	const char *(*imm64)(void *ctx, const struct bpf_insn *insn, char *buf, size_t len);
};

/* Decode the instruction at insn[0], with `left` slots available from
 * there (a 64-bit immediate load takes two).  Writes the text (without
 * index or opcode) to buf.  Returns the number of slots consumed, 1 or 2;
 * an instruction it cannot decode is written as "invalid ..." and counts
 * as one slot, so a caller always makes progress. */
int disasm_insn(const struct bpf_insn *insn, size_t left, const struct disasm_syms *syms,
		char *buf, size_t len);

/* Name of helper `id` as the running kernel's BTF spells it in enum
 * bpf_func_id, BPF_FUNC_ replaced by bpf_ as the verifier prints it; NULL
 * when the kernel has no BTF or no such helper.  Usable as
 * disasm_syms.helper (ctx ignored). */
const char *disasm_kernel_helper_name(void *ctx, int id);

/* The id of helper "bpf_NAME" in the kernel's enum bpf_func_id, or -1. */
int disasm_kernel_helper_id(const char *name);

/* Name of kernel function (kfunc) btf_id in vmlinux BTF; NULL if unknown
 * or in a module (off != 0).  Usable as disasm_syms.kfunc. */
const char *disasm_kernel_kfunc_name(void *ctx, int btf_id, int off);

/* Whether disasm_insn() would call this instruction valid. */
bool disasm_insn_valid(const struct bpf_insn *insn, size_t left);

/* Where an instruction's statement is in the C source, from its BTF line
 * record: inspect and dump show it alike. */
struct disasm_src {
	const char *file;  /* base name; NULL: no statement starts here */
	const char *text;  /* the source line, without its indentation */
	unsigned line;
};

/* An instruction's JSON members after its own: "function" when func is
 * not NULL, then "file", "line" and "source" when src->file is not NULL. */
void disasm_src_json(struct output *out, const char *func, const struct disasm_src *src);

/* The table line "; TEXT @ FILE:LINE" above an instruction, TEXT escaped.
 * (Function names are headings, which each listing places itself.) */
void disasm_src_table(FILE *f, const struct disasm_src *src);

/* Whether this is the first half of a 64-bit immediate load. */
static inline bool disasm_is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

#endif
