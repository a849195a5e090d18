/* \summary: timeline: the analyze pipeline, then a ladder per session
 *
 * Text by default (report/timeline.c); -f html/json/... render the same
 * run as analyze would, since those formats carry the ladder too.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/pipeline.h"
#include "report/report.h"

int cmd_timeline(struct opts *o)
{
	const char *fmt = o->format ? o->format : "text";
	if (strcmp(fmt, "text") && !report_format_known(fmt)) {
		fprintf(stderr, "authscope timeline: unknown format '%s' (text, json, ndjson, html, "
			"junit, sarif)\n", fmt);
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
	if (!strcmp(fmt, "text")) {
		c.color = out == stdout && term_color(out);
		rc = report_timeline(&c);
	} else {
		rc = report_render(&c, fmt);
	}
	if (out != stdout && fclose(out))
		rc = -1;
	run_free(&r);
	return rc ? 2 : 0;
}
