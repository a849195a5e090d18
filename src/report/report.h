/* \summary: reports: render a finished run (inputs, sessions, findings) */
#ifndef AUTHSCOPE_REPORT_REPORT_H
#define AUTHSCOPE_REPORT_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "core/finding.h"
#include "core/session.h"

struct redactor;                 /* report/redact.h */

struct report_ctx {
	FILE *out;
	struct sess_table *sessions;
	struct finding_set *findings;     /* finalized */
	const char *user;                 /* --user filter (normalized compare) or NULL */
	int64_t since, until;             /* EV_NO_TS when not set */
	int color;                        /* text: ANSI colour allowed */
	int verbose;
	struct redactor *redact;          /* NULL unless --redact */
	const char *command;              /* "analyze", for headers */
	int fail_on;                      /* enum severity: junit/sarif mark failures from it */
};

/* Each returns 0, or -1 when writing failed. */
int report_text(const struct report_ctx *c);
int report_json(const struct report_ctx *c);
int report_ndjson(const struct report_ctx *c);   /* sessions then findings, one a line */
int report_html(const struct report_ctx *c);
int report_junit(const struct report_ctx *c);
int report_sarif(const struct report_ctx *c);
int report_timeline(const struct report_ctx *c); /* the text ladder per session */

/* Render by format name (text json ndjson html junit sarif); -2 when the
 * name is unknown. */
int report_render(const struct report_ctx *c, const char *format);
int report_format_known(const char *format);

/* Filters shared by every format. */
int report_session_visible(const struct report_ctx *c, const struct session *s);
int report_finding_visible(const struct report_ctx *c, const struct finding *f);

#endif
