/* \summary: the dashboard's view: rows, feed and counters formatted; screen layout; snapshot */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "tui/dash_int.h"

/* ---- the view ---- */

void view_init(struct view *v)
{
	memset(v, 0, sizeof *v);
	sbuf_init(&v->cells, 64u << 20);
	v->stale = 1;
}

void view_free(struct view *v)
{
	sbuf_free(&v->cells);
	free(v->rows);
	free(v->feed);
	memset(v, 0, sizeof *v);
}

const char *view_cell(const struct view *v, const struct vrow *r, int col)
{
	return v->cells.p ? v->cells.p + r->cell[col] : "";
}

static uint32_t cell_add(struct view *v, const char *escaped)
{
	uint32_t off = (uint32_t)v->cells.len;
	sb_puts(&v->cells, escaped);
	sb_put(&v->cells, "", 1);   /* the NUL */
	if (v->cells.len == off)   /* capped: point at a NUL that exists */
		return 0;
	return off;
}

static uint32_t cell_raw(struct view *v, struct sbuf *tmp, const char *s)
{
	sbuf_reset(tmp);
	sb_esc(tmp, s ? s : "-");
	return cell_add(v, sbuf_cstr(tmp));
}

const char *sess_stage(const struct session *s, char *buf, size_t n)
{
	if (s->duo_result_ts != EV_NO_TS && s->duo_result)
		snprintf(buf, n, "duo:%s", s->duo_result);
	else if (s->push_ts != EV_NO_TS)
		snprintf(buf, n, "push");
	else if (s->preauth)
		snprintf(buf, n, "preauth:%s", s->preauth);
	else if (s->primary_resp_ts != EV_NO_TS)
		snprintf(buf, n, "primary:ok");
	else if (s->primary_req_ts != EV_NO_TS || s->primary_requests)
		snprintf(buf, n, "primary");
	else if (s->requests)
		snprintf(buf, n, "request");
	else if (s->nstage)
		snprintf(buf, n, "%s", stage_what(s->stages[s->nstage - 1].kind));
	else
		snprintf(buf, n, "-");
	return buf;
}

static const char *outcome_word(const struct session *s, uint8_t *attr, uint8_t *rank)
{
	switch (s->outcome) {
	case OUT_ACCEPT: *attr = DA_OK; *rank = 4; return "accept";
	case OUT_REJECT: *attr = DA_BAD; *rank = 1; return "reject";
	case OUT_TIMEOUT: *attr = DA_WARN; *rank = 0; return "timeout";
	}
	if (!s->closed) {
		*attr = DA_OPEN;
		*rank = 2;
		return "pending";
	}
	*attr = DA_DIM;
	*rank = 3;
	return "incomplete";
}

static uint8_t sev_attr(unsigned sev)
{
	return sev == SEV_ERROR ? DA_BAD : sev == SEV_WARNING ? DA_WARN : DA_DIM;
}

/* session id -> its most severe reported finding */
struct fmap {
	uint32_t *k;
	const struct finding **f;
	size_t cap;
};

static void fmap_build(struct fmap *m, struct finding_set *fs)
{
	size_t n = findings_count(fs);
	m->cap = 16;
	while (m->cap < n * 2 + 2)
		m->cap *= 2;
	m->k = xcalloc(m->cap, sizeof *m->k);
	m->f = xcalloc(m->cap, sizeof *m->f);
	for (size_t i = 0; i < n; i++) {
		const struct finding *f = findings_at(fs, i);
		if (!f->session || f->suppressed || f->sev == SEV_NONE)
			continue;
		size_t j = (f->session * 2654435761u) & (m->cap - 1);
		while (m->k[j] && m->k[j] != f->session)
			j = (j + 1) & (m->cap - 1);
		if (!m->k[j] || f->sev > m->f[j]->sev) {
			m->k[j] = f->session;
			m->f[j] = f;
		}
	}
}

static const struct finding *fmap_get(const struct fmap *m, uint32_t sid)
{
	size_t j = (sid * 2654435761u) & (m->cap - 1);
	while (m->k[j]) {
		if (m->k[j] == sid)
			return m->f[j];
		j = (j + 1) & (m->cap - 1);
	}
	return NULL;
}

