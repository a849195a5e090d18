/* core/confcheck + core/iprange: the config comparison, driven through
 * both config parsers; cli/config_secrets: config secrets for captures */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "unit/cfg_fixture.h"
#include "cli/config_secrets.h"
#include "core/iprange.h"
#include "parsers/config_ios.h"
#include "parsers/config_proxy.h"

/* ---- iprange ---- */

static int in(const char *range, const char *ip)
{
	return ip_in_range_text(range, ip);
}

static void test_iprange(void **st)
{
	(void)st;
	assert_true(in("10.106.54.143", "10.106.54.143"));
	assert_false(in("10.106.54.143", "10.106.54.144"));
	assert_true(in("10.106.54.0/24", "10.106.54.255"));
	assert_false(in("10.106.54.0/24", "10.106.55.0"));
	assert_true(in("10.106.54.77/24", "10.106.54.1"));     /* host bits allowed */
	assert_true(in("10.0.0.0/255.0.0.0", "10.200.1.1"));
	assert_false(in("10.0.0.0/255.0.0.0", "11.0.0.1"));
	assert_true(in("10.0.0.5-10.0.0.9", "10.0.0.5"));
	assert_true(in("10.0.0.5 - 10.0.0.9", "10.0.0.9"));
	assert_false(in("10.0.0.5-10.0.0.9", "10.0.0.10"));
	assert_true(in("0.0.0.0/0", "192.0.2.1"));
	assert_true(in("2001:db8::/32", "2001:db8:1::1"));
	assert_false(in("2001:db8::/32", "10.0.0.1"));         /* families never mix */
	assert_false(in("10.0.0.0/8", "::ffff:10.0.0.1"));
	assert_true(in(" 10.1.1.1 ", "10.1.1.1"));
	struct ip_range r;
	const char *why = NULL;
	assert_int_equal(ip_range_parse("10.0.0.0/33", &r, &why), -1);
	assert_non_null(why);
	assert_int_equal(ip_range_parse("10.0.0.0/255.0.255.0", &r, &why), -1);
	assert_int_equal(ip_range_parse("10.0.0.9-10.0.0.1", &r, &why), -1);
	assert_int_equal(ip_range_parse("10.0.0.1-2001:db8::1", &r, &why), -1);
	assert_int_equal(ip_range_parse("host.example.com", &r, &why), -1);
	assert_int_equal(ip_range_parse("", &r, &why), -1);
	assert_int_equal(ip_range_parse("10.0.0.0/", &r, &why), -1);
	assert_int_equal(ip_mask_len("255.255.255.0", 13), 24);
	assert_int_equal(ip_mask_len("255.255.255.255", 15), 32);
	assert_int_equal(ip_mask_len("0.0.0.0", 7), 0);
	assert_int_equal(ip_mask_len("255.0.255.0", 11), -1);
}

/* ---- the comparison ---- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	return xstrdup(buf);
}

/* text with every occurrence of from replaced by to */
static char *subst(const char *text, const char *from, const char *to)
{
	const char *p = strstr(text, from);
	assert_non_null(p);
	size_t n = strlen(text) + strlen(to) + 1;
	char *o = xmalloc(n);
	size_t a = (size_t)(p - text);
	memcpy(o, text, a);
	strcpy(o + a, to);
	strcat(o, p + strlen(from));
	return o;
}

/* Run router then proxy (or the other order) through the comparison. */
static struct got *compare(const char *router, const char *proxy, int proxy_first)
{
	struct got *g = xcalloc(1, sizeof *g);
	struct harness h = {{h_emit}, g, NULL};
	h.cc = confcheck_new(&h.base);
	if (proxy && proxy_first)
		feed(&h, &fmt_authproxy_cfg, "authproxy.cfg", proxy);
	if (router)
		feed(&h, &fmt_ios_config, "router.cfg", router);
	if (proxy && !proxy_first)
		feed(&h, &fmt_authproxy_cfg, "authproxy.cfg", proxy);
	confcheck_finish(h.cc);
	confcheck_free(h.cc);
	return g;
}

static int checks(const struct got *g, const char *result)
{
	return count(g, "config.check", result, NULL);
}

