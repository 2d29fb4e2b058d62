/* The --full-path build of opensnoop.bpf.c: the same programs, plus a
 * walk of the directory tree, which needs CO-RE and so the kernel's BTF. */
#define OPENSNOOP_FULL_PATH 1
#include "opensnoop.bpf.c"
