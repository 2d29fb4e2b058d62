/* The eBPF disassembler against the kernel verifier's syntax, one case per
 * instruction form the kernel accepts (kernel/bpf/disasm.c and
 * Documentation/bpf/standardization/instruction-set.rst are the
 * references; the expected strings were written from those documents). */
#include <linux/bpf.h>
#include "core/disasm.h"
#include "unit.h"

#define I(c, d, s, o, i) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }

static const char *dis1(struct bpf_insn in)
{
	static char buf[160];

	disasm_insn(&in, 1, NULL, buf, sizeof(buf));
	return buf;
}

static const char *dis2(struct bpf_insn a, struct bpf_insn b, int *used,
			const struct disasm_syms *s)
{
	static char buf[160];
	struct bpf_insn in[2] = { a, b };

	*used = disasm_insn(in, 2, s, buf, sizeof(buf));
	return buf;
}

TEST(disasm_alu64)
{
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0)), "r6 = r1");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4)), "r2 += -4");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_SUB | BPF_X, 1, 2, 0, 0)), "r1 -= r2");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_MUL | BPF_K, 1, 0, 0, 3)), "r1 *= 3");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_DIV | BPF_X, 1, 2, 0, 0)), "r1 /= r2");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_MOD | BPF_K, 1, 0, 0, 7)), "r1 %= 7");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_OR | BPF_K, 1, 0, 0, 1)), "r1 |= 1");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_AND | BPF_X, 1, 3, 0, 0)), "r1 &= r3");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_LSH | BPF_K, 0, 0, 0, 32)), "r0 <<= 32");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_RSH | BPF_K, 0, 0, 0, 32)), "r0 >>= 32");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_ARSH | BPF_K, 0, 0, 0, 32)), "r0 s>>= 32");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_XOR | BPF_X, 4, 5, 0, 0)), "r4 ^= r5");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_NEG, 3, 0, 0, 0)), "r3 = -r3");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, -1)), "r0 = -1");
}

TEST(disasm_alu32)
{
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU | BPF_MOV | BPF_X, 1, 2, 0, 0)), "w1 = w2");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU | BPF_ADD | BPF_K, 1, 0, 0, 5)), "w1 += 5");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU | BPF_NEG, 1, 0, 0, 0)), "w1 = -w1");
}

TEST(disasm_signed_div_mod_movsx)
{
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_DIV | BPF_X, 1, 2, 1, 0)), "r1 s/= r2");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_MOD | BPF_K, 1, 0, 1, 3)), "r1 s%= 3");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU | BPF_DIV | BPF_K, 1, 0, 1, -2)), "w1 s/= -2");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_MOV | BPF_X, 1, 2, 8, 0)), "r1 = (s8)r2");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_MOV | BPF_X, 1, 2, 32, 0)), "r1 = (s32)r2");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU | BPF_MOV | BPF_X, 1, 2, 16, 0)), "w1 = (s16)w2");
	/* 32-bit moves cannot sign-extend from 32 bits; other offsets are invalid. */
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU | BPF_MOV | BPF_X, 1, 2, 32, 0)), "invalid opcode 0xbc");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_DIV | BPF_X, 1, 2, 2, 0)), "invalid opcode 0x3f");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_MOV | BPF_X, 1, 2, 1, (1 << 16) | 0)),
		  "r1 = addr_space_cast(r2, 1, 0)");
}

TEST(disasm_byte_swap)
{
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU | BPF_END | BPF_TO_BE, 1, 0, 0, 16)), "r1 = be16 r1");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU | BPF_END | BPF_TO_LE, 1, 0, 0, 64)), "r1 = le64 r1");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU64 | BPF_END | BPF_TO_LE, 2, 0, 0, 32)), "r2 = bswap32 r2");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ALU | BPF_END | BPF_TO_BE, 1, 0, 0, 8)), "invalid opcode 0xdc");
}

