/* \summary: analyze --format json, the shape of spec/cli.md */
#include <inttypes.h>
#include <stdio.h>

#include "core/clock.h"
#include "core/escape.h"
#include "core/input.h"
#include "report/redact.h"
#include "report/report.h"

static void jstr(FILE *o, const char *s)
{
	fputs_json(o, s);
}

static void jtime(FILE *o, int64_t ts)
{
	if (ts == EV_NO_TS) {
		fputs("null", o);
		return;
	}
	char b[32];
	clock_fmt_rfc3339(b, ts);
	fprintf(o, "\"%s\"", b);
}

static void jref(FILE *o, uint32_t input, uint64_t pos)
{
	char ref[1024];
	input_ref(ref, sizeof ref, input, pos);
	jstr(o, ref);
}

static void write_inputs(FILE *o, struct redactor *rd)
{
	fputs("  \"inputs\": [", o);
	for (uint32_t id = 1; id <= input_count(); id++) {
		const struct input *in = input_get(id);
		fprintf(o, "%s\n    {\"path\": ", id > 1 ? "," : "");
		jstr(o, in->path);
		fputs(", \"kind\": ", o);
		jstr(o, src_kind_name(in->kind));
		fprintf(o, ", \"events\": %" PRIu64 ", \"errors\": [", in->events);
		for (uint32_t j = 0; j < in->nerr; j++) {
			fprintf(o, "%s{\"class\": \"%s\", \"ref\": ", j ? ", " : "",
				input_err_class_name(in->errs[j].cls));
			jref(o, in->id, in->errs[j].pos);
			fputs(", \"message\": ", o);
			jstr(o, redact_text(rd, in->errs[j].msg));
			fputc('}', o);
		}
		fputs("]", o);
		if (in->nerr_dropped)
			fprintf(o, ", \"errors_not_listed\": %u", in->nerr_dropped);
		char z[8];
		int32_t zone_s;
		unsigned zone_from = clock_zone_shown(&in->clock, &zone_s);
		clock_fmt_zone(z, zone_s);
		fprintf(o, ", \"clock\": {\"zone\": \"%s\", \"zone_from\": \"%s\", "
			"\"year_from\": \"%s\", \"offset_s\": %.3f}}",
			z, clock_from_name(zone_from),
			clock_from_name(in->clock.year_from), in->clock.offset_s);
	}
	fputs("\n  ],\n", o);
}

static void write_ms(FILE *o, const char *name, int64_t us)
{
	if (us >= 0)
		fprintf(o, ", \"%s\": %.3f", name, us / 1000.0);
}

static void write_session(FILE *o, const struct session *s, int first, struct redactor *rd)
{
	fprintf(o, "%s\n    {\"id\": \"s%u\", \"user\": ", first ? "" : ",", s->id);
	jstr(o, redact_str(rd, RC_USER, s->user));
	fputs(", \"start\": ", o);
	jtime(o, s->start);
	fputs(", \"end\": ", o);
	jtime(o, s->end);
	fprintf(o, ", \"outcome\": \"%s\", \"client\": ", outcome_name(s->outcome));
	jstr(o, redact_str(rd, RC_IP, s->client_ip));
	fputs(", \"nas\": ", o);
	jstr(o, redact_str(rd, RC_IP, s->nas_ip));
	fputs(", \"assigned_ip\": ", o);
	jstr(o, redact_str(rd, RC_IP, s->assigned_ip));
	fprintf(o, ", \"requests\": %u, \"retransmits\": %u", s->requests, s->retransmits);
	write_ms(o, "primary_latency_ms", s->primary_latency_us);
	write_ms(o, "push_latency_ms", s->push_latency_us);
	fputs(",\n     \"stages\": [", o);
	for (uint32_t i = 0; i < s->nstage; i++) {
		const struct stage *st = &s->stages[i];
		const struct input *in = input_get(st->input);
		fprintf(o, "%s\n       {\"time\": ", i ? "," : "");
		jtime(o, st->ts);
		fputs(", \"source\": ", o);
		jstr(o, src_kind_name(in ? in->kind : st->src));
		fputs(", \"what\": ", o);
		jstr(o, stage_what(st->kind));
		if (st->from || st->to) {
			fputs(", \"from\": ", o);
			jstr(o, role_name(st->from));
			fputs(", \"to\": ", o);
			jstr(o, role_name(st->to));
		}
		fputs(", \"detail\": ", o);
		jstr(o, redact_text(rd, st->detail ? st->detail : ""));
		fputs(", \"ref\": ", o);
		jref(o, st->input, st->pos);
		fputc('}', o);
	}
	fputs(s->nstage ? "\n     ]}" : "]}", o);
}

static void write_finding(FILE *o, const struct finding *f, int first, struct redactor *rd)
{
	fprintf(o, "%s\n    {\"rule\": ", first ? "" : ",");
	jstr(o, f->rule);
	fprintf(o, ", \"severity\": \"%s\", \"user\": ", sev_name(f->sev));
	jstr(o, redact_str(rd, RC_USER, f->user));
	if (f->session)
		fprintf(o, ", \"session\": \"s%u\"", f->session);
	else
		fputs(", \"session\": null", o);
	fputs(", \"time\": ", o);
	jtime(o, f->ts);
	fputs(",\n     \"summary\": ", o);
	jstr(o, redact_text(rd, f->summary ? f->summary : ""));
	fputs(",\n     \"hint\": ", o);
	jstr(o, redact_text(rd, f->hint ? f->hint : ""));
	if (f->open_at_end)
		fputs(", \"open_at_end\": true", o);
	fputs(",\n     \"evidence\": [", o);
	for (uint32_t i = 0; i < f->nev; i++) {
		fprintf(o, "%s\n       {\"ref\": ", i ? "," : "");
		jref(o, f->ev[i].input, f->ev[i].pos);
		fputs(", \"text\": ", o);
		jstr(o, redact_text(rd, f->ev[i].text));
		fputc('}', o);
	}
	fputs(f->nev ? "\n     ]}" : "]}", o);
}

int report_json(const struct report_ctx *c)
{
	FILE *o = c->out;
	fprintf(o, "{\n  \"authscope\": \"%s\",\n", AUTHSCOPE_VERSION);
	write_inputs(o, c->redact);
	fputs("  \"sessions\": [", o);
	int first = 1;
	for (size_t i = 1; i <= sess_count(c->sessions); i++) {
		const struct session *s = sess_get(c->sessions, (uint32_t)i);
		if (!report_session_visible(c, s))
			continue;
		write_session(o, s, first, c->redact);
		first = 0;
	}
	fputs(first ? "],\n" : "\n  ],\n", o);
	fputs("  \"findings\": [", o);
	first = 1;
	for (size_t i = 0; i < findings_count(c->findings); i++) {
		const struct finding *f = findings_at(c->findings, i);
		if (!report_finding_visible(c, f))
			continue;
		write_finding(o, f, first, c->redact);
		first = 0;
	}
	fputs(first ? "],\n" : "\n  ],\n", o);
	fputs("  \"clock\": [", o);
	first = 1;
	for (uint32_t id = 1; id <= input_count(); id++) {
		const struct input *in = input_get(id);
		if (!in->clock.offset_basis)
			continue;
		fprintf(o, "%s\n    {\"source\": ", first ? "" : ",");
		jstr(o, in->path);
		fprintf(o, ", \"offset_s\": %.3f, \"basis\": \"%u matched events\"}",
			in->clock.offset_s, in->clock.offset_basis);
		first = 0;
	}
	fputs(first ? "]\n}\n" : "\n  ]\n}\n", o);
	return ferror(o) ? -1 : 0;
}
