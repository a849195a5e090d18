/* radius: the bad-input list of hardening.md (RADIUS), secrets, pairing, events */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <pcap/pcap.h>

#include "core/event.h"
#include "core/input.h"
#include "core/str.h"
#include "decoders/capture.h"
#include "decoders/eap.h"
#include "decoders/fields.h"
#include "decoders/radius.h"
#include "decoders/secrets.h"

/* ---- a harness: raw IPv4/UDP frames into a capture, events recorded ---- */

#define MAXEV 1024

struct evrec {
	unsigned kind;
	uint64_t pos;
	int code, from, to;
	int64_t num, ts;
	const char *user, *text, *result, *state, *nas_ip, *server_ip, *raw, *client_ip;
	int radius_id;
};

static struct evrec evs[MAXEV];
static int nev;

static void rec_emit(struct ev_sink *s, struct ev *e)
{
	(void)s;
	if (nev >= MAXEV)
		return;
	struct evrec *r = &evs[nev++];
	r->kind = e->kind;
	r->pos = e->pos;
	r->code = e->code;
	r->from = e->from;
	r->to = e->to;
	r->num = e->num;
	r->ts = e->ts;
	r->user = e->user;
	r->text = e->text;
	r->result = e->result;
	r->state = e->state;
	r->nas_ip = e->nas_ip;
	r->server_ip = e->server_ip;
	r->client_ip = e->client_ip;
	r->radius_id = e->radius_id;
	r->raw = e->raw ? intern(e->raw, e->raw_len) : NULL;
}

static struct ev_sink sink = {rec_emit};

static const char *fnames[] = {"radius.code", "radius.avp.type", "radius.User_Name",
			       "radius.User_Password", "radius.authenticator.valid",
			       "radius.Tunnel_Password", "radius.Cisco_AVPair", "eap.code",
			       "eap.identity", "radius.avp.vendor_id", "radius.Reply_Message"};
enum { F_CODE, F_TYPES, F_USER, F_UPW, F_VALID, F_TPW, F_AVPAIR, F_EAPCODE, F_EAPID, F_VID,
       F_REPLY, F__N };

struct h {
	struct capture *c;
	struct fields *f;
	struct secrets *sec;
	char row[64][F__N][256];
	int nrow;
};

static void on_frame(void *ctx, const struct pkt *p, const uint8_t *d, size_t n)
{
	(void)p; (void)d; (void)n;
	struct h *h = ctx;
	if (h->nrow >= 64)
		return;
	for (int i = 0; i < F__N; i++)
		snprintf(h->row[h->nrow][i], sizeof h->row[0][0], "%s", fields_value(h->f, (size_t)i));
	h->nrow++;
}

static void h_open(struct h *h, const char *secret)
{
	memset(h, 0, sizeof *h);
	nev = 0;
	struct fields_opts fo = {'\t', '|', 'a', 0, 0};
	h->f = fields_new(fnames, F__N, &fo);
	char err[128];
	if (secret) {
		h->sec = secrets_new();
		assert_int_equal(secrets_add(h->sec, secret, err, sizeof err), 0);
	}
	struct capture_opts o = {.fields = h->f, .on_frame = on_frame, .on_frame_ctx = h,
				 .secrets = h->sec};
	h->c = capture_new(input_new("t.pcap", SRC_PCAP), &sink, &o);
}

static void h_close(struct h *h)
{
	capture_close(h->c);
	fields_free(h->f);
	secrets_free(h->sec);
}

/* one datagram a -> b (10.0.0.a:ap -> 10.0.0.b:bp); wire = UDP length
 * claimed (0: the payload's), cap = bytes captured (0: all) */
static void h_send(struct h *h, int64_t ts_ms, int a, int ap, int b, int bp, const uint8_t *pl,
		   size_t n, size_t wire, size_t cap)
{
	uint8_t f[5000];
	size_t ulen = (wire ? wire : n) + 8, tot = 20 + ulen;
	uint8_t hd[28] = {0x45, 0, (uint8_t)(tot >> 8), (uint8_t)tot, 0, 0, 0, 0, 64, 17, 0, 0,
			  10, 0, 0, (uint8_t)a, 10, 0, 0, (uint8_t)b,
			  (uint8_t)(ap >> 8), (uint8_t)ap, (uint8_t)(bp >> 8), (uint8_t)bp,
			  (uint8_t)(ulen >> 8), (uint8_t)ulen, 0, 0};
	memcpy(f, hd, 28);
	memcpy(f + 28, pl, n);
	size_t len = 28 + n;
	capture_frame(h->c, DLT_RAW, ts_ms * 1000000, f, cap ? 28 + cap : len, 20 + ulen);
}

