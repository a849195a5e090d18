/* \summary: ingest: register paths, open and sniff inputs, merge by event time
 *
 * ingest_add walks paths (directories recursively, rotated sets oldest
 * first); ingest_start opens every registered path as a source (gzip and
 * bundles unwrapped by magic, formats sniffed by content) and ingest_step
 * emits events from a min-heap of lanes keyed on corrected event time (see
 * ingest/source.h). ingest_run is start + step to the end.
 */
#include "ingest/ingest.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/str.h"
#include "ingest/ingest_int.h"
#include "ingest/streams.h"

struct ingest *ingest_new(const struct ingest_opts *o)
{
	struct ingest *g = xcalloc(1, sizeof *g);
	g->o = *o;
	if (!g->o.diag)
		g->o.diag = stderr;
	g->formats = o->formats ? o->formats : format_registry;
	return g;
}

static void close_sources(struct ingest *g)
{
	for (size_t i = 0; i < g->nsrc; i++)
		if (g->src[i])
			g->src[i]->ops->close(g->src[i]);
	g->nsrc = 0;
	g->nagain = 0;
}

static void free_lanes(struct ingest *g)
{
	for (size_t i = 0; i < g->nlanes; i++) {
		evq_free(&g->lanes[i]->q);
		free(g->lanes[i]);
	}
	g->nlanes = 0;
	g->nheap = 0;
}

void ingest_free(struct ingest *g)
{
	if (!g)
		return;
	close_sources(g);
	free_lanes(g);
	free(g->src);
	free(g->lanes);
	free(g->heap);
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].path);
		free(g->v[i].fspath);
		free(g->v[i].err);
	}
	free(g->v);
	free(g->map);
	free(g);
}

/* ---- registration ---- */

static void push(struct ingest *g, const char *path, const char *fspath, const struct stat *st,
		 const char *err)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->v = xrealloc(g->v, g->cap * sizeof *g->v);
	}
	struct entry *e = &g->v[g->n++];
	memset(e, 0, sizeof *e);
	e->path = xstrdup(path);
	e->fspath = fspath ? xstrdup(fspath) : NULL;
	e->err = err ? xstrdup(err) : NULL;
	if (st) {
		e->mtime = st->st_mtime;
		e->rereadable = S_ISREG(st->st_mode);
	}
	if (e->rereadable)
		g->total += (uint64_t)st->st_size;
	else if (!err)
		g->total_unknown = 1;
}

static void diag(struct ingest *g, const char *path, const char *why)
{
	fprintf(g->o.diag, "authscope%s%s: %s: %s\n", g->o.cmd ? " " : "",
		g->o.cmd ? g->o.cmd : "", path, why);
}

static int cmp_rot(const void *a, const void *b)
{
	return rotation_cmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(struct ingest *g, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d) {
		if (!depth) {
			diag(g, dir, strerror(errno));
			return -1;
		}
		char why[200];
		snprintf(why, sizeof why, "cannot read directory: %s", strerror(errno));
		push(g, dir, NULL, NULL, why);
		return 0;
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
	qsort(names, n, sizeof *names, cmp_rot);
	size_t dl = strlen(dir);
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);
		char *p = xmalloc(dl + nl + 2);
		memcpy(p, dir, dl);
		size_t k = dl;
		if (!dl || dir[dl - 1] != '/')
			p[k++] = '/';
		memcpy(p + k, names[i], nl + 1);
		struct stat st;
		if (lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				if (depth < 32)
					add_dir(g, p, depth + 1);
			} else if (S_ISLNK(st.st_mode)) {
				/* follow links to files only: a linked directory could loop */
				if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
					push(g, p, p, &st, NULL);
			} else if (S_ISREG(st.st_mode)) {
				push(g, p, p, &st, NULL);
			}
		}
		free(p);
		free(names[i]);
	}
	free(names);
	return 0;
}

