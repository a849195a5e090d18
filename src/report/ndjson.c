/* \summary: NDJSON with ECS-style names, for log pipelines (Elastic, Splunk)
 *
 * One object a line, dotted Elastic Common Schema names where ECS has one
 * (@timestamp, event.kind, event.action, event.outcome, user.name,
 * source.ip, destination.ip, log.file.path, log.file.line, rule.id, ...)
 * and authscope.* for the rest. analyze -f ndjson writes one line per
 * session (event.action "session") and per finding (event.kind "alert");
 * events -f ndjson one line per event.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/escape.h"
#include "core/input.h"
#include "core/rulemeta.h"
#include "report/events.h"
#include "report/redact.h"
#include "report/report.h"

struct line {
	FILE *o;
	int n;
};

static void key(struct line *l, const char *k)
{
	fprintf(l->o, "%s\"%s\":", l->n++ ? "," : "{", k);
}

static void kstr(struct line *l, const char *k, const char *v)
{
	if (!v)
		return;
	key(l, k);
	fputs_json(l->o, v);
}

static void kint(struct line *l, const char *k, int64_t v)
{
	key(l, k);
	fprintf(l->o, "%" PRId64, v);
}

static void ktime(struct line *l, const char *k, int64_t ts)
{
	if (ts == EV_NO_TS)
		return;
	char b[32];
	clock_fmt_rfc3339(b, ts);
	kstr(l, k, b);
}

static void end(struct line *l)
{
	fputs(l->n ? "}\n" : "{}\n", l->o);
}

/* log.file.path and .line (or authscope.frame for captures) of a ref */
static void kref(struct line *l, uint32_t input, uint64_t pos)
{
	const struct input *in = input_get(input);
	if (!in)
		return;
	kstr(l, "log.file.path", in->path);
	if (pos)
		kint(l, in->pos_is_frame ? "authscope.frame" : "log.file.line", (int64_t)pos);
	char ref[1024];
	input_ref(ref, sizeof ref, input, pos);
	kstr(l, "authscope.ref", ref);
}

static const char *ev_outcome(const struct ev *e)
{
	const char *k = ev_kind_name(e->kind);
	if (e->kind == EVK_RADIUS_RESPONSE || e->kind == EVK_PROXY_PRIMARY_RESP ||
	    e->kind == EVK_AAA_RESPONSE) {
		if (e->code == 2)
			return "success";
		if (e->code == 3)
			return "failure";
		return "unknown";
	}
	if (e->result) {
		if (!strcmp(e->result, "allow") || !strcmp(e->result, "ok") ||
		    !strcmp(e->result, "success"))
			return "success";
		if (!strcmp(e->result, "deny") || !strcmp(e->result, "failed") ||
		    !strcmp(e->result, "failure") || !strcmp(e->result, "reject"))
			return "failure";
	}
	if (strstr(k, "timeout") || strstr(k, "reject") || strstr(k, "error") ||
	    strstr(k, "failed") || strstr(k, "unreachable") || strstr(k, "invalid"))
		return "failure";
	return NULL;
}

void events_write_ecs(FILE *out, const struct ev *e, struct redactor *rd)
{
	struct line l = {out, 0};
	ktime(&l, "@timestamp", e->ts);
	kstr(&l, "event.kind", e->kind == EVK_FINDING ? "alert" : "event");
	kstr(&l, "event.category", "authentication");
	kstr(&l, "event.action", ev_kind_name(e->kind));
	kstr(&l, "event.outcome", ev_outcome(e));
	kstr(&l, "event.dataset", src_kind_name(e->src));
	kref(&l, e->input, e->pos);
	kstr(&l, "user.name", redact_str(rd, RC_USER, e->user));
	kstr(&l, "source.ip", redact_str(rd, RC_IP, e->nas_ip));
	if (e->nas_port >= 0)
		kint(&l, "source.port", e->nas_port);
	kstr(&l, "destination.ip", redact_str(rd, RC_IP, e->server_ip));
	if (e->server_port >= 0)
		kint(&l, "destination.port", e->server_port);
	kstr(&l, "client.ip", redact_str(rd, RC_IP, e->client_ip));
	kstr(&l, "message", redact_text(rd, e->text));
	if (e->session) {
		char sid[16];
		snprintf(sid, sizeof sid, "s%u", e->session);
		kstr(&l, "authscope.session", sid);
	}
	if (e->from)
		kstr(&l, "authscope.from", role_name(e->from));
	if (e->to)
		kstr(&l, "authscope.to", role_name(e->to));
	kstr(&l, "authscope.detail", redact_text(rd, e->detail));
	kstr(&l, "authscope.result", redact_text(rd, e->result));
	kstr(&l, "authscope.assigned_ip", redact_str(rd, RC_IP, e->assigned_ip));
	kstr(&l, "authscope.calling_station_id", redact_str(rd, RC_STATION, e->calling_station));
	kstr(&l, "authscope.radius.state", e->state);
	if (e->radius_id >= 0)
		kint(&l, "authscope.radius.id", e->radius_id);
	if (e->out_id >= 0)
		kint(&l, "authscope.radius.out_id", e->out_id);
	if (e->code >= 0)
		kint(&l, "authscope.code", e->code);
	if (e->num >= 0)
		kint(&l, "authscope.num", e->num);
	if (e->spi_i) {
		char b[24];
		snprintf(b, sizeof b, "%016" PRIx64, e->spi_i);
		kstr(&l, "authscope.ike.spi_i", b);
	}
	if (e->spi_r) {
		char b[24];
		snprintf(b, sizeof b, "%016" PRIx64, e->spi_r);
		kstr(&l, "authscope.ike.spi_r", b);
	}
	if (e->msgid >= 0)
		kint(&l, "authscope.ike.msgid", e->msgid);
	end(&l);
}

