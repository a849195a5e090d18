/* ikev2: the IKE decoder against tshark oracles (with and without keys),
 * Wireshark's expected AUTH values, the key table, SA events, and every
 * IKEv2 bad-input case of the hardening list */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <dirent.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/event.h"
#include "core/str.h"
#include "decoders/ike_crypt.h"
#include "decoders/ike_keys.h"
#include "decoders/ike_names.h"
#include "ike_oracle.h"

#define CAP "testdata/captures/"

/* ---- an event sink that keeps what it saw ---- */

struct got {
	unsigned kind;
	int32_t code;
	int64_t num;
	const char *text, *result, *user, *assigned_ip, *client_ip, *detail;
	uint64_t pos, spi_i;
	int64_t msgid;
};

struct col {
	struct ev_sink base;
	struct got ev[4096];
	size_t n;
};

static void col_emit(struct ev_sink *self, struct ev *e)
{
	struct col *c = (struct col *)self;
	if (c->n >= 4096)
		return;
	struct got *g = &c->ev[c->n++];
	g->kind = e->kind;
	g->code = e->code;
	g->num = e->num;
	g->text = e->text;
	g->result = e->result;
	g->user = e->user;
	g->assigned_ip = e->assigned_ip;
	g->client_ip = e->client_ip;
	g->detail = e->detail;
	g->pos = e->pos;
	g->spi_i = e->spi_i;
	g->msgid = e->msgid;
}

static size_t count(const struct col *c, unsigned kind, int32_t code)
{
	size_t k = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->ev[i].kind == kind && (code < 0 || c->ev[i].code == code))
			k++;
	return k;
}

static const struct got *find(const struct col *c, unsigned kind, const char *text)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->ev[i].kind == kind && (!text || (c->ev[i].text && !strcmp(c->ev[i].text, text))))
			return &c->ev[i];
	return NULL;
}

/* Runs a capture through the decoder with events (and optional keys). */
struct evrun {
	struct col *c;
	struct ike_state *st;
	const struct ike_keys *keys;
};

static void ev_frame(void *ctx, const struct mini_pkt *mp)
{
	struct evrun *r = ctx;
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.frame = mp->frame;
	p.ts_ns = mp->ts_ns;
	p.wirelen = mp->wirelen;
	p.caplen = mp->caplen;
	p.src = intern_cstr(mp->src);
	p.dst = intern_cstr(mp->dst);
	p.sport = mp->sport;
	p.dport = mp->dport;
	p.sink = &r->c->base;
	p.ike_keys = r->keys;
	p.ike = r->st;
	if (mp->fragment)
		return;
	if (mp->proto == 17 && (mp->sport == 500 || mp->dport == 500 || mp->sport == 4500 || mp->dport == 4500))
		ike_udp(&p, mp->data, mp->len);
	else if (mp->proto == 50)
		esp_ip(&p, mp->data, mp->len);
}

static struct col *run_events(const char *pcap, const char *keyfile)
{
	static struct col c;
	memset(&c, 0, sizeof c);
	c.base.emit = col_emit;
	char err[300];
	struct ike_keys *k = NULL;
	if (keyfile) {
		k = ike_keys_load(keyfile, err, sizeof err);
		assert_non_null(k);
	}
	struct evrun r = {&c, ike_state_new(), k};
	assert_true(mini_walk(pcap, ev_frame, &r) > 0);
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.sink = &c.base;
	p.ike = r.st;
	ike_flush(&p);
	ike_state_free(r.st);
	ike_keys_free(k);
	return &c;
}

/* Decodes one UDP payload (port 500 or 4500) into fields + events. */
struct one {
	struct col c;
	struct fields *f;
	struct ike_state *st;
};

static const char *one_field(struct one *o, const char *name)
{
	for (size_t i = 0; i < IKE_NCOLS; i++)
		if (!strcmp(ike_cols[i], name))
			return fields_value(o->f, i);
	return NULL;
}