int ingest_add(struct ingest *g, const char *path)
{
	if (!strcmp(path, "-")) {
		push(g, "-", NULL, NULL, NULL);
		return 0;
	}
	struct stat st;
	if (stat(path, &st) != 0) {
		diag(g, path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return add_dir(g, path, 0);
	if (access(path, R_OK) != 0) {
		diag(g, path, strerror(errno));
		return -1;
	}
	push(g, path, path, &st, NULL);
	return 0;
}

/* ---- inputs by path (reused by a second pass) ---- */

/* --tz INPUT=ZONE names an input by its path as shown, or by its tail after
 * a '/' or a bundle's ':' (router.txt matches logs/router.txt and
 * bundle.zip:router.txt). */
static int names_input(const char *opt, const char *path)
{
	if (!opt)
		return 1;
	size_t lo = strlen(opt), lp = strlen(path);
	if (lo > lp || strcmp(path + lp - lo, opt))
		return 0;
	return lo == lp || path[lp - lo - 1] == '/' || path[lp - lo - 1] == ':';
}

/* Options without INPUT= first, so an input's own option wins whatever the
 * order on the command line. */
static void apply_clock_opts(struct ingest *g, struct input *in)
{
	for (int named = 0; named < 2; named++) {
		for (size_t i = 0; i < g->o.ntz; i++)
			if (!!g->o.tz[i].input == named && names_input(g->o.tz[i].input, in->path)) {
				in->clock.zone_s = g->o.tz[i].value;
				in->clock.zone_from = CF_OPTION;
				in->tz_opt_set = 1;
				in->tz_opt_s = g->o.tz[i].value;
			}
		for (size_t i = 0; i < g->o.nyear; i++)
			if (!!g->o.year[i].input == named &&
			    names_input(g->o.year[i].input, in->path)) {
				in->clock.year = g->o.year[i].value;
				in->clock.year_from = CF_OPTION;
				in->year_opt = g->o.year[i].value;
			}
	}
}

static void map_grow(struct ingest *g)
{
	size_t ncap = g->map_cap ? g->map_cap * 2 : 64;
	struct inmap_ent *nm = xcalloc(ncap, sizeof *nm);
	for (size_t i = 0; i < g->map_cap; i++) {
		if (!g->map[i].in)
			continue;
		const char *p = g->map[i].in->path;
		size_t h = (size_t)hash_bytes(p, strlen(p)) & (ncap - 1);
		while (nm[h].in)
			h = (h + 1) & (ncap - 1);
		nm[h] = g->map[i];
	}
	free(g->map);
	g->map = nm;
	g->map_cap = ncap;
}

static void rewind_input(struct input *in, const struct src_clock *c0)
{
	for (uint32_t j = 0; j < in->nerr; j++)
		free(in->errs[j].msg);
	in->nerr = 0;
	in->nerr_dropped = 0;
	in->events = in->lines = in->bytes = in->evictions = 0;
	double off = in->clock.offset_s;
	uint32_t basis = in->clock.offset_basis;
	struct src_clock est = in->clock;
	in->clock = *c0;
	in->clock.offset_s = off;
	in->clock.offset_basis = basis;
	if (est.zone_from == CF_INFERRED) {     /* the estimator's zone holds too */
		in->clock.zone_s = est.zone_s;
		in->clock.zone_from = CF_INFERRED;
	}
	if (est.year_from == CF_INFERRED) {     /* and its year */
		in->clock.year = est.year;
		in->clock.year_from = CF_INFERRED;
		in->clock.last_month = -1;
	}
}

struct input *ingest_input(struct ingest *g, const char *path, unsigned kind)
{
	if ((g->map_n + 1) * 2 > g->map_cap)
		map_grow(g);
	size_t h = (size_t)hash_bytes(path, strlen(path)) & (g->map_cap - 1);
	while (g->map[h].in && strcmp(g->map[h].in->path, path))
		h = (h + 1) & (g->map_cap - 1);
	struct inmap_ent *m = &g->map[h];
	if (m->in && m->pass != g->pass) {
		/* seen in an earlier pass: the same input again */
		m->pass = g->pass;
		m->in->kind = (uint8_t)kind;
		m->in->pos_is_frame = (uint8_t)src_kind_is_capture(kind);
		rewind_input(m->in, &m->clock0);
		return m->in;
	}
	struct input *in = input_new(path, kind);
	apply_clock_opts(g, in);
	if (!m->in) {               /* a duplicate path in one pass keeps the first */
		m->in = in;
		m->pass = g->pass;
		m->clock0 = in->clock;
		g->map_n++;
	}
	return in;
}

/* ---- lanes and the heap ---- */

static void lane_emit(struct ev_sink *self, struct ev *e)
{
	struct lane *l = (struct lane *)self;
	l->in->events++;
	if (l->direct) {
		ev_emit(l->direct, e);
		return;
	}
	evq_push(&l->q, e);
}

struct ev_sink *lane_sink(struct lane *l)
{
	return &l->sink;
}

void source_init(struct source *s, const struct source_ops *ops, struct ingest *g)
{
	memset(s, 0, sizeof *s);
	s->ops = ops;
	s->g = g;
	s->state = SRC_READY;
}

struct lane *ingest_lane(struct ingest *g, struct source *s, struct input *in)
{
	struct lane *l = xcalloc(1, sizeof *l);
	l->sink.emit = lane_emit;
	l->g = g;
	l->in = in;
	l->src = s;
	l->direct = g->direct;
	l->last_key = INT64_MIN;
	l->heap_idx = SIZE_MAX;
	evq_init(&l->q);
	if (g->nlanes == g->cap_lanes) {
		g->cap_lanes = g->cap_lanes ? g->cap_lanes * 2 : 16;
		g->lanes = xrealloc(g->lanes, g->cap_lanes * sizeof *g->lanes);
	}
	g->lanes[g->nlanes++] = l;
	if (s->nlanes == s->cap_lanes) {
		s->cap_lanes = s->cap_lanes ? s->cap_lanes * 2 : 4;
		s->lanes = xrealloc(s->lanes, s->cap_lanes * sizeof *s->lanes);
	}
	s->lanes[s->nlanes++] = l;
	return l;
}

static int64_t lane_key(const struct lane *l)
{
	const struct ev *e = evq_peek((struct evq *)&l->q);
	if (e->ts == EV_NO_TS)
		return l->last_key;
	int64_t off = (int64_t)(l->in->clock.offset_s * 1e6);
	return e->ts - off;
}

static int lane_less(const struct lane *a, const struct lane *b)
{
	int64_t ka = lane_key(a), kb = lane_key(b);
	if (ka != kb)
		return ka < kb;
	return a->in->id < b->in->id;
}

static void heap_set(struct ingest *g, size_t i, struct lane *l)
{
	g->heap[i] = l;
	l->heap_idx = i;
}

static void sift_up(struct ingest *g, size_t i)
{
	struct lane *l = g->heap[i];
	while (i) {
		size_t p = (i - 1) / 2;
		if (!lane_less(l, g->heap[p]))
			break;
		heap_set(g, i, g->heap[p]);
		i = p;
	}
	heap_set(g, i, l);
}

static void sift_down(struct ingest *g, size_t i)
{
	struct lane *l = g->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= g->nheap)
			break;
		if (c + 1 < g->nheap && lane_less(g->heap[c + 1], g->heap[c]))
			c++;
		if (!lane_less(g->heap[c], l))
			break;
		heap_set(g, i, g->heap[c]);
		i = c;
	}
	heap_set(g, i, l);
}