static int matches(const struct dash *d, const char *hay)
{
	return !d->filter.len || strcasestr(hay, sbuf_cstr((struct sbuf *)&d->filter));
}

static void push_row(struct dash *d, struct sbuf *tmp, const struct session *s,
		     const struct fmap *fm)
{
	struct view *v = &d->v;
	struct vrow r;
	memset(&r, 0, sizeof r);
	r.id = s->id;
	r.start = s->start;
	r.total = s->total_latency_us;
	char b[64];
	size_t mark = v->cells.len;
	fmt_hms(b, sizeof b, s->start);
	r.cell[C_TIME] = cell_add(v, b);
	r.cell[C_USER] = cell_raw(v, tmp, red_str(d, DR_USER, s->user));
	r.cell[C_CLIENT] = cell_raw(v, tmp, s->client_ip ? red_str(d, DR_IP, s->client_ip) :
				    s->calling_station ? red_str(d, DR_STATION, s->calling_station) :
				    red_str(d, DR_NAS, s->nas_ip));
	r.cell[C_STAGE] = cell_raw(v, tmp, sess_stage(s, b, sizeof b));
	r.cell[C_OUTCOME] = cell_add(v, outcome_word(s, &r.attr, &r.rank));
	fmt_lat(b, sizeof b, s->primary_latency_us);
	r.cell[C_PRIMARY] = cell_add(v, b);
	fmt_lat(b, sizeof b, s->push_latency_us);
	r.cell[C_PUSH] = cell_add(v, b);
	fmt_lat(b, sizeof b, s->total_latency_us);
	r.cell[C_TOTAL] = cell_add(v, b);
	const struct finding *f = fm ? fmap_get(fm, s->id) : NULL;
	r.cell[C_WHY] = cell_add(v, f ? f->rule : "");
	r.why_attr = f ? sev_attr(f->sev) : DA_NORMAL;
	if (d->filter.len) {
		/* the filter looks at every cell */
		int hit = 0;
		for (int c = 0; c < NCOL && !hit; c++)
			hit = matches(d, view_cell(v, &r, c));
		if (!hit) {
			v->cells.len = mark;
			return;
		}
	}
	if (v->nrows == v->caprows) {
		v->caprows = v->caprows ? v->caprows * 2 : 256;
		v->rows = xrealloc(v->rows, v->caprows * sizeof *v->rows);
	}
	v->rows[v->nrows++] = r;
}

static int cmp_rows(const void *a, const void *b, void *ctx)
{
	const struct vrow *x = a, *y = b;
	const struct dash *d = ctx;
	int c = 0;
	switch (d->sort) {
	case DS_USER:
		c = strcmp(view_cell(&d->v, x, C_USER), view_cell(&d->v, y, C_USER));
		break;
	case DS_OUTCOME:
		c = (int)x->rank - (int)y->rank;
		break;
	case DS_LATENCY:
		c = x->total == y->total ? 0 : x->total > y->total ? -1 : 1;
		break;
	}
	if (c)
		return c;
	/* newest first */
	if (x->start != y->start) {
		if (x->start == EV_NO_TS)
			return 1;
		if (y->start == EV_NO_TS)
			return -1;
		return x->start > y->start ? -1 : 1;
	}
	return x->id > y->id ? -1 : x->id < y->id;
}

