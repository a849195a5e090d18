/* \summary: the text report: a session table, then findings with evidence */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/escape.h"
#include "core/input.h"
#include "report/redact.h"
#include "report/report.h"

struct pen {
	FILE *o;
	int color;
};

static void paint(const struct pen *p, const char *code)
{
	if (p->color)
		fprintf(p->o, "\033[%sm", code);
}

static void put(const struct pen *p, const char *s)
{
	fputs_text(p->o, s ? s : "-");
}

/* escaped and padded to w display columns (ASCII approximation) */
static void cell(const struct pen *p, const char *s, int w)
{
	struct sbuf b;
	sbuf_init(&b, 0);
	if (!s)
		s = "-";
	if (esc_text(&b, s, strlen(s)) == 0) {
		fputs(sbuf_cstr(&b), p->o);
		for (int i = (int)b.len; i < w; i++)
			fputc(' ', p->o);
	}
	sbuf_free(&b);
}

static void fmt_ms(char *out, size_t n, int64_t us)
{
	if (us < 0)
		snprintf(out, n, "-");
	else if (us < 10000000)
		snprintf(out, n, "%.0f ms", us / 1000.0);
	else
		snprintf(out, n, "%.1f s", us / 1e6);
}

static const char *outcome_color(unsigned o)
{
	return o == OUT_ACCEPT ? "32" : o == OUT_INCOMPLETE ? "33" : "31";
}

static const char *sev_color(unsigned s)
{
	return s == SEV_ERROR ? "1;31" : s == SEV_WARNING ? "1;33" : "1;36";
}

int report_text(const struct report_ctx *c)
{
	struct pen p = {c->out, c->color};
	size_t nsess = 0, nfind = 0;
	for (size_t i = 1; i <= sess_count(c->sessions); i++)
		nsess += report_session_visible(c, sess_get(c->sessions, (uint32_t)i));
	for (size_t i = 0; i < findings_count(c->findings); i++)
		nfind += report_finding_visible(c, findings_at(c->findings, i));

	paint(&p, "1");
	fprintf(p.o, "authscope %s: %u input(s), %zu session(s), %zu finding(s)\n",
		AUTHSCOPE_VERSION, input_count(), nsess, nfind);
	paint(&p, "0");
	for (uint32_t id = 1; id <= input_count(); id++) {
		const struct input *in = input_get(id);
		fputs("  ", p.o);
		put(&p, in->path);
		fprintf(p.o, "  [%s, %llu events%s]\n", src_kind_name(in->kind),
			(unsigned long long)in->events, in->nerr ? ", damaged" : "");
		uint32_t show = c->verbose ? in->nerr : (in->nerr < 3 ? in->nerr : 3);
		for (uint32_t j = 0; j < show; j++) {
			char ref[1024];
			input_ref(ref, sizeof ref, id, in->errs[j].pos);
			fputs("    ", p.o);
			put(&p, ref);
			fprintf(p.o, ": %s: ", input_err_class_name(in->errs[j].cls));
			put(&p, redact_text(c->redact, in->errs[j].msg));
			fputc('\n', p.o);
		}
		if (show < in->nerr + in->nerr_dropped)
			fprintf(p.o, "    (%u more errors; -v lists them)\n",
				in->nerr + in->nerr_dropped - show);
	}

	if (nsess) {
		fputs("\nSESSIONS\n", p.o);
		fprintf(p.o, "  %-4s %-27s %-20s %-16s %-10s %9s %9s\n", "id", "start (UTC)",
			"user", "nas", "outcome", "primary", "push");
		for (size_t i = 1; i <= sess_count(c->sessions); i++) {
			const struct session *s = sess_get(c->sessions, (uint32_t)i);
			if (!report_session_visible(c, s))
				continue;
			char t[32] = "-", a[16], b[16], id[16];
			if (s->start != EV_NO_TS)
				clock_fmt_rfc3339(t, s->start);
			fmt_ms(a, sizeof a, s->primary_latency_us);
			fmt_ms(b, sizeof b, s->push_latency_us);
			snprintf(id, sizeof id, "s%u", s->id);
			fprintf(p.o, "  %-4s %-27s ", id, t);
			cell(&p, redact_str(c->redact, RC_USER, s->user), 20);
			fputc(' ', p.o);
			cell(&p, redact_str(c->redact, RC_IP, s->nas_ip), 16);
			fputc(' ', p.o);
			paint(&p, outcome_color(s->outcome));
			fprintf(p.o, "%-10s", outcome_name(s->outcome));
			paint(&p, "0");
			fprintf(p.o, " %9s %9s\n", a, b);
		}
	}

	fputs(nfind ? "\nFINDINGS\n" : "\nNo findings.\n", p.o);
	for (size_t i = 0; i < findings_count(c->findings); i++) {
		const struct finding *f = findings_at(c->findings, i);
		if (!report_finding_visible(c, f))
			continue;
		char t[32] = "-";
		if (f->ts != EV_NO_TS)
			clock_fmt_rfc3339(t, f->ts);
		fputs("\n  ", p.o);
		paint(&p, sev_color(f->sev));
		fprintf(p.o, "%-7s", sev_name(f->sev));
		paint(&p, "0");
		fputs(" ", p.o);
		paint(&p, "1");
		put(&p, f->rule);
		paint(&p, "0");
		fprintf(p.o, "  %s", t);
		if (f->user) {
			fputs("  user ", p.o);
			put(&p, redact_str(c->redact, RC_USER, f->user));
		}
		if (f->session)
			fprintf(p.o, "  session s%u", f->session);
		fputs("\n    ", p.o);
		put(&p, redact_text(c->redact, f->summary ? f->summary : ""));
		if (f->hint && *f->hint) {
			fputs("\n    hint: ", p.o);
			put(&p, redact_text(c->redact, f->hint));
		}
		fputc('\n', p.o);
		for (uint32_t j = 0; j < f->nev; j++) {
			char ref[1024];
			input_ref(ref, sizeof ref, f->ev[j].input, f->ev[j].pos);
			fputs("      ", p.o);
			paint(&p, "2");
			put(&p, ref);
			paint(&p, "0");
			fputs("  ", p.o);
			put(&p, redact_text(c->redact, f->ev[j].text));
			fputc('\n', p.o);
		}
		if (f->evidence_dropped)
			fprintf(p.o, "      (%u more evidence lines not shown)\n", f->evidence_dropped);
	}
	return ferror(p.o) ? -1 : 0;
}
