/* \summary: streaming line reader with TAB-continuation joining */
#include "ingest/lines.h"

#include <string.h>

void lines_init(struct linereader *lr, int join_tab, line_fn fn, line_cut_fn cut, void *ctx)
{
	memset(lr, 0, sizeof *lr);
	sbuf_init(&lr->part, LINES_MAX_RECORD);
	sbuf_init(&lr->rec, LINES_MAX_RECORD);
	lr->join_tab = join_tab;
	lr->fn = fn;
	lr->cut = cut;
	lr->ctx = ctx;
}

void lines_free(struct linereader *lr)
{
	sbuf_free(&lr->part);
	sbuf_free(&lr->rec);
}

static void deliver(struct linereader *lr, const char *s, size_t n, uint64_t lineno)
{
	lr->fn(lr->ctx, s, n, lineno);
}

static void flush_rec(struct linereader *lr)
{
	if (!lr->have_rec)
		return;
	lr->have_rec = 0;
	deliver(lr, sbuf_cstr(&lr->rec), lr->rec.len, lr->rec_lineno);
	sbuf_reset(&lr->rec);
}

/* One complete physical line (without its '\n'). */
static void physical(struct linereader *lr, const char *s, size_t n)
{
	lr->lineno++;
	if (n && s[n - 1] == '\r')
		n--;
	if (lr->cut_bytes) {
		if (lr->cut)
			lr->cut(lr->ctx, lr->lineno, lr->cut_bytes);
		lr->cut_bytes = 0;
	}
	if (!lr->join_tab) {
		/* deliver NUL-terminated: copy only if s is not already */
		if (s == lr->part.p) {
			lr->part.p[n] = 0;
			deliver(lr, s, n, lr->lineno);
		} else {
			sbuf_reset(&lr->rec);
			if (!sbuf_add(&lr->rec, s, n))
				deliver(lr, sbuf_cstr(&lr->rec), n, lr->lineno);
		}
		return;
	}
	if (n && s[0] == '\t' && lr->have_rec) {
		if (sbuf_addc(&lr->rec, '\n') || sbuf_add(&lr->rec, s + 1, n - 1)) {
			if (lr->cut)
				lr->cut(lr->ctx, lr->rec_lineno, n);
		}
		return;
	}
	flush_rec(lr);
	lr->have_rec = 1;
	lr->rec_lineno = lr->lineno;
	if (sbuf_add(&lr->rec, s, n) && lr->cut)
		lr->cut(lr->ctx, lr->lineno, n);
}

void lines_feed(struct linereader *lr, const char *buf, size_t n)
{
	while (n) {
		const char *nl = memchr(buf, '\n', n);
		if (!nl) {
			size_t room = LINES_MAX_RECORD - lr->part.len;
			size_t take = n < room ? n : room;
			if (sbuf_add(&lr->part, buf, take))
				take = 0;
			lr->cut_bytes += n - take;
			return;
		}
		size_t len = (size_t)(nl - buf);
		if (lr->part.len) {
			size_t room = LINES_MAX_RECORD - lr->part.len;
			size_t take = len < room ? len : room;
			if (sbuf_add(&lr->part, buf, take))
				take = 0;
			lr->cut_bytes += len - take;
			physical(lr, lr->part.p, lr->part.len);
			sbuf_reset(&lr->part);
		} else if (!lr->join_tab) {
			/* fast path: copy into part only to NUL-terminate */
			if (sbuf_add(&lr->part, buf, len) == 0)
				physical(lr, lr->part.p, lr->part.len);
			sbuf_reset(&lr->part);
		} else {
			physical(lr, buf, len);
		}
		buf = nl + 1;
		n -= len + 1;
	}
}

void lines_finish(struct linereader *lr)
{
	if (lr->part.len || lr->cut_bytes) {
		physical(lr, sbuf_cstr(&lr->part), lr->part.len);
		sbuf_reset(&lr->part);
	}
	flush_rec(lr);
}