/* a RADIUS packet: attrs as (type, len-of-value, value...) triplets built by hand */
static size_t pkt(uint8_t *b, int code, int id, const uint8_t *auth, const uint8_t *attrs,
		  size_t alen)
{
	b[0] = (uint8_t)code;
	b[1] = (uint8_t)id;
	size_t n = 20 + alen;
	b[2] = (uint8_t)(n >> 8);
	b[3] = (uint8_t)n;
	if (auth)
		memcpy(b + 4, auth, 16);
	else
		memset(b + 4, 0x11, 16);
	if (alen)
		memcpy(b + 20, attrs, alen);
	return n;
}

static int count(unsigned kind)
{
	int n = 0;
	for (int i = 0; i < nev; i++)
		n += evs[i].kind == kind;
	return n;
}

static const struct evrec *find(unsigned kind, const char *text)
{
	for (int i = 0; i < nev; i++)
		if (evs[i].kind == kind && (!text || (evs[i].text && !strcmp(evs[i].text, text))))
			return &evs[i];
	return NULL;
}

static int has_anomaly(const char *name)
{
	return find(EVK_RADIUS_ANOMALY, name) != NULL;
}

static const uint8_t user_alice[] = {1, 7, 'a', 'l', 'i', 'c', 'e'};

/* ---- header lengths ---- */

static void test_header_lengths(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[5000];
	h_open(&h, NULL);
	/* length 0 */
	size_t n = pkt(b, 1, 1, NULL, user_alice, sizeof user_alice);
	b[2] = b[3] = 0;
	h_send(&h, 0, 1, 1645, 2, 1812, b, n, 0, 0);
	/* length 19 */
	b[3] = 19;
	h_send(&h, 1, 1, 1645, 2, 1812, b, n, 0, 0);
	/* length 5000 (> 4096) */
	b[2] = 5000 >> 8;
	b[3] = 5000 & 0xff;
	h_send(&h, 2, 1, 1645, 2, 1812, b, n, 0, 0);
	/* length > the UDP payload */
	b[2] = 0;
	b[3] = 200;
	h_send(&h, 3, 1, 1645, 2, 1812, b, n, 0, 0);
	/* a payload of 10 bytes */
	h_send(&h, 4, 1, 1645, 2, 1812, b, 10, 0, 0);
	/* an unknown code */
	n = pkt(b, 90, 1, NULL, user_alice, sizeof user_alice);
	h_send(&h, 5, 1, 1645, 2, 1812, b, n, 0, 0);
	/* the rest of the capture is still decoded: a sound request after them */
	n = pkt(b, 1, 2, NULL, user_alice, sizeof user_alice);
	h_send(&h, 6, 1, 1645, 2, 1812, b, n, 0, 0);
	h_close(&h);
	assert_true(has_anomaly("length-too-short"));
	assert_true(has_anomaly("length-too-long"));
	assert_true(has_anomaly("length-exceeds-payload"));
	assert_true(has_anomaly("short-packet"));
	assert_true(has_anomaly("unknown-code"));
	/* tshark does not see RADIUS in the first three: no fields */
	assert_string_equal(h.row[0][F_CODE], "");
	assert_string_equal(h.row[2][F_CODE], "");
	/* length > payload: the header, no attributes */
	assert_string_equal(h.row[3][F_CODE], "1");
	assert_string_equal(h.row[3][F_TYPES], "");
	assert_string_equal(h.row[6][F_USER], "alice");
	assert_int_equal(count(EVK_RADIUS_REQUEST), 1);
	assert_string_equal(find(EVK_RADIUS_REQUEST, NULL)->user, "alice");
}

static void test_trailing_garbage_ignored(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200];
	h_open(&h, NULL);
	size_t n = pkt(b, 1, 1, NULL, user_alice, sizeof user_alice);
	memcpy(b + n, "\x01\x05zzz\xff\xff", 7);      /* would be a second User-Name */
	h_send(&h, 0, 1, 1645, 2, 1812, b, n + 7, 0, 0);
	h_close(&h);
	assert_string_equal(h.row[0][F_TYPES], "1");
	assert_string_equal(h.row[0][F_USER], "alice");
	assert_int_equal(count(EVK_RADIUS_ANOMALY), 0);
	assert_int_equal(count(EVK_RADIUS_REQUEST), 1);
}

