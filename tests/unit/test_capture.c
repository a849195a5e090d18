/* capture: link layers, IPv4/IPv6, fragments, UDP dispatch, pcap damage */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <pcap/pcap.h>

#include "core/event.h"
#include "core/input.h"
#include "core/str.h"
#include "decoders/capture.h"
#include "decoders/fields.h"
#include "decoders/ipreasm.h"
#include "ingest/streams.h"

static const char *names[] = {"frame.number", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
			      "udp.srcport", "udp.dstport", "radius.code", "radius.id",
			      "frame.time_epoch", "frame.len"};
enum { F_NUM, F_IPSRC, F_IPDST, F_6SRC, F_6DST, F_SPORT, F_DPORT, F_CODE, F_ID, F_TIME, F_LEN,
       F__N };

struct rec {
	struct fields *f;
	char v[8][F__N][128];
	int n;
};

static void on_frame(void *ctx, const struct pkt *p, const uint8_t *d, size_t n)
{
	(void)p; (void)d; (void)n;
	struct rec *r = ctx;
	if (r->n >= 8)
		return;
	for (int i = 0; i < F__N; i++)
		snprintf(r->v[r->n][i], sizeof r->v[0][0], "%s", fields_value(r->f, (size_t)i));
	r->n++;
}

static struct capture *mk(struct rec *r, const struct port_map *pm)
{
	memset(r, 0, sizeof *r);
	struct fields_opts fo = {'\t', '|', 'a', 0, 0};
	r->f = fields_new(names, F__N, &fo);
	struct capture_opts o = {.fields = r->f, .on_frame = on_frame, .on_frame_ctx = r,
				 .ports = pm};
	return capture_new(input_new("t.pcap", SRC_PCAP), NULL, &o);
}

static void done(struct capture *c, struct rec *r)
{
	capture_close(c);
	fields_free(r->f);
}

/* an IPv4/UDP datagram carrying a RADIUS Access-Request header */
static size_t ip4_udp(uint8_t *b, uint16_t sport, uint16_t dport, uint16_t id, uint16_t frag,
		      const uint8_t *pl, size_t plen)
{
	size_t tot = 20 + 8 + plen;
	uint8_t h[28] = {0x45, 0, (uint8_t)(tot >> 8), (uint8_t)tot, (uint8_t)(id >> 8), (uint8_t)id,
			 (uint8_t)(frag >> 8), (uint8_t)frag, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
			 (uint8_t)(sport >> 8), (uint8_t)sport, (uint8_t)(dport >> 8), (uint8_t)dport,
			 (uint8_t)((plen + 8) >> 8), (uint8_t)(plen + 8), 0, 0};
	memcpy(b, h, 28);
	memcpy(b + 28, pl, plen);
	return tot;
}

static uint8_t radius_req[20] = {1, 7, 0, 20};

static void test_ethernet_vlan_qinq(void **st)
{
	(void)st;
	struct rec r;
	struct capture *c = mk(&r, NULL);
	uint8_t f[200] = {0};
	/* two tags (QinQ 0x88a8 then 0x8100), then IPv4 */
	memcpy(f + 12, "\x88\xa8\x00\x32\x81\x00\x00\x05\x08\x00", 10);
	size_t n = 22 + ip4_udp(f + 22, 40000, 1812, 1, 0, radius_req, 20);
	capture_frame(c, DLT_EN10MB, 1700000000123456789LL, f, n, n);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0][F_NUM], "1");
	assert_string_equal(r.v[0][F_TIME], "1700000000.123456789");
	assert_string_equal(r.v[0][F_IPSRC], "10.0.0.1");
	assert_string_equal(r.v[0][F_IPDST], "10.0.0.2");
	assert_string_equal(r.v[0][F_SPORT], "40000");
	assert_string_equal(r.v[0][F_DPORT], "1812");
	assert_string_equal(r.v[0][F_CODE], "1");
	assert_string_equal(r.v[0][F_ID], "7");
	done(c, &r);
}

