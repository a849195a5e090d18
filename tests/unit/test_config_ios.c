/* parsers/config_ios: IOS / IOS XE running-config to typed config facts */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "unit/cfg_fixture.h"
#include "parsers/config_ios.h"

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

static int sniff(const char *s)
{
	return fmt_ios_config.sniff((const uint8_t *)s, strlen(s));
}

static void test_type7(void **st)
{
	(void)st;
	char out[64];
	/* the well-known vectors: "cisco" under several seeds */
	assert_int_equal(ios_type7_decode("070C285F4D06", 12, out, sizeof out), 5);
	assert_string_equal(out, "cisco");
	assert_int_equal(ios_type7_decode("02050D480809", 12, out, sizeof out), 5);
	assert_string_equal(out, "cisco");
	assert_int_equal(ios_type7_decode("13061E010803", 12, out, sizeof out), 5);
	assert_string_equal(out, "cisco");
	assert_int_equal(ios_type7_decode("095B5C0617021C1712", 18, out, sizeof out), 8);
	assert_string_equal(out, "wrongkey");
	/* lower-case hex works too */
	assert_int_equal(ios_type7_decode("070c285f4d06", 12, out, sizeof out), 5);
	/* invalid: odd length, bad seed, non-hex, too short, no room */
	assert_int_equal(ios_type7_decode("070C285F4D0", 11, out, sizeof out), -1);
	assert_int_equal(ios_type7_decode("990C285F4D06", 12, out, sizeof out), -1);
	assert_int_equal(ios_type7_decode("07ZZ285F4D06", 12, out, sizeof out), -1);
	assert_int_equal(ios_type7_decode("07", 2, out, sizeof out), -1);
	assert_int_equal(ios_type7_decode("070C285F4D06", 12, out, 5), -1);
}

static void test_mask(void **st)
{
	(void)st;
	char out[256];
	const char *l = " key cisco";
	ios_mask_line(l, strlen(l), out, sizeof out);
	assert_string_equal(out, " key <hidden>");
	l = " key 7 070C285F4D06";
	ios_mask_line(l, strlen(l), out, sizeof out);
	assert_string_equal(out, " key 7 <hidden>");
	l = "radius-server host 10.1.1.1 auth-port 1812 key 0 my secret with spaces";
	ios_mask_line(l, strlen(l), out, sizeof out);
	assert_string_equal(out, "radius-server host 10.1.1.1 auth-port 1812 key 0 <hidden>");
	l = "username admin privilege 15 secret 9 $9$abc";
	ios_mask_line(l, strlen(l), out, sizeof out);
	assert_string_equal(out, "username admin privilege 15 secret 9 <hidden>");
	l = " pre-shared-key local Cisco123";
	ios_mask_line(l, strlen(l), out, sizeof out);
	assert_string_equal(out, " pre-shared-key local <hidden>");
	l = " timeout 120";
	ios_mask_line(l, strlen(l), out, sizeof out);
	assert_string_equal(out, " timeout 120");
	/* a key word at the end of a line has nothing to hide */
	l = "crypto pki trustpoint key";
	ios_mask_line(l, strlen(l), out, sizeof out);
	assert_string_equal(out, "crypto pki trustpoint key");
}

static void test_sniff(void **st)
{
	(void)st;
	char *cfg = slurp("testdata/traces/config-seed/input/router.cfg");
	assert_true(sniff(cfg) >= 90);
	free(cfg);
	/* a pasted fragment without the header still sniffs */
	assert_true(sniff("aaa new-model\n!\nradius server rad\n address ipv4 1.1.1.1\n key x\n!\n"
			  "aaa authentication login L group G\ninterface Gi1\n ip address 1.1.1.2 "
			  "255.255.255.0\n") > 0);
	/* the smallest useful paste: one radius server block */
	assert_true(sniff("radius server x\n address ipv4 127.0.0.1 auth-port 1812\n key k\n") > 0);
	assert_int_equal(sniff("radius server x\n"), 0);
	/* debug and show output are not a config */
	assert_int_equal(sniff("*Feb  8 17:54:50.123: IKEv2:(SESSION ID = 15,SA ID = 1):Received "
			       "Packet [From 10.197.243.98:54198/To 10.106.54.143:4500/VRF i0:f0]\n"
			       "*Feb  8 17:54:50.124: RADIUS(0000001A): Send Access-Request to "
			       "10.197.243.97:1812 id 1645/163, len 231\n"
			       "*Feb  8 17:54:50.125: RADIUS:  authenticator 1B A3 BD 59\n"), 0);
	assert_int_equal(sniff(" IPv4 Crypto IKEv2  SA\n\nTunnel-id Local                 Remote"
			       "                fvrf/ivrf            Status\n1         10.106.54.143/4500"
			       "    10.197.243.98/54198   none/none            READY\n"), 0);
	assert_int_equal(sniff("[radius_server_auto]\nradius_ip_1=1.1.1.1\n"), 0);
}

