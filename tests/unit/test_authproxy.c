/* parsers/authproxy: authproxy.log records to events, and the sessions the
 * table makes of them (the parser and session.c are tested together here
 * because the proxy is the session table's main user). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/event.h"
#include "core/format.h"
#include "core/input.h"
#include "core/session.h"
#include "core/str.h"
#include "ingest/lines.h"
#include "parsers/authproxy.h"

/* ---- harness: lines → format → events (+ sessions) ---- */

#define MAXEV 512

struct got {
	struct ev e[MAXEV];
	char *raw[MAXEV];
	int n;
	int ends;
	const char *end_outcome[64];
	uint32_t end_session[64];
};

struct harness {
	struct ev_sink base;
	struct ev_sink end;
	struct got *g;
	struct sess_table *t;
	int64_t wm;
};

static struct harness *g_h;

static void end_emit(struct ev_sink *self, struct ev *e)
{
	(void)self;
	struct got *g = g_h->g;
	if (g->ends < 64) {
		g->end_outcome[g->ends] = e->result;
		g->end_session[g->ends] = e->session;
	}
	g->ends++;
}

static void main_emit(struct ev_sink *self, struct ev *e)
{
	struct harness *h = (struct harness *)self;
	if (h->t) {
		if (e->ts != EV_NO_TS && e->ts > h->wm) {
			h->wm = e->ts;
			sess_advance(h->t, h->wm);
		}
		sess_on_event(h->t, e);
	}
	struct got *g = h->g;
	if (g->n < MAXEV) {
		g->e[g->n] = *e;
		g->raw[g->n] = e->raw ? xstrndup(e->raw, e->raw_len) : NULL;
		g->e[g->n].raw = g->raw[g->n];
		g->n++;
	}
}

struct drive {
	const struct format *fmt;
	void *st;
};

static void on_line(void *ctx, const char *rec, size_t len, uint64_t lineno)
{
	struct drive *d = ctx;
	d->fmt->line(d->st, rec, len, lineno);
}

/* Run text through fmt; sessions when tp != NULL (a table is made unless
 * *tp already holds one; finish closes it). */
static struct got *run_fmt2(const struct format *fmt, const char *text, struct sess_table **tp,
			    int finish)
{
	struct got *g = xcalloc(1, sizeof *g);
	static struct harness h;
	h = (struct harness){{main_emit}, {end_emit}, g, NULL, INT64_MIN};
	g_h = &h;
	if (tp)
		h.t = *tp ? *tp : (*tp = sess_new(&h.end));
	struct input *in = input_new("test.log", fmt->kind);
	struct format_ctx ctx = {in, &h.base, NULL, NULL, NULL, NULL};
	struct drive d = {fmt, fmt->open(&ctx)};
	struct linereader lr;
	lines_init(&lr, !!(fmt->flags & FMT_JOIN_TAB), on_line, NULL, &d);
	lines_feed(&lr, text, strlen(text));
	lines_finish(&lr);
	lines_free(&lr);
	fmt->close(d.st);
	if (h.t && finish)
		sess_finish(h.t);
	return g;
}

static struct got *run_fmt(const struct format *fmt, const char *text, struct sess_table **tp)
{
	if (tp)
		*tp = NULL;
	return run_fmt2(fmt, text, tp, 1);
}

static struct got *run(const char *text, struct sess_table **tp)
{
	return run_fmt(&fmt_authproxy, text, tp);
}

static void got_free(struct got *g)
{
	for (int i = 0; i < g->n; i++)
		free(g->raw[i]);
	free(g);
}

static int count_kind(const struct got *g, const char *kind)
{
	int n = 0;
	for (int i = 0; i < g->n; i++)
		if (!strcmp(ev_kind_name(g->e[i].kind), kind))
			n++;
	return n;
}

static const struct ev *first_kind(const struct got *g, const char *kind)
{
	for (int i = 0; i < g->n; i++)
		if (!strcmp(ev_kind_name(g->e[i].kind), kind))
			return &g->e[i];
	return NULL;
}

static const struct ev *nth_kind(const struct got *g, const char *kind, int nth)
{
	for (int i = 0; i < g->n; i++)
		if (!strcmp(ev_kind_name(g->e[i].kind), kind) && nth-- == 0)
			return &g->e[i];
	return NULL;
}

/* No event field nor raw holds needle. */
static void assert_nowhere(const struct got *g, const char *needle)
{
	for (int i = 0; i < g->n; i++) {
		const struct ev *e = &g->e[i];
		const char *f[] = {e->raw, e->text, e->detail, e->result, e->user,
				   e->calling_station, e->state};
		for (size_t j = 0; j < sizeof f / sizeof *f; j++)
			if (f[j] && strstr(f[j], needle))
				fail_msg("'%s' leaked into event %d (%s): %s", needle, i,
					 ev_kind_name(e->kind), f[j]);
	}
}

#define P "[duoauthproxy.lib.log#info] "
#define PX(user, id) "(('10.106.54.143', 1645), " user ", " #id "): "