static void push_feed(struct dash *d, struct sbuf *tmp, const struct finding *f)
{
	struct view *v = &d->v;
	char hms[16];
	fmt_hms(hms, sizeof hms, f->ts);
	sbuf_reset(tmp);
	sb_printf(tmp, "%s %-7s %s", hms, sev_name(f->sev), f->rule);
	if (f->session)
		sb_printf(tmp, " s%u", f->session);
	sb_puts(tmp, " ");
	sb_esc(tmp, f->summary ? red_text(d, f->summary) : "");
	if (!matches(d, sbuf_cstr(tmp)))
		return;
	if (v->nfeed == v->capfeed) {
		v->capfeed = v->capfeed ? v->capfeed * 2 : 64;
		v->feed = xrealloc(v->feed, v->capfeed * sizeof *v->feed);
	}
	v->feed[v->nfeed].text = cell_add(v, sbuf_cstr(tmp));
	v->feed[v->nfeed++].attr = sev_attr(f->sev);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

void view_build(struct dash *d)
{
	struct view *v = &d->v;
	sbuf_reset(&v->cells);
	sb_put(&v->cells, "", 1);   /* offset 0 is "" */
	v->nrows = v->nfeed = 0;
	v->stale = 0;
	struct sbuf tmp;
	sbuf_init(&tmp, 1u << 20);
	struct fmap fm;
	fmap_build(&fm, d->fs);
	size_t total = 0;
	/* a session merged into another (two sources saw one login) is a row
	 * of the one it joined */
	/* open sessions older than the table's newest rows: shown while few
	 * (a push still pending); under a flood only the newest of them */
	size_t shown = 0;
	for (size_t i = d->npinned; i-- > 0 && shown < DASH_MAX_PINNED_SHOWN;) {
		const struct session *s = sess_get(d->t, d->pinned[i]);
		if (s && !s->merged_into) {
			total++;
			shown++;
			push_row(d, &tmp, s, &fm);
		}
	}
	for (uint32_t id = d->lo + 1; id <= d->hi; id++) {
		const struct session *s = sess_get(d->t, id);
		if (s && !s->merged_into) {
			total++;
			push_row(d, &tmp, s, &fm);
		}
	}
	v->total_rows = total;
	if (v->nrows > 1)
		qsort_r(v->rows, v->nrows, sizeof *v->rows, cmp_rows, d);
	for (size_t i = d->nfeed; i-- > 0;) {
		const struct finding *f = d->feed[(d->feed_head + i) % DASH_MAX_FEED];
		if (!f->suppressed && f->sev != SEV_NONE)
			push_feed(d, &tmp, f);
	}
	free(fm.k);
	free(fm.f);
	sbuf_free(&tmp);
	dash_counts(d, &v->counts);
	v->now = d->now;
	if (d->now != EV_NO_TS) {
		int64_t cur = floor_div(d->now, DASH_BUCKET_US);
		for (int i = 0; i < DASH_NBUCKET; i++) {
			v->req_spark[i] = series_get(&d->req_b, cur - (DASH_NBUCKET - 1) + i);
			v->fail_spark[i] = series_get(&d->fail_b, cur - (DASH_NBUCKET - 1) + i);
		}
	}
	/* keep the selection on its session, or on the newest row */
	if (d->sel_at_top || !d->sel_id) {
		d->sel = 0;
	} else {
		size_t i;
		for (i = 0; i < v->nrows && v->rows[i].id != d->sel_id; i++)
			;
		if (i < v->nrows)
			d->sel = i;
	}
	if (d->sel >= v->nrows)
		d->sel = v->nrows ? v->nrows - 1 : 0;
	d->sel_id = v->nrows ? v->rows[d->sel].id : 0;
}

/* ---- lines ---- */

struct lw {                         /* writes one screen line left to right */
	struct dash_line *l;
	size_t col, cols;
};

void line_span(struct dash_line *l, size_t col, size_t len, int attr)
{
	if (attr == DA_NORMAL || !len || l->nspan == DASH_MAX_SPANS)
		return;
	l->span[l->nspan++] = (struct dash_span){(uint16_t)col, (uint16_t)len, (uint8_t)attr};
}

static void lw_start(struct lw *w, struct dash_line *l, size_t cols)
{
	sbuf_reset(&l->text);
	l->nspan = 0;
	w->l = l;
	w->col = 0;
	w->cols = cols;
}

/* escaped text s in w columns (clipped to the line) */
static void lw_fit(struct lw *w, const char *s, size_t width, int right, int attr)
{
	if (w->col >= w->cols)
		return;
	if (width > w->cols - w->col)
		width = w->cols - w->col;
	sb_fit(&w->l->text, s, width, right);
	line_span(w->l, w->col, width, attr);
	w->col += width;
}

/* text as long as it is (clipped at the end of the line) */
static void lw_text(struct lw *w, const char *s, int attr)
{
	size_t tw = dash_text_width(s, strlen(s));
	lw_fit(w, s, tw, 0, attr);
}

static void lw_end(struct lw *w)
{
	if (w->col < w->cols)
		lw_fit(w, "", w->cols - w->col, 0, DA_NORMAL);
}

static void lw_line_attr(struct lw *w, int attr)
{
	/* a whole-line attribute goes first: spans after it paint over */
	if (attr == DA_NORMAL)
		return;
	struct dash_line *l = w->l;
	if (l->nspan == DASH_MAX_SPANS)
		l->nspan--;
	memmove(l->span + 1, l->span, l->nspan * sizeof *l->span);
	l->span[0] = (struct dash_span){0, (uint16_t)w->cols, (uint8_t)attr};
	l->nspan++;
}

/* ---- table layout ---- */

static const struct colspec {
	const char *name;
	uint8_t min, max, prio, right;
} cs[NCOL] = {
	[C_TIME] = {"TIME", 8, 8, 0, 0},
	[C_USER] = {"USER", 10, 24, 1, 0},
	[C_OUTCOME] = {"OUTCOME", 10, 10, 2, 0},
	[C_STAGE] = {"STAGE", 13, 16, 3, 0},
	[C_WHY] = {"WHY", 12, 255, 4, 0},
	[C_PUSH] = {"PUSH", 6, 6, 5, 1},
	[C_CLIENT] = {"CLIENT", 13, 39, 6, 0},
	[C_PRIMARY] = {"PRIMARY", 7, 7, 7, 1},
	[C_TOTAL] = {"TOTAL", 6, 6, 8, 1},
};

static void layout(size_t cols, size_t w[NCOL])
{
	size_t used = 0, shown = 0;
	memset(w, 0, NCOL * sizeof *w);
	for (unsigned p = 0; p < NCOL; p++)
		for (int c = 0; c < NCOL; c++)
			if (cs[c].prio == p) {
				size_t need = cs[c].min + (shown ? 1 : 0);
				if (used + need <= cols) {
					w[c] = cs[c].min;
					used += need;
					shown++;
				}
			}
	/* share the rest among the flexible columns, WHY takes what is left */
	static const int flex[] = {C_USER, C_CLIENT, C_STAGE};
	for (int grew = 1; grew && used < cols;) {
		grew = 0;
		for (size_t i = 0; i < sizeof flex / sizeof *flex && used < cols; i++) {
			int c = flex[i];
			if (w[c] && w[c] < cs[c].max) {
				w[c]++;
				used++;
				grew = 1;
			}
			if (w[C_WHY] && w[c] >= 16)
				break;  /* past 16 columns, WHY first */
		}
		if (w[C_WHY] && used < cols) {
			w[C_WHY] += cols - used;
			used = cols;
		}
	}
}

static const int order[NCOL] = {C_TIME, C_USER, C_CLIENT, C_STAGE, C_OUTCOME, C_PRIMARY,
				C_PUSH, C_TOTAL, C_WHY};

static void table_line(struct lw *w, const size_t cw[NCOL], const struct view *v,
		       const struct vrow *r, int selected)
{
	int first = 1;
	for (int i = 0; i < NCOL; i++) {
		int c = order[i];
		if (!cw[c])
			continue;
		if (!first)
			lw_fit(w, "", 1, 0, DA_NORMAL);
		first = 0;
		const char *txt = r ? view_cell(v, r, c) : cs[c].name;
		int attr = DA_NORMAL;
		if (r && c == C_OUTCOME)
			attr = r->attr;
		else if (r && c == C_WHY)
			attr = r->why_attr;
		lw_fit(w, txt, cw[c], cs[c].right, selected ? DA_NORMAL : attr);
	}
	lw_end(w);
	if (!r)
		lw_line_attr(w, DA_HEAD);
	else if (selected)
		lw_line_attr(w, DA_SEL);
}

/* ---- sparklines ---- */

static void spark(struct sbuf *b, const uint32_t *v, size_t n, int unicode)
{
	static const char *const blocks[] = {" ", "\u2581", "\u2582", "\u2583", "\u2584",
					     "\u2585", "\u2586", "\u2587", "\u2588"};
	static const char ascii[] = " .:-=+*#@";
	uint32_t mx = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] > mx)
			mx = v[i];
	for (size_t i = 0; i < n; i++) {
		unsigned lvl = !v[i] || !mx ? 0 : 1 + (unsigned)((uint64_t)(v[i] - 1) * 8 / mx);
		if (lvl > 8)
			lvl = 8;
		if (unicode)
			sb_puts(b, blocks[lvl]);
		else
			sb_put(b, ascii + lvl, 1);
	}
}

