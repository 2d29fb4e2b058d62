#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include "core/output.h"

void output_init(struct output *o, FILE *f, bool json)
{
	o->f = f;
	o->json = json;
	o->first = true;
	o->failed = false;
	o->error = 0;
	/* Fast when redirected, immediate on a terminal.  The event loop also
	 * flushes whenever the ring runs dry, so a pipe never waits on a
	 * half-full buffer. */
	setvbuf(f, NULL, isatty(fileno(f)) ? _IOLBF : _IOFBF, 64 * 1024);
}

size_t utf8_sequence_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned int cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* Each stream is written by one thread, so the _unlocked stdio calls
 * (putc_unlocked is a macro, not a call) are safe, and much cheaper at a
 * million events. */

/* Length of the run at p of printable ASCII other than the given two:
 * bytes every escaper passes through, so a run is written in one call
 * (writing byte by byte was most of the reader's time at 1M events). */
static size_t plain_run(const unsigned char *p, size_t n, unsigned char x, unsigned char y)
{
	size_t i = 0;

	while (i < n && p[i] >= 0x20 && p[i] < 0x7f && p[i] != x && p[i] != y)
		i++;
	return i;
}

bool output_json_string(FILE *f, const void *s, size_t n)
{
	const unsigned char *p = s;
	bool replaced = false;

	putc_unlocked('"', f);
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t run = plain_run(p + i, n - i, '"', '\\');

		if (run) {
			fwrite_unlocked(p + i, 1, run, f);
			i += run;
			continue;
		}
		if (c == '"' || c == '\\') {
			putc_unlocked('\\', f);
			putc_unlocked(c, f);
		} else if (c == '\n') {
			fputs_unlocked("\\n", f);
		} else if (c == '\t') {
			fputs_unlocked("\\t", f);
		} else if (c == '\r') {
			fputs_unlocked("\\r", f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else if (c < 0x80) {
			putc_unlocked(c, f);
		} else {
			size_t len = utf8_sequence_len(p + i, n - i);

			if (!len) {
				fputs_unlocked("\\ufffd", f);
				replaced = true;
				i++;
				continue;
			}
			fwrite_unlocked(p + i, 1, len, f);
			i += len;
			continue;
		}
		i++;
	}
	putc_unlocked('"', f);
	return replaced;
}

/* Writes s escaped for a table when f is set, and returns the columns it
 * takes either way: an escape is wider than its byte, a UTF-8 sequence is
 * one column (wide East Asian characters aside). */
static size_t table_escape(FILE *f, const unsigned char *p, size_t n)
{
	size_t cols = 0;

	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t len = 1, run = plain_run(p + i, n - i, '\\', '\\');
		char esc[8];

		if (run) {
			if (f)
				fwrite_unlocked(p + i, 1, run, f);
			cols += run;
			i += run;
			continue;
		}
		if (c == '\\' || c == '\n' || c == '\t') {
			esc[0] = '\\';
			esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : '\\';
			esc[2] = 0;
		} else if (c < 0x20 || c == 0x7f ||
			   (c >= 0x80 && !(len = utf8_sequence_len(p + i, n - i)))) {
			snprintf(esc, sizeof(esc), "\\x%02x", c);
		} else {
			if (f)
				fwrite_unlocked(p + i, 1, len, f);
			cols++;
			i += len;
			continue;
		}
		if (f)
			fputs_unlocked(esc, f);
		cols += strlen(esc);
		i++;
	}
	return cols;
}

void output_table_string(FILE *f, const void *s, size_t n)
{
	table_escape(f, s, n);
}

/* stdio keeps no errno of its own; the failing write left it in errno. */
static void output_mark_failed(struct output *o)
{
	if (!o->failed)
		o->error = errno ? errno : EIO;
	o->failed = true;
}

void output_record_begin(struct output *o)
{
	o->first = true;
	if (o->json)
		putc_unlocked('{', o->f);
}

void output_record_end(struct output *o)
{
	if (o->json)
		putc_unlocked('}', o->f);
	putc_unlocked('\n', o->f);
	if (ferror(o->f))
		output_mark_failed(o);
}

/* Separator and key; returns false when the field is not shown. */
static bool field_start(struct output *o, const char *key, int width)
{
	if (o->json) {
		if (!o->first)
			putc_unlocked(',', o->f);
		o->first = false;
		output_json_string(o->f, key, strlen(key));
		putc_unlocked(':', o->f);
		return true;
	}
	if (width == OUT_JSON_ONLY)
		return false;
	if (!o->first)
		putc_unlocked(' ', o->f);
	o->first = false;
	return true;
}

