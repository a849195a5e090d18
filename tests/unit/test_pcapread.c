/* pcapread: capture.c's own record reader for plain pcap files hands over
 * exactly the frames libpcap does (time, lengths, bytes) and ends where
 * and how libpcap ends, on well formed and on odd or cut files */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <pcap/pcap.h>

#include "core/event.h"
#include "core/input.h"
#include "core/str.h"
#include "decoders/capture.h"
#include "ingest/streams.h"

#define MAXF 4096

struct frame {
	int64_t ts;
	uint32_t cap, wire;
	uint64_t sum;
};

struct run {
	struct frame f[MAXF];
	size_t n;
	char err[PCAP_ERRBUF_SIZE + 200];
};

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static struct run *cur;

static void on_frame(void *ctx, const struct pkt *p, const uint8_t *d, size_t n)
{
	(void)ctx;
	if (cur->n < MAXF)
		cur->f[cur->n++] = (struct frame){p->ts_ns, (uint32_t)n, p->wirelen, fnv(d, n)};
}

static void on_ev(struct ev_sink *s, struct ev *e)
{
	(void)s;
	if (e->kind == EVK_INPUT_DAMAGED && !cur->err[0])
		snprintf(cur->err, sizeof cur->err, "%s", e->text ? e->text : "?");
}

/* through capture_open, as analyze and decode read a file */
static void read_ours(const char *path, struct run *r)
{
	memset(r, 0, sizeof *r);
	cur = r;
	char err[160];
	struct stream *s = stream_file_open(path, NULL, err, sizeof err);
	assert_non_null(s);
	struct ev_sink sink = {on_ev};
	struct capture_opts o = {.no_events = 1, .on_frame = on_frame};
	struct capture *c = capture_open(s, input_new(path, SRC_PCAP), &sink, &o);
	while (capture_step(c))
		;
	capture_close(c);
	s->close(s);
}

/* straight through libpcap, and the message capture.c makes of its end */
static void read_libpcap(const char *path, struct run *r)
{
	memset(r, 0, sizeof *r);
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, eb);
	if (!pc) {
		snprintf(r->err, sizeof r->err, "not a readable capture: %s", eb);
		return;
	}
	struct pcap_pkthdr *h;
	const u_char *d;
	int k;
	while ((k = pcap_next_ex(pc, &h, &d)) == 1)
		if (r->n < MAXF)
			r->f[r->n++] = (struct frame){(int64_t)h->ts.tv_sec * 1000000000 + h->ts.tv_usec,
						      h->caplen, h->len < h->caplen ? h->caplen : h->len,
						      fnv(d, h->caplen)};
	if (k == PCAP_ERROR)
		snprintf(r->err, sizeof r->err,
			 "capture ends inside frame %zu (%s): decoded up to frame %zu", r->n + 1,
			 pcap_geterr(pc), r->n);
	pcap_close(pc);
}

static struct run ours, theirs;

static void same(const char *path, const char *what)
{
	read_ours(path, &ours);
	read_libpcap(path, &theirs);
	if (ours.n != theirs.n || strcmp(ours.err, theirs.err))
		fail_msg("%s: %zu frames '%s', libpcap %zu frames '%s'", what, ours.n, ours.err,
			 theirs.n, theirs.err);
	for (size_t i = 0; i < ours.n; i++)
		if (memcmp(&ours.f[i], &theirs.f[i], sizeof ours.f[i]))
			fail_msg("%s: frame %zu differs (ts %lld/%lld cap %u/%u wire %u/%u)", what, i + 1,
				 (long long)ours.f[i].ts, (long long)theirs.f[i].ts, ours.f[i].cap,
				 theirs.f[i].cap, ours.f[i].wire, theirs.f[i].wire);
}

/* ---- files ---- */

static uint8_t img[1 << 20];
static size_t imgn;
static size_t recoff[512];
static size_t nrec;