/* ---- the screen ---- */

static void screen_size(struct dash_screen *s, int rows, int cols)
{
	if (s->rows != rows || s->cols != cols) {
		dash_screen_free(s);
		s->rows = rows;
		s->cols = cols;
		s->line = xcalloc((size_t)rows, sizeof *s->line);
		for (int i = 0; i < rows; i++)
			sbuf_init(&s->line[i].text, 1u << 16);
	}
	s->cursor_row = s->cursor_col = -1;
}

void dash_screen_free(struct dash_screen *s)
{
	for (int i = 0; s->line && i < s->rows; i++)
		sbuf_free(&s->line[i].text);
	free(s->line);
	s->line = NULL;
	s->rows = s->cols = 0;
}

void dash_screen_dump(const struct dash_screen *s, FILE *f)
{
	for (int i = 0; i < s->rows; i++) {
		const struct sbuf *b = &s->line[i].text;
		size_t n = b->len;
		while (n && b->p[n - 1] == ' ')
			n--;
		fwrite(b->p ? b->p : "", 1, n, f);
		fputc('\n', f);
	}
}

static const char *const sort_names[DS__COUNT] = {"time", "user", "outcome", "latency"};

static void title_line(struct dash *d, struct lw *w, const char *what)
{
	struct sbuf b;
	sbuf_init(&b, 1u << 16);
	char t[40] = "";
	if (d->v.now != EV_NO_TS) {
		clock_fmt_rfc3339(t, d->v.now);
		t[19] = 'Z';
		t[20] = 0;
		t[10] = ' ';
	}
	sb_printf(&b, " authscope live  %s  %s", t, what);
	if (d->title.len)
		sb_printf(&b, "  %s", sbuf_cstr(&d->title));
	struct sbuf r;
	sbuf_init(&r, 256);
	if (d->finished)
		sb_puts(&r, " [finished]");
	if (d->paused)
		sb_puts(&r, " [PAUSED]");
	sb_puts(&r, " ");
	size_t rw = dash_text_width(r.p, r.len);
	size_t lw = w->cols > rw ? w->cols - rw : 0;
	lw_fit(w, sbuf_cstr(&b), lw, 0, DA_NORMAL);
	lw_fit(w, sbuf_cstr(&r), rw, 0, DA_NORMAL);
	lw_end(w);
	lw_line_attr(w, DA_TITLE);
	sbuf_free(&b);
	sbuf_free(&r);
}