/* the inputs (by path) a check's events cite */
static int cites(const struct got *g, const char *result, const char *path, uint64_t pos)
{
	for (int i = 0; i < g->n; i++) {
		const struct ev *e = &g->e[i];
		if (!is(e, "config.check", result, NULL) || e->pos != pos)
			continue;
		struct input *x = input_get(e->input);
		if (x && !strcmp(x->path, path))
			return 1;
	}
	return 0;
}

static char *R, *P;

static int setup(void **st)
{
	(void)st;
	R = slurp("testdata/traces/config-seed/input/router.cfg");
	P = slurp("testdata/traces/config-seed/input/authproxy.cfg");
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	free(R);
	free(P);
	return 0;
}

static int non_ok(const struct got *g)
{
	int n = 0;
	for (int i = 0; i < g->n; i++)
		if (is(&g->e[i], "config.check", NULL, NULL) && strcmp(g->e[i].result, "ok"))
			n++;
	return n;
}

static void test_seed_is_clean(void **st)
{
	(void)st;
	for (int order = 0; order < 2; order++) {
		struct got *g = compare(R, P, order);
		assert_int_equal(non_ok(g), 0);
		/* four checks ran and passed: timeout, port, client, secret */
		int kinds[4] = {0};
		for (int i = 0; i < g->n; i++) {
			const struct ev *e = &g->e[i];
			if (!is(e, "config.check", "ok", NULL))
				continue;
			kinds[0] |= has(e->text, "timeout:");
			kinds[1] |= has(e->text, "port:");
			kinds[2] |= has(e->text, "client:");
			kinds[3] |= has(e->text, "secret:");
		}
		assert_int_equal(kinds[0] + kinds[1] + kinds[2] + kinds[3], 4);
		assert_true(secret_absent(g, "cisco\n"));
		got_free(g);
	}
}

static void test_timeout(void **st)
{
	(void)st;
	char *r = subst(R, " timeout 120", " timeout 5");
	struct got *g = compare(r, P, 0);
	assert_true(checks(g, "timeout-short") >= 1);
	const struct ev *e = find(g, "config.check", "timeout-short", NULL);
	assert_true(has(e->text, "5 s per try x (3 retransmits + 1) = 20 s"));
	assert_true(has(e->text, "IOS default 3"));
	assert_true(has(e->detail, "router.cfg:99: timeout 5"));
	assert_int_equal(e->num, 20 * 1000000LL);
	assert_true(cites(g, "timeout-short", "router.cfg", 99));    /* timeout line */
	assert_true(cites(g, "timeout-short", "router.cfg", 97));    /* the block: default retransmit */
	/* every event of one check has the same text (rules merge on it) */
	for (int i = 0; i < g->n; i++)
		if (is(&g->e[i], "config.check", "timeout-short", NULL))
			assert_string_equal(g->e[i].text, e->text);
	assert_int_equal(non_ok(g), checks(g, "timeout-short"));
	got_free(g);
	free(r);

	/* the boundary: 15 s x 4 = 60 s is enough, 14 s x 4 is not */
	r = subst(R, " timeout 120", " timeout 15");
	g = compare(r, NULL, 0);
	assert_int_equal(checks(g, "timeout-short"), 0);
	assert_true(checks(g, "ok") >= 1);       /* the router alone is checked */
	got_free(g);
	free(r);
	r = subst(R, " timeout 120", " timeout 14");
	g = compare(r, NULL, 0);
	assert_true(checks(g, "timeout-short") >= 1);
	got_free(g);
	free(r);
	/* retransmit counts: 40 s x (0 + 1) is short */
	r = subst(R, " timeout 120", " timeout 40\n retransmit 0");
	g = compare(r, NULL, 0);
	assert_true(checks(g, "timeout-short") >= 1);
	assert_true(cites(g, "timeout-short", "router.cfg", 100));   /* the retransmit line */
	got_free(g);
	free(r);
}

