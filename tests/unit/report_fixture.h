/* A small synthetic run for the report tests: two inputs, three sessions
 * (a primary reject, a Duo push timeout, an accept of a hostile user
 * name), three findings. Built through the real session table, so the
 * stages are what a parser would have produced. */
#ifndef TEST_REPORT_FIXTURE_H
#define TEST_REPORT_FIXTURE_H

#include <string.h>

#include "core/clock.h"
#include "core/event.h"
#include "core/finding.h"
#include "core/input.h"
#include "core/rulemeta.h"
#include "core/session.h"
#include "core/str.h"

#define FX_T0 1644342890080854LL        /* 2022-02-08T17:54:50.080854Z */
#define FX_EVIL "<script>alert(\"x\")</script>"

struct fixture {
	struct sess_table *t;
	struct finding_set *fs;
	uint32_t log, cap;
};

static void fx_ev(struct fixture *fx, unsigned kind, uint32_t input, uint64_t pos,
		  int64_t dt_us, unsigned from, unsigned to, const char *user,
		  int radius_id, const char *server, int out_id, int code,
		  const char *nas, const char *detail, const char *result)
{
	struct ev e;
	ev_init(&e, kind, input == fx->cap ? SRC_PCAP : SRC_AUTHPROXY_LOG, input, pos);
	e.ts = FX_T0 + dt_us;
	e.from = (uint8_t)from;
	e.to = (uint8_t)to;
	e.user = intern_cstr(user);
	e.nas_ip = intern_cstr(nas);
	e.radius_id = radius_id;
	e.server_ip = intern_cstr(server);
	e.out_id = out_id;
	e.code = code;
	e.detail = intern_cstr(detail);
	e.result = intern_cstr(result);
	sess_on_event(fx->t, &e);
}

static struct finding *fx_finding(struct fixture *fx, const char *rule, unsigned sev,
				  uint32_t session, const char *user, const char *summary,
				  const char *hint)
{
	int cr;
	struct finding *f = findings_get(fx->fs, intern_cstr(rule), session,
					 session ? NULL : intern_cstr(user), &cr);
	f->sev = (uint8_t)sev;
	f->user = session ? intern_cstr(user) : NULL;
	finding_set_text(f, summary, hint);
	return f;
}

static void fx_evidence(struct finding *f, uint32_t input, uint64_t pos, int64_t dt,
			const char *text)
{
	finding_add_evidence(f, input, pos, FX_T0 + dt, text, strlen(text));
}