static void test_attribute_lengths(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200];
	h_open(&h, NULL);
	static const uint8_t a0[] = {1, 0, 'x', 'y'}, a1[] = {1, 1, 'x', 'y'},
		a2[] = {1, 2, 1, 3, 'b'}, past[] = {1, 9, 'x'};
	size_t n = pkt(b, 1, 1, NULL, a0, sizeof a0);
	h_send(&h, 0, 1, 1645, 2, 1812, b, n, 0, 0);
	n = pkt(b, 1, 2, NULL, a1, sizeof a1);
	h_send(&h, 1, 1, 1645, 2, 1812, b, n, 0, 0);
	n = pkt(b, 1, 3, NULL, a2, sizeof a2);
	h_send(&h, 2, 1, 1645, 2, 1812, b, n, 0, 0);
	n = pkt(b, 1, 4, NULL, past, sizeof past);
	h_send(&h, 3, 1, 1645, 2, 1812, b, n, 0, 0);
	n = pkt(b, 1, 5, NULL, user_alice, sizeof user_alice);
	h_send(&h, 4, 1, 1645, 2, 1812, b, n, 0, 0);
	h_close(&h);
	assert_string_equal(h.row[4][F_USER], "alice");
	assert_true(has_anomaly("attribute-length-invalid"));
	assert_true(has_anomaly("attribute-overruns-packet"));
	/* length 0 and 1 stop the walk before the type is listed (tshark) */
	assert_string_equal(h.row[0][F_TYPES], "");
	assert_string_equal(h.row[1][F_TYPES], "");
	/* an empty User-Name is an empty value, and the walk goes on */
	assert_string_equal(h.row[2][F_TYPES], "1|1");
	assert_string_equal(h.row[2][F_USER], "|b");
	assert_string_equal(h.row[3][F_TYPES], "");
}

static void test_last_attribute_cut_by_capture(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200];
	h_open(&h, NULL);
	static const uint8_t at[] = {1, 7, 'a', 'l', 'i', 'c', 'e', 31, 10, '0', '0', '-', '1',
				     '1', '-', '2', '2'};
	size_t n = pkt(b, 1, 1, NULL, at, sizeof at);
	h_send(&h, 0, 1, 1645, 2, 1812, b, n, n, n - 4);   /* 4 bytes not captured */
	h_close(&h);
	const struct evrec *e = find(EVK_RADIUS_ANOMALY, "truncated");
	assert_non_null(e);
	assert_string_equal(e->result, "truncated");
	assert_string_equal(h.row[0][F_USER], "alice");
	/* a cut packet is not paired: no request, no timeout */
	assert_int_equal(count(EVK_RADIUS_REQUEST), 0);
	assert_int_equal(count(EVK_RADIUS_TIMEOUT), 0);
}

static void test_vsa_lengths_and_avpair(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200];
	h_open(&h, NULL);
	/* vendor length < 6: no room for the vendor id */
	static const uint8_t v1[] = {26, 5, 0, 0, 9, 1, 7, 'a', 'l', 'i', 'c', 'e'};
	/* inner length larger than the outer */
	static const uint8_t v2[] = {26, 12, 0, 0, 0, 9, 1, 12, 'a', '=', 'b', 'c'};
	/* Cisco-AVPair without '=' */
	static const uint8_t v3[] = {26, 13, 0, 0, 0, 9, 1, 7, 'n', 'o', 'e', 'q', 's'};
	static const uint8_t v4[] = {26, 25, 0, 0, 0, 9, 1, 19, 's', 'h', 'e', 'l', 'l', ':',
				     'p', 'r', 'i', 'v', '-', 'l', 'v', 'l', '=', '1', '5'};
	size_t n = pkt(b, 1, 1, NULL, v1, sizeof v1);
	h_send(&h, 0, 1, 1645, 2, 1812, b, n, 0, 0);
	n = pkt(b, 1, 2, NULL, v2, sizeof v2);
	h_send(&h, 1, 1, 1645, 2, 1812, b, n, 0, 0);
	n = pkt(b, 1, 3, NULL, v3, sizeof v3);
	h_send(&h, 2, 1, 1645, 2, 1812, b, n, 0, 0);
	n = pkt(b, 1, 4, NULL, v4, sizeof v4);
	h_send(&h, 3, 1, 1645, 2, 1812, b, n, 0, 0);
	h_close(&h);
	/* the short VSA is skipped and the walk goes on to the User-Name */
	assert_string_equal(h.row[0][F_TYPES], "1");
	assert_string_equal(h.row[0][F_USER], "alice");
	assert_string_equal(h.row[1][F_VID], "9");
	assert_string_equal(h.row[2][F_AVPAIR], "noeqs");
	assert_string_equal(h.row[3][F_AVPAIR], "shell:priv-lvl=15");
}

