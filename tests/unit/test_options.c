#include <limits.h>
#include "core/options.h"
#include "unit.h"

static int ulong_ok(const char *s, unsigned long min, unsigned long max, unsigned long want)
{
	unsigned long v = 12345;

	return parse_ulong_range(s, min, max, &v) && v == want;
}

static int ulong_bad(const char *s, unsigned long min, unsigned long max)
{
	unsigned long v = 12345;

	/* A refused value leaves the output alone. */
	return !parse_ulong_range(s, min, max, &v) && v == 12345;
}

TEST(parse_ulong_plain)
{
	CHECK(ulong_ok("0", 0, 10, 0));
	CHECK(ulong_ok("10", 0, 10, 10));
	CHECK(ulong_ok("007", 0, 10, 7));
	CHECK(ulong_ok("4194304", 1, 4194304, 4194304));
	CHECK(ulong_ok("18446744073709551615", 0, ULONG_MAX, ULONG_MAX));
}

TEST(parse_ulong_bounds)
{
	CHECK(ulong_bad("0", 1, 10));
	CHECK(ulong_bad("11", 1, 10));
	CHECK(ulong_ok("1", 1, 10, 1));
	CHECK(ulong_bad("4194305", 1, 4194304));
}

TEST(parse_ulong_rejects_syntax)
{
	CHECK(ulong_bad(NULL, 0, 10));
	CHECK(ulong_bad("", 0, 10));
	CHECK(ulong_bad(" 5", 0, 10));
	CHECK(ulong_bad("\t5", 0, 10));
	CHECK(ulong_bad("5 ", 0, 10));
	CHECK(ulong_bad("-5", 0, ULONG_MAX));
	CHECK(ulong_bad("-0", 0, 10));
	CHECK(ulong_bad("+5", 0, 10));
	CHECK(ulong_bad("5x", 0, 10));
	CHECK(ulong_bad("0x10", 0, 100));
	CHECK(ulong_bad("1.0", 0, 10));
	CHECK(ulong_bad("1e3", 0, 10000));
}

TEST(parse_ulong_overflow)
{
	CHECK(ulong_bad("18446744073709551616", 0, ULONG_MAX));
	CHECK(ulong_bad("99999999999999999999999999", 0, ULONG_MAX));
}

static int secs_ok(const char *s, double want)
{
	double v = -1;

	return parse_seconds(s, &v) && v == want;
}

static int secs_bad(const char *s)
{
	double v = -1;

	return !parse_seconds(s, &v) && v == -1;
}

TEST(parse_seconds_valid)
{
	CHECK(secs_ok("1", 1));
	CHECK(secs_ok("2.5", 2.5));
	CHECK(secs_ok(".5", 0.5));
	CHECK(secs_ok("0.001", 0.001));
	CHECK(secs_ok("1e3", 1000));
	CHECK(secs_ok("1000000000", 1e9));
}

TEST(parse_seconds_zero_and_negative)
{
	CHECK(secs_bad("0"));
	CHECK(secs_bad("0.0"));
	CHECK(secs_bad("0e5"));
	CHECK(secs_bad("-1"));
	CHECK(secs_bad("-0.5"));
}

TEST(parse_seconds_not_finite)
{
	CHECK(secs_bad("nan"));
	CHECK(secs_bad("NAN"));
	CHECK(secs_bad("inf"));
	CHECK(secs_bad("infinity"));
	CHECK(secs_bad("1e999"));     /* overflows to inf */
	CHECK(secs_bad("1e-999"));    /* underflows to 0 */
	CHECK(secs_bad("1000000001"));
}

TEST(parse_seconds_garbage)
{
	CHECK(secs_bad(NULL));
	CHECK(secs_bad(""));
	CHECK(secs_bad("."));
	CHECK(secs_bad(" 1"));
	CHECK(secs_bad("1 "));
	CHECK(secs_bad("1s"));
	CHECK(secs_bad("+1"));
	CHECK(secs_bad("1,5"));
	CHECK(secs_bad("abc"));
}
