/* The capstone functions dump --jited calls, reached through a table so
 * that dump.c reads the same in every build.
 *
 * Why a table: linking libcapstone into the one binary made every tool
 * pay for it at start-up (its relocations touch ~3 MiB of tables), though
 * only dump --jited uses it.  The dynamic build therefore dlopen()s it on
 * first use; the static build cannot (static glibc has no usable dlopen),
 * so it links capstone in and fills the table with the functions
 * themselves.  capstone.h is still included for the types. */
#ifndef SNOOP_DUMP_CSLIB_H
#define SNOOP_DUMP_CSLIB_H

#include <capstone/capstone.h>

struct cslib {
	/* __typeof__ keeps each pointer's type that of the header's
	 * declaration, so a wrong signature cannot slip in. */
	__typeof__(cs_open) *open;
	__typeof__(cs_disasm) *disasm;
	__typeof__(cs_free) *free;
	__typeof__(cs_close) *close;
};

/* The functions, loading the library the first time; NULL if it cannot be
 * loaded, with *why set to the reason (the loader's message), valid for
 * the life of the process.  Later calls give the same answer. */
const struct cslib *cslib_get(const char **why);

#endif