static struct one *decode_one(const uint8_t *b, size_t n, uint16_t port, const struct ike_keys *k)
{
	static struct one o;
	if (o.f)
		fields_free(o.f);
	if (o.st)
		ike_state_free(o.st);
	memset(&o, 0, sizeof o);
	o.c.base.emit = col_emit;
	struct fields_opts fo = {'\t', '|', 'a', 0, 0};
	o.f = fields_new(ike_cols, IKE_NCOLS, &fo);
	o.st = ike_state_new();
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.frame = 1;
	p.wirelen = p.caplen = (uint32_t)n + 42;
	p.src = "192.0.2.1";
	p.dst = "192.0.2.2";
	p.sport = p.dport = port;
	p.sink = &o.c.base;
	p.fields = o.f;
	p.ike = o.st;
	p.ike_keys = k;
	ike_udp(&p, b, n);
	return &o;
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t k = 0;
	int hi = -1;
	for (; *s && k < cap; s++) {
		int d = (*s >= '0' && *s <= '9') ? *s - '0' : ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f') ? (*s | 0x20) - 'a' + 10 : -1;
		if (d < 0)
			continue;
		if (hi < 0)
			hi = d;
		else {
			out[k++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	return k;
}

static int has_anomaly(const struct col *c, const char *name)
{
	return find(c, EVK_IKE_ANOMALY, name) != NULL;
}

/* ---- oracles ---- */

static int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

static void oracle_dir(const char *dir, int *files, long *bad, long *cells)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		char path[512];
		if (n[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, n);
		DIR *sub = opendir(path);
		if (sub) {
			closedir(sub);
			oracle_dir(path, files, bad, cells);
			continue;
		}
		if (!ends_with(n, ".tshark.tsv") || strstr(n, ".decrypted.") || strstr(n, ".secret-"))
			continue;
		char pcap[512];
		snprintf(pcap, sizeof pcap, "%s/%.*s", dir, (int)(strlen(n) - strlen(".tshark.tsv")), n);
		long c = 0, r = oracle_check(pcap, path, NULL, &c);
		if (r)
			fprintf(stderr, "%s: %ld mismatching cells\n", pcap, r);
		assert_true(r >= 0);
		*bad += r;
		*cells += c;
		(*files)++;
	}
	closedir(d);
}

static void test_oracle_all_captures(void **st)
{
	(void)st;
	int files = 0;
	long bad = 0, cells = 0;
	oracle_dir("testdata/captures", &files, &bad, &cells);
	assert_true(files >= 60);
	assert_true(cells > 50000);
	assert_int_equal(bad, 0);
}

static void test_oracle_decrypted(void **st)
{
	(void)st;
	static const char *const caps[] = {
		"ikev2-decrypt-3des-sha1_160.pcap", "ikev2-decrypt-aes128ccm12.pcap",
		"ikev2-decrypt-aes128ccm12-2.pcap", "ikev2-decrypt-aes192ctr.pcap",
		"ikev2-decrypt-aes256cbc.pcapng", "ikev2-decrypt-aes256ccm16.pcapng",
		"ikev2-decrypt-aes256gcm16.pcap", "ikev2-decrypt-aes256gcm8.pcap",
	};
	char err[300], tsv[512], pcap[512];
	struct ike_keys *k = ike_keys_load(CAP "wireshark/ikev2_decryption_table", err, sizeof err);
	assert_non_null(k);
	assert_int_equal(ike_keys_count(k), 9);
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		snprintf(pcap, sizeof pcap, CAP "wireshark/%s", caps[i]);
		snprintf(tsv, sizeof tsv, CAP "wireshark/%s.decrypted.tshark.tsv", caps[i]);
		long c = 0;
		assert_int_equal(oracle_check(pcap, tsv, k, &c), 0);
		assert_true(c > 100);
	}
	ike_keys_free(k);
	struct ike_keys *k2 = ike_keys_load(CAP "tcpdump/ikev2pI2.pcap.ike-keys", err, sizeof err);
	assert_non_null(k2);
	assert_int_equal(oracle_check(CAP "tcpdump/ikev2pI2.pcap", CAP "tcpdump/ikev2pI2.pcap.decrypted.tshark.tsv", k2, NULL), 0);
	ike_keys_free(k2);
}

/* The expected values of Wireshark's test_ikev2_* (suite_decryption.py). */
struct authctx {
	struct fields *f;
	struct ike_state *s;
	const struct ike_keys *k;
	uint64_t frame;
	char auth[256];
};

static void auth_frame(void *cx, const struct mini_pkt *mp)
{
	struct authctx *w = cx;
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.frame = mp->frame;
	p.wirelen = mp->wirelen;
	p.caplen = mp->caplen;
	p.sport = mp->sport;
	p.dport = mp->dport;
	p.ike = w->s;
	p.ike_keys = w->k;
	p.fields = w->f;
	fields_reset(w->f);
	if (mp->proto == 17)
		ike_udp(&p, mp->data, mp->len);
	if (mp->frame == w->frame)
		snprintf(w->auth, sizeof w->auth, "%s", fields_value(w->f, 0));
}

static void test_wireshark_auth_values(void **st)
{
	(void)st;
	static const struct { const char *cap, *auth; uint64_t frame; } t[] = {
		{"ikev2-decrypt-3des-sha1_160.pcap", "02f7a0d5f1fdc8ea81039818c65bb9bd09af9b8917319b887ff9ba3046c344c7", 3},
		{"ikev2-decrypt-aes128ccm12.pcap", "c2104394299e1ffe7908ea720ad5d13717a0d454e4fa0a2128ea689411f479c4", 4},
		{"ikev2-decrypt-aes128ccm12-2.pcap", "aaa281c87b4a19046c57271d557488ca413b57228cb951f5fa9640992a0285b9", 3},
		{"ikev2-decrypt-aes192ctr.pcap", "3ec23dcf9348485638407c754547aeb3085290082c49f583fdbae59263a20b4a", 3},
		{"ikev2-decrypt-aes256cbc.pcapng", "e1a8d550064201a7ec024a85758d0673c61c5c510ac13bcd225d6327f50da3d3", 3},
		{"ikev2-decrypt-aes256ccm16.pcapng", "fa2e74bdc01e30fb0b3ddc9723c9449095969da51f69e560209d2c2b7940210a", 3},
		{"ikev2-decrypt-aes256gcm16.pcap", "9ab71f14ab553cad873a1aa70b99df155dee77cdcf3694b3b7527acbb9712ded", 4},
		{"ikev2-decrypt-aes256gcm8.pcap", "4a66d822d0afbc22ad9a92a2cf4287c920ad8ac3b069a4a7e75fe0a5d499f914", 3},
	};
	char err[300], path[512];
	struct ike_keys *k = ike_keys_load(CAP "wireshark/ikev2_decryption_table", err, sizeof err);
	assert_non_null(k);
	static const char *const want[] = {"isakmp.auth.data"};
	struct fields_opts fo = {'\t', '|', 'a', 0, 0};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct authctx w = {fields_new(want, 1, &fo), ike_state_new(), k, t[i].frame, ""};
		snprintf(path, sizeof path, CAP "wireshark/%s", t[i].cap);
		assert_true(mini_walk(path, auth_frame, &w) > 0);
		assert_string_equal(w.auth, t[i].auth);
		/* without keys the AUTH payload stays hidden */
		struct authctx w0 = {w.f, w.s, NULL, t[i].frame, ""};
		assert_true(mini_walk(path, auth_frame, &w0) > 0);
		assert_string_equal(w0.auth, "");
		fields_free(w.f);
		ike_state_free(w.s);
	}
	ike_keys_free(k);
}

/* ---- the key table ---- */