static void counters_line(struct dash *d, struct lw *w)
{
	const struct dash_counts *c = &d->v.counts;
	char p50[16], p95[16], b[256];
	fmt_lat(p50, sizeof p50, c->push_p50);
	fmt_lat(p95, sizeof p95, c->push_p95);
	snprintf(b, sizeof b, " req/s %.1f", c->req_rate);
	lw_text(w, b, DA_NORMAL);
	snprintf(b, sizeof b, "  accept %llu", (unsigned long long)c->outcome[OUT_ACCEPT]);
	lw_text(w, b, DA_OK);
	snprintf(b, sizeof b, "  reject %llu", (unsigned long long)c->outcome[OUT_REJECT]);
	lw_text(w, b, DA_BAD);
	snprintf(b, sizeof b, "  timeout %llu", (unsigned long long)c->outcome[OUT_TIMEOUT]);
	lw_text(w, b, DA_WARN);
	snprintf(b, sizeof b, "  open %zu  push p50 %s p95 %s", sess_open_count(d->t), p50, p95);
	lw_text(w, b, DA_NORMAL);
	snprintf(b, sizeof b, "  events %llu", (unsigned long long)c->events);
	if (w->col + strlen(b) <= w->cols)
		lw_text(w, b, DA_DIM);
	lw_end(w);
}

static void spark_line(struct dash *d, struct lw *w, int unicode)
{
	/* two sparklines side by side: requests and failures per 10 s */
	size_t avail = w->cols > 24 ? w->cols - 24 : 0;
	size_t n = avail / 2;
	if (n > DASH_NBUCKET)
		n = DASH_NBUCKET;
	struct sbuf b;
	sbuf_init(&b, 1u << 12);
	lw_text(w, " req ", DA_NORMAL);
	spark(&b, d->v.req_spark + DASH_NBUCKET - n, n, unicode);
	lw_fit(w, sbuf_cstr(&b), n, 0, DA_OPEN);
	lw_text(w, "  fail ", DA_NORMAL);
	sbuf_reset(&b);
	spark(&b, d->v.fail_spark + DASH_NBUCKET - n, n, unicode);
	lw_fit(w, sbuf_cstr(&b), n, 0, DA_BAD);
	char t[32];
	snprintf(t, sizeof t, "  (%lld min)", (long long)(n * (DASH_BUCKET_US / 1000000) + 59) / 60);
	lw_text(w, t, DA_DIM);
	lw_end(w);
	sbuf_free(&b);
}

