#define _GNU_SOURCE
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "core/disasm.h"
#include "core/objinfo.h"
#include "core/tool.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* .BTF.ext layout (kernel's include/uapi/linux/btf.h has no header for it;
 * libbpf keeps it private).  Offsets count from the end of the header. */
struct ext_hdr {
	__u16 magic;
	__u8 version;
	__u8 flags;
	__u32 hdr_len;
	__u32 func_info_off, func_info_len;
	__u32 line_info_off, line_info_len;
	__u32 core_relo_off, core_relo_len;  /* absent in short headers */
};

struct ext_line {
	__u32 insn_off;   /* bytes from the section start */
	__u32 file_name_off;
	__u32 line_off;
	__u32 line_col;   /* line << 10 | column */
};

struct ext_core {
	__u32 insn_off;
	__u32 type_id;
	__u32 access_str_off;
	__u32 kind;
};

/* One run of records of a .BTF.ext sub-section for one ELF section. */
struct ext_run {
	const unsigned char *recs;  /* unaligned: read with memcpy */
	__u32 count, rec_size;
};

struct obj {
	unsigned char *buf;   /* our copy: libelf may write to it */
	size_t size;
	Elf *elf;
	GElf_Ehdr eh;
	size_t shnum, shstrndx;
	bool native;
	size_t symtab;        /* 0: none */
	Elf_Data *syms;
	size_t nsyms;
	const unsigned char *btf_raw, *ext_raw;
	size_t btf_size, ext_size;
	struct ext_hdr ext;
	struct btf *btf;
	struct bpf_object *bo;
	void *bo_buf;
	char err[256];
};

static int fail(struct obj *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct obj *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->err, sizeof(o->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* a + b <= limit, without overflow. */
static bool fits(__u64 a, __u64 b, __u64 limit)
{
	return a <= limit && b <= limit - a;
}

static const char *sec_name(struct obj *o, size_t idx)
{
	GElf_Shdr sh;

	if (!gelf_getshdr(elf_getscn(o->elf, idx), &sh))
		return NULL;
	return elf_strptr(o->elf, o->shstrndx, sh.sh_name);
}

static Elf_Data *sec_data(struct obj *o, size_t idx)
{
	Elf_Scn *scn = elf_getscn(o->elf, idx);

	return scn ? elf_getdata(scn, NULL) : NULL;
}

static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_X86_64: return "x86-64";
	case EM_386: return "i386";
	case EM_AARCH64: return "AArch64";
	case EM_ARM: return "ARM";
	case EM_RISCV: return "RISC-V";
	case EM_PPC64: return "PowerPC64";
	case EM_S390: return "s390";
	case EM_BPF: return "BPF";
	}
	return "another machine";
}

static int check_btf_ext(struct obj *o)
{
	struct ext_hdr *h = &o->ext;
	const unsigned char *d = o->ext_raw;
	size_t n = o->ext_size;
	__u32 subs[3][2];

	memset(h, 0, sizeof(*h));
	if (n < offsetof(struct ext_hdr, core_relo_off))
		return fail(o, ".BTF.ext is %zu bytes, shorter than its header", n);
	memcpy(h, d, offsetof(struct ext_hdr, core_relo_off));
	if (h->magic != 0xeB9F)
		return fail(o, ".BTF.ext has bad magic 0x%04x (byte order differs from the host?)",
			    h->magic);
	if (h->hdr_len < offsetof(struct ext_hdr, core_relo_off) || h->hdr_len > n)
		return fail(o, ".BTF.ext header length %u is out of range", h->hdr_len);
	if (h->hdr_len >= sizeof(*h))
		memcpy(h, d, sizeof(*h));
	subs[0][0] = h->func_info_off, subs[0][1] = h->func_info_len;
	subs[1][0] = h->line_info_off, subs[1][1] = h->line_info_len;
	subs[2][0] = h->core_relo_off, subs[2][1] = h->core_relo_len;
	for (int i = 0; i < 3; i++) {
		__u64 start = (__u64)h->hdr_len + subs[i][0], len = subs[i][1];
		const unsigned char *p, *end;
		__u32 rec_size;

		if (!len)
			continue;
		if (!fits(start, len, n) || len < 4)
			return fail(o, ".BTF.ext sub-section %d (offset %u, %u bytes) runs past the end",
				    i, subs[i][0], subs[i][1]);
		p = d + start;
		end = p + len;
		memcpy(&rec_size, p, 4);
		p += 4;
		if (rec_size < (i == 0 ? 8 : 16) || rec_size > 1024)
			return fail(o, ".BTF.ext sub-section %d has record size %u", i, rec_size);
		while (p < end) {
			__u32 hdr[2];

			if (end - p < 8)
				return fail(o, ".BTF.ext sub-section %d is truncated", i);
			memcpy(hdr, p, 8);
			p += 8;
			if ((__u64)hdr[1] * rec_size > (__u64)(end - p))
				return fail(o, ".BTF.ext sub-section %d: %u records run past the end",
					    i, hdr[1]);
			p += (size_t)hdr[1] * rec_size;
		}
	}
	return 0;
}

/* Records of sub-section `which` (1 lines, 2 CO-RE) for ELF section `sec`. */
static bool ext_find(struct obj *o, int which, const char *sec, struct ext_run *run)
{
	__u32 off = which == 1 ? o->ext.line_info_off : o->ext.core_relo_off;
	__u32 len = which == 1 ? o->ext.line_info_len : o->ext.core_relo_len;
	const unsigned char *p, *end;

	memset(run, 0, sizeof(*run));
	if (!o->ext_raw || !o->btf || len < 4)
		return false;
	p = o->ext_raw + o->ext.hdr_len + off;
	end = p + len;
	memcpy(&run->rec_size, p, 4);
	p += 4;
	while (end - p >= 8) {
		__u32 hdr[2];
		const char *name;

		memcpy(hdr, p, 8);
		p += 8;
		name = btf__name_by_offset(o->btf, hdr[0]);
		if (sec && name && !strcmp(name, sec)) {
			run->recs = p;
			run->count = hdr[1];
			return true;
		}
		if (!sec)
			run->count += hdr[1];
		p += (size_t)hdr[1] * run->rec_size;
	}
	return !sec;
}

/* The types a type contains by value (everything but what a pointer
 * points to); edge k of type id, or 0 past the last. */