static void test_keys_parse(void **st)
{
	(void)st;
	char err[300];
	const char *good =
		"# comment\r\n"
		"\n"
		"0158b8fb90b7623d,13514610cea16160,647075bf167447a1c8683e8dbe4794b4cfe73799cc6bec34905441159ce13705c8dfb3a9,"
		"15c9eae6f94631d63068bf44bb69999abc07b3d15e915fd8f0ed99ad481efd75deb02a5e,"
		"\"AES-GCM-256 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"\n"
		"0x191ccd371a7a1f7b , bc123d15e4af593f,90:96:dd:d2:93:36:20:e8:f4:81:22:c5:3a:3f:56:2c:b0:22:2c:1c:f9:7c:e4:1f:cc:87:4e:a2:58:2a:89:ac,"
		"6718c6b2bbef2f234eac4c13832f885d87b574afd2af0111161e99b5dc61b4d4,\"AES-CBC-256 [RFC3602]\","
		"12d532c3e83c757906af548dfe1ccf223ca5507af77898454e2d55c8ace57a17,"
		"30c4ead18c93024b58a86c1e3db60f550221801026853170b4cb0248d3a95329,\"HMAC_SHA2_256_128 [RFC4868]\"";
	struct ike_keys *k = ike_keys_parse(good, strlen(good), err, sizeof err);
	assert_non_null(k);
	assert_int_equal(ike_keys_count(k), 2);
	const struct ike_sa_keys *r = ike_keys_find(k, 0x191ccd371a7a1f7bULL, 0xbc123d15e4af593fULL);
	assert_non_null(r);
	assert_string_equal(r->encr->name, "AES-CBC-256 [RFC3602]");
	assert_int_equal(r->len_ei, 32);
	assert_int_equal(r->sk_ei[0], 0x90);
	assert_null(ike_keys_find(k, 0x191ccd371a7a1f7bULL, 1));
	ike_keys_free(k);

	static const struct { const char *row, *why; } bad[] = {
		{"1,2,3", "line 1: want 8"},
		{"0158b8fb90b7623d,1351,,,\"NULL [RFC2410]\",,,\"NONE [RFC4306]\"", "line 1: an SPI"},
		{"0158b8fb90b7623d,13514610cea16160,,,\"AES-CBC-257 [RFC3602]\",,,\"NONE [RFC4306]\"", "unknown encryption algorithm"},
		{"0158b8fb90b7623d,13514610cea16160,,,\"NULL [RFC2410]\",,,\"HMAC_SHA2_256 [RFC4868]\"", "unknown integrity algorithm"},
		{"0158b8fb90b7623d,13514610cea16160,0011,,\"AES-CBC-128 [RFC3602]\",,,\"NONE [RFC4306]\"", "SK_ei must be 16 bytes"},
		{"0158b8fb90b7623d,13514610cea16160,00112233445566778899aabbccddeeff,00112233445566778899aabbccddeeff,"
		 "\"AES-CBC-128 [RFC3602]\",00,00,\"HMAC_SHA1_96 [RFC2404]\"", "SK_ai must be 20 bytes"},
		{"0158b8fb90b7623d,13514610cea16160,zz,,\"NULL [RFC2410]\",,,\"NONE [RFC4306]\"", "SK_ei"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = 0;
		assert_null(ike_keys_parse(bad[i].row, strlen(bad[i].row), err, sizeof err));
		if (!strstr(err, bad[i].why))
			fprintf(stderr, "row %zu: %s\n", i, err);
		assert_non_null(strstr(err, bad[i].why));
	}
	assert_null(ike_keys_load("testdata/no/such/file", err, sizeof err));
	assert_non_null(strstr(err, "testdata/no/such/file"));
	/* every encryption and integrity name of the table format is known */
	static const char *const names[] = {
		"NULL [RFC2410]", "3DES [RFC2451]", "AES-CBC-128 [RFC3602]", "AES-CBC-192 [RFC3602]",
		"AES-CBC-256 [RFC3602]", "AES-CTR-128 [RFC5930]", "AES-CTR-192 [RFC5930]",
		"AES-CTR-256 [RFC5930]", "AES-GCM-128 with 8 octet ICV [RFC5282]",
		"AES-GCM-256 with 16 octet ICV [RFC5282]", "AES-CCM-128 with 12 octet ICV [RFC5282]",
		"AES-CCM-256 with 16 octet ICV [RFC5282]",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_non_null(ike_encr_lookup(names[i]));
	static const char *const inames[] = {
		"NONE [RFC4306]", "HMAC_MD5_96 [RFC2403]", "HMAC_SHA1_96 [RFC2404]",
		"HMAC_SHA2_256_128 [RFC4868]", "HMAC_SHA2_384_192 [RFC4868]", "HMAC_SHA2_512_256 [RFC4868]",
		"HMAC_SHA1_160 [RFC4595]", "ANY 96-bits of Authentication [No Checking]",
	};
	for (size_t i = 0; i < sizeof inames / sizeof inames[0]; i++)
		assert_non_null(ike_integ_lookup(inames[i]));
}

/* ---- events from captures ---- */

static void test_events_decrypted_sa(void **st)
{
	(void)st;
	struct col *c = run_events(CAP "wireshark/ikev2-decrypt-aes256gcm16.pcap", CAP "wireshark/ikev2_decryption_table");
	/* SA_INIT, AUTH, INFORMATIONAL: 3 requests, 3 responses */
	assert_int_equal(count(c, EVK_IKE_EXCHANGE, -1), 6);
	assert_int_equal(count(c, EVK_IKE_EXCHANGE, 34), 2);
	assert_int_equal(count(c, EVK_IKE_RETRANSMIT, -1), 0);
	const struct got *a = find(c, EVK_IKE_AUTH, NULL);
	assert_non_null(a);
	assert_string_equal(a->result, "ok");
	assert_int_equal(a->pos, 4);
	assert_non_null(find(c, EVK_IKE_SA_UP, NULL));
	const struct got *down = find(c, EVK_IKE_SA_DOWN, NULL);
	assert_non_null(down);
	assert_int_equal(down->pos, 5);
	/* decrypted notifies are seen: INITIAL_CONTACT inside IKE_AUTH */
	assert_non_null(find(c, EVK_IKE_NOTIFY, "INITIAL_CONTACT"));
	assert_false(has_anomaly(c, "encrypted"));
	assert_false(has_anomaly(c, "icv-failed"));

	/* the same capture without keys: exchanges, no AUTH, one "encrypted" note */
	c = run_events(CAP "wireshark/ikev2-decrypt-aes256gcm16.pcap", NULL);
	assert_int_equal(count(c, EVK_IKE_EXCHANGE, -1), 6);
	assert_null(find(c, EVK_IKE_AUTH, NULL));
	assert_null(find(c, EVK_IKE_NOTIFY, "INITIAL_CONTACT"));
	assert_int_equal(count(c, EVK_IKE_ANOMALY, -1), 1);
	assert_true(has_anomaly(c, "encrypted"));
}

static void test_events_icv_failed_still_decoded(void **st)
{
	(void)st;
	/* tshark: "IKEv2 Integrity Checksum Data is incorrect", and decodes */
	struct col *c = run_events(CAP "tcpdump/ikev2pI2.pcap", CAP "tcpdump/ikev2pI2.pcap.ike-keys");
	const struct got *g = find(c, EVK_IKE_ANOMALY, "icv-failed");
	assert_non_null(g);
	assert_int_equal(g->pos, 2);
}

static void test_events_invalid_ke_and_fragments(void **st)
{
	(void)st;
	struct col *c = run_events(CAP "ukncsc-zeek-plugin-ikev2/ikev2.pcap", NULL);
	const struct got *n = find(c, EVK_IKE_NOTIFY, "INVALID_KE_PAYLOAD");
	assert_non_null(n);
	assert_int_equal(n->code, 17);
	assert_int_equal(n->pos, 2);
	assert_non_null(strstr(n->detail, "group 15"));
	/* the retry after INVALID_KE is a new exchange, not a retransmission */
	assert_int_equal(count(c, EVK_IKE_EXCHANGE, 34), 4);
	assert_int_equal(count(c, EVK_IKE_RETRANSMIT, -1), 0);
	/* two SKF fragments are one IKE_AUTH request */
	assert_int_equal(count(c, EVK_IKE_EXCHANGE, 35), 2);
	const struct got *x = find(c, EVK_IKE_EXCHANGE, NULL);
	assert_string_equal(x->client_ip, "172.16.158.1");
}

static void test_events_no_proposal_chosen(void **st)
{
	(void)st;
	struct col *c = run_events(CAP "scapy/ikev2_notify_redirect.pcap", NULL);
	const struct got *n = find(c, EVK_IKE_NOTIFY, "NO_PROPOSAL_CHOSEN");
	assert_non_null(n);
	assert_int_equal(n->code, 14);
	assert_string_equal(n->result, "error");
	assert_int_equal(n->pos, 4);
	assert_non_null(find(c, EVK_IKE_NOTIFY, "REDIRECT"));
}

static void test_events_retransmit_and_no_response(void **st)
{
	(void)st;
	/* arkime IKEv2.pcap: the initiator repeats its IKE_SA_INIT request */
	struct col *c = run_events(CAP "arkime/IKEv2.pcap", NULL);
	assert_true(count(c, EVK_IKE_EXCHANGE, 34) >= 2);
	/* a request sent three times and never answered */
	struct one *o = NULL;
	uint8_t b[64];
	size_t n = unhex("1111111111111111 0000000000000000 29 20 22 08 00000000 00000024 00000008 00004006", b, sizeof b);
	static struct col cc;
	memset(&cc, 0, sizeof cc);
	cc.base.emit = col_emit;
	struct ike_state *s = ike_state_new();
	for (int i = 0; i < 3; i++) {
		struct pkt p;
		memset(&p, 0, sizeof p);
		p.frame = (uint64_t)i + 1;
		p.ts_ns = (int64_t)i * 2000000000LL;
		p.src = "198.51.100.7";
		p.dst = "203.0.113.1";
		p.sport = p.dport = 500;
		p.sink = &cc.base;
		p.ike = s;
		ike_udp(&p, b, n);
	}
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.sink = &cc.base;
	p.ike = s;
	ike_flush(&p);
	ike_state_free(s);
	(void)o;
	assert_int_equal(count(&cc, EVK_IKE_EXCHANGE, 34), 1);
	assert_int_equal(count(&cc, EVK_IKE_RETRANSMIT, 34), 2);
	const struct got *nr = find(&cc, EVK_IKE_NO_RESPONSE, NULL);
	assert_non_null(nr);
	assert_int_equal(nr->num, 3);
	assert_int_equal(nr->pos, 1);
	assert_string_equal(nr->client_ip, "198.51.100.7");
}

/* The strongSwan lab: decryption yields the EAP identity and the address. */
static void test_lab_identity_and_address(void **st)
{
	(void)st;
	struct col *c = run_events("testdata/traces/lab-mschapv2-ok/input/mschapv2-ok.pcap",
				   "testdata/traces/lab-mschapv2-ok/keys.ike-keys");
	const struct got *a = find(c, EVK_IKE_ADDRESS, NULL);
	assert_non_null(a);
	assert_string_equal(a->assigned_ip, "10.200.0.10");
	assert_string_equal(a->user, "alice");
	assert_string_equal(a->client_ip, "10.99.0.1");
	int id = 0, mschap = 0, success = 0;
	for (size_t i = 0; i < c->n; i++) {
		const struct got *g = &c->ev[i];
		if (g->kind != EVK_IKE_EAP)
			continue;
		id += g->code == 2 && g->num == 1 && g->user && !strcmp(g->user, "alice");
		mschap += g->num == 26;
		success += g->code == 3 && g->text && !strcmp(g->text, "MSCHAPv2");
	}
	assert_int_equal(id, 1);
	assert_true(mschap >= 3);
	assert_int_equal(success, 1);
	assert_non_null(find(c, EVK_IKE_SA_UP, NULL));
	assert_false(has_anomaly(c, "icv-failed"));
	/* AES-GCM-256 SA, EAP-MD5 */
	c = run_events("testdata/traces/lab-md5-ok/input/md5-ok.pcap", "testdata/traces/lab-md5-ok/keys.ike-keys");
	a = find(c, EVK_IKE_ADDRESS, NULL);
	assert_non_null(a);
	assert_string_equal(a->user, "alice");
	assert_non_null(find(c, EVK_IKE_AUTH, NULL));
	assert_false(has_anomaly(c, "icv-failed"));
	/* wrong password: EAP-Failure for alice */
	c = run_events("testdata/traces/lab-wrong-password/input/wrong-password.pcap",
		       "testdata/traces/lab-wrong-password/keys.ike-keys");
	int fail = 0;
	for (size_t i = 0; i < c->n; i++)
		fail += c->ev[i].kind == EVK_IKE_EAP && c->ev[i].code == 4 && c->ev[i].user &&
			!strcmp(c->ev[i].user, "alice");
	assert_int_equal(fail, 1);
	assert_null(find(c, EVK_IKE_ADDRESS, NULL));
}

/* ---- hardening.md section 3, IKEv2 ---- */

static void test_bad_header_length(void **st)
{
	(void)st;
	/* CVE-2003-0108 reproducer: header length 0 */
	struct col *c = run_events(CAP "tcpdump/isakmp-pointer-loop.pcap", NULL);
	assert_true(has_anomaly(c, "header-length"));
	assert_int_equal(oracle_check(CAP "zeek-spicy-ipsec/ipsec-ikev1-zero-length.pcap", CAP "zeek-spicy-ipsec/ipsec-ikev1-zero-length.pcap.tshark.tsv", NULL, NULL), 0);
	/* length 27 < 28: no fields at all, like tshark */
	uint8_t b[64];
	size_t n = unhex("1111111111111111 0000000000000000 29 20 22 08 00000000 0000001b", b, sizeof b);
	struct one *o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.ispi"), "");
	assert_true(has_anomaly(&o->c, "header-length"));
	/* longer than the datagram: stops before the length field */
	n = unhex("1111111111111111 0000000000000000 29 20 22 08 00000000 00000100 00000008 00000000", b, sizeof b);
	o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.messageid"), "0x00000000");
	assert_string_equal(one_field(o, "isakmp.length"), "");
	assert_true(has_anomaly(&o->c, "invalid"));
	/* shorter than the datagram: trailing bytes ignored, noted */
	n = unhex("1111111111111111 0000000000000000 29 20 22 08 00000000 00000024 00000008 00004006 deadbeef", b, sizeof b);
	o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.notify.msgtype"), "16390");
}

static void test_bad_payload_length(void **st)
{
	(void)st;
	uint8_t b[128];
	/* length 0 and 3: each advances by 4, never loops (tshark does the same) */
	size_t n = unhex("1111111111111111 0000000000000000 29 20 22 08 00000000 00000028 29000003 00000000 00000000", b, sizeof b);
	struct one *o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.payloadlength"), "3|0");
	assert_true(has_anomaly(&o->c, "payload-length"));
	assert_int_equal(oracle_check(CAP "zeek-spicy-ipsec/ipsec-ikev1-payload-bad-length.pcap",
				      CAP "zeek-spicy-ipsec/ipsec-ikev1-payload-bad-length.pcap.tshark.tsv", NULL, NULL), 0);
}

static void test_payload_chain_cap(void **st)
{
	(void)st;
	/* 300 notify payloads of 8 bytes chained: stopped at 255 */
	static uint8_t b[28 + 300 * 8];
	size_t n = unhex("1111111111111111 0000000000000000 29 20 25 08 00000000", b, sizeof b);
	size_t total = 28 + 300 * 8;
	b[n++] = (uint8_t)(total >> 24);
	b[n++] = (uint8_t)(total >> 16);
	b[n++] = (uint8_t)(total >> 8);
	b[n++] = (uint8_t)total;
	for (int i = 0; i < 300; i++) {
		uint8_t *q = b + 28 + 8 * i;
		q[0] = i == 299 ? 0 : 41;
		q[1] = 0;
		q[2] = 0;
		q[3] = 8;
		q[4] = 0;
		q[5] = 0;
		q[6] = 0x40;
		q[7] = 0x00;
	}
	struct one *o = decode_one(b, total, 500, NULL);
	assert_true(has_anomaly(&o->c, "payload-cap"));
	const char *tp = one_field(o, "isakmp.typepayload");
	size_t bars = 0;
	for (const char *s = tp; *s; s++)
		bars += *s == '|';
	assert_int_equal(bars + 1, 255);
}

static void test_bad_sa_counts(void **st)
{
	(void)st;
	/* tcpdump's segfault reproducer: a proposal length past the message */
	assert_int_equal(oracle_check(CAP "tcpdump/ikev2pI2-segfault.pcapng", CAP "tcpdump/ikev2pI2-segfault.pcapng.tshark.tsv", NULL, NULL), 0);
	uint8_t b[128];
	/* proposal claims 3 transforms; the first has length 0 */
	size_t n = unhex("1111111111111111 0000000000000000 21 20 22 08 00000000 00000034 00000018 00000014 01010003 00000000 00000000 00000000", b, sizeof b);
	struct one *o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.typepayload"), "33|2|3");
	assert_true(has_anomaly(&o->c, "payload-length"));
	/* a transform longer than what is left of its proposal */
	n = unhex("1111111111111111 0000000000000000 21 20 22 08 00000000 0000003c 29000018 00000014 01010002 00000010 0100000c 800e0080 00000008 00000000", b, sizeof b);
	o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.typepayload"), "33|2|3|41");
	assert_string_equal(one_field(o, "isakmp.tf.type"), "");
	assert_true(has_anomaly(&o->c, "payload-length"));
	/* one transform claimed, two present: the second is not read */
	n = unhex("1111111111111111 0000000000000000 21 20 22 08 00000000 00000038 0000001c 00000018 01010001 0300000c 0100000c 800e0080 00000008 02000005", b, sizeof b);
	o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.tf.type"), "1");
	assert_string_equal(one_field(o, "isakmp.tf.id.encr"), "12");
}

static void test_notify_spi_too_long(void **st)
{
	(void)st;
	uint8_t b[64];
	size_t n = unhex("1111111111111111 2222222222222222 29 20 25 08 00000001 00000028 0000000c 0108 4000 aabbccdd", b, sizeof b);
	struct one *o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.notify.msgtype"), "16384");
	assert_true(has_anomaly(&o->c, "invalid"));
}

static void test_ke_group_length(void **st)
{
	(void)st;
	uint8_t b[64];
	/* group 19 wants 64 bytes; 4 given */
	size_t n = unhex("1111111111111111 0000000000000000 22 20 22 08 00000000 00000028 0000000c 00130000 aabbccdd", b, sizeof b);
	struct one *o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.key_exchange.dh_group"), "19");
	assert_true(has_anomaly(&o->c, "ke-length"));
	/* the KE body missing: stops */
	n = unhex("1111111111111111 0000000000000000 22 20 22 08 00000000 00000020 00000004", b, sizeof b);
	o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.key_exchange.dh_group"), "");
	assert_true(has_anomaly(&o->c, "invalid"));
}

static void test_udp_4500(void **st)
{
	(void)st;
	/* NAT-keepalive, non-ESP marker + IKE, ESP */
	assert_int_equal(oracle_check(CAP "tcpdump/isakmp4500.pcap", CAP "tcpdump/isakmp4500.pcap.tshark.tsv", NULL, NULL), 0);
	assert_int_equal(oracle_check(CAP "tcpdump/espudp1.pcap", CAP "tcpdump/espudp1.pcap.tshark.tsv", NULL, NULL), 0);
	assert_int_equal(oracle_check(CAP "tcpdump/isakmp-rfc3948-oobr.pcap", CAP "tcpdump/isakmp-rfc3948-oobr.pcap.tshark.tsv", NULL, NULL), 0);
	uint8_t b[64];
	b[0] = 0xff;
	struct one *o = decode_one(b, 1, 4500, NULL);
	assert_string_equal(one_field(o, "udpencap.nat_keepalive"), "1");
	assert_string_equal(one_field(o, "esp.spi"), "");
	size_t n = unhex("12345678 00000007 aabbcc", b, sizeof b);
	o = decode_one(b, n, 4500, NULL);
	assert_string_equal(one_field(o, "esp.spi"), "0x12345678");
	assert_string_equal(one_field(o, "esp.sequence"), "7");
	n = unhex("00000000 1111111111111111 0000000000000000 29 20 22 08 00000000 00000024 00000008 00004006", b, sizeof b);
	o = decode_one(b, n, 4500, NULL);
	assert_string_equal(one_field(o, "udpencap.non_esp_marker"), "1");
	assert_string_equal(one_field(o, "isakmp.notify.msgtype"), "16390");
	/* between ports 500 and 4500 ISAKMP comes first, unless it refuses the
	 * datagram (length under 28): then it is UDP-encapsulated (as tshark) */
	{
		struct pkt q;
		memset(&q, 0, sizeof q);
		q.fields = o->f;
		q.sport = 500;
		q.dport = 4500;
		fields_reset(o->f);
		ike_udp(&q, b, n);                 /* the marker + IKE from above */
		assert_string_equal(one_field(o, "udpencap.non_esp_marker"), "1");
		assert_string_equal(one_field(o, "isakmp.notify.msgtype"), "16390");
		fields_reset(o->f);
		ike_udp(&q, b + 4, n - 4);         /* IKE alone */
		assert_string_equal(one_field(o, "udpencap.non_esp_marker"), "");
		assert_string_equal(one_field(o, "isakmp.notify.msgtype"), "16390");
	}
	/* 1..3 bytes that are not a keepalive: nothing */
	o = decode_one(b, 3, 4500, NULL);
	assert_string_equal(one_field(o, "esp.spi"), "");
	assert_string_equal(one_field(o, "udpencap.non_esp_marker"), "");
	/* ESP over IP protocol 50 with only the SPI */
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.fields = o->f;
	fields_reset(o->f);
	n = unhex("abcdef01 0000", b, sizeof b);
	esp_ip(&p, b, n);
	assert_string_equal(one_field(o, "esp.spi"), "0xabcdef01");
	assert_string_equal(one_field(o, "esp.sequence"), "");
}

static void test_bad_fragments(void **st)
{
	(void)st;
	uint8_t b[64];
	size_t n = unhex("1111111111111111 2222222222222222 35 20 23 08 00000001 00000030 00000014 0000 0003 aabbccddeeff0011 22334455", b, sizeof b);
	struct one *o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.frag.number"), "0");
	assert_true(has_anomaly(&o->c, "bad-fragment"));
	n = unhex("1111111111111111 2222222222222222 35 20 23 08 00000001 00000030 00000014 0003 0002 aabbccddeeff0011 22334455", b, sizeof b);
	o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.frag.total"), "2");
	assert_true(has_anomaly(&o->c, "bad-fragment"));
	/* a good fragment without keys: counted, encrypted */
	n = unhex("1111111111111111 2222222222222222 35 20 23 08 00000001 00000030 23000014 0001 0002 aabbccddeeff0011 22334455", b, sizeof b);
	o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.frag.number"), "1");
	assert_false(has_anomaly(&o->c, "bad-fragment"));
	assert_true(has_anomaly(&o->c, "encrypted"));
}

static void test_unknown_critical_payload(void **st)
{
	(void)st;
	uint8_t b[64];
	size_t n = unhex("1111111111111111 2222222222222222 63 20 23 08 00000001 00000024 00800008 00000000", b, sizeof b);
	struct one *o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.typepayload"), "99");
	assert_true(has_anomaly(&o->c, "unknown-critical-payload"));
	/* not critical: no anomaly */
	n = unhex("1111111111111111 2222222222222222 63 20 23 08 00000001 00000024 00000008 00000000", b, sizeof b);
	o = decode_one(b, n, 500, NULL);
	assert_false(has_anomaly(&o->c, "unknown-critical-payload"));
}

static void test_sk_without_keys(void **st)
{
	(void)st;
	uint8_t b[64];
	/* SK with no keys: the first four bytes as tshark's "IV", nothing else */
	size_t n = unhex("1111111111111111 2222222222222222 2e 20 23 08 00000001 0000002a 2300000e aabbccdd11223344 5566", b, sizeof b);
	struct one *o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.enc.iv"), "aabbccdd");
	assert_string_equal(one_field(o, "isakmp.enc.icd"), "");
	assert_true(has_anomaly(&o->c, "encrypted"));
	/* keys for another SA: the same, nothing dereferenced */
	char err[200];
	const char *row = "0158b8fb90b7623d,13514610cea16160,,,\"NULL [RFC2410]\",,,\"NONE [RFC4306]\"";
	struct ike_keys *k = ike_keys_parse(row, strlen(row), err, sizeof err);
	assert_non_null(k);
	o = decode_one(b, n, 500, k);
	assert_string_equal(one_field(o, "isakmp.enc.iv"), "aabbccdd");
	assert_true(has_anomaly(&o->c, "encrypted"));
	ike_keys_free(k);
	/* an SK payload too short for its "IV": stopped */
	n = unhex("1111111111111111 2222222222222222 2e 20 23 08 00000001 00000022 00000006 aabb", b, sizeof b);
	o = decode_one(b, n, 500, NULL);
	assert_string_equal(one_field(o, "isakmp.enc.iv"), "");
	assert_true(has_anomaly(&o->c, "invalid"));
}

/* NULL encryption with a real ICV: the decrypted inner payloads, EAP and CP */
static void test_null_sk_inner_payloads(void **st)
{
	(void)st;
	char err[200];
	/* NULL/ANY-96: plaintext inner payloads, 12 bytes of unchecked ICV */
	const char *row = "1111111111111111,2222222222222222,,,\"NULL [RFC2410]\",,,\"ANY 96-bits of Authentication [No Checking]\"";
	struct ike_keys *k = ike_keys_parse(row, strlen(row), err, sizeof err);
	assert_non_null(k);
	uint8_t b[256];
	/* IKE_AUTH response: SK{ CP(CFG_REPLY, INTERNAL_IP4_ADDRESS 10.8.0.5), N(TS_UNACCEPTABLE) } */
	size_t n = unhex("1111111111111111 2222222222222222 2e 20 23 20 00000001 00000048"
			 "0000002c"                          /* SK header: np 47 is set below */
			 "29000010 02000000 00010004 0a080005" /* CP */
			 "00000008 00000026"                 /* N(38) */
			 "00"                                /* pad length 0 */
			 "000000000000000000000000", b, sizeof b);
	b[28] = 47;
	b[27] = (uint8_t)n;
	b[31] = (uint8_t)(n - 28);
	struct one *o = decode_one(b, n, 500, k);
	assert_string_equal(one_field(o, "isakmp.cfg.type"), "2");
	assert_string_equal(one_field(o, "isakmp.notify.msgtype"), "38");
	assert_string_equal(one_field(o, "isakmp.enc.icd"), "000000000000000000000000");
	const struct got *a = find(&o->c, EVK_IKE_ADDRESS, NULL);
	assert_non_null(a);
	assert_string_equal(a->assigned_ip, "10.8.0.5");
	assert_non_null(find(&o->c, EVK_IKE_NOTIFY, "TS_UNACCEPTABLE"));
	ike_keys_free(k);
}

/* AnyConnect-EAP (expanded type 254, vendor 9): the XML user, never its password */
static void test_anyconnect_eap(void **st)
{
	(void)st;
	char err[200];
	const char *row = "1111111111111111,2222222222222222,,,\"NULL [RFC2410]\",,,\"NONE [RFC4306]\"";
	struct ike_keys *k = ike_keys_parse(row, strlen(row), err, sizeof err);
	assert_non_null(k);
	static const char xml[] = "<?xml version=\"1.0\"?><config-auth client=\"vpn\" type=\"auth-reply\">"
				  "<auth><username>bob</username><password>hunter2</password></auth></config-auth>";
	uint8_t b[512];
	size_t n = unhex("1111111111111111 2222222222222222 2e 20 23 08 00000002 00000000 00000000", b, sizeof b);
	size_t eap_len = 12 + sizeof xml - 1;
	uint8_t *q = b + n;
	q[0] = 0; q[1] = 0; q[2] = (uint8_t)((4 + eap_len) >> 8); q[3] = (uint8_t)(4 + eap_len);
	q[4] = 2; q[5] = 7; q[6] = (uint8_t)(eap_len >> 8); q[7] = (uint8_t)eap_len;
	q[8] = 254; q[9] = 0; q[10] = 0; q[11] = 9; q[12] = 0; q[13] = 0; q[14] = 0; q[15] = 1;
	memcpy(q + 16, xml, sizeof xml - 1);
	n += 4 + eap_len;
	b[n++] = 0;                     /* pad length */
	b[28] = 48;                     /* SK's first inner payload: EAP */
	b[30] = (uint8_t)((n - 28) >> 8);
	b[31] = (uint8_t)(n - 28);
	b[26] = (uint8_t)(n >> 8);
	b[27] = (uint8_t)n;
	struct one *o = decode_one(b, n, 500, k);
	const struct got *e = find(&o->c, EVK_IKE_EAP, "AnyConnect-EAP");
	assert_non_null(e);
	assert_string_equal(e->user, "bob");
	assert_int_equal(e->num, 254);
	assert_non_null(strstr(e->detail, "vendor 9"));
	assert_non_null(strstr(e->detail, "auth-reply"));
	for (size_t i = 0; i < o->c.n; i++) {
		const struct got *g = &o->c.ev[i];
		const char *f[] = {g->text, g->detail, g->user, g->result};
		for (int j = 0; j < 4; j++)
			assert_true(!f[j] || !strstr(f[j], "hunter2"));
	}
	ike_keys_free(k);
}

/* The SA table is capped: past 65536 SAs it starts over and counts it. */
static void test_sa_table_cap(void **st)
{
	(void)st;
	static struct col cc;
	memset(&cc, 0, sizeof cc);
	cc.base.emit = col_emit;
	struct ike_state *s = ike_state_new();
	uint8_t b[64];
	size_t n = unhex("0000000000000001 0000000000000000 29 20 22 08 00000000 00000024 00000008 00004006", b, sizeof b);
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.src = "198.51.100.7";
	p.dst = "203.0.113.1";
	p.sport = p.dport = 500;
	p.sink = &cc.base;
	p.ike = s;
	for (uint32_t i = 0; i < 70000; i++) {
		b[4] = (uint8_t)(i >> 24); b[5] = (uint8_t)(i >> 16); b[6] = (uint8_t)(i >> 8); b[7] = (uint8_t)i;
		p.frame = i + 1;
		cc.n = 0;                   /* the collector keeps 4096 */
		ike_udp(&p, b, n);
		assert_int_equal(cc.n, 2);  /* exchange + COOKIE notify, every time */
	}
	assert_int_equal(ike_state_evictions(s), 65536);
	ike_state_free(s);
}

/* ---- every algorithm of the table: encrypt here with OpenSSL, decode ---- */

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 31 + i * 7 + 1);
}