/* Table cell: the text padded to width, escaped. */
static void table_cell(struct output *o, int width, const void *b, size_t n, bool raw)
{
	size_t w = width < 0 ? (size_t)-width : (size_t)width;
	/* Pad by what the text shows, not by its bytes. */
	size_t cols = raw ? n : width ? table_escape(NULL, b, n) : 0;

	if (width > 0)
		for (size_t i = cols; i < w; i++)
			putc_unlocked(' ', o->f);
	if (raw)
		fwrite_unlocked(b, 1, n, o->f);
	else
		table_escape(o->f, b, n);
	if (width < 0)
		for (size_t i = cols; i < w; i++)
			putc_unlocked(' ', o->f);
}

void output_bytes(struct output *o, const char *key, int width, const void *b, size_t n)
{
	if (!field_start(o, key, width))
		return;
	if (o->json)
		output_json_string(o->f, b, n);
	else
		table_cell(o, width, b, n, false);
}

void output_str(struct output *o, const char *key, int width, const char *s)
{
	output_bytes(o, key, width, s, strlen(s));
}

void output_table_text(struct output *o, const char *key, int width, const char *s)
{
	if (!field_start(o, key, width))
		return;
	if (o->json)
		output_json_string(o->f, s, strlen(s));
	else
		table_cell(o, width, s, strlen(s), true);
}

static void output_number(struct output *o, const char *key, int width, const char *text)
{
	if (!field_start(o, key, width))
		return;
	if (o->json)
		fputs_unlocked(text, o->f);
	else
		table_cell(o, width, text, strlen(text), true);
}

/* Decimal digits of v, ending at end (not NUL-terminated); returns the
 * first.  Numbers are in every field of every event: snprintf was the
 * largest part of printing one. */
static char *format_decimal(char *end, unsigned long long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

void output_int(struct output *o, const char *key, int width, long long v)
{
	char buf[32], *p;

	buf[31] = 0;
	p = format_decimal(buf + 31, v < 0 ? -(unsigned long long)v : (unsigned long long)v);
	if (v < 0)
		*--p = '-';
	output_number(o, key, width, p);
}

void output_uint(struct output *o, const char *key, int width, unsigned long long v)
{
	char buf[32];

	buf[31] = 0;
	output_number(o, key, width, format_decimal(buf + 31, v));
}

void output_double(struct output *o, const char *key, int width, int prec, double v)
{
	char buf[64];

	/* nan and inf are not JSON numbers. */
	if (o->json && !isfinite(v)) {
		output_null(o, key, width, "");
		return;
	}
	snprintf(buf, sizeof(buf), "%.*f", prec, v);
	output_number(o, key, width, buf);
}

void output_bool(struct output *o, const char *key, int width, bool v)
{
	output_number(o, key, width, v ? "true" : "false");
}

void output_null(struct output *o, const char *key, int width, const char *table_text)
{
	if (!field_start(o, key, width))
		return;
	if (o->json)
		fputs_unlocked("null", o->f);
	else
		table_cell(o, width, table_text, strlen(table_text), true);
}

void output_array_begin(struct output *o, const char *key)
{
	field_start(o, key, 0);
	if (o->json)
		putc_unlocked('[', o->f);
	o->first = true;
}

void output_array_bytes(struct output *o, const void *b, size_t n)
{
	if (!o->first)
		putc_unlocked(o->json ? ',' : ' ', o->f);
	o->first = false;
	if (o->json)
		output_json_string(o->f, b, n);
	else
		output_table_string(o->f, b, n);
}

void output_array_end(struct output *o)
{
	if (o->json)
		putc_unlocked(']', o->f);
	o->first = false;
}

void output_object_begin(struct output *o, const char *key)
{
	if (!o->json)
		return;
	if (key)
		field_start(o, key, 0);
	else if (!o->first)
		putc_unlocked(',', o->f);
	putc_unlocked('{', o->f);
	o->first = true;
}

void output_object_end(struct output *o)
{
	if (!o->json)
		return;
	putc_unlocked('}', o->f);
	o->first = false;
}

void output_array_uint(struct output *o, unsigned long long v)
{
	if (!o->json)
		return;
	if (!o->first)
		putc_unlocked(',', o->f);
	o->first = false;
	fprintf(o->f, "%llu", v);
}

bool output_flush(struct output *o)
{
	if (fflush(o->f) == EOF || ferror(o->f))
		output_mark_failed(o);
	return !o->failed;
}
