/* \summary: the dashboard model: counters, the sessions table, the feed, the view */
#include "tui/dash.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/escape.h"
#include "tui/dash_int.h"

/* ---- small helpers ---- */

void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (sbuf_add(b, s, n)) {
		/* capped: the line stays as it is */
	}
}

void sb_puts(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (sbuf_vprintf(b, fmt, ap)) {
		/* capped */
	}
	va_end(ap);
}

/* Code points that draw nothing or reorder text (format characters,
 * bidi controls): shown as \u{XXXX} so a name cannot hide or flip. */
static int invisible_cp(uint32_t c)
{
	return c == 0xad || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2060 && c <= 0x206f) || c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb) ||
	       c == 0x061c || c == 0x180e || (c >= 0xe0000 && c <= 0xe007f);
}

static uint32_t decode(const unsigned char *p, size_t l)
{
	if (l == 1)
		return p[0];
	uint32_t c = p[0] & (0xff >> (l + 1));
	for (size_t i = 1; i < l; i++)
		c = (c << 6) | (p[i] & 0x3f);
	return c;
}

void sb_esc(struct sbuf *b, const char *s)
{
	if (!s)
		return;
	struct sbuf t;
	sbuf_init(&t, 1u << 20);
	if (esc_text(&t, s, strlen(s))) {
		/* capped: what fits */
	}
	const unsigned char *p = (const unsigned char *)t.p;
	for (size_t i = 0; i < t.len;) {
		size_t l = utf8_seq_len(p + i, t.len - i);
		if (!l)
			l = 1;              /* cannot happen after esc_text */
		uint32_t c = decode(p + i, l);
		if (l > 1 && invisible_cp(c))
			sb_printf(b, "\\u{%04x}", (unsigned)c);
		else
			sb_put(b, (const char *)p + i, l);
		i += l;
	}
	sbuf_free(&t);
}

