#include "core/path.h"
#include "unit.h"

static const char *assemble(const char *parts, size_t len, unsigned n, bool dirs)
{
	static char out[256];

	path_assemble(out, sizeof(out), parts, len, n, dirs);
	return out;
}

TEST(path_plain)
{
	CHECK_STR(assemble("etc/passwd", 11, 1, false), "etc/passwd");
}

TEST(path_relative_to_dirs)
{
	/* "b.txt" opened in /home/ann: parts innermost first. */
	CHECK_STR(assemble("b.txt\0ann\0home", 15, 3, true), "/home/ann/b.txt");
}

TEST(path_relative_to_root)
{
	CHECK_STR(assemble("etc", 4, 1, true), "/etc");
	CHECK_STR(assemble(".", 2, 1, true), "/");
}

TEST(path_absolute_ignores_dirs)
{
	CHECK_STR(assemble("/x\0ann", 7, 2, true), "/x");
}

TEST(path_dot_names_dir)
{
	CHECK_STR(assemble(".\0tmp", 6, 2, true), "/tmp");
}

TEST(path_truncated_output)
{
	char out[8];
	size_t n = path_assemble(out, sizeof(out), "file\0dir", 9, 2, true);

	CHECK(n == 9); /* "/dir/file" */
	CHECK_STR(out, "/dir/fi");
}

TEST(path_lies_about_parts)
{
	/* More parts claimed than bytes hold, and no final NUL. */
	CHECK_STR(assemble("ab\0cd", 5, 9, true), "/cd/ab");
	CHECK_STR(assemble("", 0, 3, true), "");
}