static void test_secret(void **st)
{
	(void)st;
	/* type 7 "wrongkey" on the router */
	char *r = subst(R, " key cisco", " key 7 095B5C0617021C1712");
	struct got *g = compare(r, P, 0);
	assert_true(checks(g, "secret-differs") >= 1);
	const struct ev *e = find(g, "config.check", "secret-differs", NULL);
	assert_true(has(e->text, "type 7"));
	assert_true(has(e->text, "radius_secret_1"));
	assert_true(cites(g, "secret-differs", "router.cfg", 100));
	assert_true(cites(g, "secret-differs", "authproxy.cfg", 13));
	assert_int_equal(non_ok(g), checks(g, "secret-differs"));
	assert_true(secret_absent(g, "wrongkey"));
	assert_true(secret_absent(g, "095B5C0617021C1712"));
	got_free(g);
	free(r);

	/* type 7 of the same secret: equal */
	r = subst(R, " key cisco", " key 7 070C285F4D06");
	g = compare(r, P, 1);
	assert_int_equal(non_ok(g), 0);
	got_free(g);
	free(r);

	/* type 6: cannot be compared, never guessed */
	r = subst(R, " key cisco", " key 6 FPHDTcSeROYa[JfVTNBbCQ]LcRdaAAB");
	g = compare(r, P, 0);
	assert_true(checks(g, "secret-uncomparable") >= 1);
	assert_int_equal(checks(g, "secret-differs"), 0);
	e = find(g, "config.check", "secret-uncomparable", NULL);
	assert_true(has(e->text, "type 6"));
	got_free(g);
	free(r);

	/* a protected Duo secret: cannot be compared either */
	char *p = subst(P, "radius_secret_1=cisco", "radius_secret_protected_1=AQAAANCMnd8BFdERjHo");
	g = compare(R, p, 0);
	assert_true(checks(g, "secret-uncomparable") >= 1);
	assert_int_equal(checks(g, "secret-differs"), 0);
	e = find(g, "config.check", "secret-uncomparable", NULL);
	assert_true(has(e->text, "radius_secret_protected_1"));
	assert_true(cites(g, "secret-uncomparable", "authproxy.cfg", 13));
	got_free(g);
	free(p);

	/* no key on the router */
	r = subst(R, " key cisco\n", "");
	g = compare(r, P, 0);
	e = find(g, "config.check", "secret-differs", NULL);
	assert_non_null(e);
	assert_true(has(e->text, "has no key"));
	got_free(g);
	free(r);
}

static void test_client(void **st)
{
	(void)st;
	char *p = subst(P, "radius_ip_1=10.106.54.143", "radius_ip_1=10.106.55.0/24");
	struct got *g = compare(R, p, 0);
	assert_true(checks(g, "client-missing") >= 1);
	const struct ev *e = find(g, "config.check", "client-missing", NULL);
	assert_string_equal(e->nas_ip, "10.106.54.143");
	assert_true(has(e->text, "radius_ip_1=10.106.55.0/24"));
	assert_true(has(e->detail, "add radius_ip_N=10.106.54.143"));
	assert_true(cites(g, "client-missing", "router.cfg", 80));      /* Gi1's ip address */
	assert_true(cites(g, "client-missing", "router.cfg", 90));      /* the route */
	assert_true(cites(g, "client-missing", "authproxy.cfg", 12));   /* radius_ip_1 */
	/* the secret is still compared (against every entry): equal */
	assert_int_equal(checks(g, "secret-differs"), 0);
	got_free(g);
	free(p);

	/* a CIDR that holds the router: fine */
	p = subst(P, "radius_ip_1=10.106.54.143", "radius_ip_1=10.106.54.0/24");
	g = compare(R, p, 0);
	assert_int_equal(non_ok(g), 0);
	got_free(g);
	free(p);

	/* pinned to the matching entry: entry 2 holds the router, its secret differs */
	p = subst(P, "radius_ip_1=10.106.54.143\nradius_secret_1=cisco",
		  "radius_ip_1=10.1.1.1\nradius_secret_1=cisco\n"
		  "radius_ip_2=10.106.54.128-10.106.54.200\nradius_secret_2=other");
	g = compare(R, p, 0);
	e = find(g, "config.check", "secret-differs", NULL);
	assert_non_null(e);
	assert_true(has(e->text, "radius_secret_2"));
	assert_false(has(e->text, "could not be pinned"));
	assert_true(cites(g, "secret-differs", "authproxy.cfg", 15));
	assert_false(cites(g, "secret-differs", "authproxy.cfg", 13));
	got_free(g);
	free(p);

	/* source unknown: said so; the secret compared against every entry */
	char *r = subst(R, "ip route 0.0.0.0 0.0.0.0 10.106.54.1\n", "");
	g = compare(r, P, 0);
	e = find(g, "config.check", "client-unknown", NULL);
	assert_non_null(e);
	assert_true(has(e->text, "unknown"));
	assert_true(has(e->detail, "ip radius source-interface"));
	assert_int_equal(checks(g, "client-missing"), 0);
	e = find(g, "config.check", "ok", NULL);
	int pinned_note = 0;
	for (int i = 0; i < g->n; i++)
		pinned_note |= is(&g->e[i], "config.check", "ok", NULL) &&
			       has(g->e[i].text, "could not be pinned");
	assert_true(pinned_note);
	got_free(g);
	free(r);
}

