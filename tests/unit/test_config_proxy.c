/* parsers/config_proxy: authproxy.cfg to typed config facts */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "unit/cfg_fixture.h"
#include "parsers/config_proxy.h"

/* The seed guide's authproxy.cfg. */
static const char seed_cfg[] =
	"[radius_client]\n"
	"host=10.197.243.116\n"
	"secret=cisco\n"
	"\n"
	"[radius_server_auto]\n"
	"ikey=xxxxxxxx\n"
	"skey=xxxxxxxv1zG\n"
	"api_host=xxxxxxxx\n"
	"radius_ip_1=10.106.54.143\n"
	"radius_secret_1=cisco\n"
	"failmode=safe\n"
	"client=radius_client\n"
	"port=1812\n";

static int sniff(const char *s)
{
	return fmt_authproxy_cfg.sniff((const uint8_t *)s, strlen(s));
}

static void test_sniff(void **st)
{
	(void)st;
	assert_true(sniff(seed_cfg) >= 90);
	assert_true(sniff("; comment\n[main]\ndebug=true\n") >= 90);
	assert_true(sniff("radius_ip_1=10.1.1.1\nradius_secret_1=x\nikey=DI\n") > 0);
	/* not a config: an authproxy.log line, IOS config, a CSV */
	assert_int_equal(sniff("2022-02-08T23:24:50.080854+0530 [duoauthproxy.lib.log#info] "
			       "Received new request id 163 from ('10.106.54.143', 1645)\n"), 0);
	assert_int_equal(sniff("version 17.10\nhostname R1\ninterface Gi1\n ip address 1.1.1.1 "
			       "255.255.255.0\n!\nend\n"), 0);
	assert_int_equal(sniff("a,b,c\n1,2,3\n"), 0);
	assert_int_equal(sniff(""), 0);
}

static void test_seed_facts(void **st)
{
	(void)st;
	struct got *g = run1(&fmt_authproxy_cfg, seed_cfg);
	const struct ev *e = find(g, "config.proxy_upstream", "host", "radius_client");
	assert_non_null(e);
	assert_string_equal(e->server_ip, "10.197.243.116");
	assert_int_equal(e->server_port, 1812);
	assert_int_equal(e->pos, 2);
	e = find(g, "config.proxy_upstream", "secret", "radius_client");
	assert_non_null(e);
	assert_true(e->flags & EVF_SECRET_FP);
	assert_int_equal(e->pos, 3);
	/* radius_client defaults noted on the section line */
	e = find(g, "config.proxy_upstream", "retries", "radius_client");
	assert_non_null(e);
	assert_int_equal(e->num, 3);
	assert_int_equal(e->pos, 1);
	assert_true(has(e->detail, "default"));
	e = find(g, "config.proxy_upstream", "retry_wait", "radius_client");
	assert_int_equal(e->num, 2);

	assert_non_null(find_at(g, "config.proxy_server", "section", 5));
	e = find(g, "config.proxy_client", "ip", "radius_server_auto");
	assert_non_null(e);
	assert_string_equal(e->nas_ip, "10.106.54.143");
	assert_int_equal(e->code, 1);
	assert_int_equal(e->pos, 9);
	e = find(g, "config.proxy_client", "secret", "radius_server_auto");
	assert_non_null(e);
	assert_int_equal(e->code, 1);
	assert_true(e->flags & EVF_SECRET_FP);
	e = find(g, "config.proxy_server", "port", "radius_server_auto");
	assert_int_equal(e->server_port, 1812);
	assert_int_equal(e->pos, 13);
	assert_string_equal(find(g, "config.fact", "failmode", NULL)->text, "safe");
	assert_string_equal(find(g, "config.fact", "client", NULL)->text, "radius_client");
	assert_string_equal(find(g, "config.fact", "api_host", NULL)->text, "xxxxxxxx");
	assert_string_equal(find(g, "config.fact", "skey", NULL)->text, "set");
	e = find(g, "config.loaded", "authproxy-cfg", NULL);
	assert_non_null(e);
	assert_true(e->num > 10);
	assert_int_equal(count(g, "proxy.config_error", NULL, NULL), 0);
	assert_int_equal(count(g, "input.damaged", NULL, NULL), 0);
	/* secrets: never in a field, never in raw; the line shows <hidden> */
	assert_true(secret_absent(g, "cisco"));
	assert_true(secret_absent(g, "xxxxxxxv1zG"));
	e = find(g, "config.proxy_client", "secret", NULL);
	assert_string_equal(e->raw, "radius_secret_1=<hidden>");
	got_free(g);
}