/* The seed's accepted login, one record a line. */
static const char seed_accept[] =
	"2022-02-08T23:24:50.080854+0530 " P "Sending request from 10.106.54.143 to radius_server_auto\n"
	"2022-02-08T23:24:50.080854+0530 " P "Received new request id 163 from ('10.106.54.143', 1645)\n"
	"2022-02-08T23:24:50.080854+0530 " P PX("sadks", 163) "login attempt for username 'sadks'\n"
	"2022-02-08T23:24:50.080854+0530 " P "Sending request for user 'sadks' to ('10.197.243.116', 1812) with id 191\n"
	"2022-02-08T23:24:50.174606+0530 " P "Got response for id 191 from ('10.197.243.116', 1812); code 2\n"
	"2022-02-08T23:24:50.174606+0530 " P "http POST to https://api-xxxx.duosecurity.com:443/rest/v1/preauth\n"
	"2022-02-08T23:24:50.174606+0530 [duoauthproxy.lib.http._DuoHTTPClientFactory#info] Starting factory <_DuoHTTPClientFactory: b'https://api-xxxx.duosecurity.com:443/rest/v1/preauth'>\n"
	"2022-02-08T23:24:51.753590+0530 " P PX("sadks", 163) "Got preauth result for: 'auth'\n"
	"2022-02-08T23:24:51.753590+0530 " P "http POST to https://api-xxxx.duosecurity.com:443/rest/v1/auth\n"
	"2022-02-08T23:24:59.357413+0530 " P PX("sadks", 163) "Duo authentication returned 'allow': 'Success. Logging you in...'\n"
	"2022-02-08T23:24:59.357413+0530 " P PX("sadks", 163) "Returning response code 2: AccessAccept\n"
	"2022-02-08T23:24:59.357413+0530 " P PX("sadks", 163) "Sending response\n";

static void test_seed_accept(void **state)
{
	(void)state;
	struct sess_table *t;
	struct got *g = run(seed_accept, &t);
	const char *want[] = {"radius.request", "proxy.login_attempt", "proxy.primary_request",
			      "proxy.primary_response", "duo.preauth_request", "duo.preauth",
			      "duo.auth_request", "duo.result", "radius.response"};
	assert_int_equal(g->n, 9);
	for (int i = 0; i < 9; i++)
		assert_string_equal(ev_kind_name(g->e[i].kind), want[i]);
	/* every event carries the incoming key and the user */
	for (int i = 0; i < g->n; i++) {
		assert_string_equal(g->e[i].user, "sadks");
		assert_string_equal(g->e[i].nas_ip, "10.106.54.143");
		assert_int_equal(g->e[i].nas_port, 1645);
		assert_int_equal(g->e[i].radius_id, 163);
		assert_int_equal(g->e[i].session, 1);
		assert_non_null(g->e[i].detail);
	}
	const struct ev *r = first_kind(g, "radius.request");
	assert_int_equal(r->from, ROLE_HEADEND);
	assert_int_equal(r->to, ROLE_PROXY);
	assert_int_equal(r->pos, 2);
	const struct ev *pr = first_kind(g, "proxy.primary_request");
	assert_string_equal(pr->server_ip, "10.197.243.116");
	assert_int_equal(pr->server_port, 1812);
	assert_int_equal(pr->out_id, 191);
	assert_int_equal(pr->from, ROLE_PROXY);
	assert_int_equal(pr->to, ROLE_PRIMARY);
	const struct ev *resp = first_kind(g, "proxy.primary_response");
	assert_int_equal(resp->code, 2);
	assert_string_equal(resp->detail, "code 2 from 10.197.243.116:1812");
	assert_int_equal(resp->from, ROLE_PRIMARY);
	assert_string_equal(first_kind(g, "duo.preauth")->result, "auth");
	assert_int_equal(first_kind(g, "duo.auth_request")->to, ROLE_DUO);
	assert_string_equal(first_kind(g, "duo.result")->text, "Success. Logging you in...");
	const struct ev *fin = first_kind(g, "radius.response");
	assert_int_equal(fin->code, 2);
	assert_int_equal(fin->from, ROLE_PROXY);
	assert_int_equal(fin->to, ROLE_HEADEND);
	/* +05:30 applied */
	assert_int_equal(r->ts, civil_to_us(2022, 2, 8, 17, 54, 50, 80854));

	assert_int_equal(sess_count(t), 1);
	struct session *s = sess_get(t, 1);
	assert_int_equal(s->outcome, OUT_ACCEPT);
	assert_int_equal(s->primary_latency_us, 93752);
	assert_int_equal(s->push_latency_us, 7603823);
	assert_int_equal(s->requests, 1);
	assert_int_equal(s->pushes, 1);
	assert_string_equal(s->preauth, "auth");
	assert_string_equal(s->duo_result, "allow");
	assert_int_equal(s->final_code, 2);
	sess_free(t);
	got_free(g);
}

/* The seed's reject excerpt starts mid-login: the proxied request names
 * only the incoming id; it still makes one session with the reject. */
static void test_seed_reject_mid_login(void **state)
{
	(void)state;
	struct sess_table *t;
	struct got *g = run(
		"2022-02-07T13:01:39.589679+0530 " P "Sending proxied request for id 26 to ('10.197.243.116', 1812) with id 18\n"
		"2022-02-07T13:01:39.589679+0530 " P "Got response for id 18 from ('10.197.243.116', 1812); code 3\n"
		"2022-02-07T13:01:39.589679+0530 " P PX("sadks", 26) "Primary credentials rejected - No reply message in packet\n"
		"2022-02-07T13:01:39.589679+0530 " P PX("sadks", 26) "Returning response code 3: AccessReject\n",
		&t);
	assert_int_equal(g->n, 4);
	assert_string_equal(first_kind(g, "proxy.primary_reject")->text, "No reply message in packet");
	assert_int_equal(sess_count(t), 1);
	struct session *s = sess_get(t, 1);
	assert_int_equal(s->outcome, OUT_REJECT);
	assert_string_equal(s->user, "sadks");
	assert_string_equal(s->nas_ip, "10.106.54.143");
	for (int i = 0; i < g->n; i++)
		assert_int_equal(g->e[i].session, 1);
	sess_free(t);
	got_free(g);
}