static const EVP_CIPHER *tcipher(const struct ike_encr_spec *e)
{
	const char *m = e->mode == IKE_CM_CBC ? "CBC" : e->mode == IKE_CM_CTR ? "CTR" :
			e->mode == IKE_CM_GCM ? "GCM" : "CCM";
	char name[32];
	if (!strcmp(e->cipher, "des-ede3"))
		return EVP_des_ede3_cbc();
	snprintf(name, sizeof name, "AES-%u-%s", e->key_len * 8, m);
	return EVP_get_cipherbyname(name);
}

/* Builds an IKE_AUTH response SK{IDr, N(AUTH_LIFETIME)} under k. */
static size_t build_sk(const struct ike_sa_keys *k, uint8_t *b, int corrupt_icv)
{
	const struct ike_encr_spec *e = k->encr;
	unsigned ivl, icvl;
	ike_crypt_lens(k, &ivl, &icvl);
	uint8_t plain[128];
	size_t pn = unhex("2900000f 02000000 6875622e6c6162" "0000000c 00004013 00000e10", plain, sizeof plain);
	size_t bl = e->block_len;
	size_t pad = (bl - (pn + 1) % bl) % bl;
	memset(plain + pn, 0, pad);
	pn += pad;
	plain[pn++] = (uint8_t)pad;
	size_t n = unhex("1111111111111111 2222222222222222 2e 20 23 20 00000001 00000000", b, 64);
	size_t body = 4 + ivl + pn + icvl;
	b[26] = (uint8_t)((28 + body) >> 8);
	b[27] = (uint8_t)(28 + body);
	b[n++] = 36;
	b[n++] = 0;
	b[n++] = (uint8_t)(body >> 8);
	b[n++] = (uint8_t)body;
	uint8_t *iv = b + n;
	fill(iv, ivl, 3);
	n += ivl;
	const uint8_t *ke = k->sk_er, *ka = k->sk_ar;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int l = 0;
	uint8_t blk[16];
	switch (e->mode) {
	case IKE_CM_NULL:
		memcpy(b + n, plain, pn);
		break;
	case IKE_CM_CBC:
		EVP_EncryptInit_ex(c, tcipher(e), NULL, ke, iv);
		EVP_CIPHER_CTX_set_padding(c, 0);
		EVP_EncryptUpdate(c, b + n, &l, plain, (int)pn);
		break;
	case IKE_CM_CTR:
		memcpy(blk, ke + e->key_len, 4);
		memcpy(blk + 4, iv, 8);
		blk[12] = blk[13] = blk[14] = 0;
		blk[15] = 1;
		EVP_EncryptInit_ex(c, tcipher(e), NULL, ke, blk);
		EVP_EncryptUpdate(c, b + n, &l, plain, (int)pn);
		break;
	case IKE_CM_GCM: {
		uint8_t nonce[12];
		memcpy(nonce, ke + e->key_len, 4);
		memcpy(nonce + 4, iv, 8);
		EVP_EncryptInit_ex(c, tcipher(e), NULL, NULL, NULL);
		EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL);
		EVP_EncryptInit_ex(c, NULL, NULL, ke, nonce);
		EVP_EncryptUpdate(c, NULL, &l, b, (int)(n - ivl));
		EVP_EncryptUpdate(c, b + n, &l, plain, (int)pn);
		EVP_EncryptFinal_ex(c, b + n + l, &l);
		EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, (int)icvl, b + n + pn);
		break;
	}
	case IKE_CM_CCM: {
		uint8_t nonce[11];
		memcpy(nonce, ke + e->key_len, 3);
		memcpy(nonce + 3, iv, 8);
		EVP_EncryptInit_ex(c, tcipher(e), NULL, NULL, NULL);
		EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_CCM_SET_IVLEN, 11, NULL);
		EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_CCM_SET_TAG, (int)icvl, NULL);
		EVP_EncryptInit_ex(c, NULL, NULL, ke, nonce);
		EVP_EncryptUpdate(c, NULL, &l, NULL, (int)pn);
		EVP_EncryptUpdate(c, NULL, &l, b, (int)(n - ivl));
		EVP_EncryptUpdate(c, b + n, &l, plain, (int)pn);
		EVP_EncryptFinal_ex(c, b + n + l, &l);
		EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_CCM_GET_TAG, (int)icvl, b + n + pn);
		break;
	}
	}
	EVP_CIPHER_CTX_free(c);
	n += pn;
	if (!e->icv_len && icvl) {
		if (k->integ->md) {
			uint8_t mac[64];
			unsigned ml = 0;
			HMAC(EVP_get_digestbyname(k->integ->md), ka, k->len_ar, b, n, mac, &ml);
			memcpy(b + n, mac, icvl);
		} else {
			fill(b + n, icvl, 9);
		}
	}
	if (corrupt_icv)
		b[n] ^= 1;
	return n + icvl;
}

