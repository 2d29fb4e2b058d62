/* The object reader: what a BPF ELF object holds (ELF facts, sections,
 * programs, maps, globals, license, BTF), printed as text or as one JSON
 * document, and its bytecode disassembled with source lines.
 *
 * The input is untrusted: every offset and size is checked here before
 * libelf or libbpf look at the file, because libbpf is not hardened
 * against malicious ELF. */
#ifndef SNOOP_OBJINFO_H
#define SNOOP_OBJINFO_H

#include <stddef.h>
#include "core/output.h"

enum objinfo_flags {
	OBJINFO_DISASM  = 1u << 0,  /* add each function's bytecode */
	OBJINFO_NO_RAW  = 1u << 1,  /* disassembly without the raw bytes */
	OBJINFO_VERBOSE = 1u << 2,  /* let libbpf's messages through */
};

/* Check that elf/size is a 64-bit ELF object for machine BPF whose
 * headers, sections, symbols, relocations and BTF.ext stay inside the
 * buffer.  Returns 0, or -1 with one line naming the problem in err. */
int objinfo_check(const void *elf, size_t size, char *err, size_t errlen);

/* Print the facts of the object (and its disassembly with
 * OBJINFO_DISASM) to out: a text report, or one JSON document when
 * out->json.  `name` labels it (a file name, or "tool:NAME").  Returns 0,
 * or -1 after printing "TOOL: NAME: problem" on stderr. */
int objinfo_print_named(const void *elf, size_t size, const char *name, struct output *out,
			unsigned flags);
/* The same, labelled "object". */
int objinfo_print(const void *elf, size_t size, struct output *out, unsigned flags);

#endif
