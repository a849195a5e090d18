/* \summary: the ladder model: stages -> arrows, latencies, the failing leg */
#include "core/ladder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/str.h"

static const char *const col_names[LADDER_COLS] = {
	"client", "headend", "proxy", "primary", "duo",
};

const char *ladder_col_name(int col)
{
	return col >= 0 && col < LADDER_COLS ? col_names[col] : "";
}

int ladder_role_col(unsigned role)
{
	return role >= ROLE_CLIENT && role <= ROLE_DUO ? (int)role - ROLE_CLIENT : -1;
}

/* where a stage without roles happened: the box whose log says so */
static int note_col(const struct stage *st)
{
	const char *k = ev_kind_name(st->kind);
	if (!strncmp(k, "ike.", 4) || !strncmp(k, "aaa.", 4) || !strncmp(k, "router.", 7) ||
	    !strncmp(k, "esp.", 4))
		return 1;
	if (!strncmp(k, "proxy.", 6) || !strncmp(k, "duo.", 4))
		return 2;
	switch (st->src) {
	case SRC_AUTHPROXY_LOG: case SRC_AUTHEVENTS_LOG: case SRC_CONNECTIVITY:
	case SRC_AUTHPROXY_CFG:
		return 2;
	case SRC_IOS_DEBUG: case SRC_IOS_SHOW: case SRC_IOS_CONFIG: case SRC_SYSLOG:
		return 1;
	default:
		return -1;
	}
}

/* does the kind say something broke? */
static int kind_breaks(unsigned kind)
{
	static const char *const words[] = {
		"timeout", "reject", "error", "unreachable", "failed", "invalid", "dead",
		"no_response", "exhausted", "lost", "dropped", "anomaly", "bad_auth",
		"damaged", "mismatch", "failover", "down", NULL,
	};
	const char *k = ev_kind_name(kind);
	for (int i = 0; words[i]; i++)
		if (strstr(k, words[i]))
			return 1;
	return 0;
}

static const struct finding *top_finding(struct finding_set *fs, uint32_t sid)
{
	const struct finding *best = NULL;
	for (size_t i = 0; fs && i < findings_count(fs); i++) {
		const struct finding *f = findings_at(fs, i);
		if (f->suppressed || f->session != sid || f->sev == SEV_NONE)
			continue;
		if (!best || f->sev > best->sev)
			best = f;
	}
	return best;
}

static long cited_row(const struct ladder *l, const struct finding *f)
{
	long best = -1;
	for (uint32_t j = 0; j < f->nev; j++)
		for (size_t i = 0; i < l->n; i++)
			if (l->rows[i].input == f->ev[j].input && l->rows[i].pos == f->ev[j].pos &&
			    (long)i > best)
				best = (long)i;
	return best;
}

const struct finding **ladder_why_index(struct finding_set *fs, size_t nsess)
{
	const struct finding **ix = xcalloc(nsess + 1, sizeof *ix);
	for (size_t i = 0; fs && i < findings_count(fs); i++) {
		const struct finding *f = findings_at(fs, i);
		if (f->suppressed || !f->session || f->session > nsess || f->sev == SEV_NONE)
			continue;
		if (!ix[f->session] || f->sev > ix[f->session]->sev)
			ix[f->session] = f;
	}
	return ix;
}

void ladder_build(struct ladder *l, const struct session *s, struct finding_set *fs)
{
	ladder_build_why(l, s, top_finding(fs, s->id));
}

void ladder_build_why(struct ladder *l, const struct session *s, const struct finding *f)
{
	memset(l, 0, sizeof *l);
	l->s = s;
	l->fail_row = -1;
	l->rows = s->nstage ? xcalloc(s->nstage, sizeof *l->rows) : NULL;
	int64_t t0 = EV_NO_TS;
	/* last unanswered message per directed pair (from, to) */
	long pending[LADDER_COLS][LADDER_COLS];
	for (int a = 0; a < LADDER_COLS; a++)
		for (int b = 0; b < LADDER_COLS; b++)
			pending[a][b] = -1;
	for (uint32_t i = 0; i < s->nstage; i++) {
		const struct stage *st = &s->stages[i];
		struct ladder_row *r = &l->rows[l->n++];
		r->ts = st->ts;
		r->kind = st->kind;
		r->what = ev_kind_name(st->kind);
		r->detail = st->detail;
		r->input = st->input;
		r->pos = st->pos;
		r->latency_us = -1;
		r->rel_us = -1;
		if (st->ts != EV_NO_TS) {
			if (t0 == EV_NO_TS)
				t0 = st->ts;
			r->rel_us = st->ts >= t0 ? st->ts - t0 : 0;
		}
		r->from = (int8_t)ladder_role_col(st->from);
		r->to = (int8_t)ladder_role_col(st->to);
		if (r->from == r->to)
			r->to = -1;     /* a message to itself is a note */
		if (r->from >= 0 && r->to >= 0) {
			long req = pending[r->to][r->from];
			if (req >= 0 && st->ts != EV_NO_TS && l->rows[req].ts != EV_NO_TS &&
			    st->ts >= l->rows[req].ts) {
				r->latency_us = st->ts - l->rows[req].ts;
				pending[r->to][r->from] = -1;
			} else if (pending[r->from][r->to] < 0) {
				/* a retransmit keeps the first unanswered message: the
				 * latency is what the sender waited in all */
				pending[r->from][r->to] = (long)i;
			}
			r->col = r->from;
			l->cols_used |= (uint8_t)(1u << r->from | 1u << r->to);
		} else {
			r->col = (int8_t)(r->from >= 0 ? r->from : note_col(st));
			r->from = r->to = -1;
			if (r->col >= 0)
				l->cols_used |= (uint8_t)(1u << r->col);
		}
	}
	if (f) {
		l->why = f;
		l->fail_row = cited_row(l, f);
	}
	if (l->fail_row < 0 && (f || s->outcome != OUT_ACCEPT)) {
		for (size_t i = l->n; i-- > 0;)
			if (kind_breaks(l->rows[i].kind)) {
				l->fail_row = (long)i;
				break;
			}
	}
	if (l->fail_row < 0 && l->n && (s->outcome == OUT_REJECT || s->outcome == OUT_TIMEOUT))
		l->fail_row = (long)l->n - 1;
	if (l->fail_row >= 0)
		l->rows[l->fail_row].failed = 1;
}

void ladder_fmt_latency(char *b, size_t n, int64_t us)
{
	if (us < 0)
		b[0] = 0;
	else if (us < 1000)
		snprintf(b, n, "%lld us", (long long)us);
	else if (us < 1000000)
		snprintf(b, n, "%.1f ms", us / 1000.0);
	else
		snprintf(b, n, "%.2f s", us / 1e6);
}

void ladder_free(struct ladder *l)
{
	free(l->rows);
	memset(l, 0, sizeof *l);
	l->fail_row = -1;
}