/* The username is free text: the key is found by the last `, <id>): `
 * whose message is known and whose request is in flight. */
static void test_prefix_odd_usernames(void **state)
{
	(void)state;
	struct got *g = run(
		"2023-03-02T10:15:01.125107-0500 " P "Received new request id 7 from ('10.1.1.1', 5000)\n"
		"2023-03-02T10:15:01.125107-0500 " P "(('10.1.1.1', 5000), a, 1): b, 7): login attempt for username 'a, 1): b'\n"
		"2023-03-02T10:15:01.125107-0500 " P "Received new request id 8 from ('10.1.1.1', 5001)\n"
		"2023-03-02T10:15:01.125107-0500 " P "(('10.1.1.1', 5001), DOM\\o'brien (x), 8): login attempt for username \"DOM\\\\o'brien (x)\"\n"
		"2023-03-02T10:15:01.125107-0500 " P "Received new request id 9 from ('10.1.1.1', 5002)\n"
		"2023-03-02T10:15:01.125107-0500 " P "(('10.1.1.1', 5002), None, 9): No username provided\n"
		"2023-03-02T10:15:01.125107-0500 " P "(('10.1.1.1', 5003), 12): Returning response code 3: AccessReject\n",
		NULL);
	const struct ev *l1 = nth_kind(g, "proxy.login_attempt", 0);
	assert_string_equal(l1->user, "a, 1): b");
	assert_int_equal(l1->radius_id, 7);
	const struct ev *l2 = nth_kind(g, "proxy.login_attempt", 1);
	assert_string_equal(l2->user, "DOM\\o'brien (x)");
	assert_int_equal(l2->radius_id, 8);
	const struct ev *nu = first_kind(g, "proxy.note");
	assert_null(nu->user);
	assert_int_equal(nu->radius_id, 9);
	/* 4.x form without a username */
	const struct ev *resp = first_kind(g, "radius.response");
	assert_null(resp->user);
	assert_int_equal(resp->radius_id, 12);
	assert_int_equal(resp->nas_port, 5003);
	assert_int_equal(resp->code, 3);
	/* the request events got their user from the next line */
	assert_string_equal(nth_kind(g, "radius.request", 0)->user, "a, 1): b");
	assert_string_equal(nth_kind(g, "radius.request", 1)->user, "DOM\\o'brien (x)");
	got_free(g);
}

/* Debug logs: packet dumps (header + bytes line, or as a continuation)
 * and HTTP bodies never reach an event. */
static void test_packet_dumps_and_bodies_never_leak(void **state)
{
	(void)state;
	struct got *g = run(
		"2023-03-02T10:15:01.000000-0500 " P "Received new request id 44 from ('10.1.1.1', 50124)\n"
		"2023-03-02T10:15:01.000000-0500 " P "Packet dump - received from 10.1.1.1:\n"
		"2023-03-02T10:15:01.000000-0500 " P "b'\\x01,\\x00SECRETBYTES\\x02'\n"
		"2023-03-02T10:15:01.000000-0500 " P "(('10.1.1.1', 50124), bob, 44): login attempt for username 'bob'\n"
		"2023-03-02T10:15:01.000000-0500 " P "Packet dump - sent to 10.2.2.2:\n"
		"\tb\"\\x01MORESECRET\"\n"
		"b'BARESECRET'\n"
		"2023-03-02T10:15:01.100000-0500 " P "http POST to https://api-x.duosecurity.com:443/rest/v1/auth: factor=passcode&ipaddr=1.2.3.4&passcode=PASS123456&user=bob\n"
		"2023-03-02T10:15:01.200000-0500 " P "(('10.1.1.1', 50124), bob, 44): Response to unknown AccessChallenge! state b'STATEBYTES'\n",
		NULL);
	assert_nowhere(g, "SECRET");
	assert_nowhere(g, "PASS123456");
	assert_nowhere(g, "passcode=");
	assert_nowhere(g, "STATEBYTES");
	assert_int_equal(count_kind(g, "input.damaged"), 0);
	const struct ev *a = first_kind(g, "duo.auth_request");
	assert_non_null(a);
	assert_string_equal(a->user, "bob");
	assert_int_equal(a->radius_id, 44);
	assert_string_equal(a->result, "passcode");
	const struct ev *cl = first_kind(g, "proxy.challenge_lost");
	assert_non_null(cl);
	assert_int_equal(cl->radius_id, 44);
	assert_string_equal(cl->text, "Response to unknown AccessChallenge");
	got_free(g);
}

