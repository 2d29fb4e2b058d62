#include <signal.h>
#include "core/names.h"
#include "core/shquote.h"
#include "unit.h"

static char buf[512];

static const char *status_str(int status)
{
	exit_status_str(buf, sizeof(buf), status);
	return buf;
}

static const char *clone_str(uint64_t flags, int sig)
{
	clone_flags_str(buf, sizeof(buf), flags, sig);
	return buf;
}

TEST(proc_signal_names)
{
	char b[32];

	CHECK_STR(signal_name(9, b, sizeof(b)), "SIGKILL");
	CHECK_STR(signal_name(11, b, sizeof(b)), "SIGSEGV");
	CHECK_STR(signal_name(17, b, sizeof(b)), "SIGCHLD");
	CHECK_STR(signal_name(SIGRTMIN + 2, b, sizeof(b)), "SIGRTMIN+2");
	CHECK_STR(signal_name(0, b, sizeof(b)), "SIG0");
	CHECK_STR(signal_name(99, b, sizeof(b)), "SIG99");
}

TEST(proc_exit_status)
{
	CHECK_STR(status_str(0), "0");
	CHECK_STR(status_str(3 << 8), "code 3");
	CHECK_STR(status_str(255 << 8), "code 255");
	CHECK_STR(status_str(9), "signal 9 (SIGKILL)");
	CHECK_STR(status_str(11 | 0x80), "signal 11 (SIGSEGV), core dumped");
}

TEST(proc_exit_status_truncates)
{
	char small[8];

	CHECK(exit_status_str(small, sizeof(small), 9) == 7);
	CHECK_STR(small, "signal ");
	CHECK(exit_status_str(small, 0, 9) == 0);
}

TEST(proc_clone_flags)
{
	/* fork(2), vfork(2), and the flags glibc's pthread_create passes. */
	CHECK_STR(clone_str(0, SIGCHLD), "SIGCHLD");
	CHECK_STR(clone_str(0x4100, SIGCHLD), "CLONE_VM|CLONE_VFORK|SIGCHLD");
	CHECK_STR(clone_str(0x3d0f00, 0),
		  "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|"
		  "CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID");
	CHECK_STR(clone_str(0, 0), "0");
}

TEST(proc_clone_flags_clone3_and_unknown)
{
	CHECK_STR(clone_str(0x100000000ULL | 0x80, SIGCHLD),
		  "CLONE_NEWTIME|CLONE_CLEAR_SIGHAND|SIGCHLD");
	CHECK_STR(clone_str(0x8000000000ULL, 0), "0x8000000000");
}

TEST(proc_clone_flags_truncates)
{
	char small[12];

	CHECK(clone_flags_str(small, sizeof(small), 0x300, 0) == 11);
	CHECK_STR(small, "CLONE_VM|CL");
}

static const char *quote(const char *s, size_t n)
{
	shell_quote(buf, sizeof(buf), s, n);
	return buf;
}

TEST(proc_shell_quote)
{
	CHECK_STR(quote("ls", 2), "ls");
	CHECK_STR(quote("/usr/bin/x-y_z.1", 16), "/usr/bin/x-y_z.1");
	CHECK_STR(quote("", 0), "''");
	CHECK_STR(quote("a b", 3), "'a b'");
	CHECK_STR(quote("it's", 4), "'it'\\''s'");
	CHECK_STR(quote("\"q\"", 3), "'\"q\"'");
	CHECK_STR(quote("$HOME", 5), "'$HOME'");
	CHECK_STR(quote("caf\xc3\xa9", 5), "'caf\xc3\xa9'");
	CHECK_STR(quote("a\nb", 3), "$'a\\nb'");
	CHECK_STR(quote("x'\\\n", 4), "$'x\\'\\\\\\n'");
	CHECK_STR(quote("\xff\x01", 2), "$'\\xff\\x01'");
}

TEST(proc_shell_quote_truncates)
{
	char small[4];

	CHECK(shell_quote(small, sizeof(small), "a b", 3) == 5);
	CHECK_STR(small, "'a ");
}