static void test_fingerprints_compare(void **st)
{
	(void)st;
	struct got *g = run1(&fmt_authproxy_cfg,
			     "[radius_server_auto]\n"
			     "radius_ip_1=10.0.0.1\nradius_secret_1=alpha\n"
			     "radius_ip_2=10.0.0.2\nradius_secret_2=alpha\n"
			     "radius_ip_3=10.0.0.3\nradius_secret_3=beta\n"
			     "client=ad_client\n[ad_client]\nhost=1.1.1.1\nsearch_dn=DC=x\n");
	const struct ev *a = NULL, *b = NULL, *c = NULL;
	for (int i = 0; i < g->n; i++) {
		if (!is(&g->e[i], "config.proxy_client", "secret", NULL))
			continue;
		if (g->e[i].code == 1)
			a = &g->e[i];
		if (g->e[i].code == 2)
			b = &g->e[i];
		if (g->e[i].code == 3)
			c = &g->e[i];
	}
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_memory_equal(a->req_auth, b->req_auth, 16);
	assert_memory_not_equal(a->req_auth, c->req_auth, 16);
	/* the fingerprint is not the secret */
	assert_null(memmem(a->req_auth, 16, "alpha", 5));
	got_free(g);
}

static void test_key_families(void **st)
{
	(void)st;
	struct got *g = run1(&fmt_authproxy_cfg,
			     "# hash comment\n"
			     "; semicolon comment\n"
			     "[main]\n"
			     "Debug = true\n"
			     "client: ad_client\n"
			     "\n"
			     "[ad_client]\n"
			     "host=10.0.0.5\n"
			     "host_2=10.0.0.6\n"
			     "port_2=3269\n"
			     "transport=ldaps\n"
			     "service_account_username=svc\n"
			     "service_account_password_protected=AQAAANCMnd8=\n"
			     "search_dn=DC=example,DC=com\n"
			     "timeout=20\n"
			     "\n"
			     "[radius_server_auto2]\n"
			     "ikey=DIXXXXXXXXXXXXXXXXXX\n"
			     "skey_protected=AQAAAsecretblob==\n"
			     "api_host=api-1234.duosecurity.com\n"
			     "api_timeout=30\n"
			     "radius_ip_1=10.1.0.0/16\n"
			     "radius_secret_protected_1=AQAAAprotected==\n"
			     "radius_ip_2=192.168.1.0/255.255.255.0\n"
			     "radius_secret_2=s2\n"
			     "radius_ip_3=172.16.0.10-172.16.0.20\n"
			     "radius_secret_3=s3\n"
			     "radius_ip_4=2001:db8::/32\n"
			     "radius_secret_4=s4\n"
			     "failmode=secure\n"
			     "interface=10.9.9.9\n"
			     "port=18120\n"
			     "\n"
			     "[radius_server_challenge]\n"
			     "radius_ip_1=10.2.2.2\n"
			     "radius_secret_1=s5\n"
			     "client=ad_client\n");
	/* [main] keys are case-insensitive, ':' works */
	assert_string_equal(find(g, "config.fact", "debug", NULL)->text, "true");
	/* ad_client hosts: ldaps -> 636 default, port_2 for host_2, timeout */
	const struct ev *e = find_at(g, "config.proxy_upstream", "host", 8);
	assert_non_null(e);
	assert_string_equal(e->server_ip, "10.0.0.5");
	assert_int_equal(e->server_port, 636);
	e = find_at(g, "config.proxy_upstream", "host", 9);
	assert_int_equal(e->code, 2);
	assert_int_equal(e->server_port, 3269);
	assert_int_equal(find(g, "config.proxy_upstream", "timeout", "ad_client")->num, 20);
	assert_string_equal(find(g, "config.fact", "service_account_password_protected", NULL)->text,
			    "set");
	/* numbered server section */
	assert_non_null(find(g, "config.proxy_server", "section", "radius_server_auto2"));
	e = find(g, "config.proxy_server", "port", "radius_server_auto2");
	assert_int_equal(e->server_port, 18120);
	e = find(g, "config.proxy_server", "interface", "radius_server_auto2");
	assert_string_equal(e->server_ip, "10.9.9.9");
	assert_int_equal(find(g, "config.fact", "api_timeout", NULL)->num, 30);
	assert_string_equal(find(g, "config.fact", "failmode", NULL)->text, "secure");
	/* every radius_ip form */
	const char *want[] = {"10.1.0.0/16", "192.168.1.0/255.255.255.0", "172.16.0.10-172.16.0.20",
			      "2001:db8::/32"};
	for (int n = 1; n <= 4; n++) {
		const struct ev *x = NULL;
		for (int i = 0; i < g->n; i++)
			if (is(&g->e[i], "config.proxy_client", "ip", "radius_server_auto2") &&
			    g->e[i].code == n)
				x = &g->e[i];
		assert_non_null(x);
		assert_string_equal(x->nas_ip, want[n - 1]);
	}
	/* protected: no fingerprint, says it cannot be compared */
	e = find(g, "config.proxy_client", "secret-protected", "radius_server_auto2");
	assert_non_null(e);
	assert_false(e->flags & EVF_SECRET_FP);
	assert_true(has(e->detail, "cannot be compared"));
	/* second server section, default port */
	e = find(g, "config.proxy_server", "port", "radius_server_challenge");
	assert_int_equal(e->server_port, 1812);
	assert_true(has(e->detail, "default"));
	assert_int_equal(count(g, "proxy.config_error", NULL, NULL), 0);
	assert_int_equal(count(g, "input.damaged", NULL, NULL), 0);
	assert_true(secret_absent(g, "AQAAAsecretblob"));
	assert_true(secret_absent(g, "AQAAAprotected"));
	assert_true(secret_absent(g, "AQAAANCMnd8"));
	assert_true(secret_absent(g, "DIXXXXXXXXXXXXXXXXXX"));
	got_free(g);
}