static void test_seed_config(void **st)
{
	(void)st;
	char *cfg = slurp("testdata/traces/config-seed/input/router.cfg");
	/* a key that occurs nowhere else, to prove it never leaves */
	char *k = strstr(cfg, " key cisco\n");
	assert_non_null(k);
	memcpy(k + 5, "Zq7rX", 5);
	struct got *g = run1(&fmt_ios_config, cfg);
	free(cfg);
	assert_string_equal(find(g, "config.fact", "hostname", NULL)->text, "R1");
	assert_string_equal(find(g, "config.fact", "version", NULL)->text, "17.10");
	/* the EAP path: profile -> login list -> group -> server */
	const struct ev *e = find(g, "config.router_radius", "server", "rad_server");
	assert_non_null(e);
	assert_int_equal(e->code, 1);
	assert_true(has(e->detail, "aaa authentication eap FlexVPN_auth"));
	assert_true(has(e->detail, "group FlexVPN_auth_server"));
	assert_true(has(e->detail, "server name rad_server"));
	e = find(g, "config.router_radius", "address", "rad_server");
	assert_string_equal(e->server_ip, "10.197.243.97");
	assert_int_equal(e->server_port, 1812);
	assert_int_equal(e->num, 1813);
	e = find(g, "config.router_radius", "timeout", "rad_server");
	assert_int_equal(e->num, 120);
	assert_string_equal(e->raw, " timeout 120");
	/* retransmit absent: the IOS default, noted, cited at the block */
	e = find(g, "config.router_radius", "retransmit", "rad_server");
	assert_int_equal(e->num, 3);
	assert_true(has(e->detail, "IOS default 3"));
	assert_string_equal(e->raw, "radius server rad_server");
	e = find(g, "config.router_radius", "key", "rad_server");
	assert_int_equal(e->code, 0);
	assert_true(e->flags & EVF_SECRET_FP);
	assert_string_equal(e->raw, " key <hidden>");
	/* no ip radius source-interface: derived from the static route */
	e = find(g, "config.router_radius", "source", "rad_server");
	assert_string_equal(e->nas_ip, "10.106.54.143");
	assert_true(has(e->detail, "static route"));
	assert_int_equal(count(g, "config.router_radius", "source", "rad_server"), 2);
	/* crypto objects */
	e = find(g, "config.router_ike", "ip-local-pool", "SSLVPN_POOL");
	assert_int_equal(e->num, 10);
	e = find(g, "config.router_ike", "ikev2-profile", "Flexvpn_ikev2_Profile");
	assert_true(has(e->detail, "authentication remote eap query-identity"));
	assert_true(has(e->detail, "virtual-template 20 mode auto"));
	assert_non_null(find(g, "config.router_ike", "ikev2-proposal", "FlexVPN_IKEv2_Proposal"));
	assert_non_null(find(g, "config.router_ike", "ikev2-policy", "FlexVPN_IKEv2_Policy"));
	assert_non_null(find(g, "config.router_ike", "ikev2-authorization-policy",
			     "ikev2-authz-policy"));
	assert_non_null(find(g, "config.router_ike", "ipsec-transform-set", "TS"));
	assert_non_null(find(g, "config.router_ike", "ipsec-profile", "Flexvpn_IPsec_Profile"));
	assert_non_null(find(g, "config.router_ike", "virtual-template", "Virtual-Template20"));
	assert_non_null(find(g, "config.router_aaa", "authentication-login", "FlexVPN_auth"));
	assert_non_null(find(g, "config.router_aaa", "authorization-network", "FlexVPN_authz"));
	assert_non_null(find(g, "config.router_aaa", "member", "FlexVPN_auth_server"));
	/* every reference resolves */
	assert_int_equal(count(g, "config.check", "ref-missing", NULL), 0);
	assert_int_equal(count(g, "input.damaged", NULL, NULL), 0);
	assert_non_null(find(g, "config.loaded", "ios-config", "R1"));
	assert_true(secret_absent(g, "Zq7rX"));
	got_free(g);
}

