/* \summary: streaming line reader: chunks in, records out, no copy per line
 *
 * No line-length limit short of a hard cap (LINES_MAX_RECORD; longer
 * records are cut there and the cut is reported), CRLF and lone CR-at-end
 * stripped, NUL bytes kept inside a record (records are (pointer, length);
 * the pointer is also NUL-terminated at length) but a run of them before a
 * line dropped (a zero-filled hole), invalid UTF-8 passed through untouched.
 * With join_tab, a line that starts with TAB continues the previous record
 * (Twisted's continuation lines) and is joined with '\n' (the TAB dropped).
 *
 * The reader owns its buffer: the caller reads straight into it
 * (lines_space, then lines_commit with the byte count) and every complete
 * line is NUL-terminated in place and handed to fn without a copy. Only
 * the incomplete tail of a chunk is moved (to the buffer's front) before
 * the next read. lines_feed is the copying convenience for callers that
 * hold their own bytes. The record pointer is valid only during fn.
 */
#ifndef AUTHSCOPE_INGEST_LINES_H
#define AUTHSCOPE_INGEST_LINES_H

#include <stddef.h>
#include <stdint.h>

#define LINES_MAX_RECORD (16u << 20)

typedef void (*line_fn)(void *ctx, const char *rec, size_t len, uint64_t lineno);
/* Called once per line or record cut at LINES_MAX_RECORD (lineno of its
 * first line, bytes dropped). */
typedef void (*line_cut_fn)(void *ctx, uint64_t lineno, uint64_t dropped_bytes);

struct linereader {
	char *buf;
	size_t cap, len;            /* buf[0..len) holds bytes not yet consumed */
	size_t scan;                /* start of the current incomplete line */
	size_t rec_off, rec_end;    /* pending record (join_tab) in buf */
	int have_rec, join_tab, discarding;
	uint64_t lineno;            /* physical lines seen */
	uint64_t rec_lineno;        /* first line of the pending record */
	uint64_t cut_bytes;         /* bytes dropped from the current line */
	line_fn fn;
	line_cut_fn cut;
	void *ctx;
};

void lines_init(struct linereader *lr, int join_tab, line_fn fn, line_cut_fn cut, void *ctx);
/* Where to read next; *room > 0 bytes may be written there. */
char *lines_space(struct linereader *lr, size_t *room);
/* n bytes were written at lines_space(): deliver every complete record. */
void lines_commit(struct linereader *lr, size_t n);
/* Copying form: buf is the caller's. */
void lines_feed(struct linereader *lr, const char *buf, size_t n);
void lines_finish(struct linereader *lr);   /* flush a last line without '\n' */
/* Deliver a complete record held back for possible TAB continuations
 * (join_tab) now, without ending the stream: a followed file that went
 * quiet shows its last record (a continuation arriving later then starts
 * a record of its own). A partial last line is kept. */
void lines_flush(struct linereader *lr);
void lines_free(struct linereader *lr);

#endif
