/* A small test runner: TEST(name) registers a test; CHECK records a
 * failure with its line.  `unit-tests [FILTER]` runs the tests whose
 * names contain FILTER and ends with "N passed, N failed". */
#ifndef SNOOP_UNIT_H
#define SNOOP_UNIT_H

#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(int *failed);
	struct unit_test *next;
};
void unit_register(struct unit_test *t);

#define TEST(n)                                                          \
	static void test_##n(int *unit_failed);                          \
	static struct unit_test unit_##n = { #n, test_##n, NULL };       \
	__attribute__((constructor)) static void unit_reg_##n(void)      \
	{ unit_register(&unit_##n); }                                    \
	static void test_##n(int *unit_failed)

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			*unit_failed = 1;                                \
		}                                                        \
	} while (0)

#define CHECK_STR(got, want)                                             \
	do {                                                             \
		const char *g_ = (got), *w_ = (want);                    \
		if (strcmp(g_, w_)) {                                    \
			printf("  %s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, g_, w_); \
			*unit_failed = 1;                                \
		}                                                        \
	} while (0)

#endif