/* A traceback arrives as TAB continuations: its last line is the detail. */
static void test_traceback_last_line(void **state)
{
	(void)state;
	struct got *g = run(
		"2023-03-02T10:15:01.000000-0500 " P "Received new request id 5 from ('10.1.1.1', 1645)\n"
		"2023-03-02T10:15:01.000000-0500 " P "(('10.1.1.1', 1645), eve, 5): login attempt for username 'eve'\n"
		"2023-03-02T10:15:02.000000-0500 [duoauthproxy.lib.log#critical] Duo preauth call failed\n"
		"\tTraceback (most recent call last):\n"
		"\t  File \"duoauthproxy/lib/duo_async.py\", line 123, in preauth\n"
		"\tduoauthproxy.lib.duo_async.DuoAPIFailOpenError: API Request Failed: DNSLookupError('api-x.duosecurity.com')\n"
		"2023-03-02T10:15:02.000000-0500 " P "(('10.1.1.1', 1645), eve, 5): Failmode Safe - Allowed Duo login on preauth failure\n"
		"2023-03-02T10:15:09.000000-0500 " P "Received new request id 6 from ('10.1.1.1', 1645)\n"
		"2023-03-02T10:15:09.000000-0500 " P "(('10.1.1.1', 1645), eve, 6): Duo auth call failed\n"
		"\tTraceback (most recent call last):\n"
		"\tduoauthproxy.lib.duo_async.DuoAPIFailClosedError: 40103: Invalid signature in request credentials\n"
		"\t\n",
		NULL);
	const struct ev *x = first_kind(g, "duo.api_error");
	assert_non_null(x);
	assert_string_equal(x->result, "dns");
	assert_string_equal(x->text, "DuoAPIFailOpenError: API Request Failed: DNSLookupError('api-x.duosecurity.com')");
	assert_string_equal(x->user, "eve");        /* tied by context */
	assert_int_equal(x->radius_id, 5);
	assert_string_equal(first_kind(g, "duo.failmode")->result, "safe");
	const struct ev *c = first_kind(g, "duo.credentials_invalid");
	assert_non_null(c);
	assert_int_equal(c->code, 40103);
	assert_int_equal(c->radius_id, 6);
	assert_non_null(strstr(c->raw, "40103"));
	got_free(g);
}

/* An unprefixed API failure arrives seconds after its call, while other
 * logins log: it belongs to the oldest open call of its type (preauth),
 * not to the login that logged last (whose push is pending). */
static void test_late_failure_ties_to_its_call(void **state)
{
	(void)state;
	struct got *g = run(
		"2023-03-02T10:00:00.000000+0000 " P "(('10.1.1.1', 1645), ivy, 1): Got preauth result for: 'auth'\n"
		"2023-03-02T10:00:00.000000+0000 " P "http POST to https://api-x.duosecurity.com:443/rest/v1/auth\n"
		"2023-03-02T10:00:08.000000+0000 " P "(('10.1.1.1', 1645), sam, 2): login attempt for username 'sam'\n"
		"2023-03-02T10:00:08.000000+0000 " P "Sending request for user 'sam' to ('10.9.9.9', 1812) with id 7\n"
		"2023-03-02T10:00:08.100000+0000 " P "Got response for id 7 from ('10.9.9.9', 1812); code 2\n"
		"2023-03-02T10:00:08.100000+0000 " P "http POST to https://api-x.duosecurity.com:443/rest/v1/preauth\n"
		"2023-03-02T10:00:10.000000+0000 " P "(('10.1.1.1', 1645), ivy, 1): Received duplicate request\n"
		"2023-03-02T10:00:13.000000+0000 " P "Duo preauth call failed\n"
		"\tduoauthproxy.lib.duo_async.DuoAPIFailOpenError: API Request Failed: DNSLookupError('x')\n",
		NULL);
	const struct ev *x = first_kind(g, "duo.api_error");
	assert_non_null(x);
	assert_string_equal(x->user, "sam");
	assert_int_equal(x->radius_id, 2);
	got_free(g);
}

/* Era A (space, no zone: the input's clock) and era B (whole seconds),
 * CRLF line ends, and a line that is no record. */
static void test_eras_crlf_and_damage(void **state)
{
	(void)state;
	struct got *g = run(
		"2020-07-15T10:12:13-0400 [DuoForwardServer (UDP)] Received new request id 9 from ('10.1.1.1', 44703)\r\n"
		"2020-07-15T10:12:13-0400 [DuoForwardServer (UDP)] (('10.1.1.1', 44703), al, 9): login attempt for username 'al'\r\n"
		"this line is not a record\r\n"
		"2020-07-15T1O:12:13-0400 [-] letter O in the hour\r\n"
		"2020-07-15T10:12:1:-0400 [-] colon in the seconds\r\n"
		"2020-07/15T10:12:13-0400 [-] slash in the date\r\n"
		"2020-07-15 10:12:14 [-] (('10.1.1.1', 44703), al, 9): Returning response code 3: AccessReject\r\n",
		NULL);
	const struct ev *r = first_kind(g, "radius.request");
	assert_int_equal(r->ts, civil_to_us(2020, 7, 15, 14, 12, 13, 0));
	const struct ev *d = first_kind(g, "input.damaged");
	assert_non_null(d);
	assert_int_equal(d->pos, 3);
	assert_int_equal(count_kind(g, "input.damaged"), 4);
	const struct ev *resp = first_kind(g, "radius.response");
	assert_non_null(resp);
	assert_int_equal(resp->pos, 7);
	assert_string_equal(resp->text, "AccessReject");   /* no CR */
	/* era A carries no zone: the clock's (zone from era B stamps, -04:00) */
	assert_int_equal(resp->ts, civil_to_us(2020, 7, 15, 14, 12, 14, 0));
	got_free(g);
}

/* NAS re-sent with a new id while the first push waits: two logins, the
 * second push counts 2 pending for the user. */