static void test_sll_sll2_null_raw(void **st)
{
	(void)st;
	struct rec r;
	struct capture *c = mk(&r, NULL);
	uint8_t f[200] = {0};
	/* SLL: protocol at offset 14 */
	f[14] = 0x08;
	size_t n = 16 + ip4_udp(f + 16, 1645, 1000, 1, 0, radius_req, 20);
	capture_frame(c, DLT_LINUX_SLL, 0, f, n, n);
	/* SLL2: protocol first, 20-byte header */
	memset(f, 0, sizeof f);
	f[0] = 0x08;
	n = 20 + ip4_udp(f + 20, 1000, 1700, 1, 0, radius_req, 20);
	capture_frame(c, 276, 0, f, n, n);
	/* NULL in the other byte order (AF_INET = 2 big-endian) */
	memset(f, 0, sizeof f);
	f[3] = 2;
	n = 4 + ip4_udp(f + 4, 1000, 3799, 1, 0, radius_req, 20);
	capture_frame(c, DLT_NULL, 0, f, n, n);
	/* raw IPv4 */
	n = ip4_udp(f, 1000, 1813, 1, 0, radius_req, 20);
	capture_frame(c, DLT_RAW, 0, f, n, n);
	assert_int_equal(r.n, 4);
	for (int i = 0; i < 4; i++) {
		assert_string_equal(r.v[i][F_IPSRC], "10.0.0.1");
		assert_string_equal(r.v[i][F_CODE], "1");
	}
	assert_string_equal(r.v[1][F_DPORT], "1700");
	done(c, &r);
}

static void test_ipv6_ext_headers(void **st)
{
	(void)st;
	struct rec r;
	struct capture *c = mk(&r, NULL);
	uint8_t f[300] = {0};
	size_t o = 0;
	f[o] = 0x60;
	/* payload: hop-by-hop (8) + dest opts (8) + UDP 8 + 20 */
	f[o + 5] = 8 + 8 + 8 + 20;
	f[o + 6] = 0;                        /* next: hop-by-hop */
	f[o + 7] = 64;
	f[o + 8 + 15] = 1;                   /* src ::1 */
	f[o + 24 + 0] = 0x20;                /* dst 2001:db8::2 */
	f[o + 24 + 1] = 0x01;
	f[o + 24 + 2] = 0x0d;
	f[o + 24 + 3] = 0xb8;
	f[o + 24 + 15] = 2;
	o = 40;
	f[o] = 60;                           /* hop-by-hop -> dest opts */
	f[o + 8] = 17;                       /* dest opts -> UDP */
	o += 16;
	f[o] = 0x9c; f[o + 1] = 0x40;        /* 40000 */
	f[o + 2] = 0x07; f[o + 3] = 0x14;    /* 1812 */
	f[o + 5] = 28;
	memcpy(f + o + 8, radius_req, 20);
	size_t n = o + 28;
	capture_frame(c, DLT_RAW, 0, f, n, n);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0][F_6SRC], "::1");
	assert_string_equal(r.v[0][F_6DST], "2001:db8::2");
	assert_string_equal(r.v[0][F_DPORT], "1812");
	assert_string_equal(r.v[0][F_CODE], "1");
	assert_string_equal(r.v[0][F_IPSRC], "");
	done(c, &r);
}

static void test_ipv4_fragments_land_on_last(void **st)
{
	(void)st;
	struct rec r;
	struct capture *c = mk(&r, NULL);
	/* a 48-byte UDP datagram (8 + RADIUS 40) in two fragments: 24 + 24 */
	uint8_t rad[40] = {2, 9, 0, 40};
	uint8_t udpd[48] = {0x07, 0x14, 0x9c, 0x40, 0, 48, 0, 0};
	memcpy(udpd + 8, rad, 40);
	uint8_t f[100];
	uint8_t h[20] = {0x45, 0, 0, 44, 0x12, 0x34, 0x20, 0x00, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1};
	memcpy(f, h, 20);
	memcpy(f + 20, udpd, 24);
	capture_frame(c, DLT_RAW, 0, f, 44, 44);
	h[6] = 0x00;
	h[7] = 3;                            /* offset 24 bytes, last */
	memcpy(f, h, 20);
	memcpy(f + 20, udpd + 24, 24);
	capture_frame(c, DLT_RAW, 0, f, 44, 44);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.v[0][F_IPSRC], "10.0.0.2");
	assert_string_equal(r.v[0][F_SPORT], "");       /* not on the first fragment */
	assert_string_equal(r.v[0][F_CODE], "");
	assert_string_equal(r.v[1][F_SPORT], "1812");
	assert_string_equal(r.v[1][F_CODE], "2");
	assert_string_equal(r.v[1][F_ID], "9");
	done(c, &r);
}

