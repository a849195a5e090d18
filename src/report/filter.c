/* \summary: the --user/--since/--until filters shared by every format */
#include "core/event.h"
#include "core/ident.h"
#include "report/report.h"

int report_session_visible(const struct report_ctx *c, const struct session *s)
{
	if (s->merged_into)         /* now part of a lower id */
		return 0;
	if (c->user && !user_matches(c->user, s->user))
		return 0;
	if (c->since != EV_NO_TS && s->end != EV_NO_TS && s->end < c->since)
		return 0;
	if (c->until != EV_NO_TS && s->start != EV_NO_TS && s->start > c->until)
		return 0;
	return 1;
}

int report_finding_visible(const struct report_ctx *c, const struct finding *f)
{
	if (f->suppressed)
		return 0;
	if (c->user && !user_matches(c->user, f->user))
		return 0;
	if (c->since != EV_NO_TS && f->ts != EV_NO_TS && f->ts < c->since)
		return 0;
	if (c->until != EV_NO_TS && f->ts != EV_NO_TS && f->ts > c->until)
		return 0;
	return 1;
}
