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

/* spaces after a cell of len bytes to reach w columns */
static void pad(FILE *o, size_t len, int w)
{
	static const char sp[] = "                                ";
	while ((int)len < w) {
		size_t k = (size_t)w - len < sizeof sp - 1 ? (size_t)w - len : sizeof sp - 1;
		fwrite(sp, 1, k, o);
		len += k;
	}
}

/* left-aligned in w columns, no escaping: what fprintf's %-Ns wrote */
static void left(FILE *o, const char *s, int w)
{
	size_t n = strlen(s);
	fwrite(s, 1, n, o);
	pad(o, n, w);
}

/* escaped and padded to w display columns (ASCII approximation) */
static void cell(const struct pen *p, const char *s, int w)
{
	if (!s)
		s = "-";
	size_t n = strlen(s);
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n && u[i] >= 0x20 && u[i] < 0x7f && u[i] != '\\')
		i++;
	if (i == n) {               /* nothing to escape: as it is, no copy */
		left(p->o, s, w);
		return;
	}
	struct sbuf b;
	sbuf_init(&b, 0);
	if (esc_text(&b, s, n) == 0) {
		fwrite(b.p, 1, b.len, p->o);
		pad(p->o, b.len, w);
	}
	sbuf_free(&b);
}

/* Decimal digits of v at the end of a buffer; returns where they start. */
static char *udec(char *end, uint64_t v)
{
	do
		*--end = (char)('0' + v % 10);
	while (v /= 10);
	return end;
}

/* "%.0f ms" of us/1000 below 10 s, "%.1f s" of us/1e6 from there, in
 * integers: the same text as printf, which rounds the double exactly.
 * us/1000.0 is exact at a tie (k.5), so ties go to the even neighbour;
 * us/1e6 at a tie (x.y5) is not exact in binary, so printf is asked
 * (and past 2^53 us, where the double is not us either). */
static void fmt_ms(char *out, size_t n, int64_t us)
{
	char t[32], *e = t + sizeof t, *d;
	if (us < 0) {
		snprintf(out, n, "-");
		return;
	}
	uint64_t u = (uint64_t)us;
	if (us < 10000000) {
		uint64_t q = u / 1000, r = u % 1000;
		if (r > 500 || (r == 500 && (q & 1)))
			q++;
		d = udec(e - 3, q);
		memcpy(e - 3, " ms", 3);
	} else {
		uint64_t q = u / 100000, r = u % 100000;
		if (r == 50000 || u >= (1ULL << 53)) {
			snprintf(out, n, "%.1f s", us / 1e6);
			return;
		}
		if (r > 50000)
			q++;
		e[-2] = ' ';
		e[-1] = 's';
		e[-3] = (char)('0' + q % 10);
		e[-4] = '.';
		d = udec(e - 4, q / 10);
	}
	size_t len = (size_t)(e - d);
	if (len >= n)
		len = n - 1;
	memcpy(out, d, len);
	out[len] = 0;
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
	/* a directory of many unrelated files: the unknown ones in one line
	 * unless -v (JSON lists each) */
	uint32_t nunknown = 0;
	for (uint32_t id = 1; id <= input_count(); id++) {
		const struct input *in = input_get(id);
		nunknown += in->kind == SRC_UNKNOWN && !in->nerr;
	}
	int fold = !c->verbose && nunknown > 3;
	for (uint32_t id = 1; id <= input_count(); id++) {
		const struct input *in = input_get(id);
		if (fold && in->kind == SRC_UNKNOWN && !in->nerr)
			continue;
		fputs("  ", p.o);
		put(&p, in->path);
		fprintf(p.o, "  [%s, %llu event%s%s]\n", src_kind_name(in->kind),
			(unsigned long long)in->events, in->events == 1 ? "" : "s", in->nerr ? ", damaged" : "");
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
	if (fold)
		fprintf(p.o, "  (%u more input(s) of no known format; -v lists them)\n", nunknown);

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
			char *ds = udec(id + sizeof id - 1, s->id);
			*--ds = 's';
			id[sizeof id - 1] = 0;
			fputs("  ", p.o);
			left(p.o, ds, 4);
			fputc(' ', p.o);
			left(p.o, t, 27);
			fputc(' ', p.o);
			cell(&p, redact_str(c->redact, RC_USER, s->user), 20);
			fputc(' ', p.o);
			cell(&p, redact_str(c->redact, RC_IP, s->nas_ip), 16);
			fputc(' ', p.o);
			paint(&p, outcome_color(s->outcome));
			left(p.o, outcome_name(s->outcome), 10);
			paint(&p, "0");
			/* right-aligned in 9 */
			fputc(' ', p.o);
			pad(p.o, strlen(a), 9);
			fputs(a, p.o);
			fputc(' ', p.o);
			pad(p.o, strlen(b), 9);
			fputs(b, p.o);
			fputc('\n', p.o);
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
		left(p.o, sev_name(f->sev), 7);
		paint(&p, "0");
		fputs(" ", p.o);
		paint(&p, "1");
		put(&p, f->rule);
		paint(&p, "0");
		fputs("  ", p.o);
		fputs(t, p.o);
		if (f->user) {
			fputs("  user ", p.o);
			put(&p, redact_str(c->redact, RC_USER, f->user));
		}
		if (f->session) {
			char sid[16];
			fputs("  session s", p.o);
			sid[sizeof sid - 1] = 0;
			fputs(udec(sid + sizeof sid - 1, f->session), p.o);
		}
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