static void test_vsa_anomalies_named(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200];
	h_open(&h, NULL);
	static const uint8_t v1[] = {26, 5, 0, 0, 9};
	static const uint8_t v2[] = {26, 12, 0, 0, 0, 9, 1, 12, 'a', '=', 'b', 'c'};
	static const uint8_t v3[] = {26, 13, 0, 0, 0, 9, 1, 7, 'n', 'o', 'e', 'q', 's'};
	size_t n = pkt(b, 1, 1, NULL, v1, sizeof v1);
	h_send(&h, 0, 1, 1645, 2, 1812, b, n, 0, 0);
	n = pkt(b, 1, 2, NULL, v2, sizeof v2);
	h_send(&h, 1, 1, 1645, 2, 1812, b, n, 0, 0);
	n = pkt(b, 1, 3, NULL, v3, sizeof v3);
	h_send(&h, 2, 1, 1645, 2, 1812, b, n, 0, 0);
	h_close(&h);
	assert_true(has_anomaly("vsa-too-short"));
	assert_true(has_anomaly("vsa-attribute-overruns"));
	assert_true(has_anomaly("cisco-avpair-malformed"));
}

static void test_strings_nul_and_utf8(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200];
	h_open(&h, NULL);
	/* a NUL inside, invalid UTF-8, an ANSI escape: escaped, cut at NUL */
	static const uint8_t u1[] = {1, 8, 'b', 'o', 'b', 0, 'x', 'y'};
	static const uint8_t u2[] = {1, 7, 0x1b, '[', '2', 'J', 0xff};
	size_t n = pkt(b, 1, 1, NULL, u1, sizeof u1);
	h_send(&h, 0, 1, 1645, 2, 1812, b, n, 0, 0);
	n = pkt(b, 1, 2, NULL, u2, sizeof u2);
	h_send(&h, 1, 1, 1645, 2, 1812, b, n, 0, 0);
	h_close(&h);
	assert_string_equal(h.row[0][F_USER], "bob");
	assert_string_equal(h.row[1][F_USER], "\\x1b[2J\\xff");
	/* the event's user is the raw value (output escapes it), never past NUL */
	const struct evrec *e = find(EVK_RADIUS_REQUEST, NULL);
	assert_non_null(e);
	assert_string_equal(e->user, "bob");
	for (int i = 0; i < nev; i++)
		if (evs[i].raw)
			assert_null(strchr(evs[i].raw, 0x1b));
}

static void test_tag_and_message_authenticator(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200];
	h_open(&h, NULL);
	/* Tunnel-Type (64) with a tag and nothing else; MA of 3 bytes */
	static const uint8_t at[] = {64, 3, 1, 80, 5, 0xaa, 0xbb, 0xcc};
	size_t n = pkt(b, 2, 1, NULL, at, sizeof at);
	h_send(&h, 0, 2, 1812, 1, 1645, b, n, 0, 0);
	h_close(&h);
	assert_true(has_anomaly("tag-without-value"));
	assert_true(has_anomaly("message-authenticator-length"));
	assert_true(has_anomaly("response-without-request"));
}

/* ---- pairing ---- */

static void test_retransmit_vs_reused_id(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200], a1[16], a2[16];
	memset(a1, 1, 16);
	memset(a2, 2, 16);
	h_open(&h, NULL);
	size_t n = pkt(b, 1, 7, a1, user_alice, sizeof user_alice);
	h_send(&h, 0, 1, 1645, 2, 1812, b, n, 0, 0);
	h_send(&h, 3000, 1, 1645, 2, 1812, b, n, 0, 0);    /* same id + authenticator */
	n = pkt(b, 1, 7, a2, user_alice, sizeof user_alice);
	h_send(&h, 6000, 1, 1645, 2, 1812, b, n, 0, 0);    /* reused id, new authenticator */
	uint8_t r[64];
	size_t rn = pkt(r, 2, 7, NULL, NULL, 0);
	h_send(&h, 6500, 2, 1812, 1, 1645, r, rn, 0, 0);
	h_close(&h);
	assert_int_equal(count(EVK_RADIUS_REQUEST), 2);
	assert_int_equal(count(EVK_RADIUS_RETRANSMIT), 1);
	assert_int_equal(count(EVK_RADIUS_RESPONSE), 1);
	/* the first request was never answered: it ended when its id was reused */
	assert_int_equal(count(EVK_RADIUS_TIMEOUT), 1);
	const struct evrec *resp = find(EVK_RADIUS_RESPONSE, NULL);
	assert_string_equal(resp->user, "alice");
	assert_int_equal(resp->num, 500000);              /* latency from the new request */
	assert_string_equal(resp->result, "accept");
	/* events leave in time order */
	for (int i = 1; i < nev; i++)
		assert_true(evs[i].ts >= evs[i - 1].ts);
}