static void test_every_algorithm_round_trip(void **st)
{
	(void)st;
	static const char *const encr[] = {
		"NULL [RFC2410]", "3DES [RFC2451]", "AES-CBC-128 [RFC3602]", "AES-CBC-192 [RFC3602]",
		"AES-CBC-256 [RFC3602]", "AES-CTR-128 [RFC5930]", "AES-CTR-192 [RFC5930]",
		"AES-CTR-256 [RFC5930]",
		"AES-GCM-128 with 8 octet ICV [RFC5282]", "AES-GCM-192 with 12 octet ICV [RFC5282]",
		"AES-GCM-256 with 16 octet ICV [RFC5282]", "AES-CCM-128 with 8 octet ICV [RFC5282]",
		"AES-CCM-192 with 12 octet ICV [RFC5282]", "AES-CCM-256 with 16 octet ICV [RFC5282]",
	};
	static const char *const integ[] = {
		"HMAC_MD5_96 [RFC2403]", "HMAC_SHA1_96 [RFC2404]", "HMAC_MD5_128 [RFC4595]",
		"HMAC_SHA1_160 [RFC4595]", "HMAC_SHA2_256_96 [draft-ietf-ipsec-ciph-sha-256-00]",
		"HMAC_SHA2_256_128 [RFC4868]", "HMAC_SHA2_384_192 [RFC4868]", "HMAC_SHA2_512_256 [RFC4868]",
		"ANY 64-bits of Authentication [No Checking]", "ANY 96-bits of Authentication [No Checking]",
		"ANY 128-bits of Authentication [No Checking]", "ANY 160-bits of Authentication [No Checking]",
		"ANY 192-bits of Authentication [No Checking]", "ANY 256-bits of Authentication [No Checking]",
	};
	int runs = 0;
	for (size_t i = 0; i < sizeof encr / sizeof encr[0]; i++) {
		const struct ike_encr_spec *e = ike_encr_lookup(encr[i]);
		assert_non_null(e);
		int aead = e->mode == IKE_CM_GCM || e->mode == IKE_CM_CCM;
		size_t ni = aead ? 1 : sizeof integ / sizeof integ[0];
		for (size_t j = 0; j < ni; j++) {
			const char *in = aead ? "NONE [RFC4306]" : integ[j];
			const struct ike_integ_spec *g = ike_integ_lookup(in);
			assert_non_null(g);
			uint8_t kb[64];
			char row[700], ek[160], ak[160];
			fill(kb, e->key_len + e->salt_len, (unsigned)i);
			hex_encode(ek, sizeof ek, kb, e->key_len + e->salt_len);
			fill(kb, g->md ? g->key_len : 0, (unsigned)j + 50);
			hex_encode(ak, sizeof ak, kb, g->md ? g->key_len : 0);
			snprintf(row, sizeof row, "1111111111111111,2222222222222222,%s,%s,\"%s\",%s,%s,\"%s\"",
				 ek, ek, encr[i], ak, ak, in);
			char err[300];
			struct ike_keys *k = ike_keys_parse(row, strlen(row), err, sizeof err);
			if (!k)
				fprintf(stderr, "%s\n", err);
			assert_non_null(k);
			const struct ike_sa_keys *r = ike_keys_find(k, 0x1111111111111111ULL, 0x2222222222222222ULL);
			for (int bad = 0; bad < 2; bad++) {
				uint8_t b[512];
				size_t n = build_sk(r, b, bad);
				struct one *o = decode_one(b, n, 500, k);
				/* decoded even when the ICV is wrong, as tshark does */
				if (strcmp(one_field(o, "isakmp.notify.msgtype"), "16403"))
					fprintf(stderr, "%s / %s: notify '%s'\n", encr[i], in, one_field(o, "isakmp.notify.msgtype"));
				assert_string_equal(one_field(o, "isakmp.notify.msgtype"), "16403");
				assert_string_equal(one_field(o, "isakmp.id.type"), "2");
				int checked = aead || g->md;
				assert_int_equal(has_anomaly(&o->c, "icv-failed"), bad && checked);
				runs++;
			}
			ike_keys_free(k);
		}
	}
	assert_true(runs > 200);
}