TEST(disasm_jumps)
{
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP | BPF_JA, 0, 0, 4, 0)), "goto pc+4");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP32 | BPF_JA, 0, 0, 0, -70000)), "gotol pc-70000");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 4, 0)), "if r2 == 0x0 goto pc+4");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP | BPF_JNE | BPF_X, 2, 3, -78, 0)), "if r2 != r3 goto pc-78");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP | BPF_JGT | BPF_K, 6, 0, 26, 15)), "if r6 > 0xf goto pc+26");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP | BPF_JSGE | BPF_K, 1, 0, 1, -1)), "if r1 s>= 0xffffffff goto pc+1");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 2, 8)), "if r1 & 0x8 goto pc+2");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP | BPF_JLT | BPF_X, 1, 2, 2, 0)), "if r1 < r2 goto pc+2");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP | BPF_JSLE | BPF_X, 1, 2, 2, 0)), "if r1 s<= r2 goto pc+2");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP32 | BPF_JEQ | BPF_K, 1, 0, 3, 7)), "if w1 == 0x7 goto pc+3");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP32 | BPF_JSLT | BPF_X, 1, 2, 3, 0)), "if w1 s< w2 goto pc+3");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP | 0xe0, 0, 0, 5, 0)), "may_goto pc+5");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)), "exit");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_JMP32 | BPF_EXIT, 0, 0, 0, 0)), "invalid opcode 0x96");
}

static const char *fake_helper(void *ctx, int id)
{
	return id == 1 ? "bpf_map_lookup_elem" : NULL;
}

static const char *fake_kfunc(void *ctx, int id, int off)
{
	return id == 1234 ? "bpf_task_acquire" : NULL;
}

TEST(disasm_calls)
{
	struct disasm_syms s = { .helper = fake_helper, .kfunc = fake_kfunc };
	char buf[160];
	struct bpf_insn in[] = {
		I(BPF_JMP | BPF_CALL, 0, 0, 0, 1),
		I(BPF_JMP | BPF_CALL, 0, 0, 0, 99),
		I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 5),
		I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 1234),
		I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 77),
	};

	disasm_insn(&in[0], 1, &s, buf, sizeof(buf));
	CHECK_STR(buf, "call bpf_map_lookup_elem#1");
	disasm_insn(&in[1], 1, &s, buf, sizeof(buf));
	CHECK_STR(buf, "call 99");
	disasm_insn(&in[2], 1, &s, buf, sizeof(buf));
	CHECK_STR(buf, "call pc+5");
	disasm_insn(&in[3], 1, &s, buf, sizeof(buf));
	CHECK_STR(buf, "call bpf_task_acquire#1234");
	disasm_insn(&in[4], 1, &s, buf, sizeof(buf));
	CHECK_STR(buf, "call kfunc#77");
}

TEST(disasm_loads_stores)
{
	CHECK_STR(dis1((struct bpf_insn)I(BPF_LDX | BPF_MEM | BPF_W, 1, 6, 16, 0)), "r1 = *(u32 *)(r6 +16)");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_LDX | BPF_MEM | BPF_DW, 6, 1, 16, 0)), "r6 = *(u64 *)(r1 +16)");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_LDX | BPF_MEM | BPF_B, 1, 2, -1, 0)), "r1 = *(u8 *)(r2 -1)");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_LDX | 0x80 | BPF_H, 1, 2, 4, 0)), "r1 = *(s16 *)(r2 +4)");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_LDX | 0x80 | BPF_W, 1, 2, 4, 0)), "r1 = *(s32 *)(r2 +4)");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_LDX | 0x80 | BPF_DW, 1, 2, 4, 0)), "invalid opcode 0x99");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_STX | BPF_MEM | BPF_W, 10, 0, -20, 0)), "*(u32 *)(r10 -20) = r0");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_ST | BPF_MEM | BPF_H, 10, 0, -2, 7)), "*(u16 *)(r10 -2) = 7");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_LD | BPF_ABS | BPF_H, 0, 0, 0, 12)), "r0 = *(u16 *)skb[12]");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_LD | BPF_IND | BPF_B, 0, 3, 0, 1)), "r0 = *(u8 *)skb[r3 + 1]");
}

