/* \summary: the detail view: one session's facts, ladder, findings and evidence */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/input.h"
#include "core/ladder.h"
#include "tui/dash_int.h"

struct dash_line *dlines_add(struct dlines *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	struct dash_line *x = &l->v[l->n++];
	memset(x, 0, sizeof *x);
	sbuf_init(&x->text, 1u << 16);
	return x;
}

void dlines_free(struct dlines *l)
{
	for (size_t i = 0; i < l->n; i++)
		sbuf_free(&l->v[i].text);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* One line: escaped text clipped/padded to cols, with a whole-line attribute. */
static void put_line(struct dlines *out, const char *escaped, int cols, int attr)
{
	struct dash_line *l = dlines_add(out);
	sb_fit(&l->text, escaped, (size_t)cols, 0);
	line_span(l, 0, (size_t)cols, attr);
}

/* Escaped text wrapped at cols; continuation lines indented by indent. */
static void put_wrapped(struct dlines *out, const char *escaped, int cols, int indent, int attr)
{
	const char *s = escaped;
	size_t n = strlen(s);
	int first = 1;
	while (n || first) {
		size_t room = (size_t)cols - (first ? 0 : (size_t)indent);
		/* take as many bytes as fit in room columns, break at a blank when possible */
		size_t take = 0, w = 0, brk = 0;
		while (take < n) {
			size_t l = 1;
			unsigned char c = (unsigned char)s[take];
			if (c >= 0xf0)
				l = 4;
			else if (c >= 0xe0)
				l = 3;
			else if (c >= 0xc0)
				l = 2;
			if (take + l > n)
				l = n - take;
			size_t cw = dash_text_width(s + take, l);
			if (w + cw > room)
				break;
			w += cw;
			take += l;
			if (c == ' ')
				brk = take;
		}
		if (take < n && brk > room / 2)
			take = brk;
		struct sbuf b;
		sbuf_init(&b, 1u << 16);
		if (!first)
			for (int i = 0; i < indent; i++)
				sb_put(&b, " ", 1);
		sb_put(&b, s, take);
		put_line(out, sbuf_cstr(&b), cols, attr);
		sbuf_free(&b);
		s += take;
		n -= take;
		while (n && *s == ' ') {
			s++;
			n--;
		}
		first = 0;
		if (!take && n) {       /* a column too narrow for one character */
			s++;
			n--;
		}
	}
}

static void ladder_field(struct sbuf *b, const struct ladder_row *r, int sp)
{
	int width = LADDER_COLS * sp;
	char f[LADDER_COLS * 12 + 1];
	memset(f, ' ', (size_t)width);
	f[width] = 0;
	for (int c = 0; c < LADDER_COLS; c++)
		f[sp / 2 + c * sp] = '|';
	if (r->from >= 0 && r->to >= 0) {
		int xa = sp / 2 + r->from * sp, xb = sp / 2 + r->to * sp;
		int lo = xa < xb ? xa : xb, hi = xa < xb ? xb : xa;
		for (int x = lo + 1; x < hi; x++)
			f[x] = '-';
		if (xb > xa)
			f[xb - 1] = '>';
		else
			f[xb + 1] = '<';
		if (r->failed)
			f[(lo + hi) / 2] = 'X';
	} else if (r->col >= 0 && r->col < LADDER_COLS) {
		f[sp / 2 + r->col * sp] = r->failed ? 'X' : '*';
	}
	sb_put(b, f, (size_t)width);
}

static void ladder_head(struct sbuf *b, int sp)
{
	int width = LADDER_COLS * sp;
	char f[LADDER_COLS * 12 + 1];
	memset(f, ' ', (size_t)width);
	f[width] = 0;
	for (int c = 0; c < LADDER_COLS; c++) {
		const char *nm = ladder_col_name(c);
		int len = (int)strlen(nm);
		if (len > sp - 1)
			len = sp - 1;
		int x = sp / 2 + c * sp - len / 2;
		if (x < 0)
			x = 0;
		if (x + len > width)
			x = width - len;
		memcpy(f + x, nm, (size_t)len);
	}
	sb_put(b, f, (size_t)width);
}

static void finding_lines(struct dash *d, struct dlines *out, const struct finding *f, int cols,
			  int main)
{
	struct sbuf b;
	sbuf_init(&b, 1u << 20);
	int attr = f->sev == SEV_ERROR ? DA_BAD : f->sev == SEV_WARNING ? DA_WARN : DA_DIM;
	sb_printf(&b, "%s %s %s: ", main ? "WHY" : "also", sev_name(f->sev), f->rule);
	sb_esc(&b, f->summary ? red_text(d, f->summary) : "");
	put_wrapped(out, sbuf_cstr(&b), cols, 4, attr);
	if (!main) {
		sbuf_free(&b);
		return;
	}
	if (f->hint) {
		sbuf_reset(&b);
		sb_puts(&b, "hint: ");
		sb_esc(&b, red_text(d, f->hint));
		put_wrapped(out, sbuf_cstr(&b), cols, 4, DA_NORMAL);
	}
	sbuf_free(&b);
}

void detail_lines(struct dash *d, struct dlines *out, int cols)
{
	const struct session *s = sess_get(d->t, d->detail_id);
	struct sbuf b;
	sbuf_init(&b, 1u << 20);
	if (!s) {
		put_line(out, "", cols, DA_NORMAL);
		sb_printf(&b, " session s%u aged out of the table (its counts stay in the counters)",
			  d->detail_id);
		put_line(out, sbuf_cstr(&b), cols, DA_DIM);
		sbuf_free(&b);
		return;
	}
	char st[64], t0[40] = "-", p[16], pu[16], to[16];
	if (s->start != EV_NO_TS)
		clock_fmt_rfc3339(t0, s->start);
	fmt_lat(p, sizeof p, s->primary_latency_us);
	fmt_lat(pu, sizeof pu, s->push_latency_us);
	fmt_lat(to, sizeof to, s->total_latency_us);
	sb_printf(&b, " s%u  user ", s->id);
	sb_esc(&b, s->user ? red_str(d, DR_USER, s->user) : "-");
	sb_printf(&b, "  %s%s  stage %s", outcome_name(s->outcome), s->closed ? "" : " (open)",
		  sess_stage(s, st, sizeof st));
	put_wrapped(out, sbuf_cstr(&b), cols, 3, DA_NORMAL);
	sbuf_reset(&b);
	sb_printf(&b, " start %s  nas ", t0);
	sb_esc(&b, s->nas_ip ? red_str(d, DR_NAS, s->nas_ip) : "-");
	if (s->nas_port >= 0)
		sb_printf(&b, ":%d", s->nas_port);
	sb_puts(&b, "  client ");
	sb_esc(&b, s->client_ip ? red_str(d, DR_IP, s->client_ip) :
		   s->calling_station ? red_str(d, DR_STATION, s->calling_station) : "-");
	sb_puts(&b, "  primary ");
	sb_esc(&b, s->primary_ip ? red_str(d, DR_IP, s->primary_ip) : "-");
	if (s->assigned_ip) {
		sb_puts(&b, "  assigned ");
		sb_esc(&b, red_str(d, DR_IP, s->assigned_ip));
	}
	put_wrapped(out, sbuf_cstr(&b), cols, 3, DA_NORMAL);
	sbuf_reset(&b);
	sb_printf(&b, " latency: primary %s  push %s  total %s   requests %u  retransmits %u  "
		  "pushes %u", p, pu, to, s->requests, s->retransmits, s->pushes);
	put_wrapped(out, sbuf_cstr(&b), cols, 3, DA_NORMAL);
	put_line(out, "", cols, DA_NORMAL);

	struct ladder l;
	ladder_build(&l, s, d->fs);
	int sp = cols >= 110 ? 10 : cols >= 80 ? 8 : 6;
	sbuf_reset(&b);
	sb_puts(&b, "    time  ");
	ladder_head(&b, sp);
	sb_puts(&b, "  event");
	put_line(out, sbuf_cstr(&b), cols, DA_HEAD);
	for (size_t i = 0; i < l.n; i++) {
		const struct ladder_row *r = &l.rows[i];
		sbuf_reset(&b);
		char rel[24] = "";
		if (r->rel_us >= 0)
			snprintf(rel, sizeof rel, "+%lld.%03llds", (long long)(r->rel_us / 1000000),
				 (long long)(r->rel_us % 1000000 / 1000));
		sb_fit(&b, rel, 9, 1);
		sb_puts(&b, " ");
		ladder_field(&b, r, sp);
		sb_puts(&b, "  ");
		sb_puts(&b, stage_what(r->kind));
		if (r->detail) {
			sb_puts(&b, "  ");
			sb_esc(&b, red_text(d, r->detail));
		}
		if (r->latency_us >= 0) {
			char lat[24];
			fmt_lat(lat, sizeof lat, r->latency_us);
			sb_printf(&b, "  (%s)", lat);
		}
		put_line(out, sbuf_cstr(&b), cols, r->failed ? DA_FAIL : DA_NORMAL);
	}
	if (s->stages_dropped) {
		sbuf_reset(&b);
		sb_printf(&b, "          ... %u more stages not kept", s->stages_dropped);
		put_line(out, sbuf_cstr(&b), cols, DA_DIM);
	}
	put_line(out, "", cols, DA_NORMAL);

	/* the session's findings: the one the failing leg cites first */
	const struct finding *why = l.why;
	if (why)
		finding_lines(d, out, why, cols, 1);
	size_t nf = findings_count(d->fs);
	for (size_t i = 0; i < nf; i++) {
		const struct finding *f = findings_at(d->fs, i);
		if (f->session == s->id && f != why && !f->suppressed && f->sev != SEV_NONE)
			finding_lines(d, out, f, cols, 0);
	}
	if (!why && s->outcome != OUT_ACCEPT)
		put_line(out, " (no finding for this session yet)", cols, DA_DIM);

	/* evidence: the cited lines of the session's findings, as read */
	int head = 0;
	for (size_t i = 0; i < nf; i++) {
		const struct finding *f = findings_at(d->fs, i);
		if (f->session != s->id || f->suppressed || f->sev == SEV_NONE)
			continue;
		if (!head) {
			put_line(out, "", cols, DA_NORMAL);
			put_line(out, "EVIDENCE", cols, DA_HEAD);
			head = 1;
		}
		for (uint32_t j = 0; j < f->nev; j++) {
			char ref[512];
			input_ref(ref, sizeof ref, f->ev[j].input, f->ev[j].pos);
			sbuf_reset(&b);
			sb_puts(&b, " ");
			sb_esc(&b, ref);
			sb_puts(&b, "  ");
			sb_esc(&b, red_text(d, f->ev[j].text));
			put_wrapped(out, sbuf_cstr(&b), cols, 6, DA_NORMAL);
		}
	}
	ladder_free(&l);
	sbuf_free(&b);
}