static void test_256_outstanding_and_timeouts(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200], a[16];
	h_open(&h, NULL);
	for (int i = 0; i < 256; i++) {
		memset(a, i, 16);
		size_t n = pkt(b, 1, i, a, user_alice, sizeof user_alice);
		h_send(&h, i, 1, 1645, 2, 1812, b, n, 0, 0);
	}
	/* the id wraps: 0 again with a new authenticator */
	memset(a, 0xee, 16);
	size_t n = pkt(b, 1, 0, a, user_alice, sizeof user_alice);
	h_send(&h, 300, 1, 1645, 2, 1812, b, n, 0, 0);
	/* answers for ids 1..10 */
	for (int i = 1; i <= 10; i++) {
		uint8_t r[64];
		size_t rn = pkt(r, 3, i, NULL, NULL, 0);
		h_send(&h, 400 + i, 2, 1812, 1, 1645, r, rn, 0, 0);
	}
	/* much later: the window passes for the rest */
	h_send(&h, 100000, 5, 1000, 6, 1812, b, n, 0, 0);
	int timeouts_before_end = count(EVK_RADIUS_TIMEOUT);
	h_close(&h);
	assert_int_equal(count(EVK_RADIUS_REQUEST), 256 + 1 + 1);
	assert_int_equal(count(EVK_RADIUS_RESPONSE), 10);
	/* ids 11..255 and the second id 0 time out in the window; the first
	 * id 0 when its id was reused */
	assert_int_equal(timeouts_before_end, 245 + 1 + 1);
	/* the last request times out at the end of the capture */
	int end = 0;
	for (int i = 0; i < nev; i++)
		if (evs[i].kind == EVK_RADIUS_TIMEOUT && !strcmp(evs[i].result, "capture-end"))
			end++;
	assert_int_equal(end, 1);
	assert_false(has_anomaly("response-without-request"));
}

static void test_response_without_request_and_duplicate(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200], r[64];
	h_open(&h, NULL);
	size_t rn = pkt(r, 3, 9, NULL, NULL, 0);
	h_send(&h, 0, 2, 1812, 1, 1645, r, rn, 0, 0);       /* nobody asked */
	size_t n = pkt(b, 1, 3, NULL, user_alice, sizeof user_alice);
	h_send(&h, 10, 1, 1645, 2, 1812, b, n, 0, 0);
	rn = pkt(r, 3, 3, NULL, NULL, 0);
	h_send(&h, 20, 2, 1812, 1, 1645, r, rn, 0, 0);
	h_send(&h, 30, 2, 1812, 1, 1645, r, rn, 0, 0);      /* the same answer again */
	h_close(&h);
	assert_true(has_anomaly("response-without-request"));
	assert_true(has_anomaly("duplicate-response"));
	assert_int_equal(count(EVK_RADIUS_RESPONSE), 2);    /* the orphan and the answer */
	assert_int_equal(count(EVK_RADIUS_TIMEOUT), 0);
}

static void test_challenge_loop(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200], r[200], a[16];
	h_open(&h, NULL);
	uint8_t state[18] = {24, 18};
	for (int i = 0; i < 70; i++) {
		uint8_t at[64];
		size_t an = 0;
		memcpy(at, user_alice, sizeof user_alice);
		an = sizeof user_alice;
		if (i) {
			memcpy(at + an, state, 18);
			an += 18;
		}
		memset(a, i, 16);
		size_t n = pkt(b, 1, i, a, at, an);
		h_send(&h, i * 10, 1, 1645, 2, 1812, b, n, 0, 0);
		state[2] = (uint8_t)i;      /* a new State each round */
		size_t rn = pkt(r, 11, i, NULL, state, 18);
		h_send(&h, i * 10 + 5, 2, 1812, 1, 1645, r, rn, 0, 0);
	}
	h_close(&h);
	assert_true(has_anomaly("challenge-loop"));
	assert_int_equal(count(EVK_RADIUS_RESPONSE), 70);
}

static void test_icmp_port_unreachable(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200];
	h_open(&h, NULL);
	size_t n = pkt(b, 1, 5, NULL, user_alice, sizeof user_alice);
	h_send(&h, 0, 1, 1645, 2, 1812, b, n, 0, 0);
	/* 10.0.0.2 -> 10.0.0.1 ICMP 3/3 quoting the datagram */
	uint8_t f[300] = {0x45, 0, 0, 0, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1,
			  3, 3, 0, 0, 0, 0, 0, 0};
	uint8_t q[28 + 64] = {0x45, 0, 0, 0, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
			      0x06, 0x6d, 0x07, 0x14, 0, (uint8_t)(n + 8), 0, 0};
	q[2] = (uint8_t)((28 + n) >> 8);
	q[3] = (uint8_t)(28 + n);
	memcpy(q + 28, b, n);
	memcpy(f + 28, q, 28 + n);
	size_t fl = 28 + 28 + n;
	f[2] = (uint8_t)(fl >> 8);
	f[3] = (uint8_t)fl;
	capture_frame(h.c, DLT_RAW, 100 * 1000000LL, f, fl, fl);
	h_close(&h);
	const struct evrec *e = find(EVK_RADIUS_UNREACHABLE, NULL);
	assert_non_null(e);
	assert_string_equal(e->result, "port-unreachable");
	assert_string_equal(e->user, "alice");
	assert_string_equal(e->server_ip, "10.0.0.2");
	/* the quote is not a second request */
	assert_int_equal(count(EVK_RADIUS_REQUEST), 1);
	assert_int_equal(count(EVK_RADIUS_RETRANSMIT), 0);
}

