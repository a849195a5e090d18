/* \summary: analyze, timeline and events: the pipeline to end of input, then render */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/pipeline.h"
#include "core/event.h"
#include "report/events.h"
#include "report/report.h"

/* analyze and timeline: the whole run, then one report of it. A text
 * timeline draws ladders; every other format is the analyze report, which
 * carries the ladders too. Both exit 1 when a finding reaches --fail-on
 * (cli.md's common exit status). */
static int run_and_report(struct opts *o, int timeline)
{
	const char *fmt = o->format ? o->format : "text";
	if (!report_format_known(fmt)) {
		fprintf(stderr, "authscope %s: unknown format '%s' (text, json, ndjson, html, "
			"junit, sarif)\n", o->cmd, fmt);
		return 2;
	}
	struct run r;
	int rc = run_setup(&r, o);
	if (rc) {
		run_free(&r);
		return rc;
	}
	run_all(&r);
	FILE *out = run_output(o);
	if (!out) {
		run_free(&r);
		return 2;
	}
	struct report_ctx c = {
		.out = out, .sessions = r.sessions, .findings = r.findings,
		.user = o->user, .since = o->since, .until = o->until,
		.verbose = o->verbose, .command = o->cmd, .fail_on = o->fail_on,
		.redact = r.redact,
	};
	int text = !strcmp(fmt, "text");
	if (text)
		c.color = out == stdout && term_color(out);
	rc = timeline && text ? report_timeline(&c) : report_render(&c, fmt);
	if (out != stdout && fclose(out))
		rc = -1;
	int status = rc ? 2 : run_exit_status(&r);
	run_free(&r);
	return status;
}

int cmd_analyze(struct opts *o)
{
	return run_and_report(o, 0);
}

int cmd_timeline(struct opts *o)
{
	return run_and_report(o, 1);
}

struct ev_out {
	FILE *out;
	struct redactor *rd;
	int ecs;
};

static void print_event(void *ctx, const struct ev *e)
{
	struct ev_out *eo = ctx;
	if (eo->ecs)
		events_write_ecs(eo->out, e, eo->rd);
	else
		events_write_json_r(eo->out, e, eo->rd);
}

int cmd_events(struct opts *o)
{
	const char *fmt = o->format ? o->format : "json";
	if (strcmp(fmt, "json") && strcmp(fmt, "ndjson")) {
		fprintf(stderr, "authscope events: -f wants json (field names as in rules) or ndjson "
			"(ECS names), not '%s'\n", fmt);
		return 2;
	}
	struct run r;
	int rc = run_setup(&r, o);
	if (rc) {
		run_free(&r);
		return rc;
	}
	FILE *out = run_output(o);
	if (!out) {
		run_free(&r);
		return 2;
	}
	struct ev_out eo = {out, r.redact, !strcmp(fmt, "ndjson")};
	r.on_event = print_event;
	r.on_event_ctx = &eo;
	run_all(&r);
	int bad = ferror(out);
	if (out != stdout)
		bad |= fclose(out) != 0;
	run_free(&r);
	if (bad)
		fprintf(stderr, "authscope events: cannot write output\n");
	return bad ? 2 : 0;
}