/* RFC 7383: two encrypted fragments, reassembled on the second's frame. */
static void test_fragment_reassembly(void **st)
{
	(void)st;
	char err[200];
	const char *row = "1111111111111111,2222222222222222,,,\"NULL [RFC2410]\",,,\"ANY 96-bits of Authentication [No Checking]\"";
	struct ike_keys *k = ike_keys_parse(row, strlen(row), err, sizeof err);
	assert_non_null(k);
	/* the inner chain: IDi (FQDN) + EAP Response/Identity "dana", split after 10 bytes */
	uint8_t inner[64];
	size_t in = unhex("30000014 02000000 64616e612e6578616d706c65" "0000000d 0201000901 64616e61", inner, sizeof inner);
	static const char *const cols[] = {"isakmp.frag.number", "isakmp.id.type", "eap.code"};
	struct fields_opts fo = {'\t', '|', 'a', 0, 0};
	struct fields *f = fields_new(cols, 3, &fo);
	static struct col cc;
	memset(&cc, 0, sizeof cc);
	cc.base.emit = col_emit;
	struct ike_state *s = ike_state_new();
	for (int frag = 1; frag <= 2; frag++) {
		uint8_t b[128];
		size_t n = unhex("1111111111111111 2222222222222222 35 20 23 08 00000002 00000000", b, sizeof b);
		const uint8_t *part = frag == 1 ? inner : inner + 10;
		size_t pl = frag == 1 ? 10 : in - 10;
		size_t body = 4 + 4 + pl + 1 + 12;
		b[n++] = frag == 1 ? 35 : 0;
		b[n++] = 0;
		b[n++] = (uint8_t)(body >> 8);
		b[n++] = (uint8_t)body;
		b[n++] = 0;
		b[n++] = (uint8_t)frag;
		b[n++] = 0;
		b[n++] = 2;
		memcpy(b + n, part, pl);
		n += pl;
		b[n++] = 0;             /* pad length */
		memset(b + n, 0, 12);
		n += 12;
		b[27] = (uint8_t)n;
		struct pkt p;
		memset(&p, 0, sizeof p);
		p.frame = (uint64_t)frag;
		p.src = "198.51.100.7";
		p.dst = "203.0.113.1";
		p.sport = p.dport = 4500;
		p.sink = &cc.base;
		p.ike = s;
		p.ike_keys = k;
		p.fields = f;
		fields_reset(f);
		uint8_t u[140] = {0};
		memcpy(u + 4, b, n);        /* behind the non-ESP marker */
		ike_udp(&p, u, n + 4);
		assert_string_equal(fields_value(f, 0), frag == 1 ? "1" : "2");
		/* the inner payloads appear on the last fragment only */
		assert_string_equal(fields_value(f, 1), frag == 1 ? "" : "2");
	}
	const struct got *e = find(&cc, EVK_IKE_EAP, NULL);
	assert_non_null(e);
	assert_string_equal(e->user, "dana");
	assert_int_equal(e->pos, 2);
	assert_int_equal(count(&cc, EVK_IKE_EXCHANGE, 35), 1);
	ike_state_free(s);
	fields_free(f);
	ike_keys_free(k);
}

