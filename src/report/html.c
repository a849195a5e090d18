/* \summary: analyze -f html: one self-contained page, a ladder per session
 *
 * Inline CSS, inline SVG and a few lines of inline script (the filter box
 * and expand/collapse all); nothing is fetched. Findings and sessions are
 * <details> elements, so a thousand sessions stay usable collapsed and the
 * page still reads without script. A URL ending in #q=TEXT opens filtered,
 * one ending in #s12 opens that session. Every string from input goes through
 * redaction (when asked) and esc_html.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/escape.h"
#include "core/input.h"
#include "core/str.h"
#include "core/ladder.h"
#include "report/redact.h"
#include "report/report.h"
#include "report/xmlout.h"

#define H put_html

/* geometry of the ladder (px) */
#define LX0 96                      /* left margin: relative times */
#define LCOL 150                    /* column pitch */
#define LTOP 34                     /* below the column titles */
#define LROW 30
#define LABEL_MAX 70                /* characters of a label inside the SVG */
#define MAX_LADDERS 5000            /* past this, sessions are listed without one */

static const char css[] =
"body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d232a;background:#f6f7f9}"
"header{background:#1d2b3a;color:#fff;padding:12px 20px}header h1{font-size:18px;margin:0}"
"header p{margin:4px 0 0;color:#c9d3dd}main{padding:12px 20px;max-width:1200px}"
"h2{font-size:16px;margin:20px 0 8px}.bar{position:sticky;top:0;background:#f6f7f9;padding:8px 0;z-index:2}"
"#q{width:360px;max-width:70%;padding:6px 8px;border:1px solid #aab;border-radius:4px;font-size:14px}"
".bar button{margin-left:6px;padding:5px 10px}#count{margin-left:10px;color:#556}"
"table{border-collapse:collapse;background:#fff}td,th{padding:3px 10px;border-bottom:1px solid #e3e6ea;text-align:left;font-size:13px}"
"details.item{background:#fff;border:1px solid #d8dde3;border-radius:5px;margin:6px 0}"
"details.item>summary{cursor:pointer;padding:6px 10px;list-style-position:inside}"
"details.item[open]>summary{border-bottom:1px solid #e3e6ea}.body{padding:8px 12px}"
".sev{display:inline-block;min-width:58px;text-align:center;border-radius:3px;color:#fff;font-size:12px;padding:1px 4px;margin-right:6px}"
".sev-error{background:#c62828}.sev-warning{background:#d18a00}.sev-info{background:#2a7ab0}"
".out{font-weight:600}.out-accept{color:#2e7d32}.out-reject,.out-timeout{color:#c62828}.out-incomplete{color:#a66b00}"
".rule{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}.muted{color:#667}"
"code,.ev{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}"
".ev{white-space:pre-wrap;word-break:break-all;background:#f3f5f7;padding:2px 6px;border-radius:3px;margin:2px 0}"
".ref{color:#345;margin-right:8px}.hint{background:#eef6ee;border-left:3px solid #2e7d32;padding:4px 8px;margin:6px 0}"
"svg.ladder{background:#fff;display:block;margin:6px 0;max-width:100%;height:auto}svg .life{stroke:#b8c1cc;stroke-dasharray:3 3}"
"svg .col{font:600 12px system-ui,sans-serif;fill:#1d2b3a;text-anchor:middle}"
"svg .t{font:11px ui-monospace,monospace;fill:#667}svg .lbl{font:11px system-ui,sans-serif;fill:#1d232a}"
"svg .arrow{stroke:#3a6ea5;stroke-width:1.5}svg .note{fill:#3a6ea5}"
"svg .fail .arrow{stroke:#c62828;stroke-width:3}svg .fail .lbl{fill:#c62828;font-weight:600}"
"svg .fail .note{fill:#c62828}svg .x{fill:#c62828;font:700 15px sans-serif;text-anchor:middle}"
".why{color:#c62828;font-weight:600;margin:3px 0}.also{margin:3px 0}.why a,.also a{color:inherit}";

