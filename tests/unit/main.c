#include <stdlib.h>
#include "unit.h"

static struct unit_test *unit_tests;

void unit_register(struct unit_test *t)
{
	/* Constructors run in link order, reversed: keep a FIFO. */
	struct unit_test **p = &unit_tests;

	while (*p)
		p = &(*p)->next;
	*p = t;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0;

	for (struct unit_test *t = unit_tests; t; t = t->next) {
		int f = 0;

		if (filter && !strstr(t->name, filter))
			continue;
		t->fn(&f);
		printf("%s: %s\n", f ? "FAIL" : "PASS", t->name);
		f ? failed++ : passed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