static void test_names(void **st)
{
	(void)st;
	assert_string_equal(ike_notify_name(2, 14), "NO_PROPOSAL_CHOSEN");
	assert_string_equal(ike_notify_name(2, 24), "AUTHENTICATION_FAILED");
	assert_string_equal(ike_notify_name(2, 36), "INTERNAL_ADDRESS_FAILURE");
	assert_string_equal(ike_notify_name(2, 16430), "IKEV2_FRAGMENTATION_SUPPORTED");
	assert_null(ike_notify_name(2, 12345));
	assert_string_equal(ike_exch_name(2, 35), "IKE_AUTH");
	assert_string_equal(ike_exch_name(1, 2), "Identity Protection (Main Mode)");
	assert_string_equal(ike_tf_id_name(1, 20), "ENCR_AES_GCM_16");
	const uint8_t sw[] = {0x88, 0x2f, 0xe5, 0x6d, 0x6f, 0xd2, 0x0d, 0xbc, 0x22, 0x51, 0x61, 0x3b,
			      0x2e, 0xbe, 0x5b, 0xeb};
	assert_string_equal(ike_vendor_name(sw, sizeof sw), "strongSwan");
	assert_string_equal(ike_vendor_name((const uint8_t *)"CISCO-GRE-MODE", 14), "Cisco GRE Mode");
	assert_null(ike_vendor_name(sw, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oracle_all_captures),
		cmocka_unit_test(test_oracle_decrypted),
		cmocka_unit_test(test_wireshark_auth_values),
		cmocka_unit_test(test_keys_parse),
		cmocka_unit_test(test_events_decrypted_sa),
		cmocka_unit_test(test_events_icv_failed_still_decoded),
		cmocka_unit_test(test_events_invalid_ke_and_fragments),
		cmocka_unit_test(test_events_no_proposal_chosen),
		cmocka_unit_test(test_events_retransmit_and_no_response),
		cmocka_unit_test(test_lab_identity_and_address),
		cmocka_unit_test(test_bad_header_length),
		cmocka_unit_test(test_bad_payload_length),
		cmocka_unit_test(test_payload_chain_cap),
		cmocka_unit_test(test_bad_sa_counts),
		cmocka_unit_test(test_notify_spi_too_long),
		cmocka_unit_test(test_ke_group_length),
		cmocka_unit_test(test_udp_4500),
		cmocka_unit_test(test_bad_fragments),
		cmocka_unit_test(test_unknown_critical_payload),
		cmocka_unit_test(test_sk_without_keys),
		cmocka_unit_test(test_null_sk_inner_payloads),
		cmocka_unit_test(test_anyconnect_eap),
		cmocka_unit_test(test_sa_table_cap),
		cmocka_unit_test(test_every_algorithm_round_trip),
		cmocka_unit_test(test_fragment_reassembly),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