static void test_reasm_caps_count_evictions(void **st)
{
	(void)st;
	struct reasm *ra = reasm_new();
	struct reasm_key k;
	memset(&k, 0, sizeof k);
	k.ver = 4;
	uint8_t d[8] = {0};
	const uint8_t *out;
	size_t olen;
	for (uint32_t i = 0; i < REASM_MAX_DGRAMS + 10; i++) {
		k.id = i;
		assert_int_equal(reasm_add(ra, &k, 0, 0, 1, d, 8, &out, &olen), 0);
	}
	assert_int_equal(reasm_evictions(ra), 10);
	/* a fragment past 64 KiB is refused */
	k.id = 99999;
	assert_int_equal(reasm_add(ra, &k, 0, 65532, 1, d, 8, &out, &olen), -1);
	/* time-out: an old datagram is dropped and counted */
	k.id = 5000;
	assert_int_equal(reasm_add(ra, &k, REASM_TIMEOUT_NS * 3, 0, 1, d, 8, &out, &olen), 0);
	assert_true(reasm_evictions(ra) >= 10 + REASM_MAX_DGRAMS);
	reasm_free(ra);
}

static void test_port_map(void **st)
{
	(void)st;
	struct port_map *pm = NULL;
	char err[128];
	assert_int_equal(port_map_add(&pm, "udp.port==18120,radius", err, sizeof err), 0);
	assert_int_equal(port_map_add(&pm, "udp.port==5000,isakmp", err, sizeof err), 0);
	assert_int_equal(port_map_add(&pm, "udp.port==0,radius", err, sizeof err), -1);
	assert_int_equal(port_map_add(&pm, "udp.port==1,dns", err, sizeof err), -1);
	assert_int_equal(port_map_add(&pm, "tcp.port==1,radius", err, sizeof err), -1);
	assert_int_equal(port_map_get(pm, 18120), CPROTO_RADIUS);
	assert_int_equal(port_map_get(pm, 5000), CPROTO_ISAKMP);
	assert_int_equal(port_map_get(pm, 1812), CPROTO_NONE);
	struct rec r;
	struct capture *c = mk(&r, pm);
	uint8_t f[100];
	size_t n = ip4_udp(f, 40000, 18120, 1, 0, radius_req, 20);
	capture_frame(c, DLT_RAW, 0, f, n, n);
	n = ip4_udp(f, 40000, 18121, 1, 0, radius_req, 20);
	capture_frame(c, DLT_RAW, 0, f, n, n);
	assert_string_equal(r.v[0][F_CODE], "1");
	assert_string_equal(r.v[1][F_CODE], "");
	done(c, &r);
	port_map_free(pm);
}

/* ---- files: a memory stream ---- */

struct count_sink {
	struct ev_sink base;
	int damaged;
	char text[256];
};

static void count_emit(struct ev_sink *self, struct ev *e)
{
	struct count_sink *s = (struct count_sink *)self;
	if (e->kind == EVK_INPUT_DAMAGED) {
		s->damaged++;
		snprintf(s->text, sizeof s->text, "%s", e->text);
	}
}

static size_t mk_pcap(uint8_t *b, int nframes, int cut)
{
	uint8_t gh[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			  0xff, 0xff, 0, 0, 101, 0, 0, 0};   /* LINKTYPE_RAW */
	memcpy(b, gh, 24);
	size_t o = 24;
	for (int i = 0; i < nframes; i++) {
		uint8_t pkt[100];
		size_t n = ip4_udp(pkt, 40000, 1812, 1, 0, radius_req, 20);
		uint8_t rh[16] = {(uint8_t)(i + 1), 0, 0, 0, 0, 0, 0, 0, (uint8_t)n, 0, 0, 0,
				  (uint8_t)n, 0, 0, 0};
		memcpy(b + o, rh, 16);
		memcpy(b + o + 16, pkt, n);
		o += 16 + n;
	}
	return o - (size_t)cut;
}

static int run_file(const uint8_t *b, size_t n, struct count_sink *cs, uint64_t *frames)
{
	struct stream *m = stream_mem_new(b, n);
	memset(cs, 0, sizeof *cs);
	cs->base.emit = count_emit;
	struct input *in = input_new("mem.pcap", SRC_PCAP);
	struct capture *c = capture_open(m, in, &cs->base, &(struct capture_opts){0});
	while (capture_step(c))
		;
	*frames = capture_frames(c);
	capture_close(c);
	m->close(m);
	return (int)in->nerr;
}

