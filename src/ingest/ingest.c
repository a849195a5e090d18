/* \summary: ingest: register paths, sniff formats, drive inputs
 *
 * First version: plain files, directories and standard input, run one
 * after another. (gzip, bundles, rotation order and the time-ordered merge
 * of several inputs are the ingest work item.)
 */
#include "ingest/ingest.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/str.h"
#include "ingest/lines.h"
#include "ingest/streams.h"

struct pending {
	char *path;                 /* display path */
	char *fspath;               /* path to open, NULL for stdin */
	time_t mtime;
};

struct ingest {
	struct ingest_opts o;
	uint64_t done, total;
	struct pending *v;
	size_t n, cap;
};

struct ingest *ingest_new(const struct ingest_opts *o)
{
	struct ingest *g = xcalloc(1, sizeof *g);
	g->o = *o;
	if (!g->o.diag)
		g->o.diag = stderr;
	return g;
}

void ingest_free(struct ingest *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].path);
		free(g->v[i].fspath);
	}
	free(g->v);
	free(g);
}

static void push(struct ingest *g, const char *path, const char *fspath, time_t mtime)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->v = xrealloc(g->v, g->cap * sizeof *g->v);
	}
	g->v[g->n++] = (struct pending){xstrdup(path), fspath ? xstrdup(fspath) : NULL, mtime};
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(struct ingest *g, const char *dir, int depth)
{
	if (depth > 32)
		return 0;
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(g->o.diag, "authscope: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct sbuf p;
		sbuf_init(&p, 0);
		if (sbuf_printf(&p, "%s%s%s", dir,
				  dir[strlen(dir) - 1] == '/' ? "" : "/", names[i])) {
		/* capped: what fits is kept */
	}
		struct stat st;
		if (lstat(p.p, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				add_dir(g, p.p, depth + 1);
			else if (S_ISREG(st.st_mode))
				push(g, p.p, p.p, st.st_mtime);
		}
		sbuf_free(&p);
		free(names[i]);
	}
	free(names);
	return 0;
}

int ingest_add(struct ingest *g, const char *path)
{
	if (!strcmp(path, "-")) {
		push(g, "-", NULL, 0);
		return 0;
	}
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(g->o.diag, "authscope: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return add_dir(g, path, 0);
	if (access(path, R_OK) != 0) {
		fprintf(g->o.diag, "authscope: %s: %s\n", path, strerror(errno));
		return -1;
	}
	push(g, path, path, st.st_mtime);
	return 0;
}

/* ---- driving one input ---- */

struct text_drive {
	const struct format *fmt;
	void *st;
	struct format_ctx *ctx;
};

static void on_line(void *ctx, const char *rec, size_t len, uint64_t lineno)
{
	struct text_drive *d = ctx;
	d->ctx->in->lines = lineno;
	d->fmt->line(d->st, rec, len, lineno);
}

static void on_cut(void *ctx, uint64_t lineno, uint64_t dropped)
{
	struct text_drive *d = ctx;
	format_damage(d->ctx, IE_TRUNCATED, lineno,
		      "line longer than %u MiB: %llu bytes cut", LINES_MAX_RECORD >> 20,
		      (unsigned long long)dropped);
}

struct counting_sink {
	struct ev_sink base;
	struct ev_sink *next;
	struct input *in;
};

static void count_emit(struct ev_sink *self, struct ev *e)
{
	struct counting_sink *c = (struct counting_sink *)self;
	c->in->events++;
	ev_emit(c->next, e);
}

static void apply_clock_opts(struct ingest *g, struct input *in)
{
	for (size_t i = 0; i < g->o.ntz; i++)
		if (!g->o.tz[i].input || !strcmp(g->o.tz[i].input, in->path)) {
			in->clock.zone_s = g->o.tz[i].value;
			in->clock.zone_from = CF_OPTION;
		}
	for (size_t i = 0; i < g->o.nyear; i++)
		if (!g->o.year[i].input || !strcmp(g->o.year[i].input, in->path)) {
			in->clock.year = g->o.year[i].value;
			in->clock.year_from = CF_OPTION;
		}
}

static void run_one(struct ingest *g, struct pending *p, struct ev_sink *sink)
{
	char err[160];
	struct stream *s = p->fspath ? stream_file_open(p->fspath, err, sizeof err)
				     : stream_fd_new(0, 0);
	if (!s) {
		struct input *in = input_new(p->path, SRC_UNKNOWN);
		input_error(in, IE_DAMAGED, 0, "cannot open: %s", err);
		return;
	}
	uint8_t head[SNIFF_HEAD];
	ssize_t hn = stream_read_full(s, head, sizeof head);
	if (hn < 0)
		hn = 0;
	const struct format *fmt = format_sniff(head, (size_t)hn);
	struct input *in = input_new(p->path, fmt ? fmt->kind : SRC_UNKNOWN);
	in->mtime = p->mtime;
	apply_clock_opts(g, in);
	if (!fmt) {
		s->close(s);
		return;
	}
	s = stream_with_head(s, head, (size_t)hn);
	struct counting_sink cs = {{count_emit}, sink, in};
	struct format_ctx ctx = {in, &cs.base, s, g->o.secrets, g->o.ike_keys, g->o.ports};
	void *st = fmt->open(&ctx);
	if (fmt->flags & FMT_TEXT) {
		struct text_drive d = {fmt, st, &ctx};
		struct linereader lr;
		lines_init(&lr, !!(fmt->flags & FMT_JOIN_TAB), on_line, on_cut, &d);
		char buf[65536];
		ssize_t r;
		while ((r = stream_read(s, buf, sizeof buf)) > 0) {
			in->bytes += (uint64_t)r;
			g->done += (uint64_t)r;
			lines_feed(&lr, buf, (size_t)r);
		}
		lines_finish(&lr);
		lines_free(&lr);
		if (r < 0 || s->damaged)
			format_damage(&ctx, IE_DAMAGED, 0, "%s", s->err[0] ? s->err : "read error");
	} else {
		while (fmt->step(st))
			;
	}
	fmt->close(st);
	s->close(s);
}

int ingest_run(struct ingest *g, struct ev_sink *sink)
{
	for (size_t i = 0; i < g->n; i++)
		run_one(g, &g->v[i], sink);
	return 0;
}

void ingest_progress(const struct ingest *g, uint64_t *done, uint64_t *total)
{
	*done = g->done;
	*total = g->total;
}