static __u32 btf_edge(struct obj *o, __u32 id, __u32 k, bool *more)
{
	const struct btf_type *t = btf__type_by_id(o->btf, id);

	*more = false;
	switch (btf_kind(t)) {
	case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT: case BTF_KIND_VAR: case BTF_KIND_TYPE_TAG:
	case BTF_KIND_DECL_TAG: case BTF_KIND_FUNC:
		return k == 0 ? (*more = true, t->type) : 0;
	case BTF_KIND_ARRAY:
		return k == 0 ? (*more = true, btf_array(t)->type) : 0;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return k < btf_vlen(t) ? (*more = true, btf_members(t)[k].type) : 0;
	case BTF_KIND_DATASEC:
		return k < btf_vlen(t) ? (*more = true, btf_var_secinfos(t)[k].type) : 0;
	case BTF_KIND_FUNC_PROTO:
		if (k == 0)
			return *more = true, t->type;
		return k - 1 < btf_vlen(t) ? (*more = true, btf_params(t)[k - 1].type) : 0;
	}
	return 0;
}

/* libbpf walks types recursively (btf__align_of, btf_dump, btf__resolve_size):
 * a type that contains itself, or nesting deep enough to exhaust the stack,
 * must not reach it.  Iterative depth-first search, so we cannot overflow. */
#define BTF_MAX_NESTING 256
static int check_btf_nesting(struct obj *o, __u32 n)
{
	unsigned char *state = calloc(n, 1);  /* 0 new, 1 on the path, 2 done */
	__u16 *depth = calloc(n, sizeof(*depth));
	struct { __u32 id, k; } *stack = calloc(BTF_MAX_NESTING + 2, sizeof(*stack));
	int ret = 0;

	if (!state || !depth || !stack) {
		ret = fail(o, "out of memory");
		goto out;
	}
	for (__u32 root = 1; root < n && !ret; root++) {
		int sp = 0;

		if (state[root])
			continue;
		stack[0].id = root, stack[0].k = 0;
		state[root] = 1;
		while (sp >= 0) {
			__u32 id = stack[sp].id;
			bool more;
			__u32 c = btf_edge(o, id, stack[sp].k++, &more);

			if (!more) {
				state[id] = 2;
				if (sp > 0 && depth[id] + 1 > depth[stack[sp - 1].id])
					depth[stack[sp - 1].id] = depth[id] + 1;
				sp--;
				continue;
			}
			if (!c || c >= n)
				continue;
			if (state[c] == 1) {
				ret = fail(o, "BTF type %u contains itself (through type %u)", c, id);
				break;
			}
			if (state[c] == 2) {
				if (depth[c] + 1 > depth[id])
					depth[id] = depth[c] + 1;
				if (depth[id] > BTF_MAX_NESTING) {
					ret = fail(o, "BTF types nest deeper than %d", BTF_MAX_NESTING);
					break;
				}
				continue;
			}
			if (sp + 1 > BTF_MAX_NESTING) {
				ret = fail(o, "BTF types nest deeper than %d", BTF_MAX_NESTING);
				break;
			}
			state[c] = 1;
			sp++;
			stack[sp].id = c, stack[sp].k = 0;
		}
	}
out:
	free(state);
	free(depth);
	free(stack);
	return ret;
}

/* Every reference between BTF types must name an existing type and
 * nesting must end, or btf_dump would walk off or loop. */
static int check_btf_types(struct obj *o)
{
	__u32 n = btf__type_cnt(o->btf);

	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(o->btf, id);
		__u32 ref[2] = { 0, 0 };
		int nref = 0;

		/* libbpf (btf_dump, for one) copies names without checking that
		 * their offsets are inside the string section. */
		if (!btf__name_by_offset(o->btf, t->name_off))
			return fail(o, "BTF type %u has a name offset out of range", id);
		if (btf_is_composite(t) || btf_is_enum(t) || btf_is_enum64(t) ||
		    btf_is_func_proto(t)) {
			for (int i = 0; i < btf_vlen(t); i++) {
				__u32 off = btf_is_composite(t) ? btf_members(t)[i].name_off :
					    btf_is_enum(t) ? btf_enum(t)[i].name_off :
					    btf_is_enum64(t) ? btf_enum64(t)[i].name_off :
					    btf_params(t)[i].name_off;

				if (!btf__name_by_offset(o->btf, off))
					return fail(o, "BTF type %u: member %d has a name offset "
						    "out of range", id, i);
			}
		}

		switch (btf_kind(t)) {
		case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC:
		case BTF_KIND_VAR: case BTF_KIND_DECL_TAG: case BTF_KIND_TYPE_TAG:
			ref[nref++] = t->type;
			break;
		case BTF_KIND_ARRAY:
			ref[nref++] = btf_array(t)->type;
			ref[nref++] = btf_array(t)->index_type;
			break;
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			for (int i = 0; i < btf_vlen(t); i++)
				if (btf_members(t)[i].type >= n)
					return fail(o, "BTF type %u: member refers to missing type %u",
						    id, btf_members(t)[i].type);
			break;
		case BTF_KIND_FUNC_PROTO:
			ref[nref++] = t->type;
			for (int i = 0; i < btf_vlen(t); i++)
				if (btf_params(t)[i].type >= n)
					return fail(o, "BTF type %u: parameter refers to missing type %u",
						    id, btf_params(t)[i].type);
			break;
		case BTF_KIND_DATASEC:
			for (int i = 0; i < btf_vlen(t); i++)
				if (btf_var_secinfos(t)[i].type >= n)
					return fail(o, "BTF section %u refers to missing type %u",
						    id, btf_var_secinfos(t)[i].type);
			break;
		}
		for (int i = 0; i < nref; i++)
			if (ref[i] >= n)
				return fail(o, "BTF type %u refers to missing type %u", id, ref[i]);
	}
	return check_btf_nesting(o, n);
}