static int has_error(const struct got *g, const char *sub)
{
	for (int i = 0; i < g->n; i++)
		if (is(&g->e[i], "proxy.config_error", NULL, NULL) && has(g->e[i].text, sub))
			return 1;
	return 0;
}

static void test_config_errors(void **st)
{
	(void)st;
	struct got *g = run1(&fmt_authproxy_cfg,
			     "[radius_server_auto]\n"
			     "radius_ip_1=10.0.0.300\n"         /* 2: bad address */
			     "radius_secret_1=x\n"
			     "radius_ip_2=10.0.0.0/33\n"        /* 4: bad prefix */
			     "radius_ip_x=10.0.0.1\n"           /* 5: bad suffix */
			     "radius_ip_3=10.0.0.9-10.0.0.1\n"  /* 6: reversed range */
			     "radius_ip_4=10.0.0.4\n"           /* 7: no secret 4 */
			     "failmode=open\n"                  /* 8 */
			     "port=http\n"                      /* 9 */
			     "failmode=safe\n"                  /* 10: duplicate key */
			     "  radius_ip_5=10.0.0.5\n"         /* 11: continuation */
			     "[radius_server_auto]\n"           /* 12: duplicate section */
			     "[radius_server_bogus]\n"          /* 13: unknown module */
			     "garbage line\n");                 /* 14 */
	assert_true(has_error(g, "Invalid IP, network, or range for 'radius_ip_1': '10.0.0.300'"));
	assert_true(has_error(g, "'radius_ip_2'"));
	assert_true(has_error(g, "Expected integer as suffix for 'radius_ip_x'"));
	assert_true(has_error(g, "'radius_ip_3'"));
	assert_true(has_error(g, "radius_ip_4 but no radius_secret_4"));
	assert_true(has_error(g, "'failmode' must be one of"));
	assert_true(has_error(g, "'port' must be an integer"));
	assert_true(has_error(g, "duplicated keys"));
	assert_true(has_error(g, "continuation of 'failmode'"));
	assert_true(has_error(g, "duplicate sections"));
	assert_true(has_error(g, "Invalid module: 'radius_server_bogus'"));
	assert_true(has_error(g, "Neither module radius_server_auto or main has \"client\" value"));
	/* the radius_ip_N that failed are not facts */
	assert_int_equal(count(g, "config.proxy_client", "ip", NULL), 1);
	const struct ev *e = find(g, "input.damaged", NULL, NULL);
	assert_non_null(e);
	assert_int_equal(e->pos, 14);
	/* errors point at their lines */
	for (int i = 0; i < g->n; i++)
		if (is(&g->e[i], "proxy.config_error", NULL, NULL) &&
		    has(g->e[i].text, "Invalid IP, network, or range for 'radius_ip_1'"))
			assert_int_equal(g->e[i].pos, 2);
	got_free(g);

	g = run1(&fmt_authproxy_cfg, "debug=true\n[radius_server_auto]\nclient=nowhere\n"
				     "radius_ip_1=1.1.1.1\nradius_secret_1=\n");
	assert_int_equal(find(g, "input.damaged", NULL, NULL)->pos, 1);   /* before a section */
	assert_true(has_error(g, "client=nowhere names a section that is not in the file"));
	assert_true(has_error(g, "Invalid secret (None)"));
	got_free(g);
}

