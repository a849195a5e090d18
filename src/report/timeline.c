/* \summary: the text timeline: a ladder per session, five role columns
 *
 *              client     headend      proxy     primary       duo
 *  +0.000s        |---------->|           |           |           |  request ...
 *  +0.412s        |           |           |<----X-----|           |  primary-reject ... 331 ms  <== FAILED
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/ident.h"
#include "core/escape.h"
#include "core/input.h"
#include "core/str.h"
#include "core/ladder.h"
#include "report/redact.h"
#include "report/report.h"

#define TIME_W 10
#define COL_W 12
#define LINE_W (TIME_W + COL_W * LADDER_COLS)

static int center(int col)
{
	return TIME_W + COL_W * col + COL_W / 2;
}

static void put_esc(FILE *o, const char *s)
{
	fputs_text(o, s ? s : "-");
}

static void fmt_rel(char *b, size_t n, int64_t us)
{
	if (us < 0)
		snprintf(b, n, "?");
	else if (us < 1000000000LL)
		snprintf(b, n, "+%.3fs", us / 1e6);
	else
		snprintf(b, n, "+%.0fs", us / 1e6);
}

static void draw_row(char *line, const struct ladder_row *r)
{
	memset(line, ' ', LINE_W);
	line[LINE_W] = 0;
	for (int c = 0; c < LADDER_COLS; c++)
		line[center(c)] = '|';
	if (r->from >= 0 && r->to >= 0) {
		int a = center(r->from), b = center(r->to);
		int lo = a < b ? a : b, hi = a < b ? b : a;
		for (int i = lo + 1; i < hi; i++)
			line[i] = '-';
		if (b > a)
			line[b - 1] = '>';
		else
			line[b + 1] = '<';
		if (r->failed)
			line[(lo + hi) / 2] = 'X';
	} else if (r->col >= 0) {
		line[center(r->col)] = r->failed ? 'X' : '*';
	} else if (r->failed) {
		line[TIME_W] = 'X';
	}
}

static void session_header(const struct report_ctx *c, const struct session *s)
{
	FILE *o = c->out;
	char a[32] = "-", b[32] = "-";
	if (s->start != EV_NO_TS)
		clock_fmt_rfc3339(a, s->start);
	if (s->end != EV_NO_TS)
		clock_fmt_rfc3339(b, s->end);
	if (c->color)
		fputs("\033[1m", o);
	fprintf(o, "s%u  ", s->id);
	put_esc(o, redact_str(c->redact, RC_USER, s->user));
	fprintf(o, "  %s", outcome_name(s->outcome));
	if (c->color)
		fputs("\033[0m", o);
	fprintf(o, "  %s .. %s", a, b);
	if (s->client_ip) {
		fputs("  client ", o);
		put_esc(o, redact_str(c->redact, RC_IP, s->client_ip));
	}
	if (s->nas_ip) {
		fputs("  nas ", o);
		put_esc(o, redact_str(c->redact, RC_IP, s->nas_ip));
	}
	if (s->assigned_ip) {
		fputs("  assigned ", o);
		put_esc(o, redact_str(c->redact, RC_IP, s->assigned_ip));
	}
	fputc('\n', o);
	char title[LINE_W + 1];
	memset(title, ' ', LINE_W);
	title[LINE_W] = 0;
	for (int col = 0; col < LADDER_COLS; col++) {
		const char *n = ladder_col_name(col);
		int len = (int)strlen(n);
		memcpy(title + center(col) - len / 2, n, (size_t)len);
	}
	int end = LINE_W;
	while (end > 0 && title[end - 1] == ' ')
		end--;
	title[end] = 0;
	fprintf(o, "%s\n", title);
}

static void write_session(const struct report_ctx *c, const struct session *s,
			  const struct finding *why)
{
	FILE *o = c->out;
	struct ladder l;
	ladder_build_why(&l, s, why);
	session_header(c, s);
	char line[LINE_W + 1];
	for (size_t i = 0; i < l.n; i++) {
		const struct ladder_row *r = &l.rows[i];
		char rel[24], lat[24];
		fmt_rel(rel, sizeof rel, r->rel_us);
		ladder_fmt_latency(lat, sizeof lat, r->latency_us);
		draw_row(line, r);
		memcpy(line, "          ", TIME_W);
		size_t rl = strlen(rel);
		memcpy(line + (TIME_W - 2 > rl ? TIME_W - 2 - rl : 0), rel, rl < TIME_W ? rl : TIME_W);
		if (r->failed && c->color)
			fputs("\033[1;31m", o);
		fprintf(o, "%s  %s", line, r->what);
		if (r->detail && *r->detail) {
			fputs("  ", o);
			put_esc(o, redact_text(c->redact, r->detail));
		}
		if (*lat)
			fprintf(o, "  (%s)", lat);
		char ref[1024];
		input_ref(ref, sizeof ref, r->input, r->pos);
		fputs("  [", o);
		put_esc(o, ref);
		fputc(']', o);
		if (r->failed)
			fputs("  <== FAILED", o);
		if (r->failed && c->color)
			fputs("\033[0m", o);
		fputc('\n', o);
	}
	if (s->stages_dropped)
		fprintf(o, "          (%u more stages not kept)\n", s->stages_dropped);
	if (l.why) {
		const struct finding *f = l.why;
		fprintf(o, "  => %s %s: ", sev_name(f->sev), f->rule);
		put_esc(o, redact_text(c->redact, f->summary ? f->summary : ""));
		fputc('\n', o);
		if (f->hint && *f->hint) {
			fputs("     hint: ", o);
			put_esc(o, redact_text(c->redact, f->hint));
			fputc('\n', o);
		}
	} else if (l.fail_row >= 0) {
		fprintf(o, "  => %s: no finding explains it yet\n", outcome_name(s->outcome));
	}
	fputc('\n', o);
	ladder_free(&l);
}

/* sessions grouped per user (users in order of their first login), each
 * user's logins in time order */