static const char *sess_outcome(unsigned o)
{
	return o == OUT_ACCEPT ? "success" : o == OUT_INCOMPLETE ? "unknown" : "failure";
}

static void write_session(const struct report_ctx *c, const struct session *s)
{
	struct redactor *rd = c->redact;
	struct line l = {c->out, 0};
	char sid[16];
	snprintf(sid, sizeof sid, "s%u", s->id);
	ktime(&l, "@timestamp", s->start);
	kstr(&l, "event.kind", "event");
	kstr(&l, "event.category", "authentication");
	kstr(&l, "event.action", "session");
	kstr(&l, "event.outcome", sess_outcome(s->outcome));
	ktime(&l, "event.start", s->start);
	ktime(&l, "event.end", s->end);
	if (s->start != EV_NO_TS && s->end != EV_NO_TS && s->end >= s->start)
		kint(&l, "event.duration", (s->end - s->start) * 1000);   /* ns */
	kstr(&l, "user.name", redact_str(rd, RC_USER, s->user));
	kstr(&l, "client.ip", redact_str(rd, RC_IP, s->client_ip));
	kstr(&l, "source.ip", redact_str(rd, RC_IP, s->nas_ip));
	kstr(&l, "destination.ip", redact_str(rd, RC_IP, s->server_ip));
	kstr(&l, "authscope.session", sid);
	kstr(&l, "authscope.outcome", outcome_name(s->outcome));
	kstr(&l, "authscope.assigned_ip", redact_str(rd, RC_IP, s->assigned_ip));
	kstr(&l, "authscope.primary_ip", redact_str(rd, RC_IP, s->primary_ip));
	kstr(&l, "authscope.calling_station_id", redact_str(rd, RC_STATION, s->calling_station));
	kint(&l, "authscope.requests", s->requests);
	kint(&l, "authscope.retransmits", s->retransmits);
	if (s->primary_latency_us >= 0)
		kint(&l, "authscope.primary_latency_us", s->primary_latency_us);
	if (s->push_latency_us >= 0)
		kint(&l, "authscope.push_latency_us", s->push_latency_us);
	if (s->total_latency_us >= 0)
		kint(&l, "authscope.total_latency_us", s->total_latency_us);
	kint(&l, "authscope.stages", s->nstage);
	end(&l);
}

static int sev_num(unsigned sev)
{
	return sev == SEV_ERROR ? 3 : sev == SEV_WARNING ? 2 : 1;
}

static void write_finding(const struct report_ctx *c, const struct finding *f)
{
	struct redactor *rd = c->redact;
	struct line l = {c->out, 0};
	const struct rule_meta *m = rulemeta_get(f->rule);
	ktime(&l, "@timestamp", f->ts);
	kstr(&l, "event.kind", "alert");
	kstr(&l, "event.category", "authentication");
	kstr(&l, "event.action", "finding");
	kstr(&l, "event.outcome", "failure");
	kint(&l, "event.severity", sev_num(f->sev));
	kstr(&l, "log.level", sev_name(f->sev));
	kstr(&l, "rule.id", f->rule);
	if (m && m->title)
		kstr(&l, "rule.name", m->title);
	if (m && m->file)
		kstr(&l, "rule.ruleset", m->file);
	kstr(&l, "message", redact_text(rd, f->summary ? f->summary : ""));
	kstr(&l, "user.name", redact_str(rd, RC_USER, f->user));
	if (f->session) {
		char sid[16];
		snprintf(sid, sizeof sid, "s%u", f->session);
		kstr(&l, "authscope.session", sid);
	} else if (f->key) {
		kstr(&l, "authscope.key", redact_text(rd, f->key));
	}
	kstr(&l, "authscope.hint", redact_text(rd, f->hint));
	if (f->open_at_end)
		kstr(&l, "authscope.open_at_end", "true");
	if (f->nev)
		kref(&l, f->ev[0].input, f->ev[0].pos);
	key(&l, "authscope.evidence");
	fputc('[', l.o);
	for (uint32_t i = 0; i < f->nev; i++) {
		char ref[1024];
		input_ref(ref, sizeof ref, f->ev[i].input, f->ev[i].pos);
		fputs(i ? ",{\"ref\":" : "{\"ref\":", l.o);
		fputs_json(l.o, ref);
		fputs(",\"text\":", l.o);
		fputs_json(l.o, redact_text(rd, f->ev[i].text));
		fputc('}', l.o);
	}
	fputc(']', l.o);
	end(&l);
}

int report_ndjson(const struct report_ctx *c)
{
	for (size_t i = 1; i <= sess_count(c->sessions); i++) {
		const struct session *s = sess_get(c->sessions, (uint32_t)i);
		if (report_session_visible(c, s))
			write_session(c, s);
	}
	for (size_t i = 0; i < findings_count(c->findings); i++) {
		const struct finding *f = findings_at(c->findings, i);
		if (report_finding_visible(c, f))
			write_finding(c, f);
	}
	return ferror(c->out) ? -1 : 0;
}