static int check_symbols(struct obj *o)
{
	for (size_t i = 0; i < o->nsyms; i++) {
		GElf_Sym s;

		if (!gelf_getsym(o->syms, i, &s))
			return fail(o, "symbol %zu cannot be read", i);
		if (s.st_shndx != SHN_UNDEF && s.st_shndx < SHN_LORESERVE &&
		    s.st_shndx >= o->shnum)
			return fail(o, "symbol %zu is in section %u, past the last section (%zu)",
				    i, s.st_shndx, o->shnum - 1);
		if (GELF_ST_TYPE(s.st_info) == STT_FUNC && s.st_shndx != SHN_UNDEF &&
		    s.st_shndx < SHN_LORESERVE) {
			GElf_Shdr sh;

			if (!gelf_getshdr(elf_getscn(o->elf, s.st_shndx), &sh) ||
			    !fits(s.st_value, s.st_size, sh.sh_size) || s.st_value % 8)
				return fail(o, "function symbol %zu (offset %llu, size %llu) lies "
					    "outside its section", i,
					    (unsigned long long)s.st_value,
					    (unsigned long long)s.st_size);
		}
	}
	return 0;
}

static int obj_open(struct obj *o, const void *elf, size_t size)
{
	const unsigned char *id = elf;
	GElf_Shdr sh;
	size_t btf_idx = 0, ext_idx = 0;

	memset(o, 0, sizeof(*o));
	if (size < EI_NIDENT || memcmp(id, ELFMAG, SELFMAG))
		return fail(o, "not an ELF file (no \\177ELF magic); give a BPF object (*.bpf.o)");
	if (id[EI_CLASS] != ELFCLASS64)
		return fail(o, "not a 64-bit ELF object (class %u); BPF objects are ELF64",
			    id[EI_CLASS]);
	if (id[EI_DATA] != ELFDATA2LSB && id[EI_DATA] != ELFDATA2MSB)
		return fail(o, "unknown ELF byte order %u", id[EI_DATA]);
	if (size < sizeof(Elf64_Ehdr))
		return fail(o, "truncated: %zu bytes, shorter than an ELF header", size);
	o->native = id[EI_DATA] == (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ?
				    ELFDATA2LSB : ELFDATA2MSB);
	o->buf = malloc(size);
	if (!o->buf)
		return fail(o, "out of memory");
	memcpy(o->buf, elf, size);
	o->size = size;
	elf_version(EV_CURRENT);
	o->elf = elf_memory((char *)o->buf, size);
	if (!o->elf || !gelf_getehdr(o->elf, &o->eh))
		return fail(o, "unreadable ELF header: %s", elf_errmsg(-1));
	if (o->eh.e_machine != EM_BPF)
		return fail(o, "machine is %s (%u), not BPF (%u): not a BPF object",
			    machine_name(o->eh.e_machine), o->eh.e_machine, EM_BPF);
	if (o->eh.e_shoff && o->eh.e_shentsize != sizeof(Elf64_Shdr))
		return fail(o, "section header size %u, expected %zu", o->eh.e_shentsize,
			    sizeof(Elf64_Shdr));
	if (o->eh.e_shoff > size)
		return fail(o, "section header table at offset %llu is past the end of the "
			    "file (%zu bytes): truncated?", (unsigned long long)o->eh.e_shoff, size);
	/* Extended numbering keeps the count in section 0; read it ourselves
	 * so libelf never indexes past the table. */
	{
		__u64 shnum = o->eh.e_shnum;

		if (o->eh.e_shoff && !shnum) {
			if (size - o->eh.e_shoff < sizeof(Elf64_Shdr))
				return fail(o, "section header table is truncated");
			if (elf_getshdrnum(o->elf, &o->shnum))
				return fail(o, "section count unreadable: %s", elf_errmsg(-1));
			shnum = o->shnum;
		}
		if (shnum > (size - o->eh.e_shoff) / sizeof(Elf64_Shdr))
			return fail(o, "section header table (%llu entries at offset %llu) runs past "
				    "the end of the file (%zu bytes): truncated?",
				    (unsigned long long)shnum, (unsigned long long)o->eh.e_shoff, size);
	}
	if (elf_getshdrnum(o->elf, &o->shnum) || elf_getshdrstrndx(o->elf, &o->shstrndx))
		return fail(o, "section table unreadable: %s", elf_errmsg(-1));
	if (!o->shnum)
		return fail(o, "no sections: not a BPF object");
	if (o->shstrndx >= o->shnum)
		return fail(o, "section name table index %zu is out of range (%zu sections)",
			    o->shstrndx, o->shnum);
	for (size_t i = 0; i < o->shnum; i++) {
		if (!gelf_getshdr(elf_getscn(o->elf, i), &sh))
			return fail(o, "section %zu header unreadable: %s", i, elf_errmsg(-1));
		if (sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL &&
		    !fits(sh.sh_offset, sh.sh_size, size))
			return fail(o, "section %zu (offset %llu, %llu bytes) runs past the end of the "
				    "file (%zu bytes): truncated?", i,
				    (unsigned long long)sh.sh_offset,
				    (unsigned long long)sh.sh_size, size);
		if (sh.sh_link >= o->shnum)
			return fail(o, "section %zu links to section %u, which does not exist",
				    i, sh.sh_link);
		if (sh.sh_flags & SHF_COMPRESSED)
			return fail(o, "section %zu is compressed; BPF objects are not", i);
	}
	{
		GElf_Shdr ss;

		if (!gelf_getshdr(elf_getscn(o->elf, o->shstrndx), &ss) || ss.sh_type != SHT_STRTAB)
			return fail(o, "section name table (section %zu) is not a string table",
				    o->shstrndx);
	}
	for (size_t i = 1; i < o->shnum; i++) {
		const char *name = sec_name(o, i);
		Elf_Data *d;

		gelf_getshdr(elf_getscn(o->elf, i), &sh);
		if (!name)
			return fail(o, "section %zu has a name offset out of range", i);
		if (sh.sh_type == SHT_STRTAB) {
			d = sec_data(o, i);
			if (d && d->d_size && ((const char *)d->d_buf)[d->d_size - 1])
				return fail(o, "string table %s does not end with a NUL", name);
		}
		if (sh.sh_type == SHT_SYMTAB) {
			GElf_Shdr ls;

			if (o->symtab)
				return fail(o, "more than one symbol table");
			if (sh.sh_entsize != sizeof(Elf64_Sym) || sh.sh_size % sizeof(Elf64_Sym))
				return fail(o, "symbol table entry size %llu, expected %zu",
					    (unsigned long long)sh.sh_entsize, sizeof(Elf64_Sym));
			if (!gelf_getshdr(elf_getscn(o->elf, sh.sh_link), &ls) ||
			    ls.sh_type != SHT_STRTAB)
				return fail(o, "symbol table links to section %u, not a string table",
					    sh.sh_link);
			o->symtab = i;
			o->syms = sec_data(o, i);
			if (!o->syms)
				return fail(o, "symbol table unreadable: %s", elf_errmsg(-1));
			o->nsyms = sh.sh_size / sizeof(Elf64_Sym);
		}
		if ((sh.sh_flags & SHF_EXECINSTR) && sh.sh_type == SHT_PROGBITS &&
		    sh.sh_size % sizeof(struct bpf_insn))
			return fail(o, "code section %s is %llu bytes, not a whole number of "
				    "instructions", name, (unsigned long long)sh.sh_size);
		if (sh.sh_type == SHT_PROGBITS && !strcmp(name, ".BTF"))
			btf_idx = i;
		if (sh.sh_type == SHT_PROGBITS && !strcmp(name, ".BTF.ext"))
			ext_idx = i;
	}
	if (o->symtab && check_symbols(o))
		return -1;
	for (size_t i = 1; i < o->shnum; i++) {
		GElf_Shdr ts;
		Elf_Data *d;

		gelf_getshdr(elf_getscn(o->elf, i), &sh);
		if (sh.sh_type == SHT_RELA)
			return fail(o, "section %s: RELA relocations; BPF objects use REL",
				    sec_name(o, i));
		if (sh.sh_type != SHT_REL)
			continue;
		if (sh.sh_entsize != sizeof(Elf64_Rel) || sh.sh_size % sizeof(Elf64_Rel))
			return fail(o, "relocation section %s has entry size %llu, expected %zu",
				    sec_name(o, i), (unsigned long long)sh.sh_entsize,
				    sizeof(Elf64_Rel));
		if (!o->symtab || sh.sh_link != o->symtab)
			return fail(o, "relocation section %s does not link to the symbol table",
				    sec_name(o, i));
		if (sh.sh_info >= o->shnum || !gelf_getshdr(elf_getscn(o->elf, sh.sh_info), &ts))
			return fail(o, "relocation section %s applies to section %u, which does "
				    "not exist", sec_name(o, i), sh.sh_info);
		d = sec_data(o, i);
		for (size_t r = 0; d && r < sh.sh_size / sizeof(Elf64_Rel); r++) {
			GElf_Rel rel;

			if (!gelf_getrel(d, r, &rel))
				return fail(o, "relocation %zu of %s unreadable", r, sec_name(o, i));
			if (GELF_R_SYM(rel.r_info) >= o->nsyms)
				return fail(o, "relocation %zu of %s names symbol %llu of %zu", r,
					    sec_name(o, i), (unsigned long long)GELF_R_SYM(rel.r_info),
					    o->nsyms);
			/* Code is relocated per instruction; debug info at any byte. */
			if ((ts.sh_flags & SHF_EXECINSTR) ?
			    !fits(rel.r_offset, sizeof(struct bpf_insn), ts.sh_size) ||
			    rel.r_offset % sizeof(struct bpf_insn) :
			    rel.r_offset >= ts.sh_size)
				return fail(o, "relocation %zu of %s at offset %llu is outside its "
					    "section", r, sec_name(o, i),
					    (unsigned long long)rel.r_offset);
		}
	}
	if (btf_idx) {
		Elf_Data *d = sec_data(o, btf_idx);

		if (d && d->d_size) {
			o->btf_raw = d->d_buf;
			o->btf_size = d->d_size;
		}
	}
	if (ext_idx) {
		Elf_Data *d = sec_data(o, ext_idx);

		if (d && d->d_size) {
			o->ext_raw = d->d_buf;
			o->ext_size = d->d_size;
		}
	}
	if (!o->native)
		return 0;  /* BTF of the other byte order: libbpf 1.1 cannot read it */
	if (o->btf_raw) {
		o->btf = btf__new(o->btf_raw, o->btf_size);
		if (!o->btf)
			return fail(o, ".BTF section is malformed (%s)", strerror(errno));
		if (check_btf_types(o))
			return -1;
	}
	if (o->ext_raw && check_btf_ext(o))
		return -1;
	return 0;
}