static void put32(uint8_t *b, uint32_t v, int be)
{
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(be ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void put16(uint8_t *b, uint16_t v, int be)
{
	b[0] = (uint8_t)(be ? v >> 8 : v);
	b[1] = (uint8_t)(be ? v : v >> 8);
}

/* n records of Ethernet/IPv4/UDP/RADIUS of varying size */
static void build(uint32_t magic, int be, uint32_t snap, int n)
{
	put32(img, magic, be);
	put16(img + 4, 2, be);
	put16(img + 6, 4, be);
	put32(img + 8, 0, be);
	put32(img + 12, 0, be);
	put32(img + 16, snap, be);
	put32(img + 20, 1, be);
	imgn = 24;
	nrec = 0;
	for (int i = 0; i < n; i++) {
		size_t len = 60 + (size_t)(i * 37 % 300);
		recoff[nrec++] = imgn;
		uint8_t *h = img + imgn;
		put32(h, 1700000000u + (uint32_t)i, be);
		put32(h + 4, (uint32_t)(i * 7919) % (magic == 0xa1b23c4d ? 1000000000u : 1000000u), be);
		put32(h + 8, (uint32_t)len, be);
		put32(h + 12, (uint32_t)len + (uint32_t)(i % 3), be);
		uint8_t *d = h + 16;
		for (size_t k = 0; k < len; k++)
			d[k] = (uint8_t)(i * 31 + (int)k);
		static const uint8_t eth[14] = {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 8, 0};
		memcpy(d, eth, 14);
		uint8_t ip[28] = {0x45, 0, (uint8_t)((len - 14) >> 8), (uint8_t)(len - 14), 0, 0, 0, 0,
				  64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x07, 0x14, 0x07, 0x14,
				  (uint8_t)((len - 34) >> 8), (uint8_t)(len - 34), 0, 0};
		memcpy(d + 14, ip, 28);
		imgn += 16 + len;
	}
}

static char dir[64];

static const char *save(const char *name, size_t n)
{
	static char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(img, 1, n, f), n);
	fclose(f);
	return path;
}

static void test_plain_files(void **st)
{
	(void)st;
	build(0xa1b2c3d4, 0, 65535, 300);
	same(save("le.pcap", imgn), "little-endian usec");
	build(0xa1b2c3d4, 1, 65535, 300);
	same(save("be.pcap", imgn), "big-endian usec");
	build(0xa1b23c4d, 0, 65535, 300);
	same(save("nano.pcap", imgn), "nanoseconds");
	build(0xa1b23c4d, 1, 262144, 300);
	same(save("nanobe.pcap", imgn), "nanoseconds big-endian");
	build(0xa1b2c3d4, 0, 65535, 0);
	same(save("empty.pcap", imgn), "no records");
	assert_int_equal(ours.n, 0);
}

static void test_cut_everywhere(void **st)
{
	(void)st;
	build(0xa1b2c3d4, 0, 65535, 6);
	size_t full = imgn;
	for (size_t n = 0; n <= full; n++) {
		char what[64];
		snprintf(what, sizeof what, "cut at byte %zu of %zu", n, full);
		same(save("cut.pcap", n), what);
	}
}

static void test_odd_records(void **st)
{
	(void)st;
	struct {
		const char *what;
		size_t field;           /* offset in the record header */
		uint32_t v;
	} odd[] = {
		{"caplen past libpcap's maximum", 8, 300000},
		{"caplen past the snapshot length", 8, 70000},
		{"caplen zero", 8, 0},
		{"wire length under caplen", 12, 3},
		{"seconds past 2^31", 0, 0x90000000u},
		{"microseconds past a second", 4, 1000000},
		{"microseconds past 2^32/1000", 4, 5000000},
	};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
		for (int be = 0; be < 2; be++) {
			build(0xa1b2c3d4, be, 65535, 200);
			put32(img + recoff[120] + odd[i].field, odd[i].v, be);
			same(save("odd.pcap", imgn), odd[i].what);
		}
	/* a snapshot length under the records' lengths, and none at all */
	build(0xa1b2c3d4, 0, 100, 50);
	same(save("snap100.pcap", imgn), "snapshot length 100");
	build(0xa1b2c3d4, 0, 0, 50);
	same(save("snap0.pcap", imgn), "snapshot length 0");
	/* version 2.3: caplen and len may be swapped (libpcap's own path) */
	build(0xa1b2c3d4, 0, 65535, 50);
	put16(img + 6, 3, 0);
	same(save("v23.pcap", imgn), "version 2.3");
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/authscope-pcapread-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_files),
		cmocka_unit_test(test_cut_everywhere),
		cmocka_unit_test(test_odd_records),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd)) {
		/* leftovers in /tmp only */
	}
	input_reset_all();
	str_shutdown();
	return r;
}