static const char *val_of(const struct got *g, const char *result, const char *server)
{
	const struct ev *e = find(g, "config.router_radius", result, server);
	return e ? e->detail : NULL;
}

static int64_t num_of(const struct got *g, const char *result, const char *server)
{
	const struct ev *e = find(g, "config.router_radius", result, server);
	return e ? e->num : -99;
}

static void test_defaults_and_legacy(void **st)
{
	(void)st;
	struct got *g = run1(&fmt_ios_config,
			     "version 16.12\n"
			     "radius-server timeout 10\n"
			     "radius-server key 7 070C285F4D06\n"
			     "radius-server host 10.0.0.1 auth-port 1812 acct-port 1813 timeout 30 "
			     "retransmit 1 key 6 AbCdEfGhIjKl\n"
			     "radius-server host 10.0.0.2\n"
			     "radius server bare\n"
			     " address ipv4 10.0.0.3\n"
			     "!\n"
			     "end\n");
	/* no IKEv2 profile names an EAP list: every server compared */
	assert_int_equal(find(g, "config.router_radius", "server", "host 10.0.0.1:1812")->code, 2);
	/* legacy host with inline options, type 6 key */
	assert_int_equal(num_of(g, "timeout", "host 10.0.0.1:1812"), 30);
	assert_int_equal(num_of(g, "retransmit", "host 10.0.0.1:1812"), 1);
	const struct ev *e = find(g, "config.router_radius", "key", "host 10.0.0.1:1812");
	assert_int_equal(e->code, 6);
	assert_false(e->flags & EVF_SECRET_FP);
	assert_true(has(e->detail, "cannot be decoded"));
	/* legacy host without options: global timeout, default retransmit,
	 * the global type 7 key (decoded), default auth-port 1645 */
	assert_int_equal(num_of(g, "timeout", "host 10.0.0.2"), 10);
	assert_true(has(val_of(g, "timeout", "host 10.0.0.2"), "global"));
	assert_int_equal(num_of(g, "retransmit", "host 10.0.0.2"), 3);
	e = find(g, "config.router_radius", "key", "host 10.0.0.2");
	assert_int_equal(e->code, 7);
	assert_true(e->flags & EVF_SECRET_FP);
	assert_int_equal(e->pos, 3);
	e = find(g, "config.router_radius", "address", "host 10.0.0.2");
	assert_int_equal(e->server_port, 1645);
	assert_true(has(e->detail, "IOS default"));
	/* a block without timeout: the global one, cited at its line */
	e = find(g, "config.router_radius", "timeout", "bare");
	assert_int_equal(e->num, 10);
	assert_int_equal(e->pos, 2);
	/* fingerprints: the type 7 "cisco" equals a clear "cisco" */
	struct got *g2 = run1(&fmt_ios_config, "radius server a\n address ipv4 1.1.1.1\n key cisco\n");
	assert_memory_equal(find(g2, "config.router_radius", "key", "a")->req_auth,
			    find(g, "config.router_radius", "key", "host 10.0.0.2")->req_auth, 16);
	/* no full-config markers missing here: the fragment has "version" */
	assert_true(secret_absent(g, "070C285F4D06"));
	assert_true(secret_absent(g, "AbCdEfGhIjKl"));
	assert_true(secret_absent(g, "cisco"));
	got_free(g2);
	got_free(g);

	/* nothing configured at all: the IOS defaults */
	g = run1(&fmt_ios_config, "radius server x\n address ipv4 1.1.1.1\n");
	assert_int_equal(num_of(g, "timeout", "x"), 5);
	assert_true(has(val_of(g, "timeout", "x"), "IOS default 5 s"));
	assert_int_equal(num_of(g, "retransmit", "x"), 3);
	assert_null(find(g, "config.router_radius", "key", "x"));
	got_free(g);
}