static void obj_close(struct obj *o)
{
	bpf_object__close(o->bo);
	free(o->bo_buf);
	btf__free(o->btf);
	if (o->elf)
		elf_end(o->elf);
	free(o->buf);
}

int objinfo_check(const void *elf, size_t size, char *err, size_t errlen)
{
	struct obj o;
	int ret = obj_open(&o, elf, size);

	if (ret && err && errlen)
		snprintf(err, errlen, "%s", o.err);
	obj_close(&o);
	return ret;
}

/* ---- printing ----------------------------------------------------------- */

static const char *sec_type_name(unsigned t)
{
	switch (t) {
	case SHT_NULL: return "NULL";
	case SHT_PROGBITS: return "PROGBITS";
	case SHT_SYMTAB: return "SYMTAB";
	case SHT_STRTAB: return "STRTAB";
	case SHT_RELA: return "RELA";
	case SHT_NOBITS: return "NOBITS";
	case SHT_REL: return "REL";
	case 0x6fff4c03: return "LLVM_ADDRSIG";  /* SHT_LLVM_ADDRSIG */
	}
	return "OTHER";
}

static void sec_flags(__u64 f, char *buf)
{
	char *p = buf;

	if (f & SHF_WRITE) *p++ = 'W';
	if (f & SHF_ALLOC) *p++ = 'A';
	if (f & SHF_EXECINSTR) *p++ = 'X';
	if (f & SHF_MERGE) *p++ = 'M';
	if (f & SHF_STRINGS) *p++ = 'S';
	if (f & SHF_INFO_LINK) *p++ = 'I';
	if (f & SHF_EXCLUDE) *p++ = 'E';
	*p = 0;
}

struct strbuf {
	char buf[512];
	size_t len;
};

static void strbuf_printf(void *ctx, const char *fmt, va_list ap)
{
	struct strbuf *s = ctx;
	int n;

	if (s->len >= sizeof(s->buf) - 1)
		return;
	n = vsnprintf(s->buf + s->len, sizeof(s->buf) - s->len, fmt, ap);
	if (n > 0)
		s->len += (size_t)n < sizeof(s->buf) - s->len ? (size_t)n : sizeof(s->buf) - s->len - 1;
}

