/* A strict JSON checker for the fuzzers, written from RFC 8259 and the
 * Unicode well-formed UTF-8 table (Unicode 15, table 3-7), independently of
 * src/core/output.c so that it does not share that code's mistakes. */
#ifndef FUZZ_JSON_CHECK_H
#define FUZZ_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of the well-formed UTF-8 sequence at p, 0 if ill-formed. */
static inline size_t jc_utf8(const unsigned char *p, size_t n)
{
	unsigned char a = p[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (a <= 0x7f)
		return 1;
	if (a >= 0xc2 && a <= 0xdf)
		len = 2;
	else if (a >= 0xe0 && a <= 0xef)
		len = 3;
	else if (a >= 0xf0 && a <= 0xf4)
		len = 4;
	else
		return 0;
	if (a == 0xe0)
		lo = 0xa0;          /* no overlong 3-byte forms */
	else if (a == 0xed)
		hi = 0x9f;          /* no surrogates */
	else if (a == 0xf0)
		lo = 0x90;          /* no overlong 4-byte forms */
	else if (a == 0xf4)
		hi = 0x8f;          /* nothing past U+10FFFF */
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

static inline bool jc_all_utf8(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t l = jc_utf8(p + i, n - i);

		if (!l)
			return false;
		i += l;
	}
	return true;
}

static inline int jc_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append code point cp as UTF-8 to out (room for 4 more bytes assumed). */
static inline size_t jc_put_utf8(unsigned char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | ((cp >> 6) & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | cp >> 18;
	out[1] = 0x80 | ((cp >> 12) & 0x3f);
	out[2] = 0x80 | ((cp >> 6) & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* A JSON string at s[*pos].  On success advances *pos past it and, when
 * dec is not NULL, writes the decoded UTF-8 there (at most 4 bytes per
 * input byte) with its length in *declen.  We never emit \u escapes of
 * surrogates, so a lone one counts as an error here. */
static inline bool jc_string(const unsigned char *s, size_t n, size_t *pos,
		      unsigned char *dec, size_t *declen)
{
	size_t i = *pos, d = 0;

	if (i >= n || s[i] != '"')
		return false;
	i++;
	for (;;) {
		unsigned char c;

		if (i >= n)
			return false;
		c = s[i];
		if (c == '"') {
			i++;
			break;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			uint32_t cp = 0;

			if (i + 1 >= n)
				return false;
			switch (s[i + 1]) {
			case '"': cp = '"'; break;
			case '\\': cp = '\\'; break;
			case '/': cp = '/'; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				if (i + 6 > n)
					return false;
				for (int k = 2; k < 6; k++) {
					int h = jc_hex(s[i + k]);

					if (h < 0)
						return false;
					cp = cp << 4 | h;
				}
				if (cp >= 0xd800 && cp <= 0xdfff)
					return false;
				i += 4;
				break;
			default:
				return false;
			}
			i += 2;
			if (dec)
				d += jc_put_utf8(dec + d, cp);
			continue;
		}
		size_t l = jc_utf8(s + i, n - i);

		if (!l)
			return false;
		if (dec)
			for (size_t k = 0; k < l; k++)
				dec[d++] = s[i + k];
		i += l;
	}
	*pos = i;
	if (declen)
		*declen = d;
	return true;
}

static inline bool jc_number(const unsigned char *s, size_t n, size_t *pos)
{
	size_t i = *pos;

	if (i < n && s[i] == '-')
		i++;
	if (i >= n)
		return false;
	if (s[i] == '0') {
		i++;
	} else if (s[i] >= '1' && s[i] <= '9') {
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	} else {
		return false;
	}
	if (i < n && s[i] == '.') {
		size_t start = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t start;

		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		start = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	*pos = i;
	return true;
}

static inline bool jc_literal(const unsigned char *s, size_t n, size_t *pos, const char *lit)
{
	size_t i = *pos;

	for (; *lit; lit++, i++)
		if (i >= n || s[i] != (unsigned char)*lit)
			return false;
	*pos = i;
	return true;
}

/* Our writer emits no whitespace, so none is accepted. */
static inline bool jc_value(const unsigned char *s, size_t n, size_t *pos, int depth)
{
	size_t i = *pos;

	if (i >= n || depth > 16)
		return false;
	switch (s[i]) {
	case '"':
		return jc_string(s, n, pos, NULL, NULL);
	case 't':
		return jc_literal(s, n, pos, "true");
	case 'f':
		return jc_literal(s, n, pos, "false");
	case 'n':
		return jc_literal(s, n, pos, "null");
	case '[':
	case '{': {
		bool obj = s[i] == '{';
		char close = obj ? '}' : ']';

		i++;
		if (i < n && s[i] == close) {
			*pos = i + 1;
			return true;
		}
		for (;;) {
			if (obj) {
				if (!jc_string(s, n, &i, NULL, NULL) || i >= n || s[i] != ':')
					return false;
				i++;
			}
			if (!jc_value(s, n, &i, depth + 1) || i >= n)
				return false;
			if (s[i] == close) {
				*pos = i + 1;
				return true;
			}
			if (s[i] != ',')
				return false;
			i++;
		}
	}
	default:
		return jc_number(s, n, pos);
	}
}

/* One JSON Lines record: an object, then exactly one newline. */
static inline bool jc_json_line(const unsigned char *s, size_t n)
{
	size_t pos = 0;

	return n && s[0] == '{' && jc_value(s, n, &pos, 0) && pos == n - 1 && s[pos] == '\n';
}

#endif