static const char eap_cfg[] =
	"version 17.9\n"
	"hostname hq\n"
	"aaa new-model\n"
	"aaa group server radius DUO\n"
	" server name duo1\n"
	" server name duo2\n"
	" ip radius source-interface Loopback0\n"
	"aaa group server radius ISE\n"
	" server name ise\n"
	"aaa authentication login EAPLIST group DUO local\n"
	"aaa authentication login default local\n"
	"aaa authorization network AUTHZ local\n"
	"ip radius source-interface GigabitEthernet2\n"
	"radius server duo1\n"
	" address ipv4 10.1.1.10 auth-port 1812 acct-port 1813\n"
	" timeout 60\n"
	" key 7 070C285F4D06\n"
	"radius server duo2\n"
	" address ipv4 10.1.1.11 auth-port 1812 acct-port 1813\n"
	"radius server ise\n"
	" address ipv4 10.2.2.2 auth-port 1812 acct-port 1813\n"
	"interface Loopback0\n"
	" ip address 192.0.2.1 255.255.255.255\n"
	"interface GigabitEthernet2\n"
	" ip address 198.51.100.1 255.255.255.0\n"
	"interface GigabitEthernet3\n"
	" ip address dhcp\n"
	"banner motd ^C\n"
	"interface Bogus99\n"
	" ip address 203.0.113.1 255.255.255.0\n"
	"^C\n"
	"crypto ikev2 profile P\n"
	" match identity remote any\n"
	" authentication remote anyconnect-eap aggregate\n"
	" aaa authentication anyconnect-eap EAPLIST\n"
	" aaa authorization group anyconnect-eap list AUTHZ POLICY\n"
	" virtual-template 5 mode auto\n"
	"crypto ipsec profile IPP\n"
	" set transform-set NOPE\n"
	" set ikev2-profile P\n"
	"crypto ikev2 authorization policy POLICY\n"
	" pool MISSING_POOL\n"
	"end\n";

static void test_eap_path_and_sources(void **st)
{
	(void)st;
	struct got *g = run1(&fmt_ios_config, eap_cfg);
	/* DUO servers on the EAP list, ISE not */
	assert_int_equal(find(g, "config.router_radius", "server", "duo1")->code, 1);
	assert_int_equal(find(g, "config.router_radius", "server", "duo2")->code, 1);
	assert_int_equal(find(g, "config.router_radius", "server", "ise")->code, 0);
	/* the group's source-interface wins over the global one */
	const struct ev *e = find(g, "config.router_radius", "source", "duo1");
	assert_string_equal(e->nas_ip, "192.0.2.1");
	assert_true(has(e->detail, "aaa group server radius DUO"));
	/* a server off the EAP list is not compared: no source derived */
	assert_null(find(g, "config.router_radius", "source", "ise"));
	/* the banner's text was skipped: no interface Bogus99 */
	assert_null(find(g, "config.router_radius", "source", "nothing"));
	int bogus = 0;
	for (int i = 0; i < g->n; i++)
		bogus += has(g->e[i].detail, "Bogus99") || has(g->e[i].detail, "203.0.113.1");
	assert_int_equal(bogus, 0);
	/* references that do not resolve (full config) */
	assert_int_equal(count(g, "config.check", "ref-missing", NULL), 3);
	int vt = 0, ts = 0, pool = 0, pol = 0;
	for (int i = 0; i < g->n; i++) {
		if (!is(&g->e[i], "config.check", "ref-missing", NULL))
			continue;
		vt += has(g->e[i].text, "Virtual-Template5");
		ts += has(g->e[i].text, "crypto ipsec transform-set NOPE");
		pool += has(g->e[i].text, "ip local pool MISSING_POOL");
		pol += has(g->e[i].text, "POLICY") && g->e[i].pos == 36;
	}
	assert_int_equal(vt + ts + pool, 3);
	assert_int_equal(pol, 0);            /* POLICY exists */
	got_free(g);

	/* the same as a fragment (no version/header): no reference checks */
	const char *frag = strstr(eap_cfg, "aaa new-model");
	g = run1(&fmt_ios_config, frag);
	assert_int_equal(count(g, "config.check", "ref-missing", NULL), 0);
	got_free(g);
}