static void type_decl(struct btf *btf, __u32 id, struct strbuf *s)
{
	struct btf_dump *d = btf_dump__new(btf, strbuf_printf, s, NULL);
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts, .field_name = "");

	s->len = 0;
	s->buf[0] = 0;
	if (!d)
		return;
	btf_dump__emit_type_decl(d, id, &opts);
	btf_dump__free(d);
	while (s->len && s->buf[s->len - 1] == ' ')
		s->buf[--s->len] = 0;
}

static const char *elf_type_name(unsigned t)
{
	switch (t) {
	case ET_REL: return "REL";
	case ET_EXEC: return "EXEC";
	case ET_DYN: return "DYN";
	case ET_CORE: return "CORE";
	}
	return "NONE";
}

static void print_header(struct obj *o, const char *name, struct output *out)
{
	const char *lic = NULL;
	size_t lic_len = 0;
	struct ext_run core = { 0 }, lines = { 0 };
	bool le = o->eh.e_ident[EI_DATA] == ELFDATA2LSB;

	for (size_t i = 1; i < o->shnum; i++) {
		const char *n = sec_name(o, i);
		Elf_Data *d;

		if (n && !strcmp(n, "license") && (d = sec_data(o, i)) && d->d_buf) {
			lic = d->d_buf;
			lic_len = strnlen(lic, d->d_size);
		}
	}
	ext_find(o, 2, NULL, &core);
	ext_find(o, 1, NULL, &lines);
	if (out->json) {
		output_str(out, "file", 0, name);
		output_uint(out, "size", 0, o->size);
		output_object_begin(out, "elf");
		output_str(out, "class", 0, "ELF64");
		output_str(out, "byte_order", 0, le ? "little" : "big");
		output_str(out, "machine", 0, "BPF");
		output_str(out, "type", 0, elf_type_name(o->eh.e_type));
		output_object_end(out);
		if (lic)
			output_bytes(out, "license", 0, lic, lic_len);
		else
			output_null(out, "license", 0, "");
		output_object_begin(out, "btf");
		output_uint(out, "size", 0, o->btf_size);
		output_uint(out, "ext_size", 0, o->ext_size);
		output_uint(out, "types", 0, o->btf ? btf__type_cnt(o->btf) - 1 : 0);
		output_uint(out, "line_info", 0, lines.count);
		output_uint(out, "core_relocs", 0, core.count);
		output_object_end(out);
		return;
	}
	fprintf(out->f, "file:        %s (%zu bytes)\n", name, o->size);
	fprintf(out->f, "elf:         ELF64, %s-endian, machine BPF (%u), type %s\n",
		le ? "little" : "big", EM_BPF, elf_type_name(o->eh.e_type));
	fprintf(out->f, "license:     ");
	if (lic)
		output_table_string(out->f, lic, lic_len);
	else
		fputs("(none)", out->f);
	fprintf(out->f, "\nbtf:         %zu bytes, %u types; .BTF.ext %zu bytes, %u line records, "
		"%u CO-RE relocations\n", o->btf_size, o->btf ? btf__type_cnt(o->btf) - 1 : 0,
		o->ext_size, lines.count, core.count);
}

static void print_sections(struct obj *o, struct output *out)
{
	GElf_Shdr sh;
	char flags[16];

	if (out->json)
		output_array_begin(out, "sections");
	else
		fprintf(out->f, "\nSections:\n  %3s %-36s %-12s %8s %s\n", "IDX", "NAME", "TYPE",
			"SIZE", "FLAGS");
	for (size_t i = 1; i < o->shnum; i++) {
		const char *name = sec_name(o, i);

		gelf_getshdr(elf_getscn(o->elf, i), &sh);
		sec_flags(sh.sh_flags, flags);
		if (out->json) {
			output_object_begin(out, NULL);
			output_uint(out, "index", 0, i);
			output_str(out, "name", 0, name);
			output_str(out, "type", 0, sec_type_name(sh.sh_type));
			output_uint(out, "size", 0, sh.sh_size);
			output_str(out, "flags", 0, flags);
			output_object_end(out);
		} else {
			fprintf(out->f, "  %3zu %-36s %-12s %8llu %s\n", i, name,
				sec_type_name(sh.sh_type), (unsigned long long)sh.sh_size, flags);
		}
	}
	if (out->json)
		output_array_end(out);
}

/* Where a program attaches, as libbpf reads its section name: the part
 * after the program type's prefix ("tracepoint/syscalls/sys_enter_open"
 * -> "syscalls/sys_enter_open"); empty for types without a target. */
static const char *attach_point(const char *sec)
{
	const char *slash = sec ? strchr(sec, '/') : NULL;

	return slash ? slash + 1 : "";
}

static int open_libbpf(struct obj *o, const char *name)
{
	char oname[64];
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 :
			   strchr(name, ':') ? strchr(name, ':') + 1 : name;
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = oname);

	/* libbpf names the internal maps after the object ("opensnoo.rodata"),
	 * as it will when the tool loads it. */
	snprintf(oname, sizeof(oname), "%.*s", (int)strcspn(base, "."), base);

	if (!o->native)
		return 0;
	/* libbpf keeps pointing into the buffer, and libelf may write to it. */
	o->bo_buf = malloc(o->size);
	if (!o->bo_buf)
		return fail(o, "out of memory");
	memcpy(o->bo_buf, o->buf, o->size);
	o->bo = bpf_object__open_mem(o->bo_buf, o->size, &oo);
	if (!o->bo) {
		o->bo = NULL;
		return fail(o, "libbpf cannot open the object: %s (use -v for libbpf's messages)",
			    strerror(errno));
	}
	return 0;
}