static const char script[] =
"(function(){var q=document.getElementById('q'),c=document.getElementById('count');"
"var items=[].slice.call(document.querySelectorAll('.item'));"
"function f(){var v=q.value.toLowerCase().trim(),n=0;items.forEach(function(e){"
"var k=e.getAttribute('data-k')||'';var on=!v||k.indexOf(v)>=0;e.style.display=on?'':'none';if(on)n++;});"
"c.textContent=v?n+' of '+items.length+' shown':'';}"
"q.addEventListener('input',f);"
"document.getElementById('open').onclick=function(){items.forEach(function(e){if(e.style.display!=='none')e.open=true;});};"
"document.getElementById('close').onclick=function(){items.forEach(function(e){e.open=false;});};"
"function h(){var x=decodeURIComponent(location.hash.slice(1));"
"if(x.indexOf('q=')===0){q.value=x.slice(2);f();return;}"
"var e=x&&document.getElementById(x);if(e&&e.tagName==='DETAILS')e.open=true;}"
"window.addEventListener('hashchange',h);h();"
"})();";

static void put_time(FILE *o, int64_t ts)
{
	char t[32] = "-";
	if (ts != EV_NO_TS)
		clock_fmt_rfc3339(t, ts);
	fputs(t, o);
}

/* the lowercase text the filter box searches, escaped for an attribute */
static void data_k(FILE *o, struct sbuf *k)
{
	for (size_t i = 0; i < k->len; i++)
		if (k->p[i] >= 'A' && k->p[i] <= 'Z')
			k->p[i] = (char)(k->p[i] - 'A' + 'a');
	fputs(" data-k=\"", o);
	H(o, sbuf_cstr(k));
	fputs("\"", o);
}

static int col_x(int col)
{
	return LX0 + LCOL * col + LCOL / 2;
}

/* label cut to LABEL_MAX characters (UTF-8 aware) */
static void put_label(FILE *o, const char *s)
{
	size_t n = strlen(s), i = 0, chars = 0;
	while (i < n && chars < LABEL_MAX) {
		size_t l = utf8_seq_len((const unsigned char *)s + i, n - i);
		i += l ? l : 1;
		chars++;
	}
	if (i >= n) {
		H(o, s);
		return;
	}
	char *cut = xstrndup(s, i);
	H(o, cut);
	fputs("\xe2\x80\xa6", o);
	free(cut);
}

static void ladder_svg(const struct report_ctx *c, const struct ladder *l)
{
	FILE *o = c->out;
	int w = LX0 + LCOL * LADDER_COLS + 260;  /* room for labels past duo */
	int h = LTOP + LROW * (int)(l->n ? l->n : 1) + 10;
	fprintf(o, "<svg class=\"ladder\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"ladder of session s%u\">\n",
		w, h, w, h, l->s->id);
	for (int col = 0; col < LADDER_COLS; col++) {
		int x = col_x(col);
		fprintf(o, "<text class=\"col\" x=\"%d\" y=\"16\">%s</text>"
			"<line class=\"life\" x1=\"%d\" y1=\"22\" x2=\"%d\" y2=\"%d\"/>\n",
			x, ladder_col_name(col), x, x, h - 4);
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct ladder_row *r = &l->rows[i];
		int y = LTOP + LROW * (int)i + 18;
		struct sbuf lb;
		sbuf_init(&lb, 1 << 16);
		int e = sbuf_adds(&lb, r->what);
		if (r->detail && *r->detail)
			e |= sbuf_printf(&lb, "  %s", redact_text(c->redact, r->detail));
		char lat[24];
		ladder_fmt_latency(lat, sizeof lat, r->latency_us);
		if (*lat)
			e |= sbuf_printf(&lb, "  (%s)", lat);
		(void)e;
		char ref[1024];
		input_ref(ref, sizeof ref, r->input, r->pos);
		fprintf(o, "<g class=\"row%s\"><title>", r->failed ? " fail" : "");
		H(o, sbuf_cstr(&lb));
		fputs(" \xe2\x80\x94 ", o);
		H(o, ref);
		fputs("</title>", o);
		if (r->rel_us >= 0)
			fprintf(o, "<text class=\"t\" x=\"4\" y=\"%d\">+%.3fs</text>", y + 4, r->rel_us / 1e6);
		if (r->from >= 0 && r->to >= 0) {
			int x1 = col_x(r->from), x2 = col_x(r->to);
			int tip = x2 > x1 ? x2 - 2 : x2 + 2;
			fprintf(o, "<line class=\"arrow\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
				"marker-end=\"url(#%s)\"/>", x1, y, tip, y, r->failed ? "ahf" : "ah");
			int lx = (x1 < x2 ? x1 : x2) + 6;
			fprintf(o, "<text class=\"lbl\" x=\"%d\" y=\"%d\">", lx, y - 5);
			put_label(o, sbuf_cstr(&lb));
			fputs("</text>", o);
			if (r->failed)
				fprintf(o, "<text class=\"x\" x=\"%d\" y=\"%d\">\xe2\x9c\x97</text>",
					(x1 + x2) / 2, y + 5);
		} else {
			int x = r->col >= 0 ? col_x(r->col) : LX0 + 8;
			fprintf(o, "<circle class=\"note\" cx=\"%d\" cy=\"%d\" r=\"%d\"/>", x, y,
				r->failed ? 6 : 4);
			fprintf(o, "<text class=\"lbl\" x=\"%d\" y=\"%d\">", x + 10, y + 4);
			put_label(o, sbuf_cstr(&lb));
			fputs("</text>", o);
		}
		fputs("</g>\n", o);
		sbuf_free(&lb);
	}
	fputs("</svg>\n", o);
}

