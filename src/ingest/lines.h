/* \summary: streaming line reader: chunks in, records out
 *
 * No line-length limit short of a hard cap (LINES_MAX_RECORD; longer
 * records are cut there and the cut is reported), CRLF and lone CR-at-end
 * stripped, NUL bytes kept (records are (pointer, length); the pointer is
 * also NUL-terminated at length), invalid UTF-8 passed through untouched.
 * With join_tab, a line that starts with TAB continues the previous record
 * (Twisted's continuation lines) and is joined with '\n'.
 */
#ifndef AUTHSCOPE_INGEST_LINES_H
#define AUTHSCOPE_INGEST_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

#define LINES_MAX_RECORD (16u << 20)

typedef void (*line_fn)(void *ctx, const char *rec, size_t len, uint64_t lineno);
/* Called once per record cut at LINES_MAX_RECORD (lineno of its first line). */
typedef void (*line_cut_fn)(void *ctx, uint64_t lineno, uint64_t dropped_bytes);

struct linereader {
	struct sbuf part;           /* incomplete physical line */
	struct sbuf rec;            /* record being assembled (join_tab) */
	uint64_t lineno;            /* physical lines seen */
	uint64_t rec_lineno;        /* first line of the pending record */
	uint64_t cut_bytes;         /* bytes dropped from the current line */
	int have_rec, join_tab;
	line_fn fn;
	line_cut_fn cut;
	void *ctx;
};

void lines_init(struct linereader *lr, int join_tab, line_fn fn, line_cut_fn cut, void *ctx);
void lines_feed(struct linereader *lr, const char *buf, size_t n);
void lines_finish(struct linereader *lr);   /* flush a last line without '\n' */
void lines_free(struct linereader *lr);

#endif