static void fixture_build(struct fixture *fx)
{
	memset(fx, 0, sizeof *fx);
	input_reset_all();
	rulemeta_reset();
	fx->t = sess_new(NULL);
	fx->fs = findings_new();
	fx->log = input_new("logs/authproxy.log", SRC_AUTHPROXY_LOG)->id;
	struct input *cap = input_new("radius.pcap", SRC_PCAP);
	cap->pos_is_frame = 1;
	fx->cap = cap->id;
	const char *nas = "10.106.54.143", *pri = "10.197.243.116";

	/* s1: alice, rejected by the primary */
	fx_ev(fx, EVK_RADIUS_REQUEST, fx->log, 3, 0, ROLE_HEADEND, ROLE_PROXY, "alice", 26,
	      NULL, -1, -1, nas, "id 26 from 10.106.54.143", NULL);
	fx_ev(fx, EVK_PROXY_PRIMARY_REQ, fx->log, 5, 2000, ROLE_PROXY, ROLE_PRIMARY, "alice", 26,
	      pri, 18, -1, nas, "id 18 to 10.197.243.116:1812", NULL);
	fx_ev(fx, EVK_PROXY_PRIMARY_RESP, fx->log, 7, 333000, ROLE_PRIMARY, ROLE_PROXY, "alice", -1,
	      pri, 18, 3, NULL, "code 3 from 10.197.243.116:1812", NULL);
	fx_ev(fx, EVK_RADIUS_RESPONSE, fx->log, 9, 335000, ROLE_PROXY, ROLE_HEADEND, "alice", 26,
	      NULL, -1, 3, nas, "Access-Reject id 26", NULL);

	/* s2: bob, the Duo push is never answered */
	fx_ev(fx, EVK_RADIUS_REQUEST, fx->log, 12, 1000000, ROLE_HEADEND, ROLE_PROXY, "bob", 27,
	      NULL, -1, -1, nas, "id 27 from 10.106.54.143", NULL);
	fx_ev(fx, EVK_PROXY_PRIMARY_REQ, fx->log, 13, 1002000, ROLE_PROXY, ROLE_PRIMARY, "bob", 27,
	      pri, 19, -1, nas, "id 19 to 10.197.243.116:1812", NULL);
	fx_ev(fx, EVK_PROXY_PRIMARY_RESP, fx->log, 14, 1100000, ROLE_PRIMARY, ROLE_PROXY, "bob", -1,
	      pri, 19, 2, NULL, "code 2 from 10.197.243.116:1812", NULL);
	fx_ev(fx, EVK_DUO_AUTH_REQUEST, fx->log, 15, 1200000, ROLE_PROXY, ROLE_DUO, "bob", 27,
	      NULL, -1, -1, nas, "push to bob's phone", NULL);
	fx_ev(fx, EVK_DUO_RESULT, fx->log, 16, 61200000, ROLE_DUO, ROLE_PROXY, "bob", 27,
	      NULL, -1, -1, nas, "timeout: no response from bob", "deny");
	fx_ev(fx, EVK_RADIUS_RESPONSE, fx->log, 17, 61300000, ROLE_PROXY, ROLE_HEADEND, "bob", 27,
	      NULL, -1, 3, nas, "Access-Reject id 27", NULL);

	/* s3: a hostile user name, accepted; from a capture */
	fx_ev(fx, EVK_RADIUS_REQUEST, fx->cap, 1, 2000000, ROLE_HEADEND, ROLE_PROXY, FX_EVIL, 5,
	      NULL, -1, -1, "10.1.1.1", "id 5 from 10.1.1.1", NULL);
	fx_ev(fx, EVK_RADIUS_RESPONSE, fx->cap, 2, 2020000, ROLE_PROXY, ROLE_HEADEND, FX_EVIL, 5,
	      NULL, -1, 2, "10.1.1.1", "Access-Accept id 5", NULL);
	sess_finish(fx->t);

	struct rule_meta m = {.id = "primary-reject", .sev = SEV_ERROR, .kind = "match",
			      .title = "The primary server rejected the first factor",
			      .explain = "Fires on a Reject from the primary.",
			      .hint = "Check the password", .file = "rules/primary.rules",
			      .line = 3, .builtin = 1};
	rulemeta_add(&m);
	m = (struct rule_meta){.id = "duo-push-timeout", .sev = SEV_ERROR, .kind = "absence",
			       .title = "The Duo push was not answered", .file = "rules/duo.rules",
			       .line = 10, .builtin = 1};
	rulemeta_add(&m);

	struct finding *f = fx_finding(fx, "primary-reject", SEV_ERROR, 1, "alice",
				       "alice: the primary server 10.197.243.116 rejected the password",
				       "Check alice's password on the primary (ISE/NPS/AD)");
	fx_evidence(f, fx->log, 5, 2000, "2022-02-08T17:54:50.082854Z [info] Sending proxied request "
		    "for id 26 to ('10.197.243.116', 1812) with id 18");
	fx_evidence(f, fx->log, 7, 333000, "2022-02-08T17:54:50.413854Z [info] Got response for id 18 "
		    "from ('10.197.243.116', 1812); code 3 user=alice");
	f = fx_finding(fx, "duo-push-timeout", SEV_ERROR, 2, "bob",
		       "bob: the Duo push was not answered within 60 s", "Ask bob to check his phone");
	fx_evidence(f, fx->log, 16, 61200000, "[info] Duo authentication returned 'deny': "
		    "'Login timed out.' for bob from 10.106.54.143");
	f = fx_finding(fx, "input-damaged", SEV_WARNING, 0, "radius.pcap",
		       "radius.pcap is truncated at frame 3", "Capture again with a larger snaplen");
	fx_evidence(f, fx->cap, 3, 2040000, "truncated: 12 bytes missing");
	findings_finalize(fx->fs);
}

static void fixture_free(struct fixture *fx)
{
	sess_free(fx->t);
	findings_free(fx->fs);
}

#endif