static int cp_width(uint32_t c)
{
	if (c < 0x300)
		return 1;
	if ((c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	    (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) ||
	    (c >= 0xfe20 && c <= 0xfe2f) || (c >= 0xfe00 && c <= 0xfe0f))
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c != 0x303f) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
	    (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

size_t dash_text_width(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		size_t l = utf8_seq_len(p + i, n - i);
		if (!l)
			l = 1;
		w += (size_t)cp_width(decode(p + i, l));
		i += l;
	}
	return w;
}

/* Append s (already escaped) in exactly w columns: cut with '~' when
 * longer, padded with blanks (left or right aligned). */
void sb_fit(struct sbuf *b, const char *s, size_t w, int right)
{
	if (!s)
		s = "";
	size_t n = strlen(s), tw = dash_text_width(s, n);
	if (tw <= w) {
		if (right)
			for (size_t i = tw; i < w; i++)
				sb_put(b, " ", 1);
		sb_put(b, s, n);
		if (!right)
			for (size_t i = tw; i < w; i++)
				sb_put(b, " ", 1);
		return;
	}
	if (!w)
		return;
	const unsigned char *p = (const unsigned char *)s;
	size_t used = 0;
	for (size_t i = 0; i < n;) {
		size_t l = utf8_seq_len(p + i, n - i);
		if (!l)
			l = 1;
		size_t cw = (size_t)cp_width(decode(p + i, l));
		if (used + cw > w - 1)
			break;
		sb_put(b, s + i, l);
		used += cw;
		i += l;
	}
	for (; used < w - 1; used++)
		sb_put(b, " ", 1);
	sb_put(b, "~", 1);
}

void fmt_lat(char *b, size_t n, int64_t us)
{
	if (us < 0)
		snprintf(b, n, "-");
	else if (us < 1000)
		snprintf(b, n, "%lldus", (long long)us);
	else if (us < 1000000)
		snprintf(b, n, "%lldms", (long long)((us + 500) / 1000));
	else if (us < 10000000)
		snprintf(b, n, "%.2fs", us / 1e6);
	else if (us < 100000000)
		snprintf(b, n, "%.1fs", us / 1e6);
	else
		snprintf(b, n, "%llds", (long long)(us / 1000000));
}

void fmt_hms(char *b, size_t n, int64_t us)
{
	if (us == EV_NO_TS) {
		snprintf(b, n, "--:--:--");
		return;
	}
	char t[40];
	clock_fmt_rfc3339(t, us);
	snprintf(b, n, "%.8s", t + 11);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static void series_add(struct series *s, int64_t width, int64_t ts, uint32_t k)
{
	int64_t id = floor_div(ts, width);
	size_t i = (size_t)(((id % SERIES_N) + SERIES_N) % SERIES_N);
	if (s->id[i] != id) {
		s->id[i] = id;
		s->n[i] = 0;
	}
	s->n[i] += k;
}

uint32_t series_get(const struct series *s, int64_t id)
{
	size_t i = (size_t)(((id % SERIES_N) + SERIES_N) % SERIES_N);
	return s->id[i] == id ? s->n[i] : 0;
}

static void series_init(struct series *s)
{
	for (size_t i = 0; i < SERIES_N; i++)
		s->id[i] = INT64_MIN;
}

/* ---- lifecycle ---- */

struct dash *dash_new(struct sess_table *t, struct finding_set *fs)
{
	struct dash *d = xcalloc(1, sizeof *d);
	d->t = t;
	d->fs = fs;
	d->max_rows = DASH_MAX_ROWS;
	d->now = EV_NO_TS;
	d->sort = DS_TIME;
	d->sel_at_top = 1;
	series_init(&d->req_b);
	series_init(&d->fail_b);
	series_init(&d->req_s);
	sbuf_init(&d->filter, 256);
	sbuf_init(&d->input, 256);
	sbuf_init(&d->title, 1024);
	sbuf_init(&d->note, 1024);
	view_init(&d->v);
	return d;
}

void dash_free(struct dash *d)
{
	if (!d)
		return;
	view_free(&d->v);
	sbuf_free(&d->filter);
	sbuf_free(&d->input);
	sbuf_free(&d->title);
	sbuf_free(&d->note);
	free(d->pinned);
	free(d->feed);
	free(d->rel);
	free(d);
}

void dash_set_forget(struct dash *d, dash_forget_fn fn, void *ctx)
{
	d->forget = fn;
	d->forget_ctx = ctx;
}

void dash_set_redact(struct dash *d, const struct dash_redact *r)
{
	d->redact = *r;
}

const char *red_str(const struct dash *d, int cls, const char *s)
{
	return s && d->redact.str ? d->redact.str(d->redact.ctx, cls, s) : s;
}

const char *red_text(const struct dash *d, const char *s)
{
	return s && d->redact.text ? d->redact.text(d->redact.ctx, s) : s;
}

void dash_set_title(struct dash *d, const char *title)
{
	sbuf_reset(&d->title);
	sb_esc(&d->title, title);
}

void dash_note(struct dash *d, const char *fmt, ...)
{
	char raw[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	sbuf_reset(&d->note);
	sb_esc(&d->note, red_text(d, raw));
	d->note_seq++;
	d->dirty = 1;
}

void dash_set_filter(struct dash *d, const char *text)
{
	sbuf_reset(&d->filter);
	if (text)
		sb_esc(&d->filter, text);
	d->dirty = 1;
}

void dash_set_max_rows(struct dash *d, size_t n)
{
	d->max_rows = n ? n : 1;
}

void dash_set_finished(struct dash *d, int finished)
{
	d->finished = finished;
	d->dirty = 1;
}

int dash_paused(const struct dash *d)
{
	return d->paused;
}

int dash_view(const struct dash *d)
{
	return d->view;
}

/* ---- events ---- */

void dash_clock(struct dash *d, int64_t now)
{
	if (now != EV_NO_TS && (d->now == EV_NO_TS || now > d->now)) {
		if (d->now == EV_NO_TS || floor_div(now, 1000000) != floor_div(d->now, 1000000))
			d->dirty = 1;   /* the rate window moved */
		d->now = now;
	}
}

void dash_on_event(struct dash *d, const struct ev *e)
{
	d->events++;
	d->dirty = 1;
	if (e->ts != EV_NO_TS && (d->now == EV_NO_TS || e->ts > d->now))
		d->now = e->ts;
	switch (e->kind) {
	case EVK_RADIUS_REQUEST:
		if (e->to == ROLE_PRIMARY || e->from == ROLE_PROXY)
			break;      /* the proxy's own leg to the primary */
		d->requests++;
		if (e->ts != EV_NO_TS) {
			series_add(&d->req_b, DASH_BUCKET_US, e->ts, 1);
			series_add(&d->req_s, 1000000, e->ts, 1);
		}
		break;
	case EVK_DUO_RESULT: {
		const struct session *s = e->session ? sess_get(d->t, e->session) : NULL;
		if (s && s->push_latency_us >= 0) {
			d->lat[d->lat_pos] = s->push_latency_us;
			d->lat_pos = (d->lat_pos + 1) % DASH_NLAT;
			if (d->nlat < DASH_NLAT)
				d->nlat++;
		}
		break;
	}
	case EVK_SESSION_END: {
		const struct session *s = e->session ? sess_get(d->t, e->session) : NULL;
		unsigned o = s ? s->outcome : OUT_INCOMPLETE;
		d->outcome[o < 4 ? o : 0]++;
		if ((o == OUT_REJECT || o == OUT_TIMEOUT) && e->ts != EV_NO_TS)
			series_add(&d->fail_b, DASH_BUCKET_US, e->ts, 1);
		break;
	}
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

void dash_counts(const struct dash *d, struct dash_counts *c)
{
	memset(c, 0, sizeof *c);
	c->events = d->events;
	c->sessions = d->outcome[0] + d->outcome[1] + d->outcome[2] + d->outcome[3] +
		      sess_open_count(d->t);
	c->requests = d->requests;
	memcpy(c->outcome, d->outcome, sizeof c->outcome);
	c->aged_out = d->aged_out;
	c->push_p50 = c->push_p95 = -1;
	if (d->now != EV_NO_TS) {
		int64_t cur = floor_div(d->now, 1000000);
		uint64_t n = 0;
		for (int64_t i = 0; i < DASH_RATE_US / 1000000; i++)
			n += series_get(&d->req_s, cur - i);
		c->req_rate = (double)n / (double)(DASH_RATE_US / 1000000);
	}
	if (d->nlat) {
		int64_t v[DASH_NLAT];
		memcpy(v, d->lat, d->nlat * sizeof *v);
		qsort(v, d->nlat, sizeof *v, cmp_i64);
		c->push_p50 = v[(d->nlat - 1) * 50 / 100];
		c->push_p95 = v[(d->nlat - 1) * 95 / 100];
	}
}

/* ---- ageing out ---- */

static int rel_has(const struct dash *d, uint32_t sid)
{
	size_t lo = 0, hi = d->nrel;
	while (lo < hi) {
		size_t m = (lo + hi) / 2;
		if (d->rel[m] == sid)
			return 1;
		if (d->rel[m] < sid)
			lo = m + 1;
		else
			hi = m;
	}
	return 0;
}

/* A finding of a login that leaves now, or left before (a rule timer
 * can still raise one for it later). */
static int gone(const struct dash *d, const struct finding *f)
{
	return f->session && (rel_has(d, f->session) || !sess_get(d->t, f->session));
}

static int drop_finding(void *ctx, const struct finding *f)
{
	struct dash *d = ctx;
	if (!gone(d, f))
		return 0;
	if (d->forget)
		d->forget(d->forget_ctx, f);
	return 1;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void rel_add(struct dash *d, uint32_t sid)
{
	if (d->nrel == d->caprel) {
		d->caprel = d->caprel ? d->caprel * 2 : 64;
		d->rel = xrealloc(d->rel, d->caprel * sizeof *d->rel);
	}
	d->rel[d->nrel++] = sid;
}

static void pin(struct dash *d, uint32_t sid)
{
	if (d->npinned == d->cappinned) {
		d->cappinned = d->cappinned ? d->cappinned * 2 : 16;
		d->pinned = xrealloc(d->pinned, d->cappinned * sizeof *d->pinned);
	}
	d->pinned[d->npinned++] = sid;
}

/* Closed, and when merged into another (whose keys its own keys still
 * lead to), that one closed or gone too. */
static int releasable(struct dash *d, const struct session *s)
{
	if (!s->closed)
		return 0;
	if (!s->merged_into)
		return 1;
	const struct session *k = sess_get(d->t, sess_resolve(d->t, s->id));
	return !k || k == s || k->closed;
}

/* Closed sessions older than the newest max_rows leave the table: the
 * session table and the finding set free them; the counters keep them. */
static void age_out(struct dash *d)
{
	d->nrel = 0;
	while (d->hi - d->lo > d->max_rows) {
		uint32_t sid = ++d->lo;
		const struct session *s = sess_get(d->t, sid);
		if (!s)
			continue;
		if (releasable(d, s))
			rel_add(d, sid);
		else
			pin(d, sid);    /* still open: it stays until it closes */
	}
	size_t kept = 0;            /* in id order (the view shows the newest) */
	for (size_t i = 0; i < d->npinned; i++) {
		const struct session *s = sess_get(d->t, d->pinned[i]);
		if (!s || releasable(d, s)) {
			if (s)
				rel_add(d, d->pinned[i]);
		} else {
			d->pinned[kept++] = d->pinned[i];
		}
	}
	d->npinned = kept;
	int late = 0;
	for (size_t i = 0; i < d->nfeed && !late; i++) {
		const struct finding *f = d->feed[(d->feed_head + i) % DASH_MAX_FEED];
		late = f->session && !sess_get(d->t, f->session);
	}
	if (!d->nrel && !late)
		return;
	if (d->nrel)
		qsort(d->rel, d->nrel, sizeof *d->rel, cmp_u32);
	/* the feed holds pointers: drop the ones about to be freed */
	size_t k = 0;
	for (size_t i = 0; i < d->nfeed; i++) {
		const struct finding *f = d->feed[(d->feed_head + i) % DASH_MAX_FEED];
		if (!gone(d, f))
			d->feed_tmp[k++] = d->feed[(d->feed_head + i) % DASH_MAX_FEED];
	}
	for (size_t i = 0; i < k; i++)
		d->feed[i] = d->feed_tmp[i];
	d->feed_head = 0;
	d->nfeed = k;
	findings_release(d->fs, drop_finding, d);
	for (size_t i = 0; i < d->nrel; i++)
		if (!sess_release(d->t, d->rel[i]))
			d->aged_out++;
	d->nrel = 0;
}

/* ---- update ---- */

static uint32_t resolve(void *ctx, uint32_t id)
{
	return sess_resolve(ctx, id);
}

static void take_findings(struct dash *d)
{
	size_t n = findings_count(d->fs);
	if (!d->feed)
		d->feed = xcalloc(DASH_MAX_FEED, sizeof *d->feed);
	/* ids grow: a finding newer than the last one taken is new (the set
	 * is re-sorted by findings_finalize, so positions do not say it) */
	uint32_t top = d->f_last;
	for (size_t i = 0; i < n; i++) {
		struct finding *f = findings_at(d->fs, i);
		if (f->id <= d->f_last)
			continue;
		if (f->id > top)
			top = f->id;
		if (d->nfeed == DASH_MAX_FEED) {
			d->feed_head = (d->feed_head + 1) % DASH_MAX_FEED;
			d->nfeed--;
		}
		d->feed[(d->feed_head + d->nfeed++) % DASH_MAX_FEED] = f;
		d->dirty = 1;
	}
	/* sessions merged since (two sources saw one login): their findings
	 * move to the session that survives, duplicates fold into one */
	findings_resession(d->fs, resolve, d->t);
	if (top != d->f_last) {
		d->f_last = top;
		findings_finalize(d->fs);   /* precedence: suppressed flags */
	}
}

int dash_update(struct dash *d)
{
	size_t n = sess_count(d->t);
	if (n != d->hi) {
		d->hi = (uint32_t)n;
		d->dirty = 1;
	}
	take_findings(d);
	age_out(d);
	int changed = d->dirty;
	if (!d->paused && (d->dirty || d->v.stale))
		view_build(d);
	d->dirty = 0;
	return changed;
}

/* ---- keys ---- */

static void move_sel(struct dash *d, long delta)
{
	size_t n = d->v.nrows;
	if (!n)
		return;
	long k = (long)d->sel + delta;
	if (k < 0)
		k = 0;
	if (k >= (long)n)
		k = (long)n - 1;
	d->sel = (size_t)k;
	d->sel_id = d->v.rows[d->sel].id;
	d->sel_at_top = d->sel == 0;
}

static void typing_key(struct dash *d, int key)
{
	switch (key) {
	case DK_ENTER:
		sbuf_reset(&d->filter);
		sb_put(&d->filter, d->input.p ? d->input.p : "", d->input.len);
		d->typing = 0;
		d->v.stale = 1;
		d->sel = 0;
		d->sel_at_top = 1;
		return;
	case DK_ESC:
		d->typing = 0;
		return;
	case DK_BACKSPACE:
		/* drop the last UTF-8 character */
		while (d->input.len) {
			unsigned char c = (unsigned char)d->input.p[--d->input.len];
			if ((c & 0xc0) != 0x80)
				break;
		}
		return;
	}
	if (key >= 0x20 && key < 0x100 && key != 0x7f) {
		char c = (char)key;
		if (d->input.len < 200)
			sb_put(&d->input, &c, 1);
	}
}

int dash_key(struct dash *d, int key)
{
	if (key == DK_RESIZE)
		return 0;
	if (d->typing) {
		typing_key(d, key);
		if (d->v.stale && !d->paused)
			view_build(d);
		return 0;
	}
	sbuf_reset(&d->note);           /* a key acknowledges the last note */
	if (key == 'q' || key == 'Q')
		return 1;
	if (d->view == DV_HELP) {
		d->view = d->prev_view;
		return 0;
	}
	long page = d->page > 1 ? d->page - 1 : 1;
	switch (key) {
	case '?':
		d->prev_view = d->view;
		d->view = DV_HELP;
		return 0;
	case 'p':
	case 'P':
		d->paused = !d->paused;
		if (!d->paused)
			d->v.stale = 1;
		break;
	case '/':
		if (d->view == DV_TABLE) {
			d->typing = 1;
			sbuf_reset(&d->input);
			sb_put(&d->input, d->filter.p ? d->filter.p : "", d->filter.len);
		}
		return 0;
	case 's':
	case 'S':
		if (d->view == DV_TABLE) {
			d->sort = (d->sort + 1) % DS__COUNT;
			d->v.stale = 1;
			d->sel_at_top = 1;
		}
		break;
	case DK_ESC:
		if (d->view == DV_DETAIL) {
			d->view = DV_TABLE;
		} else if (d->filter.len) {
			sbuf_reset(&d->filter);
			d->v.stale = 1;
		}
		break;
	case DK_ENTER:
		if (d->view == DV_TABLE && d->v.nrows) {
			d->detail_id = d->v.rows[d->sel].id;
			d->detail_scroll = 0;
			d->view = DV_DETAIL;
		}
		break;
	case DK_UP: case 'k':
		if (d->view == DV_DETAIL) {
			if (d->detail_scroll)
				d->detail_scroll--;
		} else {
			move_sel(d, -1);
		}
		break;
	case DK_DOWN: case 'j':
		if (d->view == DV_DETAIL)
			d->detail_scroll++;
		else
			move_sel(d, 1);
		break;
	case DK_PGUP:
		if (d->view == DV_DETAIL)
			d->detail_scroll = d->detail_scroll > (size_t)page ? d->detail_scroll - (size_t)page : 0;
		else
			move_sel(d, -page);
		break;
	case DK_PGDN: case ' ':
		if (d->view == DV_DETAIL)
			d->detail_scroll += (size_t)page;
		else
			move_sel(d, page);
		break;
	case DK_HOME: case 'g':
		if (d->view == DV_DETAIL)
			d->detail_scroll = 0;
		else
			move_sel(d, -(long)d->v.nrows);
		break;
	case DK_END: case 'G':
		if (d->view == DV_DETAIL)
			d->detail_scroll = SIZE_MAX / 2;    /* clamped at render */
		else
			move_sel(d, (long)d->v.nrows);
		break;
	}
	if (d->v.stale && !d->paused)
		view_build(d);
	return 0;
}
