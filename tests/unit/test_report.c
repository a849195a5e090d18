/* report: the ladder model, every renderer, redaction, escaping
 *
 * With AUTHSCOPE_SAMPLES=DIR set, every format of the fixture (plain and
 * redacted) is also written to DIR for the structural checks of
 * tests/sh/report_formats.sh and the headless-browser test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/ladder.h"
#include "report/redact.h"
#include "report/report.h"
#include "report_fixture.h"

static struct fixture fx;

static int setup(void **st)
{
	(void)st;
	fixture_build(&fx);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	fixture_free(&fx);
	return 0;
}

static char *render(const char *fmt, struct redactor *rd, const char *user)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct report_ctx c = {
		.out = m, .sessions = fx.t, .findings = fx.fs, .user = user,
		.since = EV_NO_TS, .until = EV_NO_TS, .redact = rd, .fail_on = SEV_ERROR,
		.command = "analyze",
	};
	int rc = !strcmp(fmt, "timeline") ? report_timeline(&c) : report_render(&c, fmt);
	fclose(m);
	assert_int_equal(rc, 0);
	return buf;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_ladder_reject(void **st)
{
	(void)st;
	assert_int_equal(sess_count(fx.t), 3);
	const struct session *s = sess_get(fx.t, 1);
	assert_string_equal(s->user, "alice");
	struct ladder l;
	ladder_build(&l, s, fx.fs);
	assert_int_equal(l.n, 4);
	/* headend -> proxy -> primary -> proxy -> headend */
	assert_int_equal(l.rows[0].from, 1);
	assert_int_equal(l.rows[0].to, 2);
	assert_int_equal(l.rows[1].from, 2);
	assert_int_equal(l.rows[1].to, 3);
	assert_int_equal(l.rows[2].from, 3);
	assert_int_equal(l.rows[2].to, 2);
	/* latencies: the primary answered 331 ms after the proxy asked */
	assert_int_equal(l.rows[0].latency_us, -1);
	assert_int_equal(l.rows[2].latency_us, 331000);
	assert_int_equal(l.rows[3].latency_us, 335000);
	assert_int_equal(l.rows[3].rel_us, 335000);
	/* the failing leg is the row the finding cites last: the reject */
	assert_int_equal(l.fail_row, 2);
	assert_true(l.rows[2].failed);
	assert_false(l.rows[3].failed);
	assert_non_null(l.why);
	assert_string_equal(l.why->rule, "primary-reject");
	ladder_free(&l);
}

static void test_ladder_push_and_accept(void **st)
{
	(void)st;
	struct ladder l;
	ladder_build(&l, sess_get(fx.t, 2), fx.fs);
	assert_int_equal(l.n, 6);
	assert_int_equal(l.fail_row, 4);           /* duo.result cited */
	assert_int_equal(l.rows[4].from, 4);
	assert_int_equal(l.rows[4].latency_us, 60000000);
	ladder_free(&l);
	ladder_build(&l, sess_get(fx.t, 3), fx.fs);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.fail_row, -1);
	assert_null(l.why);
	assert_int_equal(l.rows[1].latency_us, 20000);
	ladder_free(&l);
	/* no findings known: a reject still marks where it broke */
	ladder_build(&l, sess_get(fx.t, 1), NULL);
	assert_true(l.fail_row >= 0);
	ladder_free(&l);
}

/* a hand-made session: request, two retransmits, a late answer */
static void test_ladder_retransmit_latency(void **st)
{
	(void)st;
	struct stage sv[4] = {
		{FX_T0, fx.log, 1, EVK_RADIUS_REQUEST, SRC_AUTHPROXY_LOG, ROLE_HEADEND, ROLE_PROXY, NULL},
		{FX_T0 + 10000000, fx.log, 2, EVK_RADIUS_RETRANSMIT, SRC_AUTHPROXY_LOG, ROLE_HEADEND,
		 ROLE_PROXY, NULL},
		{FX_T0 + 20000000, fx.log, 3, EVK_RADIUS_RETRANSMIT, SRC_AUTHPROXY_LOG, ROLE_HEADEND,
		 ROLE_PROXY, NULL},
		{EV_NO_TS, fx.log, 4, EVK_PROXY_NOTE, SRC_AUTHPROXY_LOG, ROLE_NONE, ROLE_NONE, NULL},
	};
	struct session s = {.id = 99, .outcome = OUT_TIMEOUT, .stages = sv, .nstage = 4};
	struct ladder l;
	ladder_build(&l, &s, fx.fs);
	assert_int_equal(l.rows[2].rel_us, 20000000);
	assert_int_equal(l.rows[3].rel_us, -1);        /* no stamp, no time */
	assert_int_equal(l.rows[3].col, 2);            /* a proxy note sits at the proxy */
	assert_int_equal(l.fail_row, 3);               /* timeout, no finding: the last row */
	ladder_free(&l);
	struct stage answer = {FX_T0 + 25000000, fx.log, 5, EVK_RADIUS_RESPONSE, SRC_AUTHPROXY_LOG,
			       ROLE_PROXY, ROLE_HEADEND, NULL};
	struct stage sv2[5] = {sv[0], sv[1], sv[2], sv[3], answer};
	s.stages = sv2;
	s.nstage = 5;
	s.outcome = OUT_ACCEPT;
	ladder_build(&l, &s, fx.fs);
	assert_int_equal(l.rows[4].latency_us, 25000000);   /* from the first request */
	assert_int_equal(l.fail_row, -1);
	ladder_free(&l);
}