static void status_line(struct dash *d, struct dash_screen *s, struct lw *w)
{
	struct sbuf e;
	sbuf_init(&e, 4096);
	if (d->typing) {
		/* typed bytes are shown escaped too (a lone C1 byte stays text) */
		lw_text(w, "/", DA_NORMAL);
		sb_esc(&e, sbuf_cstr(&d->input));
		lw_text(w, sbuf_cstr(&e), DA_NORMAL);
		sbuf_free(&e);
		s->cursor_row = s->rows - 1;
		s->cursor_col = (int)(w->col < w->cols ? w->col : w->cols - 1);
		lw_text(w, "   (Enter apply, Esc cancel)", DA_DIM);
		lw_end(w);
		return;
	}
	if (d->note.len) {
		lw_text(w, " ", DA_NORMAL);
		lw_text(w, sbuf_cstr(&d->note), DA_WARN);
		lw_text(w, "  ", DA_NORMAL);
	}
	if (d->filter.len) {
		lw_text(w, " filter: ", DA_NORMAL);
		sb_esc(&e, sbuf_cstr(&d->filter));
		lw_text(w, sbuf_cstr(&e), DA_OPEN);
		lw_text(w, " (Esc clears) ", DA_DIM);
	}
	char b[160];
	if (d->view == DV_DETAIL)
		snprintf(b, sizeof b, " Esc back  j/k scroll  p pause  ? help  q quit");
	else
		snprintf(b, sizeof b, " q quit  j/k move  Enter detail  / filter  p pause  s sort:%s  ? help",
			 sort_names[d->sort]);
	lw_text(w, b, DA_DIM);
	lw_end(w);
	sbuf_free(&e);
}

static const char *const help_text[] = {
	"authscope live: keys",
	"",
	"  Up/Down, j/k     move in the sessions table (detail: scroll)",
	"  PgUp/PgDn, g/G   page up/down, first/last row",
	"  Enter            the selected session: its ladder, finding and evidence",
	"  Esc              back to the table; in the table: clear the filter",
	"  /                filter by user or any text (Enter applies, Esc cancels)",
	"  p                pause/resume the display (input is still read)",
	"  s                sort by time, user, outcome, latency",
	"  ?                this help (any key closes it)",
	"  q                quit",
	"",
	"Table: TIME start (UTC), USER, CLIENT (client, calling station or NAS),",
	"STAGE furthest leg reached, OUTCOME (pending while open), PRIMARY and PUSH",
	"latency of those legs, TOTAL request to answer, WHY the session's most",
	"severe finding. Counters: requests/s over 10 s, outcomes of closed",
	"sessions, Duo push latency p50/p95 of the last 512 pushes; sparklines",
	"count requests and failed logins per 10 s.",
	NULL,
};

static void render_help(struct dash *d, struct dash_screen *s)
{
	struct lw w;
	int y = 0;
	lw_start(&w, &s->line[y++], (size_t)s->cols);
	title_line(d, &w, "help");
	for (int i = 0; help_text[i] && y < s->rows - 1; i++) {
		lw_start(&w, &s->line[y++], (size_t)s->cols);
		lw_text(&w, " ", DA_NORMAL);
		lw_text(&w, help_text[i], i == 0 ? DA_HEAD : DA_NORMAL);
		lw_end(&w);
	}
	while (y < s->rows - 1) {
		lw_start(&w, &s->line[y++], (size_t)s->cols);
		lw_end(&w);
	}
	lw_start(&w, &s->line[y], (size_t)s->cols);
	lw_text(&w, " any key: back   q quit", DA_DIM);
	lw_end(&w);
}

