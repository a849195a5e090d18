/* \summary: SARIF 2.1.0: findings as static-analysis results for code hosts
 *
 * One run; tool.driver.rules carries every loaded rule's metadata
 * (core/rulemeta.h) plus any rule a finding names without metadata; one
 * result per finding: ruleId/ruleIndex, level (error, warning, note),
 * message, and a location per evidence ref. A FILE:LINE ref is a
 * physicalLocation with region.startLine; a FILE#FRAME ref (captures) is
 * the artifact plus a logicalLocation "frame N" and properties.frame.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/escape.h"
#include "core/input.h"
#include "core/rulemeta.h"
#include "core/str.h"
#include "report/redact.h"
#include "report/report.h"

static void js(FILE *o, const char *s)
{
	fputs_json(o, s ? s : "");
}

/* a relative URI reference: unreserved bytes and '/' kept, the rest %XX */
static void put_uri(FILE *o, const char *path)
{
	struct sbuf b;
	sbuf_init(&b, 0);
	int e = 0;
	for (const unsigned char *p = (const unsigned char *)path; *p && !e; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			e = sbuf_addc(&b, (char)*p);
		else
			e = sbuf_printf(&b, "%%%02X", *p);
	}
	fputs_json(o, sbuf_cstr(&b));
	sbuf_free(&b);
}

static const char *level(unsigned sev)
{
	return sev == SEV_ERROR ? "error" : sev == SEV_WARNING ? "warning" : "note";
}

struct rule_ix {
	const char **ids;
	size_t n, cap;
};

static long rule_index(const struct rule_ix *x, const char *id)
{
	for (size_t i = 0; i < x->n; i++)
		if (!strcmp(x->ids[i], id))
			return (long)i;
	return -1;
}

static void rule_add(struct rule_ix *x, const char *id)
{
	if (rule_index(x, id) >= 0)
		return;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 32;
		x->ids = xrealloc(x->ids, x->cap * sizeof *x->ids);
	}
	x->ids[x->n++] = id;
}

static void write_rule(FILE *o, const char *id, int first)
{
	const struct rule_meta *m = rulemeta_get(id);
	fprintf(o, "%s\n        {\"id\": ", first ? "" : ",");
	js(o, id);
	fputs(", \"name\": ", o);
	js(o, id);
	fputs(", \"shortDescription\": {\"text\": ", o);
	js(o, m && m->title ? m->title : id);
	fputs("}", o);
	if (m && m->explain) {
		fputs(", \"fullDescription\": {\"text\": ", o);
		js(o, m->explain);
		fputs("}", o);
	}
	if (m && m->hint) {
		fputs(", \"help\": {\"text\": ", o);
		js(o, m->hint);
		fputs("}", o);
	}
	fprintf(o, ", \"defaultConfiguration\": {\"level\": \"%s\"}", level(m ? m->sev : SEV_WARNING));
	fputs(", \"properties\": {", o);
	if (m) {
		fputs("\"kind\": ", o);
		js(o, m->kind);
		fputs(", \"definedIn\": ", o);
		js(o, m->file);
		fprintf(o, ", \"line\": %u, \"builtin\": %s", m->line, m->builtin ? "true" : "false");
	} else {
		fputs("\"kind\": \"unknown\"", o);
	}
	fputs("}}", o);
}

static void write_location(FILE *o, uint32_t input, uint64_t pos, int first)
{
	const struct input *in = input_get(input);
	fputs(first ? "\n          {" : ",\n          {", o);
	if (!in) {
		fputs("\"message\": {\"text\": \"no input\"}}", o);
		return;
	}
	fputs("\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", o);
	put_uri(o, in->path);
	fputs("}", o);
	if (pos && !in->pos_is_frame)
		fprintf(o, ", \"region\": {\"startLine\": %" PRIu64 "}", pos);
	fputs("}", o);
	if (pos && in->pos_is_frame) {
		char ref[1024];
		input_ref(ref, sizeof ref, input, pos);
		fprintf(o, ", \"logicalLocations\": [{\"name\": \"frame %" PRIu64 "\", "
			"\"fullyQualifiedName\": ", pos);
		js(o, ref);
		fprintf(o, ", \"kind\": \"packet\"}], \"properties\": {\"frame\": %" PRIu64 "}", pos);
	}
	fputs("}", o);
}