static void heap_push(struct ingest *g, struct lane *l)
{
	if (g->nheap == g->cap_heap) {
		g->cap_heap = g->cap_heap ? g->cap_heap * 2 : 16;
		g->heap = xrealloc(g->heap, g->cap_heap * sizeof *g->heap);
	}
	g->heap[g->nheap] = l;
	l->heap_idx = g->nheap++;
	sift_up(g, l->heap_idx);
}

static void heap_pop_top(struct ingest *g)
{
	struct lane *top = g->heap[0];
	top->heap_idx = SIZE_MAX;
	if (--g->nheap) {
		heap_set(g, 0, g->heap[g->nheap]);
		sift_down(g, 0);
	}
}

static int needs_pull(const struct source *s)
{
	if (!s->nlanes)
		return 1;
	for (size_t i = 0; i < s->nlanes; i++)
		if (!s->lanes[i]->q.n)
			return 1;
	return 0;
}

/* Pull s until none of its lanes is empty (the merge invariant), or it is
 * done or waiting; then put its non-empty lanes into the heap. */
static void fill(struct ingest *g, struct source *s)
{
	while (s->state == SRC_READY && needs_pull(s))
		s->state = s->ops->pull(s);
	if (s->state == SRC_AGAIN)
		g->nagain++;
	for (size_t i = 0; i < s->nlanes; i++) {
		struct lane *l = s->lanes[i];
		if (l->q.n && l->heap_idx == SIZE_MAX)
			heap_push(g, l);
	}
}