static void render_detail(struct dash *d, struct dash_screen *s)
{
	struct dlines body = {0};
	detail_lines(d, &body, s->cols);
	struct lw w;
	int y = 0;
	char t[32];
	snprintf(t, sizeof t, "session s%u", d->detail_id);
	lw_start(&w, &s->line[y++], (size_t)s->cols);
	title_line(d, &w, t);
	int avail = s->rows - 2;
	d->page = avail > 1 ? avail : 1;
	if (body.n <= (size_t)avail)
		d->detail_scroll = 0;
	else if (d->detail_scroll > body.n - (size_t)avail)
		d->detail_scroll = body.n - (size_t)avail;
	for (int i = 0; i < avail; i++) {
		size_t k = d->detail_scroll + (size_t)i;
		struct dash_line *l = &s->line[y++];
		if (k < body.n) {
			/* swap the prepared line in: same width */
			struct sbuf tmp = l->text;
			l->text = body.v[k].text;
			body.v[k].text = tmp;
			l->nspan = body.v[k].nspan;
			memcpy(l->span, body.v[k].span, sizeof l->span);
		} else {
			lw_start(&w, l, (size_t)s->cols);
			lw_end(&w);
		}
	}
	lw_start(&w, &s->line[y], (size_t)s->cols);
	status_line(d, s, &w);
	dlines_free(&body);
}

static void render_table(struct dash *d, struct dash_screen *s, int unicode)
{
	struct view *v = &d->v;
	struct lw w;
	int y = 0;
	char what[64];
	if (d->filter.len)
		snprintf(what, sizeof what, "%zu/%zu sessions", v->nrows, v->total_rows);
	else
		snprintf(what, sizeof what, "%zu sessions", v->nrows);
	lw_start(&w, &s->line[y++], (size_t)s->cols);
	title_line(d, &w, what);
	lw_start(&w, &s->line[y++], (size_t)s->cols);
	counters_line(d, &w);
	lw_start(&w, &s->line[y++], (size_t)s->cols);
	spark_line(d, &w, unicode);

	int feed_n = (s->rows - 6) / 4;
	if (feed_n > 6)
		feed_n = 6;
	if (feed_n < 1)
		feed_n = 1;
	int table_n = s->rows - y - 1 /* header */ - 1 /* feed head */ - feed_n - 1 /* status */;
	if (table_n < 1)
		table_n = 1;
	d->page = table_n;
	size_t cw[NCOL];
	layout((size_t)s->cols, cw);
	lw_start(&w, &s->line[y++], (size_t)s->cols);
	table_line(&w, cw, v, NULL, 0);
	if (d->sel < d->top)
		d->top = d->sel;
	if (d->sel >= d->top + (size_t)table_n)
		d->top = d->sel - (size_t)table_n + 1;
	if (d->top + (size_t)table_n > v->nrows)
		d->top = v->nrows > (size_t)table_n ? v->nrows - (size_t)table_n : 0;
	for (int i = 0; i < table_n; i++) {
		size_t k = d->top + (size_t)i;
		lw_start(&w, &s->line[y++], (size_t)s->cols);
		if (k < v->nrows) {
			table_line(&w, cw, v, &v->rows[k], k == d->sel && d->view == DV_TABLE);
		} else {
			if (k == 0)
				lw_text(&w, d->filter.len ? " (no session matches the filter)"
						       : " (no session yet)", DA_DIM);
			lw_end(&w);
		}
	}
	lw_start(&w, &s->line[y++], (size_t)s->cols);
	char fh[64];
	snprintf(fh, sizeof fh, "FINDINGS (%zu)", v->nfeed);
	lw_text(&w, fh, DA_NORMAL);
	lw_end(&w);
	lw_line_attr(&w, DA_HEAD);
	for (int i = 0; i < feed_n; i++) {
		lw_start(&w, &s->line[y++], (size_t)s->cols);
		if ((size_t)i < v->nfeed) {
			const char *txt = v->cells.p + v->feed[i].text;
			lw_text(&w, txt, DA_NORMAL);
			/* colour the severity word only: "HH:MM:SS sev" */
			line_span(w.l, 9, 7, v->feed[i].attr);
		}
		lw_end(&w);
	}
	lw_start(&w, &s->line[y], (size_t)s->cols);
	status_line(d, s, &w);
}

