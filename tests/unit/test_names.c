#include <errno.h>
#include <asm/fcntl.h>   /* the kernel's values for this architecture */
#include "core/names.h"
#include "unit.h"

static const char *flags_str(unsigned long long flags)
{
	static char buf[256];

	open_flags_str(buf, sizeof(buf), flags);
	return buf;
}

TEST(open_flags_access_modes)
{
	CHECK_STR(flags_str(O_RDONLY), "O_RDONLY");
	CHECK_STR(flags_str(O_WRONLY), "O_WRONLY");
	CHECK_STR(flags_str(O_RDWR), "O_RDWR");
	CHECK_STR(flags_str(3), "O_ACCMODE");
}

TEST(open_flags_common)
{
	CHECK_STR(flags_str(O_WRONLY | O_CREAT | O_TRUNC), "O_WRONLY|O_CREAT|O_TRUNC");
	CHECK_STR(flags_str(O_RDWR | O_EXCL | O_CLOEXEC), "O_RDWR|O_EXCL|O_CLOEXEC");
	CHECK_STR(flags_str(O_RDONLY | O_NONBLOCK | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC),
		  "O_RDONLY|O_NONBLOCK|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC");
	CHECK_STR(flags_str(O_WRONLY | O_APPEND | O_NOCTTY), "O_WRONLY|O_NOCTTY|O_APPEND");
}

/* Values differ between architectures (arm64 moves O_DIRECTORY and
 * friends): the names must follow the kernel's headers for this one. */
TEST(open_flags_arch_values)
{
	CHECK_STR(flags_str(O_DIRECTORY), "O_RDONLY|O_DIRECTORY");
	CHECK_STR(flags_str(O_NOFOLLOW), "O_RDONLY|O_NOFOLLOW");
	CHECK_STR(flags_str(O_DIRECT), "O_RDONLY|O_DIRECT");
	CHECK_STR(flags_str(O_LARGEFILE), "O_RDONLY|O_LARGEFILE");
	CHECK_STR(flags_str(O_NOATIME), "O_RDONLY|O_NOATIME");
	CHECK_STR(flags_str(FASYNC), "O_RDONLY|O_ASYNC");
}

TEST(open_flags_tmpfile)
{
	/* O_TMPFILE includes O_DIRECTORY's bit: one name, not two. */
	CHECK_STR(flags_str(O_RDWR | O_TMPFILE), "O_RDWR|O_TMPFILE");
	CHECK_STR(flags_str(O_WRONLY | O_TMPFILE | O_EXCL), "O_WRONLY|O_TMPFILE|O_EXCL");
	/* __O_TMPFILE without O_DIRECTORY is not O_TMPFILE. */
	CHECK_STR(flags_str(__O_TMPFILE), "O_RDONLY|0x400000");
}

TEST(open_flags_sync_vs_dsync)
{
	CHECK_STR(flags_str(O_WRONLY | O_SYNC), "O_WRONLY|O_SYNC");
	CHECK_STR(flags_str(O_WRONLY | O_DSYNC), "O_WRONLY|O_DSYNC");
	CHECK_STR(flags_str(O_WRONLY | __O_SYNC), "O_WRONLY|0x100000");
}

TEST(open_flags_path)
{
	CHECK_STR(flags_str(O_PATH), "O_RDONLY|O_PATH");
	CHECK_STR(flags_str(O_PATH | O_CLOEXEC | O_NOFOLLOW), "O_RDONLY|O_NOFOLLOW|O_CLOEXEC|O_PATH");
}

TEST(open_flags_unknown_bits_hex)
{
	CHECK_STR(flags_str(O_RDONLY | 040000000), "O_RDONLY|0x800000");
	CHECK_STR(flags_str(O_CREAT | 0x8000000000000000ULL), "O_RDONLY|O_CREAT|0x8000000000000000");
	CHECK_STR(flags_str(~0ULL & ~(unsigned long long)(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC |
			    O_APPEND | O_NONBLOCK | O_SYNC | FASYNC | O_DIRECT | O_LARGEFILE |
			    O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_PATH |
			    __O_TMPFILE)),
		  "O_ACCMODE|0xffffffffff80003c");
}

TEST(open_flags_tiny_buffers)
{
	const char *full = "O_WRONLY|O_CREAT|O_TRUNC";
	size_t want = strlen(full);

	for (size_t cap = 0; cap <= want + 2; cap++) {
		char buf[64];
		size_t n;

		memset(buf, 'Z', sizeof(buf));
		n = open_flags_str(buf, cap, O_WRONLY | O_CREAT | O_TRUNC);
		if (cap == 0) {
			CHECK(n == 0 && buf[0] == 'Z');
			continue;
		}
		CHECK(n == (want < cap ? want : cap - 1));
		CHECK(buf[n] == 0);
		CHECK(!strncmp(buf, full, n));
		/* Nothing written past cap. */
		for (size_t i = cap; i < sizeof(buf); i++)
			CHECK(buf[i] == 'Z');
	}
}

TEST(open_flags_tiny_buffer_hex)
{
	char buf[12];

	memset(buf, 'Z', sizeof(buf));
	CHECK(open_flags_str(buf, 10, O_RDONLY | 040000000) == 9);
	CHECK_STR(buf, "O_RDONLY|");
	CHECK(buf[10] == 'Z');
}

TEST(errno_name_known)
{
	char buf[16];

	CHECK_STR(errno_name(ENOENT, buf, sizeof(buf)), "ENOENT");
	CHECK_STR(errno_name(EACCES, buf, sizeof(buf)), "EACCES");
	CHECK_STR(errno_name(ENAMETOOLONG, buf, sizeof(buf)), "ENAMETOOLONG");
	CHECK_STR(errno_name(EWOULDBLOCK, buf, sizeof(buf)), "EAGAIN");
}

TEST(errno_name_unknown)
{
	char buf[16], tiny[3];

	CHECK_STR(errno_name(4095, buf, sizeof(buf)), "E4095");
	CHECK_STR(errno_name(-5, buf, sizeof(buf)), "E-5");
	CHECK_STR(errno_name(2147483647, buf, sizeof(buf)), "E2147483647");
	CHECK_STR(errno_name(4095, tiny, sizeof(tiny)), "E4");
}