static void write_result(const struct report_ctx *c, const struct finding *f, long ix, int first)
{
	FILE *o = c->out;
	struct redactor *rd = c->redact;
	fprintf(o, "%s\n      {\"ruleId\": ", first ? "" : ",");
	js(o, f->rule);
	fprintf(o, ", \"ruleIndex\": %ld, \"level\": \"%s\",\n       \"message\": {\"text\": ",
		ix, level(f->sev));
	js(o, redact_text(rd, f->summary ? f->summary : f->rule));
	fputs("},\n       \"locations\": [", o);
	for (uint32_t i = 0; i < f->nev; i++)
		write_location(o, f->ev[i].input, f->ev[i].pos, i == 0);
	fputs(f->nev ? "\n       ],\n" : "],\n", o);
	fputs("       \"properties\": {\"severity\": ", o);
	js(o, sev_name(f->sev));
	fputs(", \"user\": ", o);
	fputs_json(o, redact_str(rd, RC_USER, f->user));
	if (f->session)
		fprintf(o, ", \"session\": \"s%u\"", f->session);
	else
		fputs(", \"session\": null", o);
	if (f->ts != EV_NO_TS) {
		char t[32];
		clock_fmt_rfc3339(t, f->ts);
		fprintf(o, ", \"time\": \"%s\"", t);
	}
	fputs(", \"hint\": ", o);
	js(o, redact_text(rd, f->hint));
	if (f->open_at_end)
		fputs(", \"open_at_end\": true", o);
	fputs(",\n         \"evidence\": [", o);
	for (uint32_t i = 0; i < f->nev; i++) {
		char ref[1024];
		input_ref(ref, sizeof ref, f->ev[i].input, f->ev[i].pos);
		fputs(i ? ", {\"ref\": " : "{\"ref\": ", o);
		js(o, ref);
		fputs(", \"text\": ", o);
		js(o, redact_text(rd, f->ev[i].text));
		fputs("}", o);
	}
	fputs("]}}", o);
}

int report_sarif(const struct report_ctx *c)
{
	FILE *o = c->out;
	struct rule_ix rx = {0};
	for (size_t i = 0; i < rulemeta_count(); i++)
		rule_add(&rx, rulemeta_at(i)->id);
	for (size_t i = 0; i < findings_count(c->findings); i++) {
		const struct finding *f = findings_at(c->findings, i);
		if (report_finding_visible(c, f))
			rule_add(&rx, f->rule);
	}
	fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
	      "  \"version\": \"2.1.0\",\n  \"runs\": [{\n", o);
	fprintf(o, "    \"tool\": {\"driver\": {\"name\": \"authscope\", \"version\": \"%s\", "
		"\"semanticVersion\": \"%s\",\n      \"rules\": [", AUTHSCOPE_VERSION, AUTHSCOPE_VERSION);
	for (size_t i = 0; i < rx.n; i++)
		write_rule(o, rx.ids[i], i == 0);
	fputs(rx.n ? "\n      ]}},\n" : "]}},\n", o);
	fputs("    \"artifacts\": [", o);
	for (uint32_t id = 1; id <= input_count(); id++) {
		const struct input *in = input_get(id);
		fputs(id > 1 ? ",\n      {\"location\": {\"uri\": " : "\n      {\"location\": {\"uri\": ", o);
		put_uri(o, in->path);
		fputs("}, \"properties\": {\"kind\": ", o);
		js(o, src_kind_name(in->kind));
		fprintf(o, ", \"events\": %" PRIu64 ", \"errors\": %u}}", in->events, in->nerr);
	}
	fputs(input_count() ? "\n    ],\n" : "],\n", o);
	fputs("    \"columnKind\": \"unicodeCodePoints\",\n    \"results\": [", o);
	int first = 1;
	for (size_t i = 0; i < findings_count(c->findings); i++) {
		const struct finding *f = findings_at(c->findings, i);
		if (!report_finding_visible(c, f))
			continue;
		write_result(c, f, rule_index(&rx, f->rule), first);
		first = 0;
	}
	fputs(first ? "]\n  }]\n}\n" : "\n    ]\n  }]\n}\n", o);
	free(rx.ids);
	return ferror(o) ? -1 : 0;
}