static void test_duplicate_push_counts_pending(void **state)
{
	(void)state;
	struct sess_table *t;
	struct got *g = run(
		"2023-03-02T10:00:00.000000+0000 " P "Received new request id 1 from ('10.1.1.1', 1645)\n"
		"2023-03-02T10:00:00.000000+0000 " P "(('10.1.1.1', 1645), kim, 1): login attempt for username 'kim'\n"
		"2023-03-02T10:00:00.000000+0000 " P "(('10.1.1.1', 1645), kim, 1): Got preauth result for: 'auth'\n"
		"2023-03-02T10:00:00.000000+0000 " P "http POST to https://api-x.duosecurity.com:443/rest/v1/auth\n"
		"2023-03-02T10:00:12.000000+0000 " P "Received new request id 2 from ('10.1.1.1', 1646)\n"
		"2023-03-02T10:00:12.000000+0000 " P "(('10.1.1.1', 1646), kim, 2): login attempt for username 'kim'\n"
		"2023-03-02T10:00:12.000000+0000 " P "(('10.1.1.1', 1646), kim, 2): Got preauth result for: 'auth'\n"
		"2023-03-02T10:00:12.000000+0000 " P "http POST to https://api-x.duosecurity.com:443/rest/v1/auth\n"
		"2023-03-02T10:00:20.000000+0000 " P "(('10.1.1.1', 1645), kim, 1): Duo authentication returned 'allow': 'Success. Logging you in...'\n"
		"2023-03-02T10:00:20.000000+0000 " P "(('10.1.1.1', 1645), kim, 1): Returning response code 2: AccessAccept\n"
		"2023-03-02T10:00:25.000000+0000 " P "(('10.1.1.1', 1646), kim, 2): Duo authentication returned 'allow': 'Success. Logging you in...'\n"
		"2023-03-02T10:00:25.000000+0000 " P "(('10.1.1.1', 1646), kim, 2): Returning response code 2: AccessAccept\n"
		"2023-03-02T10:05:00.000000+0000 " P "Received new request id 3 from ('10.1.1.1', 1645)\n"
		"2023-03-02T10:05:00.000000+0000 " P "(('10.1.1.1', 1645), kim, 3): Got preauth result for: 'auth'\n"
		"2023-03-02T10:05:00.000000+0000 " P "http POST to https://api-x.duosecurity.com:443/rest/v1/auth\n",
		&t);
	assert_int_equal(nth_kind(g, "duo.auth_request", 0)->num, 1);
	const struct ev *second = nth_kind(g, "duo.auth_request", 1);
	assert_int_equal(second->num, 2);
	assert_int_equal(second->radius_id, 2);
	/* answered pushes are no longer pending */
	assert_int_equal(nth_kind(g, "duo.auth_request", 2)->num, 1);
	assert_int_equal(sess_count(t), 3);
	assert_int_equal(second->session, 2);
	sess_free(t);
	got_free(g);
}

/* An EAP login spans several requests (new id each round): the rounds
 * join by user and NAS while the login waits on its challenge; after the
 * final answer the same user starts a new login. */
static void test_eap_rounds_one_session(void **state)
{
	(void)state;
	struct sess_table *t;
	struct got *g = run(
		"2023-03-02T10:00:00.000000+0000 " P "Received new request id 24 from ('10.1.1.1', 1645)\n"
		"2023-03-02T10:00:00.000000+0000 " P "(('10.1.1.1', 1645), sam, 24): login attempt for username 'sam'\n"
		"2023-03-02T10:00:00.000000+0000 " P "Sending proxied request for id 24 to ('10.9.9.9', 1812) with id 60\n"
		"2023-03-02T10:00:00.050000+0000 " P "Got response for id 60 from ('10.9.9.9', 1812); code 11\n"
		"2023-03-02T10:00:00.050000+0000 " P "(('10.1.1.1', 1645), sam, 24): Returning response code 11: AccessChallenge\n"
		"2023-03-02T10:00:01.000000+0000 " P "Received new request id 25 from ('10.1.1.1', 1645)\n"
		"2023-03-02T10:00:01.000000+0000 " P "(('10.1.1.1', 1645), sam, 25): login attempt for username 'sam'\n"
		"2023-03-02T10:00:01.000000+0000 " P "Sending proxied request for id 25 to ('10.9.9.9', 1812) with id 61\n"
		"2023-03-02T10:00:01.060000+0000 " P "Got response for id 61 from ('10.9.9.9', 1812); code 2\n"
		"2023-03-02T10:00:01.060000+0000 " P "(('10.1.1.1', 1645), sam, 25): Got preauth result for: 'allow'\n"
		"2023-03-02T10:00:01.070000+0000 " P "(('10.1.1.1', 1645), sam, 25): Returning response code 2: AccessAccept\n"
		"2023-03-02T10:00:05.000000+0000 " P "Received new request id 26 from ('10.1.1.1', 1645)\n"
		"2023-03-02T10:00:05.000000+0000 " P "(('10.1.1.1', 1645), sam, 26): login attempt for username 'sam'\n",
		&t);
	assert_int_equal(sess_count(t), 2);
	struct session *s = sess_get(t, 1);
	assert_int_equal(s->requests, 2);
	assert_int_equal(s->outcome, OUT_ACCEPT);
	assert_string_equal(s->preauth, "allow");
	assert_int_equal(s->primary_requests, 2);
	/* the proxied requests carry the incoming key */
	assert_int_equal(nth_kind(g, "proxy.primary_request", 1)->radius_id, 25);
	assert_int_equal(nth_kind(g, "proxy.primary_response", 1)->radius_id, 25);
	assert_int_equal(nth_kind(g, "radius.request", 2)->session, 2);
	sess_free(t);
	got_free(g);
}

/* A duplicate inside the proxy's 30 s window joins; the proxy logs a
 * "new request" under the same key after it: a new login. A login whose
 * answer never came closes as a timeout once idle past its window. */
