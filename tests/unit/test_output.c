#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include "core/output.h"
#include "unit.h"

/* What output_json_string / output_table_string write for n bytes. */
static char *esc(bool json, const void *s, size_t n, bool *replaced)
{
	static char *buf;
	size_t size;
	FILE *f;
	bool r = false;

	free(buf);
	f = open_memstream(&buf, &size);
	if (json)
		r = output_json_string(f, s, n);
	else
		output_table_string(f, s, n);
	fclose(f);
	if (replaced)
		*replaced = r;
	return buf;
}

#define JSON(lit) esc(true, lit, sizeof(lit) - 1, NULL)
#define TABLE(lit) esc(false, lit, sizeof(lit) - 1, NULL)

/* JSON escaping must replace exactly the invalid bytes, one U+FFFD each,
 * and report that it did. */
static void json_invalid(int *unit_failed, const char *in, size_t n, const char *want)
{
	bool replaced;

	CHECK_STR(esc(true, in, n, &replaced), want);
	CHECK(replaced);
}
#define INVALID(lit, want) json_invalid(unit_failed, lit, sizeof(lit) - 1, want)

static void json_valid(int *unit_failed, const char *in, size_t n)
{
	bool replaced = true;
	char want[64];

	snprintf(want, sizeof(want), "\"%.*s\"", (int)n, in);
	CHECK_STR(esc(true, in, n, &replaced), want);
	CHECK(!replaced);
}
#define VALID(lit) json_valid(unit_failed, lit, sizeof(lit) - 1)