void ingest_add_source(struct ingest *g, struct source *s)
{
	if (g->nsrc == g->cap_src) {
		g->cap_src = g->cap_src ? g->cap_src * 2 : 16;
		g->src = xrealloc(g->src, g->cap_src * sizeof *g->src);
	}
	g->src[g->nsrc++] = s;
	if (g->started)
		fill(g, s);
}

/* ---- opening ---- */

void ingest_damage(struct ingest *g, struct source *owner, struct input *in, const char *msg)
{
	struct source tmp;
	int own = !owner;
	if (own) {
		source_init(&tmp, NULL, g);
		owner = &tmp;
	}
	struct lane *l = ingest_lane(g, owner, in);
	struct format_ctx ctx = {in, lane_sink(l), NULL, NULL, NULL, NULL};
	format_damage(&ctx, IE_DAMAGED, 0, "%s", msg);
	if (own) {
		/* no source will pull this lane: it only holds the damage event */
		l->src = NULL;
		if (l->q.n)
			heap_push(g, l);
		free(tmp.lanes);
	}
}

/* Budget wrapper for streams inside a bundle. */
struct capped {
	struct stream s;
	struct stream *inner;
	struct budget *b;
};

static ssize_t capped_read(struct stream *s, void *buf, size_t n)
{
	struct capped *c = (struct capped *)s;
	if (!c->b->left) {
		c->b->hit = 1;
		s->damaged = 1;
		snprintf(s->err, sizeof s->err,
			 "bundle decompressed-size cap reached (%llu bytes): the rest is skipped",
			 (unsigned long long)c->b->max);
		return 0;
	}
	if (n > c->b->left)
		n = (size_t)c->b->left;
	ssize_t r = stream_read(c->inner, buf, n);
	if (r > 0)
		c->b->left -= (uint64_t)r;
	if (r < 0 || c->inner->damaged) {
		s->damaged = c->inner->damaged || r < 0;
		memcpy(s->err, c->inner->err, sizeof s->err);
	}
	return r;
}

static void capped_close(struct stream *s)
{
	struct capped *c = (struct capped *)s;
	c->inner->close(c->inner);
	free(c);
}

struct stream *stream_capped(struct stream *inner, struct budget *b)
{
	struct capped *c = xcalloc(1, sizeof *c);
	c->s.read = capped_read;
	c->s.close = capped_close;
	c->s.size_hint = inner->size_hint;
	c->inner = inner;
	c->b = b;
	return &c->s;
}

const struct format *format_sniff_in(const struct format *const *reg, const uint8_t *head,
				     size_t n)
{
	const struct format *best = NULL;
	int best_score = 0;
	for (size_t i = 0; reg[i]; i++) {
		int s = reg[i]->sniff(head, n);
		if (s > best_score) {
			best_score = s;
			best = reg[i];
		}
	}
	return best;
}

struct source *ingest_open_stream(struct ingest *g, struct source *owner, const char *display,
				  struct stream *s, const char *fspath, struct budget *b,
				  int depth, time_t mtime)
{
	uint8_t head[SNIFF_HEAD];
	ssize_t hn = stream_read_full(s, head, sizeof head);
	if (hn < 0)
		hn = 0;
	int ct = depth < INGEST_MAX_DEPTH ? detect_container(head, (size_t)hn) : CT_NONE;
	if (ct == CT_GZIP) {
		struct stream *z = stream_gz_new(stream_with_head(s, head, (size_t)hn));
		return ingest_open_stream(g, owner, display, z, NULL, b, depth + 1, mtime);
	}
	if (ct == CT_ZIP || ct == CT_TAR)
		return bundle_open(g, owner, display, stream_with_head(s, head, (size_t)hn),
				   fspath, b, depth);
	const struct format *fmt = format_sniff_in(g->only ? g->only : g->formats, head, (size_t)hn);
	if (!fmt && g->only) {          /* not one of this pass's formats: no input */
		s->close(s);
		return NULL;
	}
	struct input *in = ingest_input(g, display, fmt ? fmt->kind : SRC_UNKNOWN);
	in->mtime = mtime;
	if (!fmt) {
		in->bytes = (uint64_t)hn;
		if (s->damaged)
			ingest_damage(g, owner, in, s->err);
		s->close(s);
		return NULL;
	}
	s = stream_with_head(s, head, (size_t)hn);
	if (b)
		s = stream_capped(s, b);
	return runner_open(g, owner, in, fmt, s);
}

