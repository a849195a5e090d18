/* Shared harness of the config tests: text -> a config format -> events,
 * optionally through core/confcheck; the events are kept (raw copied). */
#ifndef TESTS_CFG_FIXTURE_H
#define TESTS_CFG_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "core/confcheck.h"
#include "core/event.h"
#include "core/format.h"
#include "core/input.h"
#include "core/str.h"
#include "ingest/lines.h"

#define CFG_MAXEV 4096

struct got {
	struct ev e[CFG_MAXEV];
	char *raw[CFG_MAXEV];
	int n;
};

struct harness {
	struct ev_sink base;
	struct got *g;
	struct confcheck *cc;
};

static inline void h_emit(struct ev_sink *self, struct ev *e)
{
	struct harness *h = (struct harness *)self;
	struct got *g = h->g;
	if (g->n < CFG_MAXEV) {
		g->e[g->n] = *e;
		g->raw[g->n] = e->raw ? xstrndup(e->raw, e->raw_len) : NULL;
		g->e[g->n].raw = g->raw[g->n];
		g->n++;
	}
	if (h->cc)
		confcheck_on_event(h->cc, e);
}

struct drive {
	const struct format *fmt;
	void *st;
};

static inline void h_line(void *ctx, const char *rec, size_t len, uint64_t lineno)
{
	struct drive *d = ctx;
	d->fmt->line(d->st, rec, len, lineno);
}

/* Feed one text through fmt as input "name" into h. */
static inline void feed(struct harness *h, const struct format *fmt, const char *name, const char *text)
{
	struct input *in = input_new(name, fmt->kind);
	struct format_ctx ctx = {in, &h->base, NULL, NULL, NULL, NULL};
	struct drive d = {fmt, fmt->open(&ctx)};
	struct linereader lr;
	lines_init(&lr, !!(fmt->flags & FMT_JOIN_TAB), h_line, NULL, &d);
	lines_feed(&lr, text, strlen(text));
	lines_finish(&lr);
	lines_free(&lr);
	fmt->close(d.st);
}

static inline struct got *run1(const struct format *fmt, const char *text)
{
	struct got *g = xcalloc(1, sizeof *g);
	struct harness h = {{h_emit}, g, NULL};
	feed(&h, fmt, "test.cfg", text);
	return g;
}

static inline void got_free(struct got *g)
{
	for (int i = 0; i < g->n; i++)
		free(g->raw[i]);
	free(g);
}

static inline int is(const struct ev *e, const char *kind, const char *result, const char *text)
{
	return !strcmp(ev_kind_name(e->kind), kind) &&
	       (!result || (e->result && !strcmp(e->result, result))) &&
	       (!text || (e->text && !strcmp(e->text, text)));
}

static inline int count(const struct got *g, const char *kind, const char *result, const char *text)
{
	int n = 0;
	for (int i = 0; i < g->n; i++)
		n += is(&g->e[i], kind, result, text);
	return n;
}

static inline const struct ev *find(const struct got *g, const char *kind, const char *result,
			     const char *text)
{
	for (int i = 0; i < g->n; i++)
		if (is(&g->e[i], kind, result, text))
			return &g->e[i];
	return NULL;
}

static inline const struct ev *find_at(const struct got *g, const char *kind, const char *result,
				uint64_t pos)
{
	for (int i = 0; i < g->n; i++)
		if (is(&g->e[i], kind, result, NULL) && g->e[i].pos == pos)
			return &g->e[i];
	return NULL;
}

static inline int has(const char *s, const char *sub)
{
	return s && strstr(s, sub) != NULL;
}

/* 1 when secret occurs in no string field and no raw of any event. */
static inline int secret_absent(const struct got *g, const char *secret)
{
	for (int i = 0; i < g->n; i++) {
		for (unsigned f = 0; f < EF__COUNT; f++) {
			struct val v;
			if (ev_field_get(&g->e[i], f, &v) == 0 && v.t == V_STR && has(v.s, secret))
				return 0;
		}
		if (has(g->raw[i], secret))
			return 0;
	}
	return 1;
}

#endif