static void test_radius_client_hosts(void **st)
{
	(void)st;
	struct got *g = run1(&fmt_authproxy_cfg,
			     "[radius_client]\r\n"
			     "host_1=10.0.0.1\r\n"
			     "host_2=10.0.0.2\r\n"
			     "port=1645\r\n"
			     "port_2=1812\r\n"
			     "secret_protected=AQAAblob\r\n"
			     "retries=5\r\n"
			     "retry_wait=4\r\n"
			     "pass_through_attr_names = Class,\r\n"
			     "    Filter-Id\r\n");
	const struct ev *e = find_at(g, "config.proxy_upstream", "host", 2);
	assert_int_equal(e->code, 1);
	assert_int_equal(e->server_port, 1645);
	e = find_at(g, "config.proxy_upstream", "host", 3);
	assert_int_equal(e->code, 2);
	assert_int_equal(e->server_port, 1812);
	assert_int_equal(find(g, "config.proxy_upstream", "retries", NULL)->num, 5);
	assert_int_equal(find(g, "config.proxy_upstream", "retry_wait", NULL)->num, 4);
	e = find(g, "config.proxy_upstream", "secret-protected", NULL);
	assert_non_null(e);
	assert_false(e->flags & EVF_SECRET_FP);
	/* a continuation of a list value is not an error */
	assert_int_equal(count(g, "proxy.config_error", NULL, NULL), 0);
	assert_true(secret_absent(g, "AQAAblob"));
	got_free(g);
}

/* Published secrets (for the capture decoder) only while wanted. */
struct pub {
	char who[8][64];
	char val[8][64];
	int n;
};

static void take(void *ctx, const char *ip, const void *s, size_t n)
{
	struct pub *p = ctx;
	if (p->n >= 8)
		return;
	snprintf(p->who[p->n], 64, "%s", ip ? ip : "*");
	snprintf(p->val[p->n], 64, "%.*s", (int)n, (const char *)s);
	p->n++;
}

static void test_publish_secrets(void **st)
{
	(void)st;
	struct pub p = {0};
	struct got *g = run1(&fmt_authproxy_cfg, seed_cfg);
	got_free(g);
	assert_int_equal(p.n, 0);
	conf_secret_receiver(take, &p);
	g = run1(&fmt_authproxy_cfg, seed_cfg);
	conf_secret_receiver(NULL, NULL);
	got_free(g);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.who[0], "10.197.243.116");  /* the primary: radius_client */
	assert_string_equal(p.val[0], "cisco");
	assert_string_equal(p.who[1], "*");               /* NAS -> proxy, proxy address unknown */
	/* two different radius_secret_N: nothing for the NAS leg */
	memset(&p, 0, sizeof p);
	conf_secret_receiver(take, &p);
	g = run1(&fmt_authproxy_cfg, "[radius_server_auto]\nradius_ip_1=1.1.1.1\nradius_secret_1=a\n"
				     "radius_ip_2=1.1.1.2\nradius_secret_2=b\nclient=x\n[x]\n");
	conf_secret_receiver(NULL, NULL);
	got_free(g);
	assert_int_equal(p.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_seed_facts),
		cmocka_unit_test(test_fingerprints_compare),
		cmocka_unit_test(test_key_families),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_radius_client_hosts),
		cmocka_unit_test(test_publish_secrets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