static void write_session(const struct report_ctx *c, const struct session *s, int open,
			  int draw, const struct finding *why, const struct finding **mine,
			  size_t nmine)
{
	FILE *o = c->out;
	struct redactor *rd = c->redact;
	struct ladder l;
	ladder_build_why(&l, s, why);
	const char *user = redact_str(rd, RC_USER, s->user);
	const char *client = redact_str(rd, RC_IP, s->client_ip);
	const char *nas = redact_str(rd, RC_IP, s->nas_ip);
	struct sbuf k;
	sbuf_init(&k, 1 << 16);
	int e = sbuf_printf(&k, "s%u %s %s %s %s", s->id, user ? user : "", outcome_name(s->outcome),
			    client ? client : "", nas ? nas : "");
	if (l.why)
		e |= sbuf_printf(&k, " %s", l.why->rule);
	(void)e;
	fprintf(o, "<details class=\"item session\" id=\"s%u\"", s->id);
	data_k(o, &k);
	sbuf_free(&k);
	fprintf(o, "%s><summary><code>s%u</code> <b>", open ? " open" : "", s->id);
	H(o, user ? user : "(no user)");
	fprintf(o, "</b> <span class=\"out out-%s\">%s</span> <span class=\"muted\">",
		outcome_name(s->outcome), outcome_name(s->outcome));
	put_time(o, s->start);
	if (client) {
		fputs(" client ", o);
		H(o, client);
	}
	if (nas) {
		fputs(" nas ", o);
		H(o, nas);
	}
	fprintf(o, " \xc2\xb7 %u stage%s</span>", s->nstage, s->nstage == 1 ? "" : "s");
	if (l.why) {
		fputs(" <span class=\"why\">", o);
		H(o, l.why->rule);
		fputs("</span>", o);
	}
	fputs("</summary><div class=\"body\">\n", o);
	char a[24], b[24];
	ladder_fmt_latency(a, sizeof a, s->primary_latency_us);
	ladder_fmt_latency(b, sizeof b, s->push_latency_us);
	fprintf(o, "<div class=\"muted\">requests %u, retransmits %u", s->requests, s->retransmits);
	if (*a)
		fprintf(o, ", primary %s", a);
	if (*b)
		fprintf(o, ", Duo push %s", b);
	if (s->assigned_ip) {
		fputs(", assigned ", o);
		H(o, redact_str(rd, RC_IP, s->assigned_ip));
	}
	fputs("</div>\n", o);
	if (draw)
		ladder_svg(c, &l);
	else
		fprintf(o, "<div class=\"muted\">No ladder: the report has more than %d sessions "
			"(narrow it with --user, --since/--until, or see authscope timeline).</div>\n",
			MAX_LADDERS);
	if (s->stages_dropped)
		fprintf(o, "<div class=\"muted\">%u more stages not kept</div>\n", s->stages_dropped);
	/* every finding of the session, the one the ladder marks first */
	for (size_t m = 0; m < nmine; m++) {
		const struct finding *f = mine[m];
		fprintf(o, "<div class=\"%s\">%s<span class=\"sev sev-%s\">%s</span><a href=\"#f%u\">",
			f == l.why ? "why" : "also", f == l.why ? "\xe2\x9c\x97 " : "",
			sev_name(f->sev), sev_name(f->sev), f->id);
		H(o, f->rule);
		fputs("</a>: ", o);
		H(o, redact_text(rd, f->summary ? f->summary : ""));
		fputs("</div>\n", o);
	}
	fputs("</div></details>\n", o);
	ladder_free(&l);
}