/* Calling-Station-Id names the VPN client: a bare address (IOS) or
 * strongSwan's "address[port]" becomes the request's client_ip; anything
 * else (a MAC, a phone number) does not */
static void test_calling_station_client_ip(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200], a[16];
	h_open(&h, NULL);
	static const char *const cs[] = {"10.197.243.98", "10.99.0.1[4500]", "fc00::5[500]",
					 "00-11-22-33-44-55", "10.99.0.1[4500", "[4500]"};
	static const char *const want[] = {"10.197.243.98", "10.99.0.1", "fc00::5", NULL, NULL, NULL};
	for (int i = 0; i < 6; i++) {
		uint8_t at[64];
		size_t n = strlen(cs[i]);
		memcpy(at, user_alice, sizeof user_alice);
		at[sizeof user_alice] = 31;
		at[sizeof user_alice + 1] = (uint8_t)(n + 2);
		memcpy(at + sizeof user_alice + 2, cs[i], n);
		memset(a, i + 1, 16);
		size_t pn = pkt(b, 1, 10 + i, a, at, sizeof user_alice + 2 + n);
		h_send(&h, i, 1, 1645, 2, 1812, b, pn, 0, 0);
	}
	h_close(&h);
	int k = 0;
	for (int i = 0; i < nev; i++) {
		if (evs[i].kind != EVK_RADIUS_REQUEST)
			continue;
		assert_true(k < 6);
		if (want[k])
			assert_string_equal(evs[i].client_ip, want[k]);
		else
			assert_null(evs[i].client_ip);
		k++;
	}
	assert_int_equal(k, 6);
}

/* ---- roles ---- */

static void test_proxy_roles(void **st)
{
	(void)st;
	struct h h;
	uint8_t b[200], a[16];
	h_open(&h, NULL);
	memset(a, 3, 16);
	/* headend .1 -> proxy .2:1812; proxy .2 -> primary .3:1812; answers back */
	size_t n = pkt(b, 1, 1, a, user_alice, sizeof user_alice);
	h_send(&h, 0, 1, 1645, 2, 1812, b, n, 0, 0);
	memset(a, 4, 16);
	n = pkt(b, 1, 40, a, user_alice, sizeof user_alice);
	h_send(&h, 5, 2, 40000, 3, 1812, b, n, 0, 0);
	uint8_t r[64];
	size_t rn = pkt(r, 3, 40, NULL, NULL, 0);
	h_send(&h, 50, 3, 1812, 2, 40000, r, rn, 0, 0);
	rn = pkt(r, 3, 1, NULL, NULL, 0);
	h_send(&h, 60, 2, 1812, 1, 1645, r, rn, 0, 0);
	h_close(&h);
	assert_int_equal(nev, 4);
	assert_int_equal(evs[0].from, ROLE_HEADEND);
	assert_int_equal(evs[0].to, ROLE_PROXY);
	assert_int_equal(evs[1].from, ROLE_PROXY);
	assert_int_equal(evs[1].to, ROLE_PRIMARY);
	assert_int_equal(evs[2].from, ROLE_PRIMARY);
	assert_int_equal(evs[2].to, ROLE_PROXY);
	assert_int_equal(evs[2].code, 3);
	assert_string_equal(evs[2].user, "alice");
	assert_int_equal(evs[3].from, ROLE_PROXY);
	assert_int_equal(evs[3].to, ROLE_HEADEND);
}

/* ---- secrets ---- */

/* frames 1 (Access-Request, User-Password "bad") and 2 (its Access-Challenge)
 * of the Wireshark wiki radius_localhost capture, secret testing123 */
static const char req_hex[] =
	"0167005740b664dbf5d681b2adbd1769515118c8010773746576650212dbc6c4b758be14f005b3877c"
	"9e2fb6010406c0a8001c05060000007b50125f0f8647e8c89bd881364268fcd045324f0c0266000a01"
	"7374657665";

static size_t unhex(uint8_t *o, const char *h)
{
	size_t n = 0;
	for (; h[0] && h[1]; h += 2) {
		unsigned v;
		sscanf(h, "%2x", &v);
		o[n++] = (uint8_t)v;
	}
	return n;
}