static void test_source_cases(void **st)
{
	(void)st;
	/* unnumbered source interface; DHCP; missing interface; connected */
	struct got *g = run1(&fmt_ios_config,
			     "ip radius source-interface Virtual-Template1\n"
			     "interface Virtual-Template1 type tunnel\n"
			     " ip unnumbered Gi1\n"
			     "interface GigabitEthernet1\n"
			     " ip address 10.0.0.1 255.255.255.0\n"
			     " ip address 10.5.0.1 255.255.255.0 secondary\n"
			     "radius server a\n"
			     " address ipv4 10.9.9.9 auth-port 1812\n");
	const struct ev *e = find(g, "config.router_radius", "source", "a");
	assert_string_equal(e->nas_ip, "10.0.0.1");
	assert_true(has(e->detail, "unnumbered"));
	got_free(g);

	g = run1(&fmt_ios_config, "ip radius source-interface Gi3\ninterface GigabitEthernet3\n"
				  " ip address dhcp\nradius server a\n address ipv4 10.9.9.9\n");
	e = find(g, "config.router_radius", "source", "a");
	assert_null(e->nas_ip);
	assert_true(has(e->detail, "DHCP"));
	got_free(g);

	g = run1(&fmt_ios_config, "ip radius source-interface Gi7\nradius server a\n"
				  " address ipv4 10.9.9.9\n");
	e = find(g, "config.router_radius", "source", "a");
	assert_null(e->nas_ip);
	assert_true(has(e->detail, "not in the config"));
	got_free(g);

	/* a secondary network that holds the server: the primary address */
	g = run1(&fmt_ios_config, "interface GigabitEthernet1\n ip address 10.0.0.1 255.255.255.0\n"
				  " ip address 10.5.0.1 255.255.255.0 secondary\n"
				  "interface GigabitEthernet2\n ip address 10.6.0.1 255.255.0.0\n"
				  "radius server a\n address ipv4 10.5.0.99\n"
				  "radius server b\n address ipv4 10.6.3.3\n"
				  "radius server c\n address ipv4 172.16.1.1\n");
	assert_string_equal(find(g, "config.router_radius", "source", "a")->nas_ip, "10.0.0.1");
	assert_string_equal(find(g, "config.router_radius", "source", "b")->nas_ip, "10.6.0.1");
	e = find(g, "config.router_radius", "source", "c");
	assert_null(e->nas_ip);
	assert_true(has(e->detail, "no interface or static route"));
	got_free(g);
}

static void test_unindented_paste(void **st)
{
	(void)st;
	/* the seed guide lost indentation in places: sub-commands at column 0
	 * stay in their block */
	struct got *g = run1(&fmt_ios_config,
			     "crypto ikev2 policy FlexVPN_IKEv2_Policy\n"
			     "match fvrf any\n"
			     "proposal FlexVPN_IKEv2_Proposal\n"
			     "radius server rad_server\n"
			     "address ipv4 10.197.243.97 auth-port 1812 acct-port 1813\n"
			     "timeout 120\n"
			     "key cisco\n");
	const struct ev *e = find(g, "config.router_ike", "ikev2-policy", "FlexVPN_IKEv2_Policy");
	assert_true(has(e->detail, "proposal FlexVPN_IKEv2_Proposal"));
	assert_int_equal(num_of(g, "timeout", "rad_server"), 120);
	assert_non_null(find(g, "config.router_radius", "key", "rad_server"));
	assert_true(secret_absent(g, "cisco"));
	got_free(g);
}

struct pub {
	char ip[4][64], val[4][64];
	int n;
};

static void take(void *ctx, const char *ip, const void *s, size_t n)
{
	struct pub *p = ctx;
	if (p->n < 4) {
		snprintf(p->ip[p->n], 64, "%s", ip ? ip : "*");
		snprintf(p->val[p->n], 64, "%.*s", (int)n, (const char *)s);
	}
	p->n++;
}

static void test_publish(void **st)
{
	(void)st;
	struct pub p = {0};
	conf_secret_receiver(take, &p);
	struct got *g = run1(&fmt_ios_config, eap_cfg);
	conf_secret_receiver(NULL, NULL);
	got_free(g);
	/* duo1 has a type 7 key; duo2 and ise have none */
	assert_int_equal(p.n, 1);
	assert_string_equal(p.ip[0], "10.1.1.10");
	assert_string_equal(p.val[0], "cisco");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type7),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_seed_config),
		cmocka_unit_test(test_defaults_and_legacy),
		cmocka_unit_test(test_eap_path_and_sources),
		cmocka_unit_test(test_source_cases),
		cmocka_unit_test(test_unindented_paste),
		cmocka_unit_test(test_publish),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