static void write_finding(const struct report_ctx *c, const struct finding *f, int open)
{
	FILE *o = c->out;
	struct redactor *rd = c->redact;
	const char *user = redact_str(rd, RC_USER, f->user);
	const char *summary = redact_text_keep(rd, f->summary ? f->summary : "");
	struct sbuf k;
	sbuf_init(&k, 1 << 16);
	int e = sbuf_printf(&k, "%s %s %s %s", f->rule, sev_name(f->sev), user ? user : "", summary);
	if (f->session)
		e |= sbuf_printf(&k, " s%u", f->session);
	(void)e;
	fprintf(o, "<details class=\"item finding\" id=\"f%u\"", f->id);
	data_k(o, &k);
	sbuf_free(&k);
	fprintf(o, "%s><summary><span class=\"sev sev-%s\">%s</span><span class=\"rule\">",
		open ? " open" : "", sev_name(f->sev), sev_name(f->sev));
	H(o, f->rule);
	fputs("</span> ", o);
	if (user) {
		fputs("<b>", o);
		H(o, user);
		fputs("</b> ", o);
	}
	fputs("\xe2\x80\x94 ", o);
	H(o, summary);
	fputs("</summary><div class=\"body\">\n<div class=\"muted\">", o);
	put_time(o, f->ts);
	if (f->session)
		fprintf(o, " \xc2\xb7 session <a href=\"#s%u\">s%u</a>", f->session, f->session);
	if (f->open_at_end)
		fputs(" \xc2\xb7 the input ended before the rule's window closed", o);
	fputs("</div>\n", o);
	if (f->hint && *f->hint) {
		fputs("<div class=\"hint\">", o);
		H(o, redact_text(rd, f->hint));
		fputs("</div>\n", o);
	}
	for (uint32_t i = 0; i < f->nev; i++) {
		char ref[1024];
		input_ref(ref, sizeof ref, f->ev[i].input, f->ev[i].pos);
		fputs("<div class=\"ev\"><span class=\"ref\">", o);
		H(o, ref);
		fputs("</span>", o);
		H(o, redact_text(rd, f->ev[i].text));
		fputs("</div>\n", o);
	}
	if (f->evidence_dropped)
		fprintf(o, "<div class=\"muted\">%u more evidence lines not shown</div>\n",
			f->evidence_dropped);
	fputs("</div></details>\n", o);
}