static void test_user_password_and_ma(void **st)
{
	(void)st;
	uint8_t b[400];
	size_t n = unhex(b, req_hex);
	assert_int_equal(n, 87);
	struct h h;
	h_open(&h, "testing123");
	h_send(&h, 0, 1, 53031, 2, 1812, b, n, 0, 0);
	h_close(&h);
	assert_string_equal(h.row[0][F_UPW], "<ok>");
	assert_int_equal(count(EVK_RADIUS_BAD_AUTH), 0);
	/* the wrong secret: the password does not decrypt, MA does not verify */
	h_open(&h, "10.0.0.2=wrong");
	h_send(&h, 0, 1, 53031, 2, 1812, b, n, 0, 0);
	h_close(&h);
	assert_string_equal(h.row[0][F_UPW], "<undecodable>");
	const struct evrec *e = find(EVK_RADIUS_BAD_AUTH, NULL);
	assert_non_null(e);
	assert_string_equal(e->result, "Message-Authenticator");
	assert_non_null(strstr(e->text, "User-Password"));
	assert_non_null(strstr(e->text, "10.0.0.2"));
	/* a secret for another server is not used on this leg */
	h_open(&h, "10.0.0.9=testing123");
	h_send(&h, 0, 1, 53031, 2, 1812, b, n, 0, 0);
	h_close(&h);
	assert_string_equal(h.row[0][F_UPW], "");
	/* no password text anywhere in the events */
	for (int i = 0; i < nev; i++)
		assert_true(!evs[i].raw || !strstr(evs[i].raw, "bad"));
}

static void test_secrets_parse(void **st)
{
	(void)st;
	struct secrets *s = secrets_new();
	char err[128];
	size_t n;
	assert_int_equal(secrets_add(s, "10.0.0.1=a=b", err, sizeof err), 0);
	assert_int_equal(secrets_add(s, "x=y", err, sizeof err), 0);     /* not an IP: all of it */
	assert_int_equal(secrets_add(s, "2001:db8:0::1=v6", err, sizeof err), 0);
	assert_int_equal(secrets_add(s, "", err, sizeof err), -1);
	const uint8_t *v = secrets_for(s, "10.0.0.1", &n);
	assert_int_equal(n, 3);
	assert_memory_equal(v, "a=b", 3);
	v = secrets_for(s, "2001:db8::1", &n);
	assert_memory_equal(v, "v6", 2);
	v = secrets_for(s, "192.0.2.1", &n);
	assert_int_equal(n, 3);
	assert_memory_equal(v, "x=y", 3);
	secrets_free(s);
}

/* ---- the hold queue and the request index: events leave whole and in
 * order through the ring's growth and wrap, and early (oldest first) when
 * it is full; answers find their requests after many evictions from the
 * index ---- */

#define HQ_N 100000
static struct hq {
	uint64_t pos;
	unsigned kind;
	const char *raw, *user, *nas_ip;
	int radius_id;
	int64_t num;
} *hq;
static int nhq;

static void hq_emit(struct ev_sink *s, struct ev *e)
{
	(void)s;
	if (nhq >= 2 * HQ_N || (e->kind != EVK_RADIUS_REQUEST && e->kind != EVK_RADIUS_RESPONSE))
		return;
	struct hq *q = &hq[nhq++];
	q->pos = e->pos;
	q->kind = e->kind;
	q->raw = intern(e->raw, e->raw_len);
	q->user = e->user;
	q->nas_ip = e->nas_ip;
	q->radius_id = e->radius_id;
	q->num = e->num;
}

static void hq_user(char *u, int i)
{
	/* 1..70 bytes, so records differ in size */
	int n = 1 + (i * 7919) % 70;
	for (int k = 0; k < n; k++)
		u[k] = (char)('a' + (i + k) % 26);
	u[n] = 0;
}

static void hq_send(struct capture *c, int64_t ms, int k, int i, int code)
{
	int cli = 1 + i % 200, cport = 1024 + (i / 200) % 8, id = (i / 1600) % 256;
	char u[80];
	hq_user(u, i);
	uint8_t attrs[100], b[200], f[300];
	attrs[0] = 1;
	attrs[1] = (uint8_t)(2 + strlen(u));
	memcpy(attrs + 2, u, strlen(u));
	size_t n = code == 1 ? pkt(b, 1, id, NULL, attrs, attrs[1]) : pkt(b, code, id, NULL, NULL, 0);
	size_t ulen = n + 8, tot = 20 + ulen;
	int resp = code != 1;
	int a = resp ? 250 : cli, ap = resp ? 1812 : cport, bb = resp ? cli : 250, bp = resp ? cport : 1812;
	uint8_t hd[28] = {0x45, 0, (uint8_t)(tot >> 8), (uint8_t)tot, 0, 0, 0, 0, 64, 17, 0, 0,
			  10, 0, 1, (uint8_t)a, 10, 0, 1, (uint8_t)bb,
			  (uint8_t)(ap >> 8), (uint8_t)ap, (uint8_t)(bp >> 8), (uint8_t)bp,
			  (uint8_t)(ulen >> 8), (uint8_t)ulen, 0, 0};
	memcpy(f, hd, 28);
	memcpy(f + 28, b, n);
	capture_frame(c, DLT_RAW, ms * 1000000 + k, f, 28 + n, 28 + n);
}