TEST(disasm_atomics)
{
	CHECK_STR(dis1((struct bpf_insn)I(BPF_STX | BPF_ATOMIC | BPF_DW, 1, 2, 0, BPF_ADD)),
		  "lock *(u64 *)(r1 +0) += r2");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_STX | BPF_ATOMIC | BPF_W, 1, 2, 8, BPF_XOR)),
		  "lock *(u32 *)(r1 +8) ^= r2");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_STX | BPF_ATOMIC | BPF_DW, 1, 2, 0, BPF_ADD | BPF_FETCH)),
		  "r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_STX | BPF_ATOMIC | BPF_W, 1, 2, 0, BPF_OR | BPF_FETCH)),
		  "r2 = atomic_fetch_or((u32 *)(r1 +0), r2)");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_STX | BPF_ATOMIC | BPF_DW, 1, 2, 0, BPF_XCHG)),
		  "r2 = atomic64_xchg((u64 *)(r1 +0), r2)");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_STX | BPF_ATOMIC | BPF_DW, 1, 2, -8, BPF_CMPXCHG)),
		  "r0 = atomic64_cmpxchg((u64 *)(r1 -8), r0, r2)");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_STX | BPF_ATOMIC | BPF_B, 0, 1, 0, 0x100)),
		  "r0 = load_acquire((u8 *)(r1 +0))");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_STX | BPF_ATOMIC | BPF_DW, 1, 2, 0, 0x110)),
		  "store_release((u64 *)(r1 +0), r2)");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_STX | BPF_ATOMIC | BPF_B, 1, 2, 0, BPF_ADD)),
		  "invalid opcode 0xd3");
	CHECK_STR(dis1((struct bpf_insn)I(BPF_STX | BPF_ATOMIC | BPF_DW, 1, 2, 0, 0x30)),
		  "invalid opcode 0xdb");
}

TEST(disasm_ld_imm64)
{
	int used = 0;

	CHECK_STR(dis2((struct bpf_insn)I(BPF_LD | BPF_IMM | BPF_DW, 1, 0, 0, (int)0xffffff9c),
		       (struct bpf_insn)I(0, 0, 0, 0, 0), &used, NULL), "r1 = 0xffffff9c");
	CHECK(used == 2);
	CHECK_STR(dis2((struct bpf_insn)I(BPF_LD | BPF_IMM | BPF_DW, 2, 0, 0, -1),
		       (struct bpf_insn)I(0, 0, 0, 0, -1), &used, NULL), "r2 = 0xffffffffffffffff");
	CHECK_STR(dis2((struct bpf_insn)I(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_FD, 0, 5),
		       (struct bpf_insn)I(0, 0, 0, 0, 0), &used, NULL), "r1 = map[fd:5]");
	CHECK_STR(dis2((struct bpf_insn)I(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_VALUE, 0, 5),
		       (struct bpf_insn)I(0, 0, 0, 0, 16), &used, NULL), "r1 = map[fd:5][0]+16");
	CHECK_STR(dis2((struct bpf_insn)I(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_BTF_ID, 0, 42),
		       (struct bpf_insn)I(0, 0, 0, 0, 0), &used, NULL), "r1 = btf_id[42]");
	CHECK_STR(dis2((struct bpf_insn)I(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_FUNC, 0, 9),
		       (struct bpf_insn)I(0, 0, 0, 0, 0), &used, NULL), "r1 = func[pc+9]");
	CHECK_STR(dis2((struct bpf_insn)I(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_IDX, 0, 2),
		       (struct bpf_insn)I(0, 0, 0, 0, 0), &used, NULL), "r1 = map[idx:2]");
	/* A second half that is not a blank slot, and a missing one. */
	dis2((struct bpf_insn)I(BPF_LD | BPF_IMM | BPF_DW, 1, 0, 0, 0),
	     (struct bpf_insn)I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0), &used, NULL);
	CHECK(used == 1);
	{
		struct bpf_insn one = I(BPF_LD | BPF_IMM | BPF_DW, 1, 0, 0, 0);
		char buf[64];

		CHECK(disasm_insn(&one, 1, NULL, buf, sizeof(buf)) == 1);
		CHECK_STR(buf, "invalid ld_imm64: second half missing");
		CHECK(!disasm_insn_valid(&one, 1));
	}
}

/* Every one of the 256 opcodes with any register and offset decodes to
 * something without overrunning the buffer, and makes progress. */
TEST(disasm_all_opcodes_terminate)
{
	char small[8];

	for (int code = 0; code < 256; code++) {
		struct bpf_insn in[2] = { I(code, 15, 15, -32768, -2147483647 - 1), I(0, 0, 0, 0, 0) };
		char buf[160];
		int n = disasm_insn(in, 2, NULL, buf, sizeof(buf));

		CHECK(n == 1 || n == 2);
		CHECK(strlen(buf) < sizeof(buf));
		n = disasm_insn(in, 2, NULL, small, sizeof(small));
		CHECK(strlen(small) < sizeof(small));
	}
}
