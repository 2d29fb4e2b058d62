/* sbtest: causes events with known parameters for the integration tests. */
#include <stdio.h>

int main(int argc, char **argv)
{
	fprintf(stderr, "usage: sbtest COMMAND ...\n");
	return 2;
}
