/* \summary: streaming line reader with TAB-continuation joining, in place */
#include "ingest/lines.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"

#define LINES_INIT_CAP (256u << 10)
#define LINES_MIN_ROOM (64u << 10)

void lines_init(struct linereader *lr, int join_tab, line_fn fn, line_cut_fn cut, void *ctx)
{
	memset(lr, 0, sizeof *lr);
	lr->join_tab = join_tab;
	lr->fn = fn;
	lr->cut = cut;
	lr->ctx = ctx;
}

void lines_free(struct linereader *lr)
{
	free(lr->buf);
	lr->buf = NULL;
	lr->cap = lr->len = lr->scan = 0;
}

char *lines_space(struct linereader *lr, size_t *room)
{
	/* one byte always stays free so a last line can be terminated */
	if (lr->cap - lr->len < LINES_MIN_ROOM + 1) {
		size_t keep = lr->have_rec ? lr->rec_off : lr->scan;
		if (keep) {
			memmove(lr->buf, lr->buf + keep, lr->len - keep);
			lr->len -= keep;
			lr->scan -= keep;
			if (lr->have_rec) {
				lr->rec_off -= keep;
				lr->rec_end -= keep;
			}
		}
		if (lr->cap - lr->len < LINES_MIN_ROOM + 1) {
			size_t ncap = lr->cap ? lr->cap : LINES_INIT_CAP;
			while (ncap - lr->len < LINES_MIN_ROOM + 1)
				ncap *= 2;
			if (ncap != lr->cap) {
				lr->buf = xrealloc(lr->buf, ncap);
				lr->cap = ncap;
			}
		}
	}
	*room = lr->cap - lr->len - 1;
	return lr->buf + lr->len;
}

static void flush_rec(struct linereader *lr)
{
	if (!lr->have_rec)
		return;
	lr->have_rec = 0;
	lr->buf[lr->rec_end] = 0;
	lr->fn(lr->ctx, lr->buf + lr->rec_off, lr->rec_end - lr->rec_off, lr->rec_lineno);
}

/* One complete physical line s[0..n) whose terminator is at s[n]. */
static void physical(struct linereader *lr, char *s, size_t n)
{
	lr->lineno++;
	if (n && s[n - 1] == '\r')
		n--;
	if (n > LINES_MAX_RECORD) {     /* the line ended within the chunk that passed the cap */
		lr->cut_bytes += n - LINES_MAX_RECORD;
		n = LINES_MAX_RECORD;
	}
	if (lr->cut_bytes) {
		if (lr->cut)
			lr->cut(lr->ctx, lr->lineno, lr->cut_bytes);
		lr->cut_bytes = 0;
	}
	/* a run of NUL bytes before a line is a zero-filled hole (a crash, a
	 * copy of a file being written): the line after it is intact */
	while (n && *s == '\0') {
		s++;
		n--;
	}
	if (!lr->join_tab) {
		s[n] = 0;
		lr->fn(lr->ctx, s, n, lr->lineno);
		return;
	}
	if (n && s[0] == '\t' && lr->have_rec) {
		size_t have = lr->rec_end - lr->rec_off;
		if (have + n > LINES_MAX_RECORD) {
			if (lr->cut)
				lr->cut(lr->ctx, lr->rec_lineno, n);
			return;
		}
		/* "rec" TERM ... "\tcont" -> "rec\ncont": the continuation moves
		 * left over the old terminator; it never overtakes its source. */
		lr->buf[lr->rec_end] = '\n';
		memmove(lr->buf + lr->rec_end + 1, s + 1, n - 1);
		lr->rec_end += n;
		return;
	}
	flush_rec(lr);
	lr->have_rec = 1;
	lr->rec_off = (size_t)(s - lr->buf);
	lr->rec_end = lr->rec_off + n;
	lr->rec_lineno = lr->lineno;
}

void lines_commit(struct linereader *lr, size_t n)
{
	size_t from = lr->len;
	lr->len += n;
	if (lr->discarding) {
		char *nl = memchr(lr->buf + from, '\n', n);
		if (!nl) {
			lr->cut_bytes += n;
			lr->len = from;
			return;
		}
		size_t drop = (size_t)(nl - (lr->buf + from));
		lr->cut_bytes += drop;
		memmove(lr->buf + from, nl, lr->len - (from + drop));
		lr->len -= drop;
		lr->discarding = 0;
	}
	char *p = lr->buf + lr->scan;
	char *q = lr->buf + from;          /* [scan, from) holds no '\n' */
	char *end = lr->buf + lr->len;
	char *nl;
	while (q < end && (nl = memchr(q, '\n', (size_t)(end - q)))) {
		physical(lr, p, (size_t)(nl - p));
		p = q = nl + 1;
	}
	lr->scan = (size_t)(p - lr->buf);
	if (lr->len - lr->scan > LINES_MAX_RECORD) {
		lr->cut_bytes += lr->len - lr->scan - LINES_MAX_RECORD;
		lr->len = lr->scan + LINES_MAX_RECORD;
		lr->discarding = 1;
	}
}

void lines_feed(struct linereader *lr, const char *buf, size_t n)
{
	while (n) {
		size_t room;
		char *dst = lines_space(lr, &room);
		size_t k = n < room ? n : room;
		memcpy(dst, buf, k);
		lines_commit(lr, k);
		buf += k;
		n -= k;
	}
}

void lines_finish(struct linereader *lr)
{
	if (lr->len > lr->scan || lr->cut_bytes) {
		if (!lr->buf) {
			size_t room;
			lines_space(lr, &room);
		}
		/* the spare byte lines_space keeps holds the terminator */
		physical(lr, lr->buf + lr->scan, lr->len - lr->scan);
		lr->scan = lr->len;
		lr->discarding = 0;
	}
	flush_rec(lr);
}

void lines_flush(struct linereader *lr)
{
	flush_rec(lr);
}