static void test_timeline_text(void **st)
{
	(void)st;
	char *t = render("timeline", NULL, NULL);
	assert_non_null(strstr(t, "client      headend      proxy      primary       duo\n"));
	assert_int_equal(count(t, "<== FAILED"), 2);
	/* the failing arrow goes primary -> proxy and is marked */
	const char *f = strstr(t, "proxy.primary_response  code 3");
	assert_non_null(f);
	const char *eol = strchr(f, '\n');
	assert_non_null(strstr(f, "(331.0 ms)"));
	assert_true(strstr(f, "<== FAILED") < eol);
	assert_non_null(strstr(t, "=> error primary-reject"));
	/* grouped per user, users in order of their first login */
	const char *ha = strstr(t, "== alice: 1 login\n"), *hb = strstr(t, "== bob: 1 login\n");
	assert_non_null(ha);
	assert_non_null(hb);
	assert_true(ha < hb && hb < strstr(t, "s2  bob"));
	/* hostile user name escaped for the terminal, not raw */
	assert_null(strstr(t, "\x1b"));
	free(t);
	t = render("timeline", NULL, "BOB");
	assert_non_null(strstr(t, "s2  bob"));
	assert_null(strstr(t, "alice"));
	assert_null(strstr(t, "\n== "));    /* one user: no heading */
	free(t);
}