static void print_libbpf(struct obj *o, struct output *out)
{
	struct bpf_object *bo = o->bo;
	struct bpf_program *p;
	struct bpf_map *m;

	if (!bo) {
		if (!out->json)
			fprintf(out->f, "\n(programs and maps not shown: the object's byte order "
				"is not the host's)\n");
		return;
	}
	if (out->json)
		output_array_begin(out, "programs");
	else
		fprintf(out->f, "\nPrograms:\n  %-28s %-36s %-16s %-28s %6s\n", "NAME", "SECTION",
			"TYPE", "ATTACH", "INSNS");
	bpf_object__for_each_program(p, bo) {
		const char *type = libbpf_bpf_prog_type_str(bpf_program__type(p));
		const char *eat = libbpf_bpf_attach_type_str(bpf_program__expected_attach_type(p));
		const char *sec = bpf_program__section_name(p);

		if (!type)
			type = "unknown";
		if (out->json) {
			output_object_begin(out, NULL);
			output_str(out, "name", 0, bpf_program__name(p));
			output_str(out, "section", 0, sec);
			output_str(out, "type", 0, type);
			output_str(out, "attach", 0, attach_point(sec));
			output_uint(out, "insns", 0, bpf_program__insn_cnt(p));
			if (eat)
				output_str(out, "expected_attach_type", 0, eat);
			output_bool(out, "autoload", 0, bpf_program__autoload(p));
			output_object_end(out);
		} else {
			fprintf(out->f, "  %-28s %-36s %-16s %-28s %6zu\n", bpf_program__name(p), sec,
				type, *attach_point(sec) ? attach_point(sec) : "-",
				bpf_program__insn_cnt(p));
		}
	}
	if (out->json)
		output_array_end(out);
	if (out->json)
		output_array_begin(out, "maps");
	else
		fprintf(out->f, "\nMaps:\n  %-24s %-16s %6s %6s %11s %s\n", "NAME", "TYPE", "KEY",
			"VALUE", "MAX_ENTRIES", "FLAGS");
	bpf_object__for_each_map(m, bo) {
		const char *type = libbpf_bpf_map_type_str(bpf_map__type(m));

		if (!type)
			type = "unknown";
		if (out->json) {
			output_object_begin(out, NULL);
			output_str(out, "name", 0, bpf_map__name(m));
			output_str(out, "type", 0, type);
			output_uint(out, "key_size", 0, bpf_map__key_size(m));
			output_uint(out, "value_size", 0, bpf_map__value_size(m));
			output_uint(out, "max_entries", 0, bpf_map__max_entries(m));
			output_uint(out, "flags", 0, bpf_map__map_flags(m));
			output_bool(out, "internal", 0, bpf_map__is_internal(m));
			output_object_end(out);
		} else {
			fprintf(out->f, "  %-24s %-16s %6u %6u %11u 0x%x\n", bpf_map__name(m), type,
				bpf_map__key_size(m), bpf_map__value_size(m),
				bpf_map__max_entries(m), bpf_map__map_flags(m));
		}
	}
	if (out->json)
		output_array_end(out);
}

static void print_globals(struct obj *o, struct output *out)
{
	struct strbuf tb;
	/* libbpf fills in the section offsets that the compiler leaves 0. */
	struct btf *btf = o->bo && bpf_object__btf(o->bo) ? bpf_object__btf(o->bo) : o->btf;
	__u32 n = btf ? btf__type_cnt(btf) : 0;

	if (out->json)
		output_array_begin(out, "globals");
	else
		fprintf(out->f, "\nGlobals:\n  %-10s %-24s %6s %6s %s\n", "SECTION", "NAME", "OFFSET",
			"SIZE", "TYPE");
	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *sec = btf__name_by_offset(btf, t->name_off);
		const struct btf_var_secinfo *vs;

		if (!btf_is_datasec(t) || !sec || !strcmp(sec, ".maps"))
			continue;
		vs = btf_var_secinfos(t);
		for (int i = 0; i < btf_vlen(t); i++) {
			const struct btf_type *v = btf__type_by_id(btf, vs[i].type);
			const char *vn;
			__u32 tid;

			if (!v || !(btf_is_var(v) || btf_is_func(v)))
				continue;
			vn = btf__name_by_offset(btf, v->name_off);
			tid = v->type;
			type_decl(btf, btf_is_var(v) ? tid : vs[i].type, &tb);
			if (out->json) {
				output_object_begin(out, NULL);
				output_str(out, "section", 0, sec);
				output_str(out, "name", 0, vn ? vn : "");
				output_str(out, "type", 0, tb.buf);
				output_uint(out, "offset", 0, vs[i].offset);
				output_uint(out, "size", 0, vs[i].size);
				output_object_end(out);
			} else {
				fprintf(out->f, "  %-10s %-24s %6u %6u %s\n", sec, vn ? vn : "",
					vs[i].offset, vs[i].size, tb.buf);
			}
		}
	}
	if (out->json)
		output_array_end(out);
}

/* ---- disassembly ---------------------------------------------------------- */

static const char *const core_kind_name[] = {
	"field_byte_offset", "field_byte_size", "field_exists", "field_signed",
	"field_lshift_u64", "field_rshift_u64", "type_id_local", "type_id_target",
	"type_exists", "type_size", "enumval_exists", "enumval_value", "type_matches",
};

static __u32 skip_mods(struct btf *btf, __u32 id)
{
	for (int i = 0; i < 64; i++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!t || !(btf_is_mod(t) || btf_is_typedef(t)))
			return id;
		id = t->type;
	}
	return id;
}

/* "struct task_struct::real_parent.tgid" from a CO-RE access string. */
static void core_describe(struct obj *o, const struct ext_core *r, char *buf, size_t len)
{
	struct btf *btf = o->btf;
	const char *spec = btf__name_by_offset(btf, r->access_str_off);
	const struct btf_type *t = btf__type_by_id(btf, r->type_id);
	const char *tn;
	size_t used;
	__u32 id = r->type_id;
	int k = 0;

	snprintf(buf, len, "CO-RE %s ", r->kind < 13 ? core_kind_name[r->kind] : "unknown");
	used = strlen(buf);
	if (!t || !spec) {
		snprintf(buf + used, len - used, "type %u", r->type_id);
		return;
	}
	tn = btf__name_by_offset(btf, t->name_off);
	snprintf(buf + used, len - used, "%s%s%s",
		 btf_is_struct(t) ? "struct " : btf_is_union(t) ? "union " :
		 btf_is_any_enum(t) ? "enum " : "", tn && *tn ? tn : "(anon)",
		 r->kind <= 5 || r->kind >= 10 ? "::" : "");
	used = strlen(buf);
	if (r->kind > 5 && r->kind < 10)
		return;
	for (const char *p = spec; *p && used < len - 1 && k < 32; k++) {
		char *end;
		unsigned long idx = strtoul(p, &end, 10);

		if (end == p)
			break;
		p = *end == ':' ? end + 1 : end;
		if (k == 0) {
			if (r->kind >= 10) {
				const struct btf_type *et = btf__type_by_id(btf, id);

				if (et && btf_is_enum(et) && idx < btf_vlen(et))
					snprintf(buf + used, len - used, "%s",
						 btf__name_by_offset(btf, btf_enum(et)[idx].name_off));
				return;
			}
			if (idx)
				snprintf(buf + used, len - used, "[%lu]", idx);
			used = strlen(buf);
			continue;
		}
		id = skip_mods(btf, id);
		t = btf__type_by_id(btf, id);
		if (!t)
			break;
		if (btf_is_composite(t) && idx < btf_vlen(t)) {
			const char *mn = btf__name_by_offset(btf, btf_members(t)[idx].name_off);

			snprintf(buf + used, len - used, "%s%s", k > 1 ? "." : "",
				 mn && *mn ? mn : "(anon)");
			id = btf_members(t)[idx].type;
		} else if (btf_is_array(t)) {
			snprintf(buf + used, len - used, "[%lu]", idx);
			id = btf_array(t)->type;
		} else {
			break;
		}
		used = strlen(buf);
	}
}