static void test_truncated_file_reported_once(void **st)
{
	(void)st;
	uint8_t b[4096];
	struct count_sink cs;
	uint64_t frames;
	size_t n = mk_pcap(b, 3, 0);
	assert_int_equal(run_file(b, n, &cs, &frames), 0);
	assert_int_equal(frames, 3);
	assert_int_equal(cs.damaged, 0);
	/* the last record cut short: two frames decoded, one error */
	n = mk_pcap(b, 3, 10);
	assert_int_equal(run_file(b, n, &cs, &frames), 1);
	assert_int_equal(frames, 2);
	assert_int_equal(cs.damaged, 1);
	assert_non_null(strstr(cs.text, "inside frame 3"));
	/* not a capture at all */
	memset(b, 'x', 64);
	assert_int_equal(run_file(b, 64, &cs, &frames), 1);
	assert_int_equal(frames, 0);
	assert_int_equal(cs.damaged, 1);
}

/* the pcap items of hardening.md section 3, on their seed corpus files */
static int run_path(const char *path, struct count_sink *cs, uint64_t *frames, int *codes)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static uint8_t b[1 << 20];
	size_t n = fread(b, 1, sizeof b, f);
	fclose(f);
	struct stream *m = stream_mem_new(b, n);
	memset(cs, 0, sizeof *cs);
	cs->base.emit = count_emit;
	struct rec r;
	memset(&r, 0, sizeof r);
	struct fields_opts fo = {'\t', '|', 'a', 0, 0};
	r.f = fields_new(names, F__N, &fo);
	struct capture_opts o = {.fields = r.f, .on_frame = on_frame, .on_frame_ctx = &r};
	struct input *in = input_new(path, SRC_PCAP);
	struct capture *c = capture_open(m, in, &cs->base, &o);
	while (capture_step(c))
		;
	*frames = capture_frames(c);
	capture_close(c);
	m->close(m);
	*codes = 0;
	for (int i = 0; i < r.n; i++)
		*codes += r.v[i][F_CODE][0] != 0;
	fields_free(r.f);
	return (int)in->nerr;
}

#define SEED "fuzz/corpus/fuzz_pcap/"

static void test_pcap_bad_inputs(void **st)
{
	(void)st;
	struct count_sink cs;
	uint64_t frames;
	int codes;
	/* big-endian and nanosecond files read like the usual one */
	assert_int_equal(run_path(SEED "bad-swapped-magic", &cs, &frames, &codes), 0);
	assert_int_equal(frames, 2);
	assert_int_equal(codes, 2);
	assert_int_equal(run_path(SEED "bad-nanosecond-magic", &cs, &frames, &codes), 0);
	assert_int_equal(codes, 2);
	/* snaplen 0 and 2^31: libpcap takes its own limit; both frames decode */
	assert_int_equal(run_path(SEED "bad-snaplen-0", &cs, &frames, &codes), 0);
	assert_int_equal(codes, 2);
	assert_int_equal(run_path(SEED "bad-snaplen-2g", &cs, &frames, &codes), 0);
	assert_int_equal(codes, 2);
	/* caplen over the snaplen: the frame is cut to the snaplen, not trusted */
	run_path(SEED "bad-caplen-gt-snaplen", &cs, &frames, &codes);
	assert_true(cs.damaged <= 1);
	/* a record of 300 000 bytes: refused, reported once, nothing after it */
	assert_int_equal(run_path(SEED "bad-caplen-gt-256k", &cs, &frames, &codes), 1);
	assert_int_equal(cs.damaged, 1);
	assert_int_equal(frames, 0);
	/* caplen > len: decoded from what was captured */
	run_path(SEED "bad-caplen-gt-len", &cs, &frames, &codes);
	assert_true(frames >= 1);
	/* an unknown link type: frames counted, reported once */
	assert_int_equal(run_path(SEED "bad-linktype-unknown", &cs, &frames, &codes), 1);
	assert_int_equal(frames, 2);
	assert_int_equal(codes, 0);
	assert_int_equal(cs.damaged, 1);
	assert_non_null(strstr(cs.text, "link type 147"));
	/* pcapng (QUIC over IPv6: not RADIUS) */
	assert_int_equal(run_path(SEED "corpus-radius_false_positive.pcapng", &cs, &frames, &codes), 0);
	assert_int_equal(frames, 10);
	assert_int_equal(codes, 0);
	/* loopback in both byte orders, LOOP, SLL2, QinQ */
	/* NULL: AF_INET6 30 in both byte orders decodes, family 7 does not */
	assert_int_equal(run_path(SEED "bad-loopback-null-loop", &cs, &frames, &codes), 0);
	assert_int_equal(frames, 3);
	assert_int_equal(codes, 2);
	assert_int_equal(run_path(SEED "bad-loopback-loop", &cs, &frames, &codes), 0);
	assert_int_equal(codes, 2);
	assert_int_equal(run_path(SEED "bad-vlan-qinq", &cs, &frames, &codes), 0);
	assert_int_equal(codes, 2);
	/* IPv6 extension headers and fragments: the datagram on the last */
	assert_int_equal(run_path(SEED "bad-ipv6-ext-and-fragments", &cs, &frames, &codes), 0);
	assert_int_equal(codes, 2);
	/* IPv4 fragments out of order with a duplicate: one datagram */
	assert_int_equal(run_path(SEED "bad-ipv4-fragments", &cs, &frames, &codes), 0);
	assert_int_equal(frames, 4);
	assert_int_equal(codes, 1);
}