int report_html(const struct report_ctx *c)
{
	FILE *o = c->out;
	size_t nsess = 0, nfind = 0, by_sev[4] = {0}, by_out[4] = {0};
	for (size_t i = 1; i <= sess_count(c->sessions); i++) {
		const struct session *s = sess_get(c->sessions, (uint32_t)i);
		if (report_session_visible(c, s)) {
			nsess++;
			by_out[s->outcome & 3]++;
		}
	}
	for (size_t i = 0; i < findings_count(c->findings); i++) {
		const struct finding *f = findings_at(c->findings, i);
		if (report_finding_visible(c, f)) {
			nfind++;
			by_sev[f->sev & 3]++;
		}
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
	      "<title>authscope report</title>\n<style>", o);
	fputs(css, o);
	fputs("</style></head><body>\n", o);
	fprintf(o, "<header><h1>authscope %s</h1><p>%u input(s) \xc2\xb7 %zu session(s) "
		"\xc2\xb7 %zu finding(s)", AUTHSCOPE_VERSION, input_count(), nsess, nfind);
	if (c->user) {
		fputs(" \xc2\xb7 user ", o);
		H(o, redact_str(c->redact, RC_USER, c->user));
	}
	fputs("</p></header>\n<main>\n", o);
	/* arrowheads shared by every ladder */
	fputs("<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>"
	      "<marker id=\"ah\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
	      "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#3a6ea5\"/></marker>"
	      "<marker id=\"ahf\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" "
	      "markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#c62828\"/></marker>"
	      "</defs></svg>\n", o);

	fputs("<h2>Summary</h2>\n<table><tr><th>findings</th><td>", o);
	fprintf(o, "<span class=\"sev sev-error\">%zu error</span><span class=\"sev sev-warning\">%zu "
		"warning</span><span class=\"sev sev-info\">%zu info</span></td></tr>\n",
		by_sev[SEV_ERROR], by_sev[SEV_WARNING], by_sev[SEV_INFO]);
	fprintf(o, "<tr><th>sessions</th><td><span class=\"out out-accept\">%zu accept</span>, "
		"<span class=\"out out-reject\">%zu reject</span>, <span class=\"out out-timeout\">%zu "
		"timeout</span>, <span class=\"out out-incomplete\">%zu incomplete</span></td></tr>\n",
		by_out[OUT_ACCEPT], by_out[OUT_REJECT], by_out[OUT_TIMEOUT], by_out[OUT_INCOMPLETE]);
	fputs("</table>\n<h2>Inputs</h2>\n<table><tr><th>path</th><th>kind</th><th>events</th>"
	      "<th>errors</th></tr>\n", o);
	for (uint32_t id = 1; id <= input_count(); id++) {
		const struct input *in = input_get(id);
		fputs("<tr><td><code>", o);
		H(o, in->path);
		fprintf(o, "</code></td><td>%s</td><td>%" PRIu64 "</td><td>", src_kind_name(in->kind),
			in->events);
		for (uint32_t j = 0; j < in->nerr && j < 5; j++) {
			char ref[1024];
			input_ref(ref, sizeof ref, id, in->errs[j].pos);
			fputs(j ? "<br>" : "", o);
			H(o, ref);
			fprintf(o, " %s: ", input_err_class_name(in->errs[j].cls));
			H(o, redact_text(c->redact, in->errs[j].msg));
		}
		if (in->nerr > 5)
			fprintf(o, "<br>%u more", in->nerr - 5);
		fputs("</td></tr>\n", o);
	}
	fputs("</table>\n", o);

	fputs("<div class=\"bar\"><input id=\"q\" type=\"search\" placeholder=\"filter: user, rule, "
	      "address, outcome, session id\" aria-label=\"filter\"><button id=\"open\">expand all"
	      "</button><button id=\"close\">collapse all</button><span id=\"count\"></span></div>\n", o);
	fprintf(o, "<h2>Findings (%zu)</h2>\n", nfind);
	if (!nfind)
		fputs("<p class=\"muted\">No findings.</p>\n", o);
	for (size_t i = 0; i < findings_count(c->findings); i++) {
		const struct finding *f = findings_at(c->findings, i);
		if (report_finding_visible(c, f))
			write_finding(c, f, nfind <= 20);
	}
	fprintf(o, "<h2>Sessions (%zu)</h2>\n", nsess);
	if (!nsess)
		fputs("<p class=\"muted\">No sessions.</p>\n", o);
	size_t opened = 0, drawn = 0;
	size_t ns = sess_count(c->sessions), nfs = findings_count(c->findings);
	const struct finding **why = ladder_why_index(c->findings, ns);
	size_t *first = xcalloc(ns + 2, sizeof *first);
	const struct finding **byses = xcalloc(nfs + 1, sizeof *byses);
	for (size_t i = 0; i < nfs; i++) {
		const struct finding *f = findings_at(c->findings, i);
		if (f->session && f->session <= ns && report_finding_visible(c, f))
			first[f->session + 1]++;
	}
	for (size_t i = 1; i <= ns + 1; i++)
		first[i] += first[i - 1];
	size_t *fill = xcalloc(ns + 1, sizeof *fill);
	for (size_t i = 0; i < nfs; i++) {
		const struct finding *f = findings_at(c->findings, i);
		if (!f->session || f->session > ns || !report_finding_visible(c, f))
			continue;
		size_t at = first[f->session] + fill[f->session]++;
		byses[at] = f;
		if (f == why[f->session] && at != first[f->session]) {
			byses[at] = byses[first[f->session]];
			byses[first[f->session]] = f;
		}
	}
	free(fill);
	for (size_t i = 1; i <= sess_count(c->sessions); i++) {
		const struct session *s = sess_get(c->sessions, (uint32_t)i);
		if (!report_session_visible(c, s))
			continue;
		/* a few failed logins open; everything else collapsed */
		int open = nsess <= 10 || (s->outcome != OUT_ACCEPT && opened < 10);
		opened += open;
		write_session(c, s, open, drawn++ < MAX_LADDERS, why[s->id], byses + first[s->id],
			      first[s->id + 1] - first[s->id]);
	}
	free(why);
	free(first);
	free(byses);
	fputs("</main>\n<script>", o);
	fputs(script, o);
	fputs("</script>\n</body></html>\n", o);
	return ferror(o) ? -1 : 0;
}