static void test_duplicates_and_timeout_outcome(void **state)
{
	(void)state;
	struct sess_table *t;
	struct got *g = run(
		"2023-03-02T10:00:00.000000+0000 " P "Received new request id 3 from ('10.1.1.1', 1645)\n"
		"2023-03-02T10:00:00.000000+0000 " P "(('10.1.1.1', 1645), lee, 3): login attempt for username 'lee'\n"
		"2023-03-02T10:00:10.000000+0000 " P "(('10.1.1.1', 1645), lee, 3): Received duplicate request\n"
		"2023-03-02T10:00:20.000000+0000 " P "(('10.1.1.1', 1645), lee, 3): Returning response code 3: AccessReject\n"
		"2023-03-02T10:00:25.000000+0000 " P "(('10.1.1.1', 1645), lee, 3): Received duplicate request\n"
		"2023-03-02T10:00:40.000000+0000 " P "Received new request id 3 from ('10.1.1.1', 1645)\n"
		"2023-03-02T10:00:40.000000+0000 " P "(('10.1.1.1', 1645), lee, 3): login attempt for username 'lee'\n"
		"2023-03-02T10:10:00.000000+0000 " P "Received new request id 4 from ('10.1.1.1', 1645)\n",
		&t);
	assert_int_equal(sess_count(t), 3);
	struct session *a = sess_get(t, 1), *b = sess_get(t, 2);
	assert_int_equal(a->retransmits, 2);
	assert_int_equal(a->outcome, OUT_REJECT);
	assert_int_equal(b->requests, 1);
	assert_int_equal(b->outcome, OUT_TIMEOUT);
	assert_int_equal(sess_get(t, 3)->outcome, OUT_INCOMPLETE);
	sess_free(t);
	got_free(g);
}

/* Dropped packets: unknown client (NAS leg), and a bad authenticator on
 * the reply of the primary, tied to the request it answers. */
static void test_dropping_legs(void **state)
{
	(void)state;
	struct sess_table *t;
	struct got *g = run(
		"2023-03-02T10:00:00.000000+0000 " P "dropping packet from 10.5.5.5:1645 - Unknown Client: 10.5.5.5\n"
		"2023-03-02T10:00:01.000000+0000 " P "Received new request id 3 from ('10.1.1.1', 1645)\n"
		"2023-03-02T10:00:01.000000+0000 " P "(('10.1.1.1', 1645), ann, 3): login attempt for username 'ann'\n"
		"2023-03-02T10:00:01.000000+0000 " P "Sending request for user 'ann' to ('10.9.9.9', 1812) with id 77\n"
		"2023-03-02T10:00:01.010000+0000 " P "dropping packet from 10.9.9.9:1812 - response packet has invalid authenticator\n"
		"2023-03-02T10:00:09.000000+0000 " P "Request timeout for (outgoing) id 77 to ('10.9.9.9', 1812)\n"
		"2023-03-02T10:00:09.000000+0000 " P "(('10.1.1.1', 1645), ann, 3): Error performing primary authentication: RADIUS auth request timed out\n"
		"2023-03-02T10:00:09.000000+0000 " P "(('10.1.1.1', 1645), ann, 3): Returning response code 3: AccessReject\n"
		"2023-03-02T10:00:10.000000+0000 " P "dropping packet from 10.1.1.1:1645 - Invalid Message-Authenticator from 10.1.1.1\n",
		&t);
	const struct ev *u = first_kind(g, "proxy.dropped");
	assert_string_equal(u->result, "unknown-client");
	assert_string_equal(u->nas_ip, "10.5.5.5");
	assert_int_equal(u->session, 0);
	const struct ev *b = nth_kind(g, "radius.bad_authenticator", 0);
	assert_int_equal(b->from, ROLE_PRIMARY);
	assert_string_equal(b->result, "response-authenticator");
	assert_int_equal(b->radius_id, 3);
	assert_int_equal(b->out_id, 77);
	assert_int_equal(b->session, 1);
	const struct ev *to = first_kind(g, "proxy.primary_timeout");
	assert_int_equal(to->radius_id, 3);
	assert_int_equal(to->session, 1);
	const struct ev *b2 = nth_kind(g, "radius.bad_authenticator", 1);
	assert_int_equal(b2->from, ROLE_HEADEND);
	assert_string_equal(b2->nas_ip, "10.1.1.1");
	assert_string_equal(b2->result, "message-authenticator");
	assert_int_equal(sess_count(t), 1);
	sess_free(t);
	got_free(g);
}

/* ad_client: AD subcodes name their meaning; the bind failure of the
 * service account; all hosts down; MS-CHAPv2 to ad_client. */
