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

TEST(path_cap_zero_and_one)
{
	char out[4] = "ZZZ";

	CHECK(path_assemble(out, 0, "abc", 4, 1, false) == 3);
	CHECK(out[0] == 'Z');
	CHECK(path_assemble(out, 1, "abc", 4, 1, false) == 3);
	CHECK(out[0] == 0 && out[1] == 'Z');
	CHECK(path_assemble(out, 0, "abc", 0, 1, false) == 0);
	CHECK(out[0] == 0);
}

TEST(path_exact_fit)
{
	char out[10];

	/* "/dir/file" is 9 bytes: fits with its NUL, one less cuts it. */
	CHECK(path_assemble(out, 10, "file\0dir", 9, 2, true) == 9);
	CHECK_STR(out, "/dir/file");
	CHECK(path_assemble(out, 9, "file\0dir", 9, 2, true) == 9);
	CHECK_STR(out, "/dir/fil");
}

TEST(path_no_parts)
{
	CHECK_STR(assemble("abc", 4, 0, true), "");
	CHECK_STR(assemble("abc", 4, 0, false), "");
}

TEST(path_dirs_off_ignores_rest)
{
	CHECK_STR(assemble("rel\0dir\0up", 11, 3, false), "rel");
}

TEST(path_empty_first_part)
{
	/* An empty path (AT_EMPTY_PATH) names the directory itself. */
	CHECK_STR(assemble("\0tmp", 5, 2, true), "/tmp");
	CHECK_STR(assemble("", 1, 1, true), "/");
	CHECK_STR(assemble("", 1, 1, false), "");
}

TEST(path_dot_with_many_dirs)
{
	CHECK_STR(assemble(".\0c\0b\0a", 8, 4, true), "/a/b/c");
	CHECK_STR(assemble("..\0c", 5, 2, true), "/c/..");
	CHECK_STR(assemble("./x\0c", 6, 2, true), "/c/./x");
}

TEST(path_first_part_unterminated)
{
	/* No NUL at all: the whole of len is the path. */
	CHECK_STR(assemble("abcdef", 3, 1, false), "abc");
	CHECK_STR(assemble("abcdef", 3, 2, true), "/abc");
}

TEST(path_fewer_parts_than_bytes)
{
	/* nparts smaller than the strings present: the rest is ignored. */
	CHECK_STR(assemble("f\0d1\0d2\0d3", 12, 2, true), "/d1/f");
}

TEST(path_many_parts)
{
	/* More than 256 parts: only the first 256 are used, nothing overflows. */
	static char parts[300 * 2];
	char out[1024];
	size_t n;

	for (int i = 0; i < 300; i++) {
		parts[2 * i] = 'a';
		parts[2 * i + 1] = 0;
	}
	parts[0] = 'f';
	n = path_assemble(out, sizeof(out), parts, sizeof(parts), 255 + 45, true);
	CHECK(n == 255 * 2 + 2);
	CHECK(out[n] == 0);
	CHECK(!strcmp(out + n - 4, "/a/f"));
}

TEST(path_return_matches_untruncated)
{
	const char parts[] = "name\0inner\0outer";
	char big[64], small[5];
	size_t full = path_assemble(big, sizeof(big), parts, sizeof(parts), 3, true);

	CHECK_STR(big, "/outer/inner/name");
	CHECK(full == strlen(big));
	CHECK(path_assemble(small, sizeof(small), parts, sizeof(parts), 3, true) == full);
	CHECK_STR(small, "/out");
}