TEST(json_string_plain)
{
	CHECK_STR(JSON(""), "\"\"");
	CHECK_STR(JSON("/etc/passwd"), "\"/etc/passwd\"");
	CHECK_STR(JSON("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
}

TEST(json_string_every_control_char)
{
	for (int c = 0; c <= 0x7f; c++) {
		char in[3] = { 'x', (char)c, 'y' }, want[16];

		if (c == '"' || c == '\\' || (c >= 0x20 && c < 0x7f))
			continue;
		if (c == '\n')
			strcpy(want, "\"x\\ny\"");
		else if (c == '\t')
			strcpy(want, "\"x\\ty\"");
		else if (c == '\r')
			strcpy(want, "\"x\\ry\"");
		else
			snprintf(want, sizeof(want), "\"x\\u%04xy\"", c);
		CHECK_STR(esc(true, in, 3, NULL), want);
	}
}

TEST(json_string_printable_ascii_as_is)
{
	for (int c = 0x20; c < 0x7f; c++) {
		char in[1] = { (char)c }, want[8];

		if (c == '"' || c == '\\')
			continue;
		snprintf(want, sizeof(want), "\"%c\"", c);
		CHECK_STR(esc(true, in, 1, NULL), want);
	}
}

TEST(json_string_valid_utf8_kept)
{
	VALID("\xc2\x80");               /* U+0080, smallest 2-byte */
	VALID("caf\xc3\xa9");            /* é */
	VALID("\xdf\xbf");               /* U+07FF */
	VALID("\xe0\xa0\x80");           /* U+0800, smallest 3-byte */
	VALID("\xe2\x82\xac");           /* € */
	VALID("\xed\x9f\xbf");           /* U+D7FF, just below the surrogates */
	VALID("\xee\x80\x80");           /* U+E000, just above them */
	VALID("\xef\xbf\xbf");           /* U+FFFF */
	VALID("\xf0\x90\x80\x80");       /* U+10000, smallest 4-byte */
	VALID("\xf0\x9f\x98\x80");       /* emoji */
	VALID("\xf4\x8f\xbf\xbf");       /* U+10FFFF, the last code point */
}

TEST(json_string_invalid_bytes)
{
	INVALID("\x80", "\"\\ufffd\"");                   /* lone continuation */
	INVALID("a\xbf" "b", "\"a\\ufffdb\"");
	INVALID("\xfe\xff", "\"\\ufffd\\ufffd\"");
	INVALID("\xf5\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	INVALID("\xc3\xc3\xa9", "\"\\ufffd\xc3\xa9\"");     /* lead then a valid é */
	INVALID("\xe2\x82" "A", "\"\\ufffd\\ufffdA\"");     /* cut short by ASCII */
}

TEST(json_string_overlong)
{
	INVALID("\xc0\x80", "\"\\ufffd\\ufffd\"");         /* NUL in 2 bytes */
	INVALID("\xc1\xbf", "\"\\ufffd\\ufffd\"");
	INVALID("\xe0\x80\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	INVALID("\xe0\x9f\xbf", "\"\\ufffd\\ufffd\\ufffd\""); /* U+07FF in 3 */
	INVALID("\xf0\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	INVALID("\xf0\x8f\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* U+FFFF in 4 */
}

TEST(json_string_surrogates)
{
	INVALID("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");  /* U+D800 */
	INVALID("\xed\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\"");  /* U+DFFF */
	/* A CESU-8 pair is two surrogates, not one code point. */
	INVALID("\xed\xa0\xbd\xed\xb8\x80",
		"\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

TEST(json_string_beyond_10ffff)
{
	INVALID("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* U+110000 */
	INVALID("\xf7\xbf\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

TEST(json_string_truncated_at_end)
{
	INVALID("a\xc3", "\"a\\ufffd\"");
	INVALID("a\xe2\x82", "\"a\\ufffd\\ufffd\"");
	INVALID("\xf0\x9f\x98", "\"\\ufffd\\ufffd\\ufffd\"");
	/* n cuts a valid sequence: the bytes past n must not be read. */
	CHECK_STR(esc(true, "\xc3\xa9", 1, NULL), "\"\\ufffd\"");
}

TEST(json_string_embedded_nul)
{
	CHECK_STR(esc(true, "a\0b", 3, NULL), "\"a\\u0000b\"");
}

TEST(table_string_escapes)
{
	CHECK_STR(TABLE("plain /path"), "plain /path");
	CHECK_STR(TABLE("a\\b"), "a\\\\b");
	CHECK_STR(TABLE("a\nb\tc"), "a\\nb\\tc");
	CHECK_STR(TABLE("\r\x01\x1f\x7f"), "\\x0d\\x01\\x1f\\x7f");
	CHECK_STR(TABLE("\"q\""), "\"q\"");
	CHECK_STR(TABLE("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");
	CHECK_STR(TABLE("\x80\xff"), "\\x80\\xff");
	CHECK_STR(TABLE("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	CHECK_STR(TABLE("x\xe2\x82"), "x\\xe2\\x82");
	CHECK_STR(esc(false, "a\0b", 3, NULL), "a\\x00b");
}

/* ---- the record API ---------------------------------------------------- */

struct capture {
	char *buf;
	size_t size;
	FILE *f;
	struct output o;
};

static struct output *cap_open(struct capture *c, bool json)
{
	c->buf = NULL;
	c->f = open_memstream(&c->buf, &c->size);
	output_init(&c->o, c->f, json);
	return &c->o;
}

/* Returns the text written; valid until the next cap_open on c. */
static const char *cap_close(struct capture *c)
{
	static char *last;

	output_flush(&c->o);
	fclose(c->f);
	free(last);
	last = c->buf;
	return last;
}

static void typical_record(struct output *o)
{
	output_record_begin(o);
	output_uint(o, "pid", -7, 42);
	output_uint(o, "tid", OUT_JSON_ONLY, 43);
	output_str(o, "comm", -6, "ab");
	output_int(o, "fd", 3, -1);
	output_null(o, "err", 4, "-");
	output_bool(o, "ok", OUT_JSON_ONLY, false);
	output_str(o, "path", 0, "/x y");
	output_record_end(o);
}

TEST(record_table)
{
	struct capture c;

	typical_record(cap_open(&c, false));
	/* tid and ok are JSON only; widths pad left- and right-aligned. */
	CHECK_STR(cap_close(&c), "42     " " " "ab    " " " " -1" " " "   -" " " "/x y\n");
}

TEST(record_json)
{
	struct capture c;

	typical_record(cap_open(&c, true));
	CHECK_STR(cap_close(&c),
		  "{\"pid\":42,\"tid\":43,\"comm\":\"ab\",\"fd\":-1,\"err\":null,"
		  "\"ok\":false,\"path\":\"/x y\"}\n");
}

TEST(record_two_records)
{
	struct capture c;
	struct output *o = cap_open(&c, true);

	output_record_begin(o);
	output_int(o, "a", 0, 1);
	output_record_end(o);
	output_record_begin(o);
	output_bool(o, "b", 0, true);
	output_record_end(o);
	CHECK_STR(cap_close(&c), "{\"a\":1}\n{\"b\":true}\n");
}

TEST(record_json_only_first_field_table)
{
	struct capture c;
	struct output *o = cap_open(&c, false);

	/* A hidden first field must not leave a separator behind. */
	output_record_begin(o);
	output_uint(o, "tid", OUT_JSON_ONLY, 1);
	output_str(o, "x", 0, "y");
	output_record_end(o);
	CHECK_STR(cap_close(&c), "y\n");
}

TEST(record_width_shorter_than_text)
{
	struct capture c;
	struct output *o = cap_open(&c, false);

	output_record_begin(o);
	output_str(o, "comm", -3, "abcdef");
	output_uint(o, "n", 2, 12345);
	output_record_end(o);
	CHECK_STR(cap_close(&c), "abcdef 12345\n");
}

TEST(record_escapes_in_both_modes)
{
	struct capture c;
	struct output *o = cap_open(&c, false);

	output_record_begin(o);
	output_bytes(o, "comm", 0, "a\nb\"\xff", 5);
	output_record_end(o);
	CHECK_STR(cap_close(&c), "a\\nb\"\\xff\n");

	o = cap_open(&c, true);
	output_record_begin(o);
	output_bytes(o, "we\"ird", 0, "a\nb\"\xff", 5);
	output_record_end(o);
	CHECK_STR(cap_close(&c), "{\"we\\\"ird\":\"a\\nb\\\"\\ufffd\"}\n");
}

TEST(record_numbers)
{
	struct capture c;
	struct output *o = cap_open(&c, true);

	output_record_begin(o);
	output_int(o, "min", 0, -9223372036854775807LL - 1);
	output_uint(o, "max", 0, 18446744073709551615ULL);
	output_double(o, "t", 0, 3, 1.5);
	output_record_end(o);
	CHECK_STR(cap_close(&c),
		  "{\"min\":-9223372036854775808,\"max\":18446744073709551615,\"t\":1.500}\n");

	o = cap_open(&c, false);
	output_record_begin(o);
	output_double(o, "t", -8, 3, 1.5);
	output_bool(o, "b", 5, true);
	output_record_end(o);
	CHECK_STR(cap_close(&c), "1.500    " " true\n");
}

TEST(record_double_not_finite_is_json_null)
{
	struct capture c;
	struct output *o = cap_open(&c, true);

	/* nan and inf are not JSON numbers. */
	output_record_begin(o);
	output_double(o, "a", 0, 3, NAN);
	output_double(o, "b", 0, 3, INFINITY);
	output_double(o, "c", 0, 3, -INFINITY);
	output_record_end(o);
	CHECK_STR(cap_close(&c), "{\"a\":null,\"b\":null,\"c\":null}\n");
}

static void array_record(struct output *o, int items)
{
	static const char *const names[] = { "a b", "c\n", "\xff" };

	output_record_begin(o);
	output_uint(o, "pid", -4, 7);
	output_array_begin(o, "args");
	for (int i = 0; i < items; i++)
		output_array_bytes(o, names[i], strlen(names[i]));
	output_array_end(o);
	output_int(o, "n", 0, items);
	output_record_end(o);
}

TEST(record_array)
{
	struct capture c;

	array_record(cap_open(&c, true), 3);
	CHECK_STR(cap_close(&c),
		  "{\"pid\":7,\"args\":[\"a b\",\"c\\n\",\"\\ufffd\"],\"n\":3}\n");
	array_record(cap_open(&c, false), 3);
	CHECK_STR(cap_close(&c), "7    a b c\\n \\xff 3\n");
}

TEST(record_array_empty)
{
	struct capture c;

	array_record(cap_open(&c, true), 0);
	CHECK_STR(cap_close(&c), "{\"pid\":7,\"args\":[],\"n\":0}\n");
	array_record(cap_open(&c, false), 0);
	CHECK_STR(cap_close(&c), "7     0\n");
}

TEST(record_array_first)
{
	struct capture c;
	struct output *o = cap_open(&c, true);

	output_record_begin(o);
	output_array_begin(o, "a");
	output_array_bytes(o, "x", 1);
	output_array_end(o);
	output_record_end(o);
	CHECK_STR(cap_close(&c), "{\"a\":[\"x\"]}\n");
}

TEST(output_flush_reports_failure)
{
	struct output o;
	FILE *f = fopen("/dev/full", "w");

	if (!f) {
		CHECK(!"cannot open /dev/full");
		return;
	}
	output_init(&o, f, true);
	CHECK(!o.failed);
	output_record_begin(&o);
	output_str(&o, "k", 0, "v");
	output_record_end(&o);
	CHECK(!output_flush(&o));
	CHECK(o.failed);
	fclose(f);
}

TEST(record_table_width_counts_what_is_shown)
{
	struct capture c;
	struct output *o = cap_open(&c, false);

	/* An escape is wider than its byte and a UTF-8 character narrower than
	 * its bytes: columns stay aligned either way. */
	output_record_begin(o);
	output_str(o, "comm", -6, "a\nb");
	output_str(o, "x", -6, "caf\xc3\xa9");
	output_bytes(o, "y", 6, "\xff", 1);
	output_str(o, "z", -2, "\xe2\x82\xac");
	output_str(o, "end", 0, "|");
	output_record_end(o);
	CHECK_STR(cap_close(&c), "a\\nb  " " " "caf\xc3\xa9  " " " "  \\xff" " " "\xe2\x82\xac " " " "|\n");
}