void dash_render(struct dash *d, struct dash_screen *s, int rows, int cols, int unicode)
{
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	screen_size(s, rows, cols);
	if (rows < 10 || cols < 40) {
		struct lw w;
		for (int i = 0; i < rows; i++) {
			lw_start(&w, &s->line[i], (size_t)cols);
			if (i == 0)
				lw_text(&w, "too small: 40x10 needed", DA_NORMAL);
			lw_end(&w);
		}
		d->page = 1;
		return;
	}
	if (d->view == DV_HELP)
		render_help(d, s);
	else if (d->view == DV_DETAIL)
		render_detail(d, s);
	else
		render_table(d, s, unicode);
}

/* ---- headless snapshot ---- */

void dash_snapshot(struct dash *d, FILE *f)
{
	struct view *v = &d->v;
	const struct dash_counts *c = &v->counts;
	char t[40] = "-";
	if (v->now != EV_NO_TS)
		clock_fmt_rfc3339(t, v->now);
	fprintf(f, "--- authscope live %s", t);
	if (d->title.len)
		fprintf(f, "  %s", sbuf_cstr(&d->title));
	if (d->finished)
		fputs("  [finished]", f);
	fputc('\n', f);
	char p50[16], p95[16];
	fmt_lat(p50, sizeof p50, c->push_p50);
	fmt_lat(p95, sizeof p95, c->push_p95);
	fprintf(f, "counters: events %llu  sessions %llu  open %zu  aged-out %llu  requests %llu  "
		"req/s %.1f\n", (unsigned long long)c->events, (unsigned long long)c->sessions,
		sess_open_count(d->t), (unsigned long long)c->aged_out,
		(unsigned long long)c->requests, c->req_rate);
	fprintf(f, "outcomes: accept %llu  reject %llu  timeout %llu  incomplete %llu\n",
		(unsigned long long)c->outcome[OUT_ACCEPT], (unsigned long long)c->outcome[OUT_REJECT],
		(unsigned long long)c->outcome[OUT_TIMEOUT],
		(unsigned long long)c->outcome[OUT_INCOMPLETE]);
	fprintf(f, "push latency: p50 %s  p95 %s  (%zu pushes)\n", p50, p95, d->nlat);
	struct sbuf b;
	sbuf_init(&b, 1u << 12);
	spark(&b, v->req_spark, DASH_NBUCKET, 0);
	fprintf(f, "requests per 10 s: |%s|\n", sbuf_cstr(&b));
	sbuf_reset(&b);
	spark(&b, v->fail_spark, DASH_NBUCKET, 0);
	fprintf(f, "failures per 10 s: |%s|\n", sbuf_cstr(&b));
	if (d->note.len)
		fprintf(f, "note: %s\n", sbuf_cstr(&d->note));
	if (d->filter.len) {
		sbuf_reset(&b);
		sb_esc(&b, sbuf_cstr(&d->filter));
		fprintf(f, "filter: %s\n", sbuf_cstr(&b));
	}
	/* the table: every column, as wide as its widest cell */
	size_t cw[NCOL];
	for (int col = 0; col < NCOL; col++) {
		cw[col] = strlen(cs[col].name);
		for (size_t i = 0; i < v->nrows; i++) {
			const char *x = view_cell(v, &v->rows[i], col);
			size_t w = dash_text_width(x, strlen(x));
			if (w > cw[col])
				cw[col] = w;
		}
	}
	fprintf(f, "sessions (%zu):\n", v->nrows);
	for (size_t i = 0; i <= v->nrows; i++) {
		sbuf_reset(&b);
		sb_puts(&b, " ");
		for (int k = 0; k < NCOL; k++) {
			int col = order[k];
			const char *x = i ? view_cell(v, &v->rows[i - 1], col) : cs[col].name;
			sb_puts(&b, " ");
			sb_fit(&b, x, col == C_WHY ? dash_text_width(x, strlen(x)) : cw[col],
			       cs[col].right);
		}
		size_t n = b.len;
		while (n && b.p[n - 1] == ' ')
			n--;
		fprintf(f, "%.*s\n", (int)n, b.p);
	}
	fprintf(f, "findings (%zu):\n", v->nfeed);
	for (size_t i = 0; i < v->nfeed; i++)
		fprintf(f, "  %s\n", v->cells.p + v->feed[i].text);
	sbuf_free(&b);
	fflush(f);
}