static void test_hold_queue_and_index(void **st)
{
	(void)st;
	hq = calloc(2 * HQ_N, sizeof *hq);
	assert_non_null(hq);
	nhq = 0;
	struct ev_sink qs = {hq_emit};
	struct capture_opts o = {0};
	struct capture *c = capture_new(input_new("hq.pcap", SRC_PCAP), &qs, &o);
	/* 30 000 requests and answers over 6 s (the queue cycles), then
	 * 70 000 requests in the same millisecond (past HOLD_MAX) */
	int early = -1;
	for (int i = 0; i < HQ_N; i++) {
		int64_t ms = i < 30000 ? i / 5 : 6000;
		hq_send(c, ms, 0, i, 1);
		if (i < 30000 && i % 3 == 0)
			hq_send(c, ms, 1, i, 2);
		if (i == 30000)
			early = nhq;
	}
	/* answers, 1 ms later, for the newest 1000 (found in the request
	 * index after ~35 000 evictions from it) and for the first of the
	 * burst (evicted: no request) */
	for (int i = HQ_N - 1000; i < HQ_N; i++)
		hq_send(c, 6001, 0, i, 2);
	hq_send(c, 6001, 1, 30000, 2);
	int before_end = nhq;
	capture_close(c);
	/* every request and answer came out once, in capture order */
	assert_int_equal(nhq, HQ_N + 10000 + 1001);
	assert_true(early > 0 && early < 30000 + 10000);   /* the first phase cycled */
	assert_true(before_end >= early + 70000 - 65536);  /* full: the oldest left early */
	assert_true(before_end < nhq);
	int req = 0;
	for (int k = 0; k < nhq; k++) {
		const struct hq *q = &hq[k];
		if (k)
			assert_true(q->pos > hq[k - 1].pos);
		if (q->kind == EVK_RADIUS_RESPONSE) {
			assert_true(strstr(q->raw, "RADIUS Access-Accept id=") == q->raw);
			if (k < nhq - 1001)
				assert_int_equal(q->num, 0);        /* paired, same ms */
			else if (k < nhq - 1)
				assert_int_equal(q->num, 1000);     /* paired, 1 ms */
			else
				assert_int_equal(q->num, -1);       /* its request was evicted */
			continue;
		}
		int i = req++;
		char u[80], want[200], ip[16];
		hq_user(u, i);
		size_t ulen = strlen(u);
		snprintf(want, sizeof want, "RADIUS Access-Request id=%d len=%zu user=%s", (i / 1600) % 256,
			 20 + 2 + ulen, u);
		assert_string_equal(q->raw, want);
		assert_string_equal(q->user, u);
		snprintf(ip, sizeof ip, "10.0.1.%d", 1 + i % 200);
		assert_string_equal(q->nas_ip, ip);
		assert_int_equal(q->radius_id, (i / 1600) % 256);
	}
	assert_int_equal(req, HQ_N);
	free(hq);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_lengths),
		cmocka_unit_test(test_trailing_garbage_ignored),
		cmocka_unit_test(test_attribute_lengths),
		cmocka_unit_test(test_last_attribute_cut_by_capture),
		cmocka_unit_test(test_vsa_lengths_and_avpair),
		cmocka_unit_test(test_vsa_anomalies_named),
		cmocka_unit_test(test_strings_nul_and_utf8),
		cmocka_unit_test(test_tag_and_message_authenticator),
		cmocka_unit_test(test_retransmit_vs_reused_id),
		cmocka_unit_test(test_256_outstanding_and_timeouts),
		cmocka_unit_test(test_response_without_request_and_duplicate),
		cmocka_unit_test(test_challenge_loop),
		cmocka_unit_test(test_icmp_port_unreachable),
		cmocka_unit_test(test_calling_station_client_ip),
		cmocka_unit_test(test_proxy_roles),
		cmocka_unit_test(test_user_password_and_ma),
		cmocka_unit_test(test_secrets_parse),
		cmocka_unit_test(test_hold_queue_and_index),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	input_reset_all();
	str_shutdown();
	return r;
}