/* fuzz_pcap found it: a pcapng interface in whole seconds (if_tsresol 0)
 * with a time of 2^40 s overflowed the ns product. The time is pinned at
 * the top of what a pcap record holds; the frame still decodes. */
static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)v; b[1] = (uint8_t)(v >> 8); b[2] = (uint8_t)(v >> 16); b[3] = (uint8_t)(v >> 24);
}

static void test_pcapng_time_out_of_range(void **st)
{
	(void)st;
	uint8_t b[256] = {0};
	uint8_t shb[28] = {0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 28, 0, 0, 0};
	/* IDB: LINKTYPE_RAW, snaplen 65535, if_tsresol = 10^0, end of options */
	uint8_t idb[32] = {1, 0, 0, 0, 32, 0, 0, 0, 101, 0, 0, 0, 0xff, 0xff, 0, 0,
			   9, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0};
	memcpy(b, shb, 28);
	memcpy(b + 28, idb, 32);
	size_t o = 60;
	uint8_t pkt[64];
	size_t n = ip4_udp(pkt, 40000, 1812, 1, 0, radius_req, 20);   /* 48 bytes */
	for (int i = 0; i < 2; i++) {
		/* EPB: interface 0, time 2^40 s then 1 s, the datagram */
		uint32_t len = 28 + (uint32_t)n + 4;
		put32(b + o, 6);
		put32(b + o + 4, len);
		put32(b + o + 8, 0);
		put32(b + o + 12, i ? 0 : 1u << 8);
		put32(b + o + 16, i ? 1 : 0);
		put32(b + o + 20, (uint32_t)n);
		put32(b + o + 24, (uint32_t)n);
		memcpy(b + o + 28, pkt, n);
		put32(b + o + len - 4, len);
		o += len;
	}
	struct stream *m = stream_mem_new(b, o);
	struct count_sink cs;
	memset(&cs, 0, sizeof cs);
	cs.base.emit = count_emit;
	struct rec r;
	memset(&r, 0, sizeof r);
	struct fields_opts fo = {'\t', '|', 'a', 0, 0};
	r.f = fields_new(names, F__N, &fo);
	struct capture_opts co = {.fields = r.f, .on_frame = on_frame, .on_frame_ctx = &r};
	struct input *in = input_new("mem.pcapng", SRC_PCAP);
	struct capture *c = capture_open(m, in, &cs.base, &co);
	while (capture_step(c))
		;
	assert_int_equal(capture_frames(c), 2);
	capture_close(c);
	m->close(m);
	assert_int_equal(cs.damaged, 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.v[0][F_TIME], "4294967295.000000000");
	assert_string_equal(r.v[0][F_CODE], "1");
	assert_string_equal(r.v[1][F_TIME], "1.000000000");
	fields_free(r.f);
}

static void test_sniff(void **st)
{
	(void)st;
	uint8_t b[64] = {0};
	size_t n = mk_pcap(b, 0, 0);
	assert_int_equal(fmt_pcap.sniff(b, n + 8), 100);
	assert_int_equal(fmt_pcapng.sniff(b, n + 8), 0);
	uint8_t ng[28] = {0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a};
	assert_int_equal(fmt_pcapng.sniff(ng, 28), 100);
	assert_int_equal(fmt_pcap.sniff(ng, 28), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ethernet_vlan_qinq),
		cmocka_unit_test(test_sll_sll2_null_raw),
		cmocka_unit_test(test_ipv6_ext_headers),
		cmocka_unit_test(test_ipv4_fragments_land_on_last),
		cmocka_unit_test(test_reasm_caps_count_evictions),
		cmocka_unit_test(test_port_map),
		cmocka_unit_test(test_truncated_file_reported_once),
		cmocka_unit_test(test_pcap_bad_inputs),
		cmocka_unit_test(test_pcapng_time_out_of_range),
		cmocka_unit_test(test_sniff),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	input_reset_all();
	str_shutdown();
	return r;
}