static void test_ad_client_families(void **state)
{
	(void)state;
	struct got *g = run(
		"2023-03-02T10:00:00.000000+0000 " P "Received new request id 3 from ('10.1.1.1', 1645)\n"
		"2023-03-02T10:00:00.000000+0000 " P "(('10.1.1.1', 1645), joe, 3): login attempt for username 'joe'\n"
		"2023-03-02T10:00:00.000000+0000 " P "Sending AD authentication request for 'joe' to 'dc1.corp.local'\n"
		"2023-03-02T10:00:00.100000+0000 " P "LDAP Authentication Failed: 'invalidCredentials: 80090308: LdapErr: DSID-0C09042F, comment: AcceptSecurityContext error, data 775, v2580'\n"
		"2023-03-02T10:00:00.100000+0000 " P "(('10.1.1.1', 1645), joe, 3): Primary credentials rejected - User Authentication Failed\n"
		"2023-03-02T10:00:01.000000+0000 " P "Initial LDAP bind to AD failed: 'invalidCredentials: 80090308: LdapErr: DSID-0C09042F, comment: AcceptSecurityContext error, data 52e, v2580'\n"
		"2023-03-02T10:00:02.000000+0000 " P "Received new request id 4 from ('10.1.1.1', 1645)\n"
		"2023-03-02T10:00:02.000000+0000 " P "(('10.1.1.1', 1645), max, 4): login attempt for username 'max'\n"
		"2023-03-02T10:00:02.000000+0000 " P "(('10.1.1.1', 1645), max, 4): Primary credentials rejected - No password.\n"
		"2023-03-02T10:00:03.000000+0000 " P "(('10.1.1.1', 1645), max, 4): Primary credentials rejected - Failed to communicate with any Active Directory server\n",
		NULL);
	const struct ev *a = first_kind(g, "proxy.ad_auth_failed");
	assert_string_equal(a->result, "775");
	assert_string_equal(a->text, "account locked out (AD data 775)");
	assert_string_equal(a->user, "joe");
	const struct ev *b = first_kind(g, "proxy.ad_bind_failed");
	assert_string_equal(b->result, "52e");
	assert_string_equal(first_kind(g, "proxy.primary_reject")->text, "User Authentication Failed");
	assert_string_equal(first_kind(g, "proxy.protocol_mismatch")->user, "max");
	assert_string_equal(first_kind(g, "proxy.primary_unreachable")->result, "all");
	assert_string_equal(first_kind(g, "proxy.primary_request")->server_ip, "dc1.corp.local");
	got_free(g);
}

/* The 4.x repr-wrapped log.err string, and the client IP warnings. */
static void test_quoted_err_and_client_ip(void **state)
{
	(void)state;
	struct got *g = run(
		"2020-07-15T10:12:13-0400 [DuoForwardServer (UDP)] Received new request id 9 from ('10.1.1.1', 44703)\n"
		"2020-07-15T10:12:13-0400 [DuoForwardServer (UDP)] (('10.1.1.1', 44703), al, 9): login attempt for username 'al'\n"
		"2020-07-15T10:12:13-0400 [RadiusClient (UDP)] Invalid single ip: 199.71.186.246:1194.\n"
		"2020-07-15T10:12:13-0400 [RadiusClient (UDP)] User IP not provided. Authorized Networks policies will not work for this authentication.\n"
		"2020-07-15T10:12:14-0400 [HTTPPageGetter (TLSMemoryBIOProtocol),client] 'Certificate verification failed: errno 19 depth=1 subject [CN=Corp Inspection CA]'\n",
		NULL);
	const struct ev *c = first_kind(g, "proxy.client_ip_invalid");
	assert_string_equal(c->calling_station, "199.71.186.246:1194");
	assert_int_equal(c->radius_id, 9);
	assert_int_equal(count_kind(g, "proxy.client_ip_invalid"), 2);
	const struct ev *tls = first_kind(g, "proxy.tls_failed");
	assert_non_null(tls);
	assert_int_equal(tls->radius_id, 9);
	got_free(g);
}

/* Sniffing: authproxy.log by content, the connectivity tool apart. */
static void test_sniff(void **state)
{
	(void)state;
	const char *ap = seed_accept;
	assert_int_equal(fmt_authproxy.sniff((const uint8_t *)ap, strlen(ap)), 90);
	const char *ct =
		"[info]  Testing section 'radius_client' with configuration:\n"
		"[info]  {'host': '10.1.1.1', 'secret': '*****'}\n"
		"[error] The Auth Proxy was not able to validate the provided API credentials. \n";
	assert_true(fmt_connectivity.sniff((const uint8_t *)ct, strlen(ct)) >
		    fmt_authproxy.sniff((const uint8_t *)ct, strlen(ct)));
	const char *other = "Mar  1 10:00:00 router %SYS-5-CONFIG_I: Configured\n";
	assert_int_equal(fmt_authproxy.sniff((const uint8_t *)other, strlen(other)), 0);
	assert_int_equal(fmt_connectivity.sniff((const uint8_t *)other, strlen(other)), 0);
	struct got *g = run_fmt(&fmt_connectivity, ct, NULL);
	const struct ev *e = first_kind(g, "duo.credentials_invalid");
	assert_non_null(e);
	assert_int_equal(e->ts, EV_NO_TS);
	assert_int_equal(count_kind(g, "input.damaged"), 0);
	got_free(g);

	/* connectivity_tool.log: the authproxy grammar, the tool's verdicts */
	const char *ctl =
		"2023-03-02T10:15:01.000000-0500 " P "Running The Duo Authentication Proxy Connectivity Tool. This may take several minutes...\n"
		"2023-03-02T10:15:01.000000-0500 " P "Testing section 'ad_client' with configuration:\n"
		"\t{'host': 'dc1.corp.example', 'service_account_password': '*****'}\n"
		"2023-03-02T10:15:02.000000-0500 " P "The Auth Proxy was unable to bind as svc_duo. Please ensure that the provided service account credentials are correct.\n"
		"2023-03-02T10:15:03.000000-0500 " P "The Auth Proxy was not able to ping Duo at api-x.duosecurity.com. Please check that the api host is correct and that outgoing HTTPS connections are not blocked, possibly by a firewall.\n"
		"2023-03-02T10:15:03.000000-0500 " P "The Auth Proxy was not able to establish a connection to 10.9.9.9:1812.\n";
	assert_int_equal(fmt_connectivity.sniff((const uint8_t *)ctl, strlen(ctl)), 95);
	assert_true(fmt_connectivity.sniff((const uint8_t *)ctl, strlen(ctl)) >
		    fmt_authproxy.sniff((const uint8_t *)ctl, strlen(ctl)));
	g = run_fmt(&fmt_connectivity, ctl, NULL);
	assert_non_null(first_kind(g, "proxy.ad_bind_failed"));
	assert_string_equal(first_kind(g, "duo.api_error")->result, "unreachable");
	assert_string_equal(first_kind(g, "proxy.primary_unreachable")->result, "connect");
	assert_int_equal(first_kind(g, "duo.api_error")->ts, civil_to_us(2023, 3, 2, 15, 15, 3, 0));
	assert_nowhere(g, "*****");
	assert_int_equal(count_kind(g, "input.damaged"), 0);
	got_free(g);
}