static void test_port(void **st)
{
	(void)st;
	char *r = subst(R, " address ipv4 10.197.243.97 auth-port 1812 acct-port 1813",
			" address ipv4 10.197.243.97");
	struct got *g = compare(r, P, 0);
	const struct ev *e = find(g, "config.check", "port-differs", NULL);
	assert_non_null(e);
	assert_int_equal(e->server_port, 1645);
	assert_true(has(e->text, "auth-port 1645"));
	assert_true(has(e->text, "[radius_server_auto] port 1812"));
	assert_true(cites(g, "port-differs", "router.cfg", 98));
	assert_true(cites(g, "port-differs", "authproxy.cfg", 16));
	got_free(g);
	free(r);
}

static void test_only_eap_servers(void **st)
{
	(void)st;
	/* a second RADIUS server (ISE direct, for another list) is not compared */
	char *r = subst(R, "radius server rad_server\n",
			"radius server ise_direct\n address ipv4 10.197.243.116 auth-port 1812\n"
			" timeout 2\n key other\n!\nradius server rad_server\n");
	struct got *g = compare(r, P, 0);
	assert_int_equal(non_ok(g), 0);
	for (int i = 0; i < g->n; i++)
		if (is(&g->e[i], "config.check", NULL, NULL))
			assert_false(has(g->e[i].text, "ise_direct"));
	got_free(g);
	free(r);
}

/* ---- config secrets for the capture decoder ---- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_config_secrets_prepass(void **st)
{
	(void)st;
	char dir[] = "/tmp/authscope-cfgsec-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char a[256], b[256], c[256];
	snprintf(a, sizeof a, "%s/router.cfg", dir);
	snprintf(b, sizeof b, "%s/authproxy.cfg", dir);
	snprintf(c, sizeof c, "%s/notes.txt", dir);
	write_file(a, R);
	write_file(b, P);
	write_file(c, "nothing to see\n");

	struct opts o;
	memset(&o, 0, sizeof o);
	struct ingest_opts io = {.diag = stderr};
	struct ingest *g = ingest_new(&io);
	assert_int_equal(ingest_add(g, dir), 0);
	uint32_t before = input_count();
	struct secrets *s = NULL;
	assert_int_equal(config_secrets_prepass(g, &o, &s), 3);
	assert_non_null(s);
	/* the two configs became inputs; the text file did not (yet) */
	assert_int_equal(input_count(), before + 2);
	size_t n;
	const uint8_t *v = secrets_for(s, "10.197.243.97", &n);     /* router -> proxy */
	assert_non_null(v);
	assert_memory_equal(v, "cisco", 5);
	v = secrets_for(s, "10.197.243.116", &n);                   /* proxy -> ISE */
	assert_memory_equal(v, "cisco", 5);
	assert_int_equal(n, 5);
	ingest_free(g);
	secrets_free(s);

	/* the command line wins for the same server */
	g = ingest_new(&io);
	assert_int_equal(ingest_add(g, dir), 0);
	strv_push(&o.secrets, "10.197.243.97=fromcli");
	s = secrets_new();
	char err[64];
	assert_int_equal(secrets_add(s, "10.197.243.97=fromcli", err, sizeof err), 0);
	config_secrets_prepass(g, &o, &s);
	v = secrets_for(s, "10.197.243.97", &n);
	assert_int_equal(n, 7);
	assert_memory_equal(v, "fromcli", 7);
	v = secrets_for(s, "10.197.243.116", &n);
	assert_memory_equal(v, "cisco", 5);
	ingest_free(g);
	secrets_free(s);
	strv_free(&o.secrets);
	unlink(a);
	unlink(b);
	unlink(c);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iprange),
		cmocka_unit_test(test_seed_is_clean),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_secret),
		cmocka_unit_test(test_client),
		cmocka_unit_test(test_port),
		cmocka_unit_test(test_only_eap_servers),
		cmocka_unit_test(test_config_secrets_prepass),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