struct rel_note {
	__u32 sym;    /* symbol index + 1; 0: none */
};

static void reloc_describe(struct obj *o, __u32 symidx, const struct bpf_insn *in,
			   char *buf, size_t len)
{
	GElf_Sym s;
	GElf_Shdr symstr;
	const char *name = NULL, *sec = NULL;
	const char *what;

	if (!gelf_getsym(o->syms, symidx, &s)) {
		snprintf(buf, len, "reloc symbol %u", symidx);
		return;
	}
	gelf_getshdr(elf_getscn(o->elf, o->symtab), &symstr);
	name = elf_strptr(o->elf, symstr.sh_link, s.st_name);
	if (s.st_shndx != SHN_UNDEF && s.st_shndx < o->shnum)
		sec = sec_name(o, s.st_shndx);
	if (GELF_ST_TYPE(s.st_info) == STT_SECTION)
		name = sec;
	if (sec && !strcmp(sec, ".maps"))
		what = "map";
	else if (in->code == (BPF_JMP | BPF_CALL))
		what = in->src_reg == BPF_PSEUDO_KFUNC_CALL ? "kfunc" : "call";
	else if (s.st_shndx == SHN_UNDEF)
		what = "extern";
	else if (GELF_ST_TYPE(s.st_info) == STT_FUNC ||
		 (sec && !strncmp(sec, ".text", 5)))
		what = "func";
	else
		what = "global";
	/* A call to a static function names its section; libbpf finds the
	 * callee at section offset + (imm + 1) instructions: so do we. */
	if (GELF_ST_TYPE(s.st_info) == STT_SECTION && !strcmp(what, "call")) {
		__u64 target = s.st_value + ((__s64)in->imm + 1) * 8;

		for (size_t i = 0; i < o->nsyms; i++) {
			GElf_Sym f;
			const char *fn;

			if (gelf_getsym(o->syms, i, &f) && GELF_ST_TYPE(f.st_info) == STT_FUNC &&
			    f.st_shndx == s.st_shndx && f.st_value == target &&
			    (fn = elf_strptr(o->elf, symstr.sh_link, f.st_name))) {
				snprintf(buf, len, "call %s (%s)", fn, name ? name : "?");
				return;
			}
		}
	}
	if (GELF_ST_TYPE(s.st_info) == STT_SECTION && disasm_is_ld_imm64(in))
		snprintf(buf, len, "%s %s+%d", what, name ? name : "?", in->imm);
	else if (sec && strcmp(what, "map") && strcmp(what, "call") && strcmp(what, "func") &&
		 (!name || strcmp(name, sec)))
		snprintf(buf, len, "%s %s (%s)", what, name && *name ? name : "?", sec);
	else
		snprintf(buf, len, "%s %s", what, name && *name ? name : "?");
}