#define AE(ts, msg, user, stage, status) \
	"{\"timestamp\": \"" ts "\", \"msg\": \"" msg "\", \"username\": \"" user "\", " \
	"\"auth_stage\": \"" stage " authentication\", \"status\": \"" status "\", " \
	"\"client_ip\": \"198.51.100.7\", \"server_section\": \"radius_server_auto\", " \
	"\"factor\": null, \"log_level\": {\"name\": \"info\", \"x\": [1, {\"y\": \"}\"}]}, " \
	"\"log_time\": 1644342899.35}\n"

/* authevents.log alone: each login's primary and secondary steps join,
 * a second attempt is a new login, reasons and outcomes come through. */
static void test_authevents_alone(void **state)
{
	(void)state;
	struct sess_table *t;
	struct got *g = run_fmt(&fmt_authevents,
		AE("2022-02-08T17:54:00.000000Z", "Primary credentials rejected - No reply message in packet", "sadks", "Primary", "Reject")
		"{not json\n"
		AE("2022-02-08T17:54:20.000000Z", "Primary authentication successful - ", "sadks", "Primary", "Allow")
		AE("2022-02-08T17:55:10.000000Z", "Login timed out.", "sadks", "Secondary", "Reject")
		AE("2022-02-08T17:56:00.000000Z", "User is not enrolled. Enrollment link sent.", "b\\u00f6b \\\"q\\\"", "Secondary", "Reject"),
		&t);
	assert_int_equal(count_kind(g, "input.damaged"), 1);
	assert_int_equal(first_kind(g, "input.damaged")->pos, 2);
	const struct ev *r = first_kind(g, "proxy.primary_reject");
	assert_string_equal(r->text, "No reply message in packet");
	assert_string_equal(r->client_ip, "198.51.100.7");
	assert_int_equal(r->ts, civil_to_us(2022, 2, 8, 17, 54, 0, 0));
	const struct ev *d = first_kind(g, "duo.result");
	assert_string_equal(d->result, "deny");
	assert_string_equal(d->text, "Login timed out.");
	const struct ev *en = first_kind(g, "duo.preauth");
	assert_string_equal(en->result, "enroll");
	assert_string_equal(en->user, "b\xc3\xb6" "b \"q\"");
	assert_int_equal(sess_count(t), 3);
	assert_int_equal(sess_get(t, 1)->outcome, OUT_REJECT);
	assert_int_equal(sess_get(t, 2)->outcome, OUT_REJECT);
	assert_string_equal(sess_get(t, 2)->duo_result, "deny");
	assert_int_equal(d->session, 2);
	assert_int_equal(en->session, 3);
	sess_free(t);
	got_free(g);
}

/* authevents.log beside authproxy.log: its steps join the proxy's login
 * and add the VPN client's address. */
static void test_authevents_join_proxy_login(void **state)
{
	(void)state;
	struct sess_table *t = NULL;
	struct got *g1 = run_fmt2(&fmt_authproxy, seed_accept, &t, 0);
	struct got *g2 = run_fmt2(&fmt_authevents,
		AE("2022-02-08T17:54:50.174606Z", "Primary authentication successful - ", "sadks", "Primary", "Allow")
		AE("2022-02-08T17:54:59.357413Z", "Success. Logging you in...", "sadks", "Secondary", "Allow"),
		&t, 1);
	assert_int_equal(sess_count(t), 1);
	struct session *s = sess_get(t, 1);
	assert_string_equal(s->client_ip, "198.51.100.7");
	assert_int_equal(s->outcome, OUT_ACCEPT);
	assert_true(s->src_mask & (1u << SRC_AUTHEVENTS_LOG));
	assert_true(s->src_mask & (1u << SRC_AUTHPROXY_LOG));
	sess_free(t);
	got_free(g1);
	got_free(g2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_accept),
		cmocka_unit_test(test_seed_reject_mid_login),
		cmocka_unit_test(test_prefix_odd_usernames),
		cmocka_unit_test(test_packet_dumps_and_bodies_never_leak),
		cmocka_unit_test(test_traceback_last_line),
		cmocka_unit_test(test_late_failure_ties_to_its_call),
		cmocka_unit_test(test_eras_crlf_and_damage),
		cmocka_unit_test(test_duplicate_push_counts_pending),
		cmocka_unit_test(test_eap_rounds_one_session),
		cmocka_unit_test(test_duplicates_and_timeout_outcome),
		cmocka_unit_test(test_dropping_legs),
		cmocka_unit_test(test_ad_client_families),
		cmocka_unit_test(test_quoted_err_and_client_ip),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_authevents_alone),
		cmocka_unit_test(test_authevents_join_proxy_login),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