struct slot {
	const struct session *s;
	size_t rank;
};

static int by_rank(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->s->id < y->s->id ? -1 : x->s->id > y->s->id;
}

int report_timeline(const struct report_ctx *c)
{
	size_t n = sess_count(c->sessions), shown = 0, nusers = 0;
	struct slot *v = xcalloc(n + 1, sizeof *v);
	const char **users = xcalloc(n + 1, sizeof *users);   /* normalized, by rank */
	size_t *count = xcalloc(n + 1, sizeof *count);
	/* rank lookup: open addressing on the interned normalized name */
	size_t hcap = 16;
	while (hcap < 2 * n + 2)
		hcap *= 2;
	size_t *h = xcalloc(hcap, sizeof *h);          /* rank + 1, 0 = empty */
	for (size_t i = 1; i <= n; i++) {
		const struct session *s = sess_get(c->sessions, (uint32_t)i);
		if (!report_session_visible(c, s))
			continue;
		const char *u = s->user ? user_norm(s->user) : NULL;
		size_t k = (size_t)((uintptr_t)u * 0x9e3779b97f4a7c15ull >> 7) & (hcap - 1);
		while (h[k] && users[h[k] - 1] != u)
			k = (k + 1) & (hcap - 1);
		if (!h[k]) {
			users[nusers] = u;
			h[k] = ++nusers;
		}
		count[h[k] - 1]++;
		v[shown++] = (struct slot){s, h[k] - 1};
	}
	qsort(v, shown, sizeof *v, by_rank);
	const struct finding **why = ladder_why_index(c->findings, n);
	for (size_t i = 0; i < shown; i++) {
		if (nusers > 1 && (i == 0 || v[i].rank != v[i - 1].rank)) {
			if (c->color)
				fputs("\033[1;4m", c->out);
			fputs("== ", c->out);
			put_esc(c->out, v[i].s->user ? redact_str(c->redact, RC_USER, v[i].s->user)
						    : "(no user)");
			fprintf(c->out, ": %zu login%s", count[v[i].rank], count[v[i].rank] == 1 ? "" : "s");
			if (c->color)
				fputs("\033[0m", c->out);
			fputs("\n\n", c->out);
		}
		write_session(c, v[i].s, why[v[i].s->id]);
	}
	free(why);
	free(h);
	free(count);
	free(users);
	free(v);
	if (!shown)
		fprintf(c->out, "No sessions%s.\n", c->user ? " for that user" : "");
	return ferror(c->out) ? -1 : 0;
}
