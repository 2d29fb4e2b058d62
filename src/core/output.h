/* One writer for both table and JSON Lines output, so every view has a
 * plain and a JSON form from the same code path.  A record is a sequence
 * of fields; in a table each field is a padded column, in JSON a key. */
#ifndef SNOOP_OUTPUT_H
#define SNOOP_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A field with this width is written in JSON only. */
#define OUT_JSON_ONLY (-10000)

struct output {
	FILE *f;
	bool json;
	bool first;       /* no field written yet in this record */
	bool failed;      /* a write failed (EPIPE, ENOSPC): stop producing */
	int error;        /* errno of the first failed write */
};

void output_init(struct output *o, FILE *f, bool json);
void output_record_begin(struct output *o);
void output_record_end(struct output *o);

void output_str(struct output *o, const char *key, int width, const char *s);
/* Text the caller already made safe for one table line (shell-quoted
 * arguments, say): a table shows it as it is; JSON escapes it as usual. */
void output_table_text(struct output *o, const char *key, int width, const char *s);
void output_bytes(struct output *o, const char *key, int width, const void *b, size_t n);
void output_int(struct output *o, const char *key, int width, long long v);
void output_uint(struct output *o, const char *key, int width, unsigned long long v);
void output_double(struct output *o, const char *key, int width, int prec, double v);
void output_bool(struct output *o, const char *key, int width, bool v);
/* JSON null; the table shows table_text. */
void output_null(struct output *o, const char *key, int width, const char *table_text);
/* Start and end a JSON array of strings; a table shows the items joined by
 * spaces. */
void output_array_begin(struct output *o, const char *key);
void output_array_bytes(struct output *o, const void *b, size_t n);
void output_array_end(struct output *o);
/* Nesting, for tools that print one JSON document (inspect, progs): an
 * object as a field (key) or as an array element (key NULL), and numbers
 * as array elements.  JSON only: tables do not nest, so in table mode
 * these write nothing. */
void output_object_begin(struct output *o, const char *key);
void output_object_end(struct output *o);
void output_array_uint(struct output *o, unsigned long long v);

/* Flush; records a failure.  Returns false once output is unusable. */
bool output_flush(struct output *o);

/* Escapers, pure: usable on any stream.  The JSON one always writes a
 * valid JSON string: bytes that are not valid UTF-8 become U+FFFD.
 * Returns true when it had to replace any. */
bool output_json_string(FILE *f, const void *s, size_t n);
/* For tables: printable bytes as they are, others as C escapes (\n, \x80),
 * so a record stays on one line. */
void output_table_string(FILE *f, const void *s, size_t n);
/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
size_t utf8_sequence_len(const unsigned char *s, size_t n);

#endif
