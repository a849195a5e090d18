/* \summary: a format runner: drives one sniffed input over its stream
 *
 * Text formats: one chunk per pull, read straight into the line reader's
 * buffer, every complete record to fmt->line(). Binary formats: one
 * fmt->step() per pull. At the end: the parser is closed (it flushes what
 * it holds), then a broken container (truncated or corrupt gzip, a broken
 * archive member, the bundle cap) becomes exactly one IE_DAMAGED error.
 */
#include <stdlib.h>
#include <string.h>

#include "core/format.h"
#include "core/str.h"
#include "ingest/ingest_int.h"
#include "ingest/lines.h"

struct runner {
	struct source base;
	const struct format *fmt;
	void *st;
	struct format_ctx ctx;
	struct stream *s;
	struct linereader lr;
	struct input *in;
	int finished;
};

static void on_line(void *ctx, const char *rec, size_t len, uint64_t lineno)
{
	struct runner *r = ctx;
	r->in->lines = r->lr.lineno;
	r->fmt->line(r->st, rec, len, lineno);
}

static void on_cut(void *ctx, uint64_t lineno, uint64_t dropped)
{
	struct runner *r = ctx;
	format_damage(&r->ctx, IE_TRUNCATED, lineno,
		      "record longer than %u MiB: %llu bytes cut", LINES_MAX_RECORD >> 20,
		      (unsigned long long)dropped);
}

/* A binary decoder that met the broken stream may have said so already
 * (e.g. "capture decoded up to frame N"): one damage per input is enough. */
static int has_damage(const struct input *in)
{
	for (uint32_t i = 0; i < in->nerr; i++)
		if (in->errs[i].cls == IE_DAMAGED)
			return 1;
	return 0;
}

static int finish(struct runner *r, int read_failed)
{
	if (r->fmt->flags & FMT_TEXT) {
		lines_finish(&r->lr);
		r->in->lines = r->lr.lineno;
		lines_free(&r->lr);
	} else {
		r->in->bytes = r->s->offset;
	}
	r->fmt->close(r->st);
	r->st = NULL;
	if ((read_failed || r->s->damaged) && !has_damage(r->in))
		format_damage(&r->ctx, IE_DAMAGED, 0, "%s", r->s->err[0] ? r->s->err : "read error");
	r->s->close(r->s);
	r->s = NULL;
	r->finished = 1;
	return SRC_EOF;
}

static int runner_pull(struct source *src)
{
	struct runner *r = (struct runner *)src;
	if (r->finished)
		return SRC_EOF;
	if (r->fmt->flags & FMT_TEXT) {
		size_t room;
		char *p = lines_space(&r->lr, &room);
		ssize_t n = stream_read(r->s, p, room);
		if (n > 0) {
			r->in->bytes += (uint64_t)n;
			lines_commit(&r->lr, (size_t)n);
			return SRC_READY;
		}
		return finish(r, n < 0);
	}
	if (r->fmt->step(r->st))
		return SRC_READY;
	return finish(r, 0);
}

static void runner_close(struct source *src)
{
	struct runner *r = (struct runner *)src;
	if (!r->finished) {         /* closed early: no damage report */
		if (r->fmt->flags & FMT_TEXT)
			lines_free(&r->lr);
		if (r->st)
			r->fmt->close(r->st);
		if (r->s)
			r->s->close(r->s);
	}
	free(r->base.lanes);
	free(r);
}

static const struct source_ops runner_ops = {"runner", runner_pull, NULL, runner_close};

struct source *runner_open(struct ingest *g, struct source *owner, struct input *in,
			   const struct format *fmt, struct stream *s)
{
	struct runner *r = xcalloc(1, sizeof *r);
	source_init(&r->base, &runner_ops, g);
	r->fmt = fmt;
	r->s = s;
	r->in = in;
	struct lane *l = ingest_lane(g, owner ? owner : &r->base, in);
	r->ctx = (struct format_ctx){in, lane_sink(l), s, g->o.secrets, g->o.ike_keys, g->o.ports};
	if (fmt->flags & FMT_TEXT)
		lines_init(&r->lr, !!(fmt->flags & FMT_JOIN_TAB), on_line, on_cut, r);
	r->st = fmt->open(&r->ctx);
	return &r->base;
}