static int cmp_u64(const void *a, const void *b)
{
	const __u64 *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

static void print_insn_json(struct output *out, size_t idx, const struct bpf_insn *in, int n,
			    const char *text)
{
	char raw[40];

	for (int k = 0; k < n * 8; k++)
		snprintf(raw + 2 * k, 3, "%02x", ((const unsigned char *)in)[k]);
	output_uint(out, "idx", 0, idx);
	output_str(out, "raw", 0, raw);
	output_str(out, "asm", 0, text);
}

static void disasm_section(struct obj *o, size_t si, struct output *out, unsigned flags)
{
	const char *sec = sec_name(o, si);
	Elf_Data *d = sec_data(o, si);
	const struct bpf_insn *insns;
	size_t n, nfuncs = 0;
	__u64 *funcs = NULL;   /* offset << 32 | symbol index, sorted */
	__u32 *rel = NULL, *core = NULL;
	struct ext_run lines, cores;
	size_t li = 0;
	__u32 last_line_off = 0, last_line = 0;
	struct disasm_syms syms = { .helper = disasm_kernel_helper_name };
	GElf_Shdr symstr;

	if (!d || !d->d_buf || !d->d_size)
		return;
	/* Instructions are read in place; libelf gives us the buffer as is
	 * for a native object, whose alignment we cannot promise: copy. */
	insns = malloc(d->d_size);
	if (!insns)
		return;
	memcpy((void *)insns, d->d_buf, d->d_size);
	n = d->d_size / sizeof(*insns);
	rel = calloc(n, sizeof(*rel));
	core = calloc(n, sizeof(*core));
	funcs = calloc(o->nsyms + 1, sizeof(*funcs));
	if (!rel || !core || !funcs)
		goto out_free;
	if (o->symtab)
		gelf_getshdr(elf_getscn(o->elf, o->symtab), &symstr);
	for (size_t i = 0; i < o->nsyms; i++) {
		GElf_Sym s;

		if (gelf_getsym(o->syms, i, &s) && s.st_shndx == si &&
		    GELF_ST_TYPE(s.st_info) == STT_FUNC)
			funcs[nfuncs++] = (__u64)(s.st_value / 8) << 32 | i;
	}
	qsort(funcs, nfuncs, sizeof(*funcs), cmp_u64);
	for (size_t r = 1; r < o->shnum; r++) {
		GElf_Shdr sh;
		Elf_Data *rd;

		if (!gelf_getshdr(elf_getscn(o->elf, r), &sh) || sh.sh_type != SHT_REL ||
		    sh.sh_info != si || !(rd = sec_data(o, r)))
			continue;
		for (size_t k = 0; k < sh.sh_size / sizeof(Elf64_Rel); k++) {
			GElf_Rel gr;

			if (gelf_getrel(rd, k, &gr) && gr.r_offset / 8 < n)
				rel[gr.r_offset / 8] = GELF_R_SYM(gr.r_info) + 1;
		}
	}
	ext_find(o, 2, sec, &cores);
	for (__u32 k = 0; k < cores.count; k++) {
		struct ext_core c;

		memcpy(&c, cores.recs + (size_t)k * cores.rec_size, sizeof(c));
		if (c.insn_off / 8 < n)
			core[c.insn_off / 8] = k + 1;
	}
	ext_find(o, 1, sec, &lines);

	if (out->json) {
		output_object_begin(out, NULL);
		output_str(out, "section", 0, sec);
		output_array_begin(out, "insns");
	} else {
		fprintf(out->f, "\nDisassembly of section %s:\n", sec);
	}
	for (size_t i = 0, f = 0; i < n;) {
		char text[256], note[256];
		const char *func_name = NULL;
		struct disasm_src at = { 0 };
		int used;

		note[0] = 0;
		while (f < nfuncs && (funcs[f] >> 32) <= i) {
			GElf_Sym s;
			const char *fn = NULL;

			if ((funcs[f] >> 32) == i && gelf_getsym(o->syms, (__u32)funcs[f], &s))
				fn = elf_strptr(o->elf, symstr.sh_link, s.st_name);
			if (fn && !out->json)
				fprintf(out->f, "\n%s:\n", fn);
			if (fn)
				func_name = fn;
			f++;
		}
		while (li < lines.count) {
			struct ext_line l;
			const char *file, *src;

			memcpy(&l, lines.recs + li * lines.rec_size, sizeof(l));
			if (l.insn_off / 8 > i)
				break;
			li++;
			if (l.insn_off / 8 < i)
				continue;
			/* A statement spans several instructions and records;
			 * show it once, where it starts. */
			if (!(l.line_col >> 10) || (l.line_off == last_line_off &&
						    l.line_col >> 10 == last_line))
				continue;
			last_line_off = l.line_off;
			last_line = l.line_col >> 10;
			file = btf__name_by_offset(o->btf, l.file_name_off);
			src = btf__name_by_offset(o->btf, l.line_off);
			while (src && (*src == ' ' || *src == '\t'))
				src++;
			if (file && strrchr(file, '/'))
				file = strrchr(file, '/') + 1;
			/* A file without a name: a table marks it, JSON leaves it empty. */
			at.file = file ? file : out->json ? "" : "?";
			at.text = src ? src : "";
			at.line = l.line_col >> 10;
			if (!out->json)
				disasm_src_table(out->f, &at);
		}
		used = disasm_insn(insns + i, n - i, &syms, text, sizeof(text));
		if (rel[i])
			reloc_describe(o, rel[i] - 1, insns + i, note, sizeof(note));
		if (core[i]) {
			struct ext_core c;
			size_t l = strlen(note);

			memcpy(&c, cores.recs + (size_t)(core[i] - 1) * cores.rec_size, sizeof(c));
			if (l)
				snprintf(note + l, sizeof(note) - l, ", ");
			l = strlen(note);
			core_describe(o, &c, note + l, sizeof(note) - l);
		}
		if (out->json) {
			output_object_begin(out, NULL);
			print_insn_json(out, i, insns + i, used, text);
			if (note[0])
				output_str(out, "reloc", 0, note);
			disasm_src_json(out, func_name, &at);
			output_object_end(out);
		} else {
			const unsigned char *b = (const unsigned char *)(insns + i);

			fprintf(out->f, "%5zu: ", i);
			if (!(flags & OBJINFO_NO_RAW))
				fprintf(out->f, "%02x %02x %02x %02x %02x %02x %02x %02x  ",
					b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
			fputs(text, out->f);
			if (note[0])
				fprintf(out->f, "  ; %s", note);
			putc('\n', out->f);
			if (used == 2 && !(flags & OBJINFO_NO_RAW))
				fprintf(out->f, "       %02x %02x %02x %02x %02x %02x %02x %02x\n",
					b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
		}
		i += used;
	}
	if (out->json) {
		output_array_end(out);
		output_object_end(out);
	}
out_free:
	free((void *)insns);
	free(rel);
	free(core);
	free(funcs);
}

static void print_disasm(struct obj *o, struct output *out, unsigned flags)
{
	if (out->json)
		output_array_begin(out, "disasm");
	for (size_t i = 1; i < o->shnum; i++) {
		GElf_Shdr sh;

		if (gelf_getshdr(elf_getscn(o->elf, i), &sh) && sh.sh_type == SHT_PROGBITS &&
		    (sh.sh_flags & SHF_EXECINSTR) && sh.sh_size)
			disasm_section(o, i, out, flags);
	}
	if (out->json)
		output_array_end(out);
}

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int objinfo_print_named(const void *elf, size_t size, const char *name, struct output *out,
			unsigned flags)
{
	struct obj o;
	libbpf_print_fn_t old = NULL;
	int ret;

	if (!(flags & OBJINFO_VERBOSE))
		old = libbpf_set_print(quiet_libbpf);
	ret = obj_open(&o, elf, size);
	if (!ret)
		ret = open_libbpf(&o, name);
	if (!(flags & OBJINFO_VERBOSE))
		libbpf_set_print(old);
	if (ret) {
		snoop_err("%s: %s", name, o.err);
		obj_close(&o);
		return -1;
	}
	if (out->json)
		output_record_begin(out);
	print_header(&o, name, out);
	print_sections(&o, out);
	print_libbpf(&o, out);
	print_globals(&o, out);
	/* Instructions hold register nibbles and offsets in the object's
	 * byte order; only the host's is decoded. */
	if ((flags & OBJINFO_DISASM) && o.native)
		print_disasm(&o, out, flags);
	else if ((flags & OBJINFO_DISASM) && !out->json)
		fprintf(out->f, "\n(no disassembly: the object's byte order is not the host's)\n");
	if (out->json)
		output_record_end(out);
	obj_close(&o);
	return output_flush(out) ? 0 : -1;
}

int objinfo_print(const void *elf, size_t size, struct output *out, unsigned flags)
{
	return objinfo_print_named(elf, size, "object", out, flags);
}