static struct source *open_entry(struct ingest *g, struct entry *e)
{
	if (e->err) {
		ingest_damage(g, NULL, ingest_input(g, e->path, SRC_UNKNOWN), e->err);
		return NULL;
	}
	struct stream *s;
	if (!e->fspath) {
		s = stream_fd_new(0, 0, &g->done);
	} else {
		char err[160];
		s = stream_file_open(e->fspath, &g->done, err, sizeof err);
		if (!s) {
			char msg[200];
			snprintf(msg, sizeof msg, "cannot open: %s", err);
			ingest_damage(g, NULL, ingest_input(g, e->path, SRC_UNKNOWN), msg);
			return NULL;
		}
	}
	return ingest_open_stream(g, NULL, e->path, s, e->rereadable ? e->fspath : NULL, NULL, 0,
				  e->mtime);
}

/* ---- driving ---- */

static void reset_run(struct ingest *g)
{
	close_sources(g);
	free_lanes(g);
	g->done = 0;
	g->pass++;
}

int ingest_start(struct ingest *g, struct ev_sink *sink)
{
	reset_run(g);
	g->sink = sink;
	g->started = 1;
	for (size_t i = 0; i < g->n; i++) {
		struct source *s = open_entry(g, &g->v[i]);
		if (s)
			ingest_add_source(g, s);
	}
	return 0;
}

int ingest_step(struct ingest *g, size_t max_events)
{
	if (g->nagain) {
		g->nagain = 0;
		for (size_t i = 0; i < g->nsrc; i++) {
			struct source *s = g->src[i];
			if (s && s->state == SRC_AGAIN) {
				s->state = SRC_READY;
				fill(g, s);
			}
		}
	}
	while (max_events--) {
		if (!g->nheap)
			return g->nagain ? INGEST_WAIT : INGEST_DONE;
		struct lane *l = g->heap[0];
		struct ev *e = evq_peek(&l->q);
		if (e->ts != EV_NO_TS)
			l->last_key = lane_key(l);
		ev_emit(g->sink, e);
		evq_pop(&l->q);
		if (l->q.n) {
			sift_down(g, 0);
			continue;
		}
		heap_pop_top(g);
		if (l->src && l->src->state == SRC_READY)
			fill(g, l->src);
	}
	return g->nheap || g->nagain ? INGEST_MORE : INGEST_DONE;
}

int ingest_peek(const struct ingest *g, int64_t *key)
{
	if (!g->nheap)
		return 0;
	*key = lane_key(g->heap[0]);
	return 1;
}

size_t ingest_pollfds(const struct ingest *g, int *fds, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < g->nsrc && k < max; i++) {
		const struct source *s = g->src[i];
		if (s && s->state == SRC_AGAIN && s->ops->fd) {
			int fd = s->ops->fd(s);
			if (fd >= 0)
				fds[k++] = fd;
		}
	}
	return k;
}

int ingest_run(struct ingest *g, struct ev_sink *sink)
{
	ingest_start(g, sink);
	while (ingest_step(g, SIZE_MAX) == INGEST_MORE)
		;
	close_sources(g);
	return 0;
}

int ingest_prepass_only(struct ingest *g, const struct format *const *formats,
			struct ev_sink *sink)
{
	g->only = formats;
	int rc = ingest_prepass(g, sink);
	g->only = NULL;
	return rc;
}

int ingest_prepass(struct ingest *g, struct ev_sink *sink)
{
	reset_run(g);
	g->direct = sink;
	g->started = 0;
	for (size_t i = 0; i < g->n; i++) {
		struct entry *e = &g->v[i];
		if (!e->rereadable || e->err)
			continue;
		struct source *s = open_entry(g, e);
		if (!s)
			continue;
		while (s->ops->pull(s) == SRC_READY)
			;
		s->ops->close(s);
	}
	g->direct = NULL;
	free_lanes(g);
	return 0;
}

void ingest_set_secrets(struct ingest *g, const struct secrets *s)
{
	g->o.secrets = s;
}

void ingest_progress(const struct ingest *g, uint64_t *done, uint64_t *total)
{
	*done = g->done;
	*total = g->total_unknown ? 0 : g->total;
}