static void test_html(void **st)
{
	(void)st;
	char *h = render("html", NULL, NULL);
	assert_int_equal(count(h, "<svg class=\"ladder\""), 3);
	assert_int_equal(count(h, "<line class=\"arrow\""), 12);
	assert_int_equal(count(h, "<g class=\"row fail\">"), 2);
	assert_null(strstr(h, "<script>alert"));
	assert_non_null(strstr(h, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
	/* self-contained: nothing to fetch */
	assert_null(strstr(h, "src="));
	assert_null(strstr(h, "href=\"http"));
	assert_null(strstr(h, "<link"));
	assert_int_equal(count(h, "<script>"), 1);
	assert_non_null(strstr(h, "id=\"q\""));
	/* a session lists its findings, linked to them */
	assert_non_null(strstr(h, "<details class=\"item finding\" id=\"f1\""));
	assert_int_equal(count(h, "<a href=\"#f1\">primary-reject</a>"), 1);
	assert_int_equal(count(h, "<a href=\"#f2\">duo-push-timeout</a>"), 1);
	free(h);
}

static void test_sarif_and_junit_shape(void **st)
{
	(void)st;
	char *s = render("sarif", NULL, NULL);
	assert_non_null(strstr(s, "\"version\": \"2.1.0\""));
	assert_int_equal(count(s, "\"ruleId\""), 3);
	assert_non_null(strstr(s, "\"uri\": \"logs/authproxy.log\"}, \"region\": {\"startLine\": 7}"));
	assert_non_null(strstr(s, "\"name\": \"frame 3\""));
	assert_non_null(strstr(s, "\"shortDescription\": {\"text\": \"The primary server rejected"));
	free(s);
	char *j = render("junit", NULL, NULL);
	/* two inputs + three findings; the two errors fail, the warning passes */
	assert_int_equal(count(j, "<testcase "), 5);
	assert_int_equal(count(j, "<failure "), 2);
	free(j);
}

static void test_ndjson(void **st)
{
	(void)st;
	char *n = render("ndjson", NULL, NULL);
	assert_int_equal(count(n, "\n"), 6);      /* 3 sessions + 3 findings */
	assert_int_equal(count(n, "\"event.action\":\"session\""), 3);
	assert_int_equal(count(n, "\"event.kind\":\"alert\""), 3);
	assert_non_null(strstr(n, "\"rule.id\":\"primary-reject\""));
	assert_non_null(strstr(n, "\"log.file.path\":\"logs/authproxy.log\",\"log.file.line\":5"));
	free(n);
}

static const char *const identities[] = {
	"alice", "bob", "10.106.54.143", "10.197.243.116", "10.1.1.1", "<script>alert", "script&gt;alert",
	NULL,
};

static void test_redaction_every_format(void **st)
{
	(void)st;
	const char *fmts[] = {"text", "json", "ndjson", "html", "junit", "sarif", "timeline"};
	uint8_t key[] = "fixed test key";
	struct redactor *rd = redact_new_key(key, sizeof key);
	const char *p1 = redact_str(rd, RC_USER, "alice");
	for (size_t i = 0; i < sizeof fmts / sizeof *fmts; i++) {
		char *out = render(fmts[i], rd, NULL);
		for (int j = 0; identities[j]; j++)
			if (strstr(out, identities[j]))
				fail_msg("%s output leaks '%s'", fmts[i], identities[j]);
		/* the same user keeps one pseudonym, in fields and evidence */
		assert_non_null(strstr(out, p1));
		free(out);
	}
	/* stable within a run, different with another key */
	assert_ptr_equal(p1, redact_str(rd, RC_USER, "CORP\\Alice"));
	struct redactor *other = redact_new();
	assert_non_null(other);
	assert_string_not_equal(p1, redact_str(other, RC_USER, "alice"));
	redact_free(other);
	redact_free(rd);
}

static void test_redact_text(void **st)
{
	(void)st;
	uint8_t key[] = "k";
	struct redactor *rd = redact_new_key(key, 1);
	redact_learn(rd, RC_USER, "jdoe");
	redact_learn(rd, RC_STATION, "00-11-22-33-44-55");
	redact_learn(rd, RC_SECRET, "s3cr3t!");
	redact_learn(rd, RC_USER, "John Smith");
	const char *t = redact_text(rd, "user jdoe@corp.example.com from 192.0.2.7:51000 via "
				    "[2001:db8::1] station 00-11-22-33-44-55 secret s3cr3t! "
				    "name John Smith host vpn.example.com, v5.7.4 id 26. "
				    "Access-Accept from 198.51.100.9:1812: ok, to (203.0.113.4:1812,1813)");
	assert_null(strstr(t, "jdoe"));
	assert_null(strstr(t, "192.0.2.7"));
	assert_null(strstr(t, "2001:db8"));
	assert_null(strstr(t, "00-11-22"));
	assert_null(strstr(t, "s3cr3t"));
	assert_null(strstr(t, "John Smith"));
	assert_null(strstr(t, "vpn.example.com"));
	assert_non_null(strstr(t, ":51000"));          /* the port stays */
	/* host:port with punctuation after it (IOS and the proxy's details) */
	assert_null(strstr(t, "198.51.100.9"));
	assert_null(strstr(t, "203.0.113.4"));
	assert_non_null(strstr(t, ":1812: ok"));
	assert_non_null(strstr(t, "<secret>"));
	assert_non_null(strstr(t, "v5.7.4 id 26."));   /* not an address */
	/* the IP in text and as a field get the same pseudonym */
	char copy[512];
	snprintf(copy, sizeof copy, "%s", t);
	assert_non_null(strstr(copy, redact_str(rd, RC_IP, "192.0.2.7")));
	assert_non_null(strstr(copy, redact_str(rd, RC_IP, "2001:0db8:0::1")));
	const char *plain = "x 10.0.0.1";
	assert_ptr_equal(redact_text(NULL, plain), plain);
	redact_free(rd);
}

static void write_samples(void **st)
{
	(void)st;
	const char *dir = getenv("AUTHSCOPE_SAMPLES");
	if (!dir)
		skip();
	const char *fmts[] = {"text", "json", "ndjson", "html", "junit", "sarif", "timeline"};
	struct redactor *rd = redact_new();
	for (int red = 0; red < 2; red++)
		for (size_t i = 0; i < sizeof fmts / sizeof *fmts; i++) {
			char path[4096];
			snprintf(path, sizeof path, "%s/sample%s.%s", dir, red ? ".redacted" : "", fmts[i]);
			char *out = render(fmts[i], red ? rd : NULL, NULL);
			FILE *f = fopen(path, "w");
			assert_non_null(f);
			fputs(out, f);
			fclose(f);
			free(out);
		}
	redact_free(rd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ladder_reject),
		cmocka_unit_test(test_ladder_push_and_accept),
		cmocka_unit_test(test_ladder_retransmit_latency),
		cmocka_unit_test(test_timeline_text),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_sarif_and_junit_shape),
		cmocka_unit_test(test_ndjson),
		cmocka_unit_test(test_redaction_every_format),
		cmocka_unit_test(test_redact_text),
		cmocka_unit_test(write_samples),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	input_reset_all();
	rulemeta_reset();
	str_shutdown();
	return rc;
}
